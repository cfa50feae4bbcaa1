/**
 * `karma apply`: bring the selected part of the estate to what Git says, in dependency order.
 *
 * 1. Lock every environment the run writes to (name order), so two applies never interleave.
 * 2. Plan: the targets (unpublished, never-deployed, undeployed, stale, left over by the previous
 *    apply — see `core/execution/targets.ts`) and their transitive dependents, in deploy waves,
 *    with policy verdicts in apply mode (violations stop the run unless approved).
 * 3. Publish the targets whose Git config is not published.
 * 4. Deploy with the execution status machine (`core/execution`): at most `parallelism` at once;
 *    after each component its runtime before and after decide which dependents run (only those
 *    consuming a key that changed) and which are unaffected; fail-fast unless `keepGoing`.
 * 5. Audit the start and the end (with what failed and was skipped: the next apply resumes there).
 */
import { relative } from "node:path";
import { openAuditLog } from "../adapters/audit/factory.js";
import { changedFiles } from "../adapters/git/changed-files.js";
import { currentActor } from "../adapters/git/provenance.js";
import { runnerForType } from "../adapters/runners/factory.js";
import { diffJsonKeys } from "../core/audit/json-changes.js";
import { messageOf, UserError } from "../core/errors.js";
import type { Component, Estate, JsonObject, JsonValue, ProjectSettings } from "../core/estate/model.js";
import { executionEntries } from "../core/execution/entries.js";
import { type EntryState, Execution } from "../core/execution/execution.js";
import type { RuntimeChange } from "../core/execution/propagation.js";
import { applyTargets, type PreviousApply } from "../core/execution/targets.js";
import { envOfId, formatComponentId } from "../core/ids.js";
import { componentParameterName } from "../core/parameters/names.js";
import type { StoreIndex } from "../core/parameters/store-index.js";
import { computeChangePlan, type PlanEdge } from "../core/planning/compute-plan.js";
import type { ChangePlan, ChangeReason } from "../core/planning/model.js";
import { blockingVerdicts } from "../core/policies/evaluate.js";
import type { Verdict } from "../core/policies/model.js";
import { readPolicies } from "../core/policies/settings.js";
import { componentsTouchedBy, type Touched } from "../core/selectors/changed.js";
import { computeStatus } from "../core/status/compute-status.js";
import type { AuditLog } from "../ports/audit-log.js";
import { isParameterStoreError } from "../ports/parameter-store.js";
import { RunnerFailedError } from "../ports/runner.js";
import { withCliSession } from "./legacy-session.js";
import type { ProvisionHooks } from "./provision/types.js";
import { deployComponent } from "./provision.js";
import { assertStoreServes, assertValid, publishEstate, universeOf } from "./publish.js";
import { resolveSelection } from "./selection.js";
import { readStaleConsumers } from "./stale-consumers.js";
import { type OpenStores, openStores, withEnvironmentLocks } from "./stores.js";

export const DEFAULT_PARALLELISM = 4;

export interface ApplyOptions extends Pick<ProvisionHooks, "signal" | "onProgress" | "onWarning"> {
  /** Which components (selector language); all when omitted. */
  selector?: string;
  /** Only components touched since this git revision, plus those whose type's module or schema changed. */
  since?: string;
  /** Components deploying at once (default 4). */
  parallelism?: number;
  /** Continue past failures with everything that does not depend on them. */
  keepGoing?: boolean;
  /** `--approve`: lets approvable policy rules (protected, blast radius) pass. */
  approve?: boolean;
  /** How long to wait for each environment lock, in ms (default 0: fail at once naming the holder). */
  lockWait?: number;
  /** Shown the plan before anything is written; resolve false to stop. Absent = proceed. */
  confirm?: (plan: ApplyPlan) => Promise<boolean>;
  /** Progress: each component as it starts and ends. */
  onEvent?: (event: ApplyEvent) => void;
  /**
   * Skip (with the reason) components whose runner is not installed here, instead of failing
   * them; only consumers of their values are skipped with them. For the demo, which must run on
   * machines without Terraform.
   */
  skipUnavailableRunners?: boolean;
}

export interface ApplyPlanEntry {
  id: string;
  wave: number;
  /** Why it runs on its own; absent for components in the run only as dependents. */
  cause?: string;
  /** For dependents: the shortest path from a target. */
  path?: string[];
}

