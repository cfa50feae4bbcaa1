/**
 * `karma plan | deploy | destroy | outputs` for one component: the glue between the estate, the
 * environment's parameter store and a runner.
 *
 * Deploy = check the config in Git is the published one → resolve `$ref`s from the producers'
 * latest runtime → plan → (confirm) → apply exactly that plan → publish the outputs as the
 * component's runtime with provenance (config version, producer runtime versions consumed, tool,
 * git commit) — unless the module published its runtime itself, which is then kept. A failure at
 * any point leaves the previous runtime untouched and is recorded in the audit log with the path
 * of the run's log. With the embedded store, Karma serves it over the SSM protocol for the
 * duration of the run, so modules that read the store themselves (the classic
 * `data "aws_ssm_parameter"` header, or curl) work unchanged.
 */
import { digestInputs } from "../core/audit/digest.js";
import { CANDIDATE, LIVE } from "../core/contracts/labels.js";
import { checkRuntime } from "../core/contracts/runtime.js";
import { type Problem, UserError } from "../core/errors.js";
import type { Component, ComponentAddress, Estate, JsonValue } from "../core/estate/model.js";
import { componentParameterName } from "../core/estate/paths.js";
import { formatComponentId } from "../core/ids.js";
import { type Dependent, dependentsFrom } from "../core/provisioning/dependents.js";
import { planRuntimeWrite, type RuntimeSnapshot } from "../core/provisioning/runtime-write.js";
import type { NewAuditEntry } from "../ports/audit-log.js";
import type { ParameterStore } from "../ports/parameter-store.js";
import type { PlanResult, RunOutputs } from "../ports/runner.js";
import { readConsumerLinks } from "./consumers.js";
import { findComponent, prepare, readParameter, release } from "./provision/prepare.js";
import { audit, failureDetails, failureMessage, relativeLog } from "./provision/record.js";
import { chooseSlot, jobInSlot } from "./provision/runtime-labels.js";
import type {
  DeployOutcome,
  DestroyOutcome,
  PlanOutcome,
  ProvisionHooks,
  ProvisionTarget,
  RuntimeOutcome,
} from "./provision/types.js";
import type { AuditRecord, Session } from "./session.js";
import { lockOptionsFor, sessionStores, withLocks } from "./stores.js";

export * from "./provision/types.js";

// ── plan ───────────────────────────────────────────────────────────────────────────────────

export async function planComponent(
  session: Session,
  estate: Estate,
  target: ProvisionTarget,
  options: ProvisionHooks & { destroy?: boolean } = {},
): Promise<PlanOutcome> {
  const prepared = await prepare(session, estate, target, options.destroy ? "destroy" : "plan", options);
  try {
    const { component, env } = prepared;
    const slots = await chooseSlot(
      prepared.store,
      componentParameterName(env.prefix, component.type, component.nickname, "runtime"),
      false,
    );
    const job = slots.slotted ? jobInSlot(estate.settings, prepared.job, slots.slot) : prepared.job;
    const plan = await prepared.runner.runner.plan(job, { destroy: options.destroy === true });
    return {
      component: prepared.component.id,
      plan,
      configVersion: prepared.configVersion,
      consumed: prepared.consumed,
    };
  } finally {
    await release(prepared);
  }
}

// ── deploy ─────────────────────────────────────────────────────────────────────────────────

