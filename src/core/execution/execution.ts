/**
 * Execution of a deploy run as a status machine per component (Terragrunt's queue, Terraform's
 * walk): the caller asks `next()` which components to start, runs them, and reports each end
 * with `complete()`. The machine decides everything else — without I/O, so every decision is
 * testable on literals:
 *
 *   pending ─┬─> ready ──> running ──> succeeded | unchanged | failed | skipped (could not run)
 *            ├─> skipped     (a dependency failed or was skipped; or fail-fast stopped the run)
 *            ├─> unaffected  (in the run only as a dependent, and no producer change reached it)
 *            └─> attention   (only a pasted copy of a changed producer value reached it: a redeploy
 *                             cannot take the new value, a person must — see `propagation.ts`)
 *
 * A component is decided once every dependency in the run has ended. A component in the run for
 * its own cause (unpublished, undeployed, stale, …) becomes ready; one that is only a dependent
 * becomes ready when the propagation rule (`propagation.ts`) says a producer change reaches it,
 * else it is unaffected. Dependents of a failure are skipped, never errored again. Fail-fast
 * (the default) starts nothing new after the first failure and lets running components finish;
 * keep-going runs everything that does not depend on a failure. At most `parallelism`
 * components run at once; ready components start in wave order, then by id.
 */
import { decidePropagation, type ProducerInput, type RuntimeChange } from "./propagation.js";

export const EXECUTION_STATUSES = [
  "pending",
  "ready",
  "running",
  "succeeded",
  "unchanged",
  "failed",
  "skipped",
  "unaffected",
  "attention",
] as const;
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];

const ENDED: ReadonlySet<ExecutionStatus> = new Set([
  "succeeded",
  "unchanged",
  "failed",
  "skipped",
  "unaffected",
  "attention",
]);
/** Ended without producing what dependents need. */
const NOT_DONE: ReadonlySet<ExecutionStatus> = new Set(["failed", "skipped"]);

export function isEnded(status: ExecutionStatus): boolean {
  return ENDED.has(status);
}

export interface ExecutionEntry {
  /** `env:type/nickname` */
  id: string;
  /** Wave index in the run's deploy order (start order among ready components). */
  wave: number;
  /** Members of the run this one depends on (any reference form). */
  dependencies: readonly string[];
  /** What it takes from each producer, for the propagation rule. */
  inputs: readonly ProducerInput[];
  /** Why it is in the run on its own (e.g. "unpublished: Git differs from v3"); absent = only as a dependent. */
  cause?: string;
}

export interface ExecutionOptions {
  /** Components running at once (≥ 1). */
  parallelism: number;
  /** Continue with everything that does not depend on a failure (default: stop starting new work). */
  keepGoing: boolean;
}

export type Completion =
  | {
      status: "succeeded" | "unchanged";
      /** The component's runtime before and after its deploy, for its dependents. */
      runtime: RuntimeChange;
      detail?: string;
    }
  | { status: "failed"; reason: string }
  /**
   * Could not run here (its runner is not installed). Not a failure: the run goes on, and only
   * dependents that need its runtime values (`$ref` keys) are skipped with it.
   */
  | { status: "skipped"; reason: string };

export interface EntryState {
  id: string;
  wave: number;
  status: ExecutionStatus;
  /** Why it ran, was skipped or was unaffected, or how it failed. */
  reason?: string;
}

export class Execution {
  private readonly entries: ReadonlyMap<string, ExecutionEntry>;
  private readonly order: readonly string[];
  private readonly states = new Map<string, EntryState>();
  private readonly runtimes = new Map<string, RuntimeChange>();
  private firstFailure: string | undefined;
  /** Completed as skipped (could not run here), as opposed to skipped because of a failure. */
  private readonly couldNotRun = new Set<string>();
  private stopReason: string | undefined;