export interface ApplyPlan {
  /** Sorted by wave, then id. */
  entries: ApplyPlanEntry[];
  waves: string[][];
  /** Targets whose Git config gets published first. */
  publish: string[];
  /** Dependents of targets that the selector leaves out: not run (they may turn stale). */
  outsideSelection: string[];
  verdicts: Verdict[];
  /** The change plan (`core/planning`) the entries came from. */
  change: ChangePlan;
}

export type ApplyStatus = "deployed" | "unchanged" | "unaffected" | "skipped" | "failed";

export interface ApplyComponentResult {
  id: string;
  wave: number;
  status: ApplyStatus;
  /** Why it ran, was skipped or unaffected, or how it failed. Keys and versions only, never values. */
  reason?: string;
  /** The run's log, relative to the estate root. */
  logFile?: string;
  runtimeVersion?: number;
}

export type ApplyEvent =
  | { kind: "published"; ids: string[] }
  | { kind: "started"; id: string; wave: number; reason?: string }
  | { kind: "ended"; result: ApplyComponentResult };

export interface ApplyResult {
  plan: ApplyPlan;
  /** False when the plan was not confirmed: nothing was written. */
  confirmed: boolean;
  published: string[];
  /** In start order (wave, then id). */
  results: ApplyComponentResult[];
  summary: Record<ApplyStatus, number>;
  /** Audit entry of the apply's end. */
  auditEntry?: number;
}

const STATUS_OF = {
  succeeded: "deployed",
  unchanged: "unchanged",
  unaffected: "unaffected",
  skipped: "skipped",
  failed: "failed",
} as const;

function parseValue(text: string): JsonValue {
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return text;
  }
}

/** The current runtime of a component, decrypted and parsed in memory (for comparison only). */
async function readRuntime(
  stores: OpenStores,
  indexes: ReadonlyMap<string, StoreIndex>,
  component: Component,
): Promise<{ version: number; value: JsonValue } | undefined> {
  const prefix = indexes.get(component.env)?.prefix;
  if (prefix === undefined) return undefined;
  try {
    const p = await stores
      .get(component.env)
      .getParameter(componentParameterName(prefix, component.type, component.nickname, "runtime"), {
        withDecryption: true,
      });
    return { version: p.version, value: parseValue(p.value) };
  } catch (error) {
    if (isParameterStoreError(error, "ParameterNotFound")) return undefined;
    throw error;
  }
}

/** Dependency edges of the estate as the planner wants them: `depends_on` per reference, `consumes` per `$ref`. */
function planEdges(components: readonly Component[]): PlanEdge[] {
  const edges: PlanEdge[] = [];
  for (const c of components)
    for (const r of c.references) {
      if (r.external) continue;
      const to = formatComponentId(r.target);
      if (to === c.id) continue;
      edges.push({ from: c.id, to, kind: "depends_on", evidence: { form: r.form, pointer: r.pointer } });
      if (r.form === "ref")
        edges.push({
          from: c.id,
          to,
          kind: "consumes",
          evidence: { form: r.form, pointer: r.pointer, producerKey: r.key ?? "" },
        });
    }
  return edges;
}

async function previousApply(audit: AuditLog): Promise<PreviousApply | undefined> {
  // the last apply that ran (refusals and start markers change nothing)
  const [last] = (await audit.query({ action: "apply", limit: 50 })).filter(
    (e) => e.status === "ok" || e.status === "failed",
  );
  if (last?.status !== "failed") return undefined;
  const list = (v: JsonValue | undefined) =>
    Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
  return { entry: last.id, failed: list(last.details.failed), skipped: list(last.details.skipped) };
}

async function touchedSince(estate: Estate, ref: string): Promise<Touched[]> {
  const { settings } = estate;
  const files = await changedFiles(ref, settings.root);
  const types = new Map<string, { schema?: string; module?: string }>();
  for (const type of new Set([...Object.keys(settings.types), ...estate.components.map((c) => c.type)])) {
    const declared = settings.types[type];
    types.set(type, {
      schema: declared?.schema ?? `${settings.paths.types}/${type}/schema.json`,
      module: declared?.module ?? `${settings.paths.types}/${type}`,
    });
  }
  return componentsTouchedBy(files, { components: estate.components, types });
}

