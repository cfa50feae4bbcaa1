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
import { existsSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { openAuditLog } from "../adapters/audit/factory.js";
import { currentActor, readGitState } from "../adapters/git/provenance.js";
import { type RunningServer, startServer } from "../adapters/http/server.js";
import { runnerForType } from "../adapters/runners/factory.js";
import { componentWorkDir, newRunLogFile } from "../adapters/runners/layout.js";
import { workDirPaths } from "../adapters/runners/terraform/workdir.js";
import { digestInputs } from "../core/audit/digest.js";
import { UserError, ValidationFailedError } from "../core/errors.js";
import type {
  Component,
  ComponentAddress,
  EnvironmentSettings,
  Estate,
  JsonObject,
  JsonValue,
} from "../core/estate/model.js";
import { formatComponentId } from "../core/ids.js";
import { componentParameterName } from "../core/parameters/names.js";
import { type Dependent, findDependents } from "../core/provisioning/dependents.js";
import {
  type ConsumedRuntime,
  type ProducerRuntime,
  resolveReferences,
} from "../core/provisioning/resolve-references.js";
import { planRuntimeWrite, type RuntimeSnapshot } from "../core/provisioning/runtime-write.js";
import { isPublished } from "../core/publish/plan-publish.js";
import type { NewAuditEntry } from "../ports/audit-log.js";
import { isParameterStoreError, type ParameterStore } from "../ports/parameter-store.js";
import type { PlanResult, RunInputs, RunJob, RunOutputs, RunProgress } from "../ports/runner.js";
import { RunnerFailedError } from "../ports/runner.js";
import { type OpenStores, openStores, withEnvironmentLocks } from "./stores.js";

export interface ProvisionTarget {
  type: string;
  nickname: string;
  /** Environment name; may be omitted when the estate has exactly one. */
  env?: string;
}

export interface ProvisionHooks {
  signal?: AbortSignal;
  onProgress?: (progress: RunProgress) => void;
  /** Non-fatal trouble (e.g. the audit log could not be written). */
  onWarning?: (message: string) => void;
}

export interface PlanOutcome {
  component: string;
  plan: PlanResult;
  /** Config parameter version the plan was made from. */
  configVersion: number;
  consumed: ConsumedRuntime[];
}

export type RuntimeOutcome =
  | { kind: "written"; version: number; secure: boolean }
  | { kind: "unchanged"; version: number }
  | { kind: "module-published"; version: number };

export interface DeployOutcome extends PlanOutcome {
  /** False when the plan was not confirmed. */
  applied: boolean;
  runtime?: RuntimeOutcome;
  /** Output names; values are in the store (sensitive ones only as a SecureString). */
  outputKeys: string[];
  sensitiveKeys: string[];
  logFile: string;
}

export interface DestroyOutcome {
  component: string;
  /** Dependents that were overridden with --force. */
  forcedPast: Dependent[];
  runtimeDeleted: boolean;
  logFile: string;
  note?: string;
}

// ── shared preparation ─────────────────────────────────────────────────────────────────────

interface Prepared {
  component: Component;
  env: EnvironmentSettings;
  stores: OpenStores;
  store: ParameterStore;
  configVersion: number;
  consumed: ConsumedRuntime[];
  job: RunJob;
  runner: Awaited<ReturnType<typeof runnerForType>>;
  endpoint?: RunningServer;
}

function findComponent(
  estate: Estate,
  target: ProvisionTarget,
): { component: Component; env: EnvironmentSettings } {
  const envs = estate.settings.environments;
  let env: EnvironmentSettings | undefined;
  if (target.env !== undefined) {
    env = envs.find((e) => e.name === target.env);
    if (!env) {
      throw new UserError(
        `unknown environment "${target.env}"`,
        `use one of: ${envs.map((e) => e.name).join(", ") || "(none: add one to karma.json)"}`,
      );
    }
  } else {
    const candidates = estate.components.filter(
      (c) => c.type === target.type && c.nickname === target.nickname,
    );
    const names = [...new Set(candidates.map((c) => c.env))].sort();
    if (envs.length === 1) env = envs[0];
    else if (names.length === 1) env = envs.find((e) => e.name === names[0]);
    else if (names.length > 1) {
      throw new UserError(
        `${target.type}/${target.nickname} exists in several environments (${names.join(", ")})`,
        "pass --env <name>",
      );
    }
  }
  const component = estate.components.find(
    (c) =>
      c.type === target.type && c.nickname === target.nickname && (env === undefined || c.env === env.name),
  );
  if (!component || !env) {
    const where = env ? ` in environment "${env.name}"` : "";
    const file = `${estate.settings.paths.components}/${env?.name ?? "<env>"}/${target.type}/${target.nickname}/config.json`;
    const sameType = estate.components
      .filter((c) => c.type === target.type && (env === undefined || c.env === env.name))
      .map((c) => c.nickname);
    throw new UserError(
      `no component ${target.type}/${target.nickname}${where}`,
      sameType.length
        ? `existing ${target.type} components: ${sameType.join(", ")}; or create ${file}`
        : `create ${file}`,
    );
  }
  return { component, env };
}

function assertComponentValid(estate: Estate, component: Component): void {
  const problems = estate.problems.filter(
    (p) => p.severity === "error" && (p.component === component.id || p.file === component.file),
  );
  if (problems.length > 0) {
    throw new ValidationFailedError(
      problems,
      `${component.id} is invalid; fix the problems above (nothing was run)`,
    );
  }
}

async function readParameter(
  store: ParameterStore,
  name: string,
): Promise<(RuntimeSnapshot & { description?: string }) | undefined> {
  try {
    const p = await store.getParameter(name, { withDecryption: true });
    return { version: p.version, value: p.value, type: p.type };
  } catch (error) {
    if (isParameterStoreError(error, "ParameterNotFound")) return undefined;
    throw error;
  }
}

function publishCommand(component: Component): string {
  return `karma publish ${component.id}`;
}

/** The published config; refuses when there is none or it differs from Git. */
async function publishedConfig(
  store: ParameterStore,
  env: EnvironmentSettings,
  component: Component,
): Promise<{ version: number; config: JsonObject }> {
  const name = componentParameterName(env.prefix, component.type, component.nickname, "config");
  const published = await readParameter(store, name);
  if (!published) {
    throw new UserError(
      `${component.id} has no published config (${name} does not exist), so there is nothing to deploy`,
      `publish it first: ${publishCommand(component)}`,
    );
  }
  if (!isPublished(component, published.value)) {
    throw new UserError(
      `the config of ${component.id} in Git (${component.file}) differs from the published version ${published.version}; Karma deploys only published config`,
      `publish it first: ${publishCommand(component)}`,
    );
  }
  return { version: published.version, config: JSON.parse(published.value) as JsonObject };
}

/** Latest runtime of every producer the config `$ref`s, read from the producer's environment store. */
async function producerRuntimes(estate: Estate, component: Component, stores: OpenStores) {
  const runtimes = new Map<string, ProducerRuntime>();
  for (const ref of component.references) {
    if (ref.form !== "ref" || ref.external) continue;
    const id = formatComponentId(ref.target);
    if (runtimes.has(id)) continue;
    const env = estate.settings.environments.find((e) => e.name === ref.target.env);
    if (!env) continue; // an unknown environment is reported by resolveReferences as a missing runtime
    const runtime = await readParameter(
      stores.get(env.name),
      componentParameterName(env.prefix, ref.target.type, ref.target.nickname, "runtime"),
    );
    if (!runtime) continue;
    let value: JsonValue;
    try {
      value = JSON.parse(runtime.value) as JsonValue;
    } catch {
      value = runtime.value;
    }
    runtimes.set(id, { version: runtime.version, value, secure: runtime.type === "SecureString" });
  }
  return runtimes;
}

/** Environment for the child so that modules reading the store themselves reach this environment's store. */
async function storeAccess(
  env: EnvironmentSettings,
  store: ParameterStore,
): Promise<{ vars: Record<string, string>; endpoint?: RunningServer }> {
  if (env.store.kind === "sqlite") {
    const endpoint = await startServer({ port: 0, ssm: { storeFor: () => store } });
    return {
      endpoint,
      vars: {
        AWS_ENDPOINT_URL_SSM: endpoint.url,
        AWS_REGION: "us-east-1",
        AWS_DEFAULT_REGION: "us-east-1",
        // the local endpoint accepts any signature; these only keep SDKs and providers from searching
        AWS_ACCESS_KEY_ID: "karma-local",
        AWS_SECRET_ACCESS_KEY: "karma-local",
        AWS_EC2_METADATA_DISABLED: "true",
      },
    };
  }
  const vars: Record<string, string> = {};
  if (env.store.region) {
    vars.AWS_REGION = env.store.region;
    vars.AWS_DEFAULT_REGION = env.store.region;
  }
  if (env.store.profile) vars.AWS_PROFILE = env.store.profile;
  if (env.store.endpoint) vars.AWS_ENDPOINT_URL_SSM = env.store.endpoint;
  return { vars };
}

type Action = "plan" | "deploy" | "destroy" | "outputs";

async function prepare(
  estate: Estate,
  target: ProvisionTarget,
  action: Action,
  hooks: ProvisionHooks,
): Promise<Prepared> {
  const { component, env } = findComponent(estate, target);
  assertComponentValid(estate, component);
  const settings = estate.settings;
  const neededEnvs = new Set([
    env.name,
    ...component.references.filter((r) => r.form === "ref").map((r) => r.target.env),
  ]);
  const stores = await openStores(
    settings,
    settings.environments.filter((e) => neededEnvs.has(e.name)),
  );
  let endpoint: RunningServer | undefined;
  try {
    const store = stores.get(env.name);
    const runner = await runnerForType(settings, component.type);
    const workDir = componentWorkDir(settings, component);

    let configVersion = 0;
    let config: JsonObject;
    let consumed: ConsumedRuntime[] = [];
    let secrets: string[] = [];
    let inputs: RunInputs | undefined;
    const base = {
      component_name: component.type,
      nickname: component.nickname,
      environment: env.name,
      iac_prefix: env.prefix,
    };
    if (action === "destroy" || action === "outputs") {
      // Tearing down must work even when the config was unpublished or producers are gone:
      // fall back to the inputs of the last run.
      try {
        const published = await publishedConfig(store, env, component);
        configVersion = published.version;
        const resolved = resolveReferences(
          published.config,
          { env: env.name, file: component.file, component: component.id },
          await producerRuntimes(estate, component, stores),
        );
        ({ config, consumed, secrets } = resolved);
        inputs = { config, ...base };
      } catch (error) {
        inputs = lastRunInputs(workDir, runner.kind);
        if (!inputs) throw error;
      }
    } else {
      const published = await publishedConfig(store, env, component);
      configVersion = published.version;
      const resolved = resolveReferences(
        published.config,
        { env: env.name, file: component.file, component: component.id },
        await producerRuntimes(estate, component, stores),
      );
      ({ config, consumed, secrets } = resolved);
      inputs = { config, ...base };
    }

    const access = action === "outputs" ? { vars: {} } : await storeAccess(env, store);
    endpoint = access.endpoint;
    const job: RunJob = {
      component: { env: component.env, type: component.type, nickname: component.nickname },
      source: runner.source,
      workDir,
      inputs,
      secrets,
      env: access.vars,
      logFile: newRunLogFile(settings, component, action),
      ...(runner.timeoutMs !== undefined ? { timeoutMs: runner.timeoutMs } : {}),
      ...(hooks.signal ? { signal: hooks.signal } : {}),
      ...(hooks.onProgress ? { onProgress: hooks.onProgress } : {}),
    };
    return {
      component,
      env,
      stores,
      store,
      configVersion,
      consumed,
      job,
      runner,
      ...(endpoint ? { endpoint } : {}),
    };
  } catch (error) {
    await endpoint?.close();
    await stores.close();
    throw error;
  }
}

function lastRunInputs(workDir: string, kind: "terraform" | "command"): RunInputs | undefined {
  if (kind !== "terraform") return undefined;
  const file = join(workDirPaths(workDir).rootDir, "karma.auto.tfvars.json");
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, "utf8")) as RunInputs;
  } catch {
    return undefined;
  }
}