export async function deployComponent(
  session: Session,
  estate: Estate,
  target: ProvisionTarget,
  options: ProvisionHooks & {
    /** Asked with the plan when it has changes; resolve false to stop. Without it, the plan is applied. */
    confirm?: (plan: PlanResult) => Promise<boolean>;
    /**
     * Blue-green: deploy into the slot beside the live one and label the new runtime version
     * `candidate`; consumers keep resolving the version labelled `live` until `karma promote`.
     */
    candidate?: boolean;
  } = {},
): Promise<DeployOutcome> {
  const prepared = await prepare(session, estate, target, "deploy", options);
  const { component, env, store, job } = prepared;
  const runtimeName = componentParameterName(env.prefix, component.type, component.nickname, "runtime");
  const digest = digestInputs(job.inputs as unknown as JsonValue);
  const consumedVersions = Object.fromEntries(prepared.consumed.map((c) => [c.producer, c.version]));
  let plan: PlanResult | undefined;
  let runtimeBefore: RuntimeSnapshot | undefined;
  /** Every deploy outcome (refused, ok, failed) is audited with the same identifying fields. */
  const record = (entry: Pick<NewAuditEntry, "status" | "message" | "details" | "after">) =>
    audit(
      session,
      {
        action: "deploy",
        component: component.id,
        env: env.name,
        inputsDigest: digest,
        before: {
          config: prepared.configVersion,
          ...(runtimeBefore ? { runtime: runtimeBefore.version } : {}),
        },
        logPath: relativeLog(estate, job.logFile),
        ...entry,
      },
      options,
    );
  try {
    return await withLocks(
      session,
      [env],
      lockOptionsFor(`deploy ${component.type}/${component.nickname}`, options),
      async () => {
        runtimeBefore = await readParameter(store, runtimeName);
        const candidate = options.candidate === true;
        if (candidate && !runtimeBefore)
          throw new UserError(
            `${component.id} has no runtime yet, so there is no live version to keep beside a candidate`,
            `deploy it normally first: karma deploy ${component.type} ${component.nickname} --env ${env.name}`,
          );
        const slots = await chooseSlot(store, runtimeName, candidate);
        const runJob = slots.slotted ? jobInSlot(estate.settings, job, slots.slot) : job;
        plan = await prepared.runner.runner.plan(runJob);
        const base: PlanOutcome = {
          component: component.id,
          plan,
          configVersion: prepared.configVersion,
          consumed: prepared.consumed,
        };
        if (plan.summary.hasChanges && options.confirm && !(await options.confirm(plan))) {
          await record({
            status: "refused",
            message: "plan not approved; nothing applied",
            details: { counts: { ...plan.summary.counts } },
          });
          return {
            ...base,
            applied: false,
            outputKeys: [],
            sensitiveKeys: [],
            logFile: job.logFile,
            contractViolations: [],
          };
        }
        // the version consumers read now stays theirs while the candidate is written beside it
        if (candidate && slots.runtime?.labels.live === undefined)
          await store.labelParameterVersion({
            name: runtimeName,
            version: runtimeBefore!.version,
            labels: [LIVE],
          });

        const applied = await prepared.runner.runner.apply(runJob, plan);
        const runtimeAfter = await readParameter(store, runtimeName);
        const git = session.git.state();
        const write = planRuntimeWrite({
          name: runtimeName,
          ...(runtimeBefore ? { before: runtimeBefore } : {}),
          ...(runtimeAfter ? { after: runtimeAfter } : {}),
          outputs: applied.outputs,
          provenance: {
            by: "karma deploy",
            configVersion: prepared.configVersion,
            consumed: consumedVersions,
            tool: `${applied.tool.name} ${applied.tool.version}`,
            ...(git.commit ? { commit: git.commit } : {}),
            actor: session.actor,
            ...(slots.slotted ? { slot: slots.slot } : {}),
          },
        });
        let runtime: RuntimeOutcome;
        if (write.kind === "write") {
          if (write.replace && slots.slotted)
            throw new UserError(
              `the new runtime of ${component.id} changes its parameter type (String ↔ SecureString), which would delete the live and candidate versions`,
              "deploy it without --candidate once no candidate is pending, or keep the outputs' sensitivity unchanged",
            );
          if (write.replace) await store.deleteParameter(runtimeName);
          const result = await store.putParameter(write.input);
          runtime = { kind: "written", version: result.version, secure: write.input.type === "SecureString" };
        } else if (write.kind === "module-published" && write.stamp) {
          const result = await store.putParameter(write.stamp);
          runtime = { kind: "module-published", version: result.version };
        } else {
          runtime = { kind: write.kind, version: write.version };
        }
        if (slots.slotted)
          await store.labelParameterVersion({
            name: runtimeName,
            version: runtime.version,
            labels: [candidate ? CANDIDATE : LIVE],
          });
        const contractViolations = await checkDeployedRuntime(
          session,
          estate,
          component,
          store,
          runtimeName,
          runtime,
          applied.outputs.values,
          options,
        );
        await record({
          status: "ok",
          after: { config: prepared.configVersion, runtime: runtime.version },
          message: `deployed with ${applied.tool.name} ${applied.tool.version}; runtime ${runtime.kind} (v${runtime.version})${slots.slotted ? ` in slot ${slots.slot}, labelled ${candidate ? CANDIDATE : LIVE}` : ""}`,
          details: {
            ...(slots.slotted ? { slot: slots.slot, label: candidate ? CANDIDATE : LIVE } : {}),
            contractViolations: contractViolations.map((p) => p.pointer ?? ""),
            counts: { ...plan.summary.counts },
            runtime: runtime.kind,
            consumed: consumedVersions,
            sensitiveKeys: applied.outputs.sensitiveKeys,
          },
        });
        return {
          ...base,
          applied: true,
          runtime,
          outputKeys: Object.keys(applied.outputs.values).sort(),
          sensitiveKeys: applied.outputs.sensitiveKeys,
          logFile: job.logFile,
          contractViolations,
          ...(slots.slotted ? { slot: slots.slot, label: candidate ? CANDIDATE : LIVE } : {}),
        };
      },
    );
  } catch (error) {
    await record({ status: "failed", message: failureMessage(error), details: failureDetails(error) });
    throw error;
  } finally {
    await release(prepared);
  }
}

