/**
 * Carrying out an apply plan: publish what Git changed, then deploy wave by wave with the
 * execution status machine (`core/execution`): at most `parallelism` at once; after each
 * component its runtime before and after decide which dependents run (only those consuming a key
 * that changed), which are unaffected and which need attention (pasted copies); fail-fast unless
 * `keepGoing`.
 */
import { relative } from "node:path";
import { messageOf, UserError } from "../../core/errors.js";
import type { Component, Estate, JsonValue } from "../../core/estate/model.js";
import { componentParameterName } from "../../core/estate/paths.js";
import { executionEntries } from "../../core/execution/entries.js";
import { type EntryState, Execution } from "../../core/execution/execution.js";
import { type RuntimeChange, runtimeChanged } from "../../core/execution/propagation.js";
import { parseJsonOrText } from "../../core/json/lenient.js";
import type { StoreIndex } from "../../core/parameters/store-index.js";
import { isParameterStoreError } from "../../ports/parameter-store.js";
import { RunnerFailedError } from "../../ports/runner.js";
import { runHooksOf } from "../provision/types.js";
import { deployComponent } from "../provision.js";
import { publishEstate } from "../publish.js";
import type { Session } from "../session.js";
import type { EnvironmentStores } from "../stores.js";
import { actorOf } from "./actor.js";
import type { ApplyComponentResult, ApplyOptions, ApplyPlan, ApplyResult, ApplyStatus } from "./types.js";

const STATUS_OF = {
  succeeded: "deployed",
  unchanged: "unchanged",
  unaffected: "unaffected",
  attention: "attention",
  skipped: "skipped",
  failed: "failed",
} as const;

/** The current runtime of a component, decrypted and parsed in memory (for comparison only). */
async function readRuntime(
  stores: EnvironmentStores,
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
    return { version: p.version, value: parseJsonOrText(p.value) };
  } catch (error) {
    if (isParameterStoreError(error, "ParameterNotFound")) return undefined;
    throw error;
  }
}

function emptySummary(): Record<ApplyStatus, number> {
  return { deployed: 0, unchanged: 0, unaffected: 0, attention: 0, skipped: 0, failed: 0 };
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
async function unavailableRunners(session: Session, types: Iterable<string>): Promise<Map<string, string>> {
  const reasons = new Map<string, string>();
  for (const type of types) {
    try {
      await session.runner(type);
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      reasons.set(type, error.message);
    }
  }
  return reasons;
}

export interface ExecuteInput {
  session: Session;
  estate: Estate;
  stores: EnvironmentStores;
  indexes: ReadonlyMap<string, StoreIndex>;
  plan: ApplyPlan;
  options: ApplyOptions;
  parallelism: number;
}

/** Publishes, then deploys the plan's entries with the execution status machine; audited. */
export async function executePlan(input: ExecuteInput): Promise<ApplyResult> {
  const { session, estate, stores, indexes, plan, options, parallelism } = input;
  const result: ApplyResult = { plan, confirmed: false, published: [], results: [], summary: emptySummary() };
  const requester = actorOf(options);
  if (plan.entries.length === 0) return { ...result, confirmed: true };
  if (options.confirm && !(await options.confirm(plan))) return result;
  result.confirmed = true;

  const [started] = await session.record({
    action: "apply",
    status: "started",
    ...requester,
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
    const [entry] = await session.record({
      action: "apply",
      status,
      ...requester,
      message,
      details: {
        started: started!.id,
        summary: { ...result.summary },
        published: result.published,
        failed,
        skipped,
      },
    });
    result.auditEntry = entry!.id;
  };

  if (plan.publish.length > 0) {
    try {
      const published = await publishEstate(session, estate, { selector: plan.publish.join(",") });
      result.published = published.published;
      options.onEvent?.({ kind: "published", ids: published.published });
    } catch (error) {
      await finish("failed", `publish failed: ${messageOf(error)}`);
      throw error;
    }
  }

  const members = new Set(plan.entries.map((e) => e.id));
  const execution = new Execution(
    executionEntries(
      plan.report.plan.entries,
      members,
      new Map(plan.entries.filter((e) => e.cause !== undefined).map((e) => [e.id, e.cause!])),
    ),
    { parallelism, keepGoing: options.keepGoing === true },
  );
  const reported = new Set<string>();
  const report = () => {
    for (const state of execution.snapshot()) {
      if (
        reported.has(state.id) ||
        !["succeeded", "unchanged", "unaffected", "attention", "skipped", "failed"].includes(state.status)
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
    ? await unavailableRunners(session, new Set(plan.entries.map((e) => byId.get(e.id)!.type)))
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
      const outcome = await deployComponent(
        session,
        estate,
        { env: component.env, type: component.type, nickname: component.nickname },
        runHooksOf(options),
      );
      const after = await readRuntime(stores, indexes, component);
      const runtime: RuntimeChange = {
        ...(before ? { before: before.value } : {}),
        ...(after ? { after: after.value } : {}),
      };
      // a runtime rewritten only to record the producer versions it read changes nothing deployed
      const changed = outcome.plan.summary.hasChanges || runtimeChanged(runtime);
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
    `${s.deployed} deployed, ${s.unchanged} unchanged, ${s.unaffected} unaffected, ${s.attention} need attention, ${s.skipped} skipped, ${s.failed} failed`,
  );
  return result;
}