async function release(prepared: Prepared): Promise<void> {
  await prepared.endpoint?.close();
  await prepared.stores.close();
}

async function audit(estate: Estate, entry: Omit<NewAuditEntry, "actor" | "source">, hooks: ProvisionHooks) {
  try {
    const log = openAuditLog(estate.settings);
    try {
      await log.append({ actor: currentActor(), source: "cli", ...entry });
    } finally {
      await log.close();
    }
  } catch (error) {
    hooks.onWarning?.(
      `could not write the audit log: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

function relativeLog(estate: Estate, file: string): string {
  return relative(estate.settings.root, file);
}

function failureDetails(error: unknown): JsonObject {
  if (error instanceof RunnerFailedError) {
    return { error: error.name, step: error.step, reason: error.reason, toolExitCode: error.toolExitCode };
  }
  return { error: error instanceof Error ? error.name : "Error" };
}

function failureMessage(error: unknown): string {
  if (error instanceof RunnerFailedError) return error.toolMessage.split("\n").slice(0, 5).join("\n");
  return error instanceof Error ? error.message : String(error);
}

// ── plan ───────────────────────────────────────────────────────────────────────────────────

export async function planComponent(
  estate: Estate,
  target: ProvisionTarget,
  options: ProvisionHooks & { destroy?: boolean } = {},
): Promise<PlanOutcome> {
  const prepared = await prepare(estate, target, options.destroy ? "destroy" : "plan", options);
  try {
    const plan = await prepared.runner.runner.plan(prepared.job, { destroy: options.destroy === true });
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
  estate: Estate,
  target: ProvisionTarget,
  options: ProvisionHooks & {
    /** Asked with the plan when it has changes; resolve false to stop. Without it, the plan is applied. */
    confirm?: (plan: PlanResult) => Promise<boolean>;
  } = {},
): Promise<DeployOutcome> {
  const prepared = await prepare(estate, target, "deploy", options);
  const { component, env, store, job } = prepared;
  const runtimeName = componentParameterName(env.prefix, component.type, component.nickname, "runtime");
  const digest = digestInputs(job.inputs as unknown as JsonValue);
  let plan: PlanResult | undefined;
  let runtimeBefore: RuntimeSnapshot | undefined;
  try {
    return await withEnvironmentLocks(
      estate.settings,
      prepared.stores,
      [env],
      { operation: `deploy ${component.type}/${component.nickname}` },
      async () => {
        runtimeBefore = await readParameter(store, runtimeName);
        plan = await prepared.runner.runner.plan(job);
        const base: PlanOutcome = {
          component: component.id,
          plan,
          configVersion: prepared.configVersion,
          consumed: prepared.consumed,
        };
        if (plan.summary.hasChanges && options.confirm && !(await options.confirm(plan))) {
          await audit(
            estate,
            {
              action: "deploy",
              status: "refused",
              component: component.id,
              env: env.name,
              inputsDigest: digest,
              before: {
                config: prepared.configVersion,
                ...(runtimeBefore ? { runtime: runtimeBefore.version } : {}),
              },
              logPath: relativeLog(estate, job.logFile),
              message: "plan not approved; nothing applied",
              details: { counts: { ...plan.summary.counts } },
            },
            options,
          );
          return { ...base, applied: false, outputKeys: [], sensitiveKeys: [], logFile: job.logFile };
        }

        const applied = await prepared.runner.runner.apply(job, plan);
        const runtimeAfter = await readParameter(store, runtimeName);
        const git = readGitState(estate.settings.root);
        const write = planRuntimeWrite({
          name: runtimeName,
          ...(runtimeBefore ? { before: runtimeBefore } : {}),
          ...(runtimeAfter ? { after: runtimeAfter } : {}),
          outputs: applied.outputs,
          provenance: {
            by: "karma deploy",
            configVersion: prepared.configVersion,
            consumed: Object.fromEntries(prepared.consumed.map((c) => [c.producer, c.version])),
            tool: `${applied.tool.name} ${applied.tool.version}`,
            ...(git.commit ? { commit: git.commit } : {}),
            actor: currentActor(),
          },
        });
        let runtime: RuntimeOutcome;
        if (write.kind === "write") {
          const result = await store.putParameter(write.input);
          runtime = { kind: "written", version: result.version, secure: write.input.type === "SecureString" };
        } else {
          runtime = write;
        }
        await audit(
          estate,
          {
            action: "deploy",
            status: "ok",
            component: component.id,
            env: env.name,
            inputsDigest: digest,
            before: {
              config: prepared.configVersion,
              ...(runtimeBefore ? { runtime: runtimeBefore.version } : {}),
            },
            after: { config: prepared.configVersion, runtime: runtime.version },
            logPath: relativeLog(estate, job.logFile),
            message: `deployed with ${applied.tool.name} ${applied.tool.version}; runtime ${runtime.kind} (v${runtime.version})`,
            details: {
              counts: { ...plan.summary.counts },
              runtime: runtime.kind,
              consumed: Object.fromEntries(prepared.consumed.map((c) => [c.producer, c.version])),
              sensitiveKeys: applied.outputs.sensitiveKeys,
            },
          },
          options,
        );
        return {
          ...base,
          applied: true,
          runtime,
          outputKeys: Object.keys(applied.outputs.values).sort(),
          sensitiveKeys: applied.outputs.sensitiveKeys,
          logFile: job.logFile,
        };
      },
    );
  } catch (error) {
    await audit(
      estate,
      {
        action: "deploy",
        status: "failed",
        component: component.id,
        env: env.name,
        inputsDigest: digest,
        before: {
          config: prepared.configVersion,
          ...(runtimeBefore ? { runtime: runtimeBefore.version } : {}),
        },
        logPath: relativeLog(estate, job.logFile),
        message: failureMessage(error),
        details: failureDetails(error),
      },
      options,
    );
    throw error;
  } finally {
    await release(prepared);
  }
}

// ── destroy ────────────────────────────────────────────────────────────────────────────────

/** Dependents declared in Git that are deployed (have a runtime) in their environment. */
async function deployedDependents(estate: Estate, address: ComponentAddress): Promise<Dependent[]> {
  const declared = findDependents(estate.components, address);
  if (declared.length === 0) return [];
  const byId = new Map(estate.components.map((c) => [c.id, c]));
  const envs = estate.settings.environments.filter((e) =>
    declared.some((d) => byId.get(d.id)?.env === e.name),
  );
  const stores = await openStores(estate.settings, envs);
  try {
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
  } finally {
    await stores.close();
  }
}

export async function destroyComponent(
  estate: Estate,
  target: ProvisionTarget,
  options: ProvisionHooks & { force?: boolean } = {},
): Promise<DestroyOutcome> {
  const { component, env } = findComponent(estate, target);
  const dependents = await deployedDependents(estate, component);
  if (dependents.length > 0 && !options.force) {
    const list = dependents.map((d) => `${d.id} (${d.forms.join(", ")} at ${d.pointers.join(", ")})`);
    await audit(
      estate,
      {
        action: "destroy",
        status: "refused",
        component: component.id,
        env: env.name,
        message: `deployed dependents: ${dependents.map((d) => d.id).join(", ")}`,
        details: { dependents: dependents.map((d) => d.id) },
      },
      options,
    );
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
  const prepared = await prepare(estate, target, "destroy", options);
  const { store, job } = prepared;
  const runtimeName = componentParameterName(env.prefix, component.type, component.nickname, "runtime");
  try {
    return await withEnvironmentLocks(
      estate.settings,
      prepared.stores,
      [env],
      { operation: `destroy ${component.type}/${component.nickname}` },
      async () => {
        const runtimeBefore = await readParameter(store, runtimeName);
        const result = await prepared.runner.runner.destroy(job);
        let runtimeDeleted = false;
        if (runtimeBefore) {
          await store.deleteParameter(runtimeName);
          runtimeDeleted = true;
        }
        await audit(
          estate,
          {
            action: "destroy",
            status: "ok",
            component: component.id,
            env: env.name,
            inputsDigest: digestInputs(job.inputs as unknown as JsonValue),
            before: runtimeBefore ? { runtime: runtimeBefore.version } : {},
            logPath: relativeLog(estate, job.logFile),
            message: `destroyed${runtimeDeleted ? "; runtime deleted" : ""}${options.force && dependents.length ? ` (forced past ${dependents.map((d) => d.id).join(", ")})` : ""}`,
            details: {
              forcedPast: dependents.map((d) => d.id),
              ...(result.note ? { note: result.note } : {}),
            },
          },
          options,
        );
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
    await audit(
      estate,
      {
        action: "destroy",
        status: "failed",
        component: component.id,
        env: env.name,
        logPath: relativeLog(estate, job.logFile),
        message: failureMessage(error),
        details: failureDetails(error),
      },
      options,
    );
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
  estate: Estate,
  target: ProvisionTarget,
  options: ProvisionHooks = {},
): Promise<OutputsOutcome> {
  const prepared = await prepare(estate, target, "outputs", options);
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
