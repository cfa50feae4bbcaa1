/**
 * `karma log diff`: what changed between two times — which config and runtime parameters got new
 * versions (and which keys of their JSON changed), how the graph moved, and what the audit log
 * recorded in between.
 *
 * Pure: the caller reads the parameter histories (GetParameterHistory gives each version's
 * LastModifiedDate), the audit entries and, when a graph store is available, the graph versions
 * and their diff. Values are only used to name changed keys; no value is ever part of the result,
 * and SecureString values are never even looked at.
 *
 * The window is (before, after]: the state "at before" includes everything written at or before
 * that instant; a change counts when it was written after `before` and at or before `after`.
 */

import { UserError } from "../errors.js";
import type { GraphDiff } from "../graph/diff.js";
import { isEmptyDiff } from "../graph/diff.js";
import { tryParseJson } from "../json/lenient.js";
import type { AuditEntry } from "./entry.js";
import { diffJsonKeys, type KeyChanges } from "./json-changes.js";

export type ParameterKind = "config" | "runtime";

/** One version of a parameter as the history reports it. */
export interface ParameterVersionRecord {
  version: number;
  modifiedAt: Date;
  /** SecureString: the value is never read, only that it changed. */
  secure: boolean;
  /** The value (absent for SecureString). */
  value?: string;
}

/** The versions of one component parameter, as far as the store still keeps them. */
export interface ParameterTimeline {
  env: string;
  /** `env:type/nickname` */
  component: string;
  kind: ParameterKind;
  name: string;
  /**
   * Any order. Must include every version written within the window and the one in effect at
   * `before` (if the store still keeps it).
   */
  versions: ParameterVersionRecord[];
}

export interface GraphVersionStamp {
  version: number;
  /** ISO timestamp the version became ready. */
  createdAt: string;
}

/** What the graph store says about the window. */
export interface GraphWindow {
  beforeVersion: number | null;
  afterVersion: number | null;
  /** Null when the versions are equal or one side has no graph. */
  diff: GraphDiff | null;
}

export interface LogDiffInput {
  before: Date;
  after: Date;
  timelines: readonly ParameterTimeline[];
  /** Audit entries; only those inside the window are used. */
  entries: readonly AuditEntry[];
  /** From the graph store, when one is configured; otherwise graph builds come from the audit log. */
  graph?: GraphWindow;
}

export interface VersionStamp {
  version: number;
  modifiedAt: string;
}

export interface ParameterChange {
  env: string;
  component: string;
  kind: ParameterKind;
  name: string;
  /** `created`: no version existed at `before`; `updated`: a newer version replaced it. */
  change: "created" | "updated";
  /** Version in effect at `before`; null when there was none (or the store no longer keeps it). */
  before: VersionStamp | null;
  after: VersionStamp;
  /** How many versions were written within the window. */
  versionsWritten: number;
  secure: boolean;
  /** Changed keys as JSON pointers; null when they cannot be told (SecureString, not JSON, history lost). */
  keys: KeyChanges | null;
  /** Why `keys` is null, when it is. */
  note?: string;
}

export type GraphChange =
  | ({ source: "graph-store" } & GraphWindow)
  | {
      source: "audit-log";
      /** Why there is no structural diff. */
      note: string;
      /** Graph builds the audit log recorded within the window, oldest first. */
      builds: Array<{ id: number; timestamp: string; status: string; actor: string; version?: number }>;
    };

/**
 * Taking and releasing a lock around a write is audited but changes nothing: a diff leaves it
 * out. A forced release (someone else's lock removed) stays.
 */
function isLockBookkeeping(entry: AuditEntry): boolean {
  return (
    entry.action === "lock_acquire" || (entry.action === "lock_release" && entry.details.forced !== true)
  );
}

export interface LogDiff {
  window: { before: string; after: string };
  /** Sorted by component, then kind (config before runtime). */
  parameters: ParameterChange[];
  graph: GraphChange;
  /** Audit entries within the window, oldest first (without lock bookkeeping). */
  activity: AuditEntry[];
  summary: { configChanges: number; runtimeChanges: number; graphChanged: boolean; entries: number };
}

/** The version in effect at `at`: the highest one written at or before it. */
export function versionAt<T extends { version: number }>(
  versions: readonly T[],
  at: Date,
  writtenAt: (v: T) => Date,
): T | undefined {
  let best: T | undefined;
  for (const v of versions)
    if (writtenAt(v).getTime() <= at.getTime() && (best === undefined || v.version > best.version)) best = v;
  return best;
}