/** Reads the stores and computes the plan. Pure apart from the reads. */
async function planApply(
  estate: Estate,
  stores: OpenStores,
  options: ApplyOptions,
  audit: AuditLog,
): Promise<{ plan: ApplyPlan; indexes: Map<string, StoreIndex> }> {
  const indexes = await stores.readIndexes();
  for (const index of indexes.values()) assertStoreServes(index);
  const select = await resolveSelection(estate.settings, options.selector, universeOf(estate, indexes));
  const selected = estate.components.filter(select);
  const stale = await readStaleConsumers(selected, stores, indexes);
  const status = computeStatus(selected, indexes, select, stale);
  const causes = applyTargets({
    statuses: status.components.filter((s) => s.state !== "orphaned"),
    ...(options.since !== undefined
      ? { since: { ref: options.since, touched: await touchedSince(estate, options.since) } }
      : {}),
    ...(await previousApply(audit).then((p) => (p ? { previous: p } : {}))),
  });

  const byId = new Map(estate.components.map((c) => [c.id, c]));
  const statusById = new Map(status.components.map((s) => [s.id, s]));
  const reasons: ChangeReason[] = [];
  const publish: string[] = [];
  for (const [id, cause] of causes) {
    const s = statusById.get(id)!;
    const component = byId.get(id)!;
    if (s.state === "unpublished") {
      publish.push(id);
      const stored = indexes.get(s.env)?.components.get(`${s.type}/${s.nickname}`)?.config;
      const before = stored ? (parseValue(stored.value) as JsonObject) : undefined;
      reasons.push({
        kind: "config",
        id,
        file: component.file,
        status: before ? "modified" : "added",
        keys: diffJsonKeys(before, component.config),
      });
    } else {
      reasons.push({
        kind: "undeployed",
        id,
        ...(s.configVersion !== undefined ? { configVersion: s.configVersion } : {}),
        ...(s.deployedConfigVersion !== undefined ? { deployedConfigVersion: s.deployedConfigVersion } : {}),
        detail: cause,
      });
    }
  }
  const change = computeChangePlan({
    base: { kind: "published" },
    graph: { kind: "working-tree" },
    reasons,
    edges: planEdges(estate.components),
    nodes: estate.components.map((c) => c.id),
    policies: readPolicies(estate.settings.policies),
    mode: "apply",
    approved: options.approve === true,
    subjects: new Map(
      [...causes.keys()].map((id) => {
        const c = byId.get(id)!;
        return [
          id,
          { id, env: c.env, type: c.type, nickname: c.nickname, config: c.config, references: c.references },
        ];
      }),
    ),
  });
  const inRun = change.entries.filter((e) => statusById.has(e.id));
  const entries: ApplyPlanEntry[] = inRun
    .map((e) => ({
      id: e.id,
      wave: e.wave,
      ...(causes.has(e.id) ? { cause: causes.get(e.id)! } : {}),
      ...(e.kind === "dependent" ? { path: e.path } : {}),
    }))
    .sort((a, b) => a.wave - b.wave || (a.id < b.id ? -1 : 1));
  // waves of the run (dependents outside the selection may leave some of the plan's empty)
  const waveNumbers = [...new Set(entries.map((e) => e.wave))].sort((a, b) => a - b);
  for (const e of entries) e.wave = waveNumbers.indexOf(e.wave);
  const waves = waveNumbers.map((_, i) => entries.filter((e) => e.wave === i).map((e) => e.id));
  return {
    indexes,
    plan: {
      entries,
      waves,
      publish: publish.sort(),
      outsideSelection: change.entries.filter((e) => !statusById.has(e.id)).map((e) => e.id),
      verdicts: change.verdicts,
      change,
    },
  };
}

function policyRefusal(blocking: readonly Verdict[]): UserError {
  const lines = blocking.map((v) => `  ${v.rule}: ${v.message} (${v.components.join(", ")})`);
  return new UserError(
    `apply refused by policy:\n${lines.join("\n")}`,
    [...new Set(blocking.map((v) => v.fix))].join("; "),
  );
}

function emptySummary(): Record<ApplyStatus, number> {
  return { deployed: 0, unchanged: 0, unaffected: 0, skipped: 0, failed: 0 };
}

function failureOf(error: unknown, root: string): { reason: string; logFile?: string } {
  if (error instanceof RunnerFailedError) {
    const tool = error.toolMessage
      .split("\n")
      .filter((l) => l.trim())
      .slice(0, 3)
      .join(" | ");
    return {
      reason: `${error.step} ${error.reason}${tool ? `: ${tool}` : ""}`,
      logFile: relative(root, error.logFile),
    };
  }
  const message = messageOf(error);
  return { reason: message.split("\n").slice(0, 3).join(" | ") };
}

/** Why each type's runner cannot run here (e.g. no Terraform), checked once per type. */
async function unavailableRunners(
  settings: ProjectSettings,
  types: Iterable<string>,
): Promise<Map<string, string>> {
  const reasons = new Map<string, string>();
  for (const type of types) {
    try {
      await runnerForType(settings, type);
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      reasons.set(type, error.message);
    }
  }
  return reasons;
}