/**
 * The runtime just written, against the type's output contract. A violation is audited as a
 * finding on the producer (`contract_violation`) and returned, so callers hold back consumers.
 */
async function checkDeployedRuntime(
  session: Session,
  estate: Estate,
  component: Component,
  store: ParameterStore,
  runtimeName: string,
  runtime: RuntimeOutcome,
  outputs: JsonValue,
  hooks: ProvisionHooks,
): Promise<Problem[]> {
  const contract = estate.contracts.get(component.type);
  if (!contract) return [];
  let value = outputs;
  let secure = runtime.kind === "written" && runtime.secure;
  if (runtime.kind !== "written") {
    const stored = await readParameter(store, `${runtimeName}:${runtime.version}`);
    secure = stored?.type === "SecureString";
    try {
      value = JSON.parse(stored?.value ?? "null") as JsonValue;
    } catch {
      value = stored?.value ?? null;
    }
  }
  const problems = checkRuntime(contract, value, { component: component.id, secure });
  if (problems.length > 0)
    await audit(
      session,
      {
        action: "contract_violation",
        status: "failed",
        component: component.id,
        env: component.env,
        after: { runtime: runtime.version },
        message: `runtime v${runtime.version} breaks ${contract.file}: ${problems.map((p) => p.pointer || "(top level)").join(", ")}`,
        details: { contract: contract.file, keys: problems.map((p) => p.pointer ?? "") },
      },
      hooks,
    );
  return problems;
}

// ── destroy ────────────────────────────────────────────────────────────────────────────────

/** Dependents of every kind (declared or pasted copies) that are deployed (have a runtime). */
async function deployedDependents(
  session: Session,
  estate: Estate,
  address: ComponentAddress,
): Promise<Dependent[]> {
  const links = await readConsumerLinks(session, estate.components);
  const declared = dependentsFrom(links, formatComponentId(address));
  if (declared.length === 0) return [];
  const byId = new Map(estate.components.map((c) => [c.id, c]));
  const envs = estate.settings.environments.filter((e) =>
    declared.some((d) => byId.get(d.id)?.env === e.name),
  );
  const stores = await sessionStores(session, envs);
  const out: Dependent[] = [];
  for (const d of declared) {
    const c = byId.get(d.id);
    const env = envs.find((e) => e.name === c?.env);
    if (!c || !env) continue;
    const runtime = await readParameter(
      stores.get(env.name),
      componentParameterName(env.prefix, c.type, c.nickname, "runtime"),
    ).catch(() => undefined);
    if (runtime) out.push(d);
  }
  return out;
}