/** The graph version in effect at `at`, or null when none had been built. */
export function graphVersionAt(versions: readonly GraphVersionStamp[], at: Date): number | null {
  return versionAt(versions, at, (v) => new Date(v.createdAt))?.version ?? null;
}

function stamp(record: ParameterVersionRecord): VersionStamp {
  return { version: record.version, modifiedAt: record.modifiedAt.toISOString() };
}

function inWindow(at: Date, before: Date, after: Date): boolean {
  return at.getTime() > before.getTime() && at.getTime() <= after.getTime();
}

function parameterChange(
  timeline: ParameterTimeline,
  before: Date,
  after: Date,
): ParameterChange | undefined {
  const modified = (v: ParameterVersionRecord) => v.modifiedAt;
  const atAfter = versionAt(timeline.versions, after, modified);
  const atBefore = versionAt(timeline.versions, before, modified);
  if (atAfter === undefined || atAfter.version === atBefore?.version) return undefined;
  const written = timeline.versions.filter((v) => inWindow(v.modifiedAt, before, after)).length;
  const oldestKept = Math.min(...timeline.versions.map((v) => v.version));
  // No version at `before` but the history starts above 1: older versions were dropped, so we
  // cannot tell "created" from "updated" nor which keys changed.
  const historyLost = atBefore === undefined && oldestKept > 1;
  const secure = atAfter.secure || atBefore?.secure === true;
  const base = {
    env: timeline.env,
    component: timeline.component,
    kind: timeline.kind,
    name: timeline.name,
    change: atBefore === undefined && !historyLost ? ("created" as const) : ("updated" as const),
    before: atBefore ? stamp(atBefore) : null,
    after: stamp(atAfter),
    versionsWritten: written,
    secure,
  };
  if (secure) return { ...base, keys: null, note: "SecureString: values are never compared" };
  if (historyLost)
    return { ...base, keys: null, note: "the store no longer keeps the version in effect at --before" };
  const afterValue = tryParseJson(atAfter.value);
  const beforeValue = atBefore ? tryParseJson(atBefore.value) : undefined;
  if (afterValue === undefined || (atBefore !== undefined && beforeValue === undefined))
    return { ...base, keys: null, note: "value is not JSON" };
  return { ...base, keys: diffJsonKeys(beforeValue, afterValue) };
}

function graphChange(input: LogDiffInput, activity: readonly AuditEntry[]): GraphChange {
  if (input.graph) return { source: "graph-store", ...input.graph };
  const builds = activity
    .filter((e) => e.action === "graph_build")
    .map((e) => ({
      id: e.id,
      timestamp: e.timestamp,
      status: e.status,
      actor: e.actor,
      ...(e.after.graph !== undefined ? { version: e.after.graph } : {}),
    }));
  return {
    source: "audit-log",
    note: "no graph store is available, so graph changes are the builds the audit log recorded",
    builds,
  };
}

function graphChanged(graph: GraphChange): boolean {
  if (graph.source === "audit-log") return graph.builds.some((b) => b.status === "ok");
  if (graph.beforeVersion === graph.afterVersion) return false;
  return graph.diff === null || !isEmptyDiff(graph.diff);
}

const KIND_ORDER: Record<ParameterKind, number> = { config: 0, runtime: 1 };

export function computeLogDiff(input: LogDiffInput): LogDiff {
  const { before, after } = input;
  if (!(before.getTime() < after.getTime()))
    throw new UserError(
      `--before (${before.toISOString()}) must be earlier than --after (${after.toISOString()})`,
      "swap the two times: --before is the start of the window, --after its end",
    );
  const parameters = input.timelines
    .map((t) => parameterChange(t, before, after))
    .filter((c): c is ParameterChange => c !== undefined)
    .sort(
      (a, b) =>
        (a.component < b.component ? -1 : a.component > b.component ? 1 : 0) ||
        KIND_ORDER[a.kind] - KIND_ORDER[b.kind],
    );
  const activity = input.entries
    .filter((e) => inWindow(new Date(e.timestamp), before, after) && !isLockBookkeeping(e))
    .sort((a, b) => (a.timestamp < b.timestamp ? -1 : a.timestamp > b.timestamp ? 1 : 0) || a.id - b.id);
  const graph = graphChange(input, activity);
  return {
    window: { before: before.toISOString(), after: after.toISOString() },
    parameters,
    graph,
    activity,
    summary: {
      configChanges: parameters.filter((p) => p.kind === "config").length,
      runtimeChanges: parameters.filter((p) => p.kind === "runtime").length,
      graphChanged: graphChanged(graph),
      entries: activity.length,
    },
  };
}