export async function applyEstate(estate: Estate, options: ApplyOptions = {}): Promise<ApplyResult> {
  assertValid(estate);
  const { settings } = estate;
  const parallelism = options.parallelism ?? DEFAULT_PARALLELISM;
  if (!Number.isInteger(parallelism) || parallelism < 1)
    throw new UserError(
      `--parallelism must be a whole number ≥ 1, got ${parallelism}`,
      "pass e.g. --parallelism 4",
    );
  const stores = await openStores(settings, settings.environments);
  const audit = openAuditLog(settings);
  try {
    // a first look, unlocked, tells which environments the run writes to; the plan that runs is
    // made again under the locks, so nothing another writer did in between is missed
    const preview = await planApply(estate, stores, options, audit);
    const envNames = new Set(preview.plan.entries.map((e) => envOfId(e.id)));
    const envs = settings.environments.filter((e) => envNames.has(e.name));
    const run = async () => {
      const { plan, indexes } = envs.length ? await planApply(estate, stores, options, audit) : preview;
      const outside = plan.entries.find((e) => !envNames.has(envOfId(e.id)));
      if (outside)
        throw new UserError(
          `the estate changed while waiting for the lock: ${outside.id} now needs applying too`,
          "run karma apply again",
        );
      return execute(estate, stores, indexes, plan, options, audit, parallelism);
    };
    if (envs.length === 0) return await run();
    return await withEnvironmentLocks(
      settings,
      stores,
      envs,
      { operation: "apply", wait: options.lockWait ?? 0 },
      run,
    );
  } finally {
    await audit.close();
    await stores.close();
  }
}