export async function destroyComponent(
  session: Session,
  estate: Estate,
  target: ProvisionTarget,
  options: ProvisionHooks & { force?: boolean } = {},
): Promise<DestroyOutcome> {
  const { component, env } = findComponent(estate, target);
  const record = (entry: Omit<AuditRecord, "action" | "component" | "env">) =>
    audit(session, { action: "destroy", component: component.id, env: env.name, ...entry }, options);
  const dependents = await deployedDependents(session, estate, component);
  if (dependents.length > 0 && !options.force) {
    const list = dependents.map((d) => `${d.id} (${d.forms.join(", ")} at ${d.pointers.join(", ")})`);
    await record({
      status: "refused",
      message: `deployed dependents: ${dependents.map((d) => d.id).join(", ")}`,
      details: { dependents: dependents.map((d) => d.id) },
    });
    throw new UserError(
      `refusing to destroy ${component.id}: ${dependents.length} deployed component(s) depend on it:\n  ${list.join("\n  ")}`,
      `destroy them first (${dependents
        .map((d) => {
          const c = estate.components.find((x) => x.id === d.id);
          return c ? `karma destroy ${c.type} ${c.nickname} --env ${c.env}` : d.id;
        })
        .join(", then ")}), or pass --force`,
    );
  }
  const prepared = await prepare(session, estate, target, "destroy", options);
  const { store, job } = prepared;
  const runtimeName = componentParameterName(env.prefix, component.type, component.nickname, "runtime");
  try {
    return await withLocks(
      session,
      [env],
      lockOptionsFor(`destroy ${component.type}/${component.nickname}`, options),
      async () => {
        const runtimeBefore = await readParameter(store, runtimeName);
        const result = await prepared.runner.runner.destroy(job);
        let runtimeDeleted = false;
        if (runtimeBefore) {
          await store.deleteParameter(runtimeName);
          runtimeDeleted = true;
        }
        await record({
          status: "ok",
          inputsDigest: digestInputs(job.inputs as unknown as JsonValue),
          before: runtimeBefore ? { runtime: runtimeBefore.version } : {},
          logPath: relativeLog(estate, job.logFile),
          message: `destroyed${runtimeDeleted ? "; runtime deleted" : ""}${options.force && dependents.length ? ` (forced past ${dependents.map((d) => d.id).join(", ")})` : ""}`,
          details: {
            forcedPast: dependents.map((d) => d.id),
            ...(result.note ? { note: result.note } : {}),
          },
        });
        return {
          component: component.id,
          forcedPast: dependents,
          runtimeDeleted,
          logFile: job.logFile,
          ...(result.note ? { note: result.note } : {}),
        };
      },
    );
  } catch (error) {
    await record({
      status: "failed",
      logPath: relativeLog(estate, job.logFile),
      message: failureMessage(error),
      details: failureDetails(error),
    });
    throw error;
  } finally {
    await release(prepared);
  }
}

// ── outputs ────────────────────────────────────────────────────────────────────────────────

export interface OutputsOutcome {
  component: string;
  outputs: RunOutputs;
  /** Version of the runtime parameter in the store, when there is one. */
  runtimeVersion?: number;
}

export async function componentOutputs(
  session: Session,
  estate: Estate,
  target: ProvisionTarget,
  options: ProvisionHooks = {},
): Promise<OutputsOutcome> {
  const prepared = await prepare(session, estate, target, "outputs", options);
  try {
    const outputs = await prepared.runner.runner.outputs(prepared.job);
    const runtime = await readParameter(
      prepared.store,
      componentParameterName(
        prepared.env.prefix,
        prepared.component.type,
        prepared.component.nickname,
        "runtime",
      ),
    );
    return {
      component: prepared.component.id,
      outputs,
      ...(runtime ? { runtimeVersion: runtime.version } : {}),
    };
  } finally {
    await release(prepared);
  }
}