  constructor(
    entries: readonly ExecutionEntry[],
    private readonly options: ExecutionOptions,
  ) {
    if (!(options.parallelism >= 1))
      throw new RangeError(`parallelism must be ≥ 1, got ${options.parallelism}`);
    const byId = new Map<string, ExecutionEntry>();
    for (const entry of entries) {
      if (byId.has(entry.id)) throw new Error(`duplicate execution entry ${entry.id}`);
      byId.set(entry.id, entry);
    }
    this.entries = byId;
    this.order = [...byId.values()]
      .sort((a, b) => a.wave - b.wave || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((e) => e.id);
    for (const id of this.order) this.states.set(id, { id, wave: byId.get(id)!.wave, status: "pending" });
  }

  /** True once every component has ended. */
  get finished(): boolean {
    return this.order.every((id) => isEnded(this.status(id)));
  }

  /** True when a failure stopped the run from starting new work (fail-fast). */
  get halted(): boolean {
    return this.stopReason !== undefined || (this.firstFailure !== undefined && !this.options.keepGoing);
  }

  /** Starts nothing new from now on (e.g. interrupted); what is running may finish. */
  stop(reason: string): void {
    this.stopReason ??= reason;
  }

  status(id: string): ExecutionStatus {
    const state = this.states.get(id);
    if (!state) throw new Error(`unknown execution entry ${id}`);
    return state.status;
  }

  /** Every component's state, in start order (wave, then id). */
  snapshot(): EntryState[] {
    return this.order.map((id) => ({ ...this.states.get(id)! }));
  }

  /**
   * Decides every component that can be decided now, then marks the ready ones that fit in the
   * free slots as running and returns them (in start order). Call again after each `complete`.
   */
  next(): EntryState[] {
    this.settle();
    const running = this.order.filter((id) => this.status(id) === "running").length;
    let free = this.options.parallelism - running;
    const started: EntryState[] = [];
    for (const id of this.order) {
      if (free <= 0) break;
      const state = this.states.get(id)!;
      if (state.status !== "ready") continue;
      state.status = "running";
      started.push({ ...state });
      free--;
    }
    // nothing can move: what is left waits on itself (a cycle the caller did not take out)
    if (started.length === 0 && running === 0) {
      for (const id of this.order) {
        const state = this.states.get(id)!;
        if (state.status === "pending") {
          state.status = "skipped";
          state.reason = "never became ready: on or behind a dependency cycle";
        }
      }
    }
    return started;
  }

  /** Records how a running component ended. */
  complete(id: string, completion: Completion): void {
    const state = this.states.get(id);
    if (!state) throw new Error(`unknown execution entry ${id}`);
    if (state.status !== "running") throw new Error(`${id} is ${state.status}, not running`);
    state.status = completion.status;
    if (completion.status === "failed") {
      state.reason = completion.reason;
      this.firstFailure ??= id;
    } else if (completion.status === "skipped") {
      state.reason = completion.reason;
      this.couldNotRun.add(id);
    } else {
      this.runtimes.set(id, completion.runtime);
      if (completion.detail !== undefined) state.reason = completion.detail;
    }
  }

  /** Moves pending components whose dependencies have all ended to ready, skipped or unaffected. */
  private settle(): void {
    if (this.halted)
      for (const state of this.states.values())
        if (state.status === "ready") {
          state.status = "skipped";
          state.reason = this.haltReason();
        }
    for (let changed = true; changed; ) {
      changed = false;
      for (const id of this.order) {
        const state = this.states.get(id)!;
        if (state.status !== "pending") continue;
        const entry = this.entries.get(id)!;
        const deps = entry.dependencies.filter((d) => this.entries.has(d) && d !== id);
        // decided once its dependencies have ended; after a fail-fast halt they end as skipped
        // in wave order within this same loop, so the whole rest of the run settles at once
        if (!deps.every((d) => isEnded(this.status(d)))) continue;
        const decision = this.decide(entry, deps);
        state.status = decision.status;
        state.reason = decision.reason;
        // skipped only because producers could not run here: it could not run either
        if (decision.status === "skipped" && decision.blockedBy?.every((d) => this.couldNotRun.has(d)))
          this.couldNotRun.add(id);
        changed = true;
      }
    }
  }

  private haltReason(): string {
    if (this.stopReason !== undefined) return `not started: ${this.stopReason}`;
    return `not started: the run stopped after ${this.firstFailure} failed (use --keep-going to continue past failures)`;
  }

  private decide(
    entry: ExecutionEntry,
    deps: readonly string[],
  ): { status: "ready" | "skipped" | "unaffected" | "attention"; reason: string; blockedBy?: string[] } {
    // a producer that could not run blocks only consumers of its runtime values; the others
    // only needed it to go first
    const needsValues = (d: string) => entry.inputs.some((i) => i.producer === d && i.keys.length > 0);
    const notDone = deps
      .filter((d) => NOT_DONE.has(this.status(d)) && (!this.couldNotRun.has(d) || needsValues(d)))
      .sort();
    if (notDone.length > 0) {
      const failed = notDone.filter((d) => this.status(d) === "failed");
      return {
        status: "skipped",
        blockedBy: notDone,
        reason: failed.length
          ? `depends on ${failed.join(", ")}, which failed`
          : `depends on ${notDone.join(", ")}, which was skipped`,
      };
    }
    if (this.halted) return { status: "skipped", reason: this.haltReason() };
    if (entry.cause !== undefined) return { status: "ready", reason: entry.cause };
    const reasons: string[] = [];
    const unaffected: string[] = [];
    const attention: string[] = [];
    for (const input of entry.inputs) {
      const runtime = this.runtimes.get(input.producer);
      if (!runtime) continue; // not in the run, or ended without deploying: nothing new to take
      const decision = decidePropagation(input, runtime);
      if (decision.attention !== undefined) attention.push(decision.attention);
      if (decision.redeploy) reasons.push(decision.why);
      else unaffected.push(decision.why);
    }
    const pasted = attention.length
      ? `${attention.join("; ")}: a redeploy cannot take the new value; make it a $ref (karma refs adopt ${entry.id})`
      : undefined;
    if (reasons.length > 0)
      return { status: "ready", reason: [...reasons, ...(pasted ? [pasted] : [])].join("; ") };
    if (pasted) return { status: "attention", reason: `needs attention: ${pasted}` };
    return {
      status: "unaffected",
      reason: unaffected.length ? `unaffected: ${unaffected.join("; ")}` : "unaffected: no producer changed",
    };
  }
}