async function execute(
  estate: Estate,
  stores: OpenStores,
  indexes: ReadonlyMap<string, StoreIndex>,
  plan: ApplyPlan,
  options: ApplyOptions,
  audit: AuditLog,
  parallelism: number,
): Promise<ApplyResult> {
  const result: ApplyResult = { plan, confirmed: false, published: [], results: [], summary: emptySummary() };
  const actor = currentActor();
  const blocking = blockingVerdicts(plan.verdicts);
  if (blocking.length > 0) {
    await audit.append({
      action: "apply",
      status: "refused",
      actor,
      source: "cli",
      message: `refused by policy: ${blocking.map((v) => v.rule).join(", ")}`,
      details: {
        verdicts: blocking.map((v) => ({ rule: v.rule, components: v.components, message: v.message })),
      },
    });
    throw policyRefusal(blocking);
  }
  if (plan.entries.length === 0) return { ...result, confirmed: true };
  if (options.confirm && !(await options.confirm(plan))) return result;
  result.confirmed = true;

  const started = await audit.append({
    action: "apply",
    status: "started",
    actor,
    source: "cli",
    message: `apply of ${plan.entries.length} component(s) in ${plan.waves.length} wave(s)`,
    details: {
      targets: plan.entries.filter((e) => e.cause !== undefined).map((e) => e.id),
      dependents: plan.entries.filter((e) => e.cause === undefined).map((e) => e.id),
      parallelism,
      keepGoing: options.keepGoing === true,
    },
  });

  const byId = new Map(estate.components.map((c) => [c.id, c]));
  const finish = async (status: "ok" | "failed", message: string) => {
    const failed = result.results.filter((r) => r.status === "failed").map((r) => r.id);
    const skipped = result.results.filter((r) => r.status === "skipped").map((r) => r.id);
    const entry = await audit.append({
      action: "apply",
      status,
      actor,
      source: "cli",
      message,
      details: {
        started: started.id,
        summary: { ...result.summary },
        published: result.published,
        failed,
        skipped,
      },
    });
    result.auditEntry = entry.id;
  };

  if (plan.publish.length > 0) {
    try {
      const published = await withCliSession(estate.settings, (session) =>
        publishEstate(session, estate, { selector: plan.publish.join(",") }),
      );
      result.published = published.published;
      options.onEvent?.({ kind: "published", ids: published.published });
    } catch (error) {
      await finish("failed", `publish failed: ${messageOf(error)}`);
      throw error;
    }
  }

  const execution = new Execution(
    executionEntries({
      components: plan.entries.map((e) => byId.get(e.id)!),
      waves: plan.waves,
      causes: new Map(plan.entries.filter((e) => e.cause !== undefined).map((e) => [e.id, e.cause!])),
    }),
    { parallelism, keepGoing: options.keepGoing === true },
  );
  const reported = new Set<string>();
  const report = () => {
    for (const state of execution.snapshot()) {
      if (
        reported.has(state.id) ||
        !["succeeded", "unchanged", "unaffected", "skipped", "failed"].includes(state.status)
      )
        continue;
      reported.add(state.id);
      const extra = details.get(state.id);
      const r: ApplyComponentResult = {
        id: state.id,
        wave: state.wave,
        status: STATUS_OF[state.status as keyof typeof STATUS_OF],
        ...(state.reason !== undefined ? { reason: state.reason } : {}),
        ...extra,
      };
      result.results.push(r);
      result.summary[r.status]++;
      options.onEvent?.({ kind: "ended", result: r });
    }
  };
  const details = new Map<string, Pick<ApplyComponentResult, "logFile" | "runtimeVersion">>();
  const unavailable = options.skipUnavailableRunners
    ? await unavailableRunners(estate.settings, new Set(plan.entries.map((e) => byId.get(e.id)!.type)))
    : new Map<string, string>();
  const deployOne = async (state: EntryState): Promise<void> => {
    const component = byId.get(state.id)!;
    const cannotRun = unavailable.get(component.type);
    if (cannotRun !== undefined) {
      execution.complete(state.id, { status: "skipped", reason: cannotRun });
      return;
    }
    options.onEvent?.({
      kind: "started",
      id: state.id,
      wave: state.wave,
      ...(state.reason ? { reason: state.reason } : {}),
    });
    try {
      const before = await readRuntime(stores, indexes, component);
      const outcome = await withCliSession(estate.settings, (session) =>
        deployComponent(
          session,
          estate,
          { env: component.env, type: component.type, nickname: component.nickname },
          {
            ...(options.signal ? { signal: options.signal } : {}),
            ...(options.onProgress ? { onProgress: options.onProgress } : {}),
            ...(options.onWarning ? { onWarning: options.onWarning } : {}),
          },
        ),
      );
      const after = await readRuntime(stores, indexes, component);
      const runtime: RuntimeChange = {
        ...(before ? { before: before.value } : {}),
        ...(after ? { after: after.value } : {}),
      };
      const changed = outcome.plan.summary.hasChanges || outcome.runtime?.kind !== "unchanged";
      if (outcome.contractViolations.length > 0) {
        // a finding on the producer: its consumers are not redeployed from a runtime that breaks its contract
        execution.complete(state.id, {
          status: "failed",
          reason: `runtime v${outcome.runtime?.version} breaks its output contract: ${outcome.contractViolations.map((p) => p.message.replace(/^the runtime of \S+ breaks its output contract: /, "")).join("; ")}`,
        });
        return;
      }
      details.set(state.id, {
        logFile: relative(estate.settings.root, outcome.logFile),
        ...(outcome.runtime ? { runtimeVersion: outcome.runtime.version } : {}),
      });
      execution.complete(state.id, {
        status: changed ? "succeeded" : "unchanged",
        runtime,
        detail: `${state.reason ? `${state.reason}; ` : ""}runtime ${outcome.runtime?.kind ?? "unchanged"}${outcome.runtime ? ` (v${outcome.runtime.version})` : ""}`,
      });
    } catch (error) {
      const failure = failureOf(error, estate.settings.root);
      if (failure.logFile) details.set(state.id, { logFile: failure.logFile });
      execution.complete(state.id, { status: "failed", reason: failure.reason });
    }
  };

  // the scheduling loop: start what the machine says, wait for any to end, repeat
  const running = new Map<string, Promise<void>>();
  const onAbort = () => execution.stop("interrupted");
  options.signal?.addEventListener("abort", onAbort, { once: true });
  try {
    if (options.signal?.aborted) execution.stop("interrupted");
    for (;;) {
      for (const state of execution.next()) {
        const done = deployOne(state).finally(() => running.delete(state.id));
        running.set(state.id, done);
      }
      report();
      if (running.size === 0) break;
      await Promise.race(running.values());
    }
  } finally {
    options.signal?.removeEventListener("abort", onAbort);
    await Promise.allSettled(running.values());
  }
  report();
  const s = result.summary;
  const failed = s.failed > 0 || (s.skipped > 0 && options.signal?.aborted === true);
  await finish(
    failed ? "failed" : "ok",
    `${s.deployed} deployed, ${s.unchanged} unchanged, ${s.unaffected} unaffected, ${s.skipped} skipped, ${s.failed} failed`,
  );
  return result;
}
