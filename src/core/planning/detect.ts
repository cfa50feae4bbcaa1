/**
 * Change detectors: one pure function per kind of change, each returning the touched component
 * ids with a reason (see `ChangeReason`). The caller reads git, the file system and the stores and
 * hands the results in; `computeChangePlan` merges the reasons.
 */

import { diffJsonKeys } from "../audit/json-changes.js";
import { describeStaleness, type StaleConsumer } from "../drift/stale.js";
import type { JsonObject } from "../estate/model.js";
import { jsonEqual } from "../json/canonical.js";
import type { ComponentStatus } from "../status/compute-status.js";
import type { ChangeReason, EdgePatch, EdgeSummary } from "./model.js";

/** One side of a config comparison. */
export interface ConfigSnapshot {
  id: string;
  /** Config file relative to the estate root. */
  file: string;
  config: JsonObject;
  /** The component's outgoing edges on this side, for the graph patch (optional). */
  edges?: readonly EdgeSummary[];
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function edgeIdentity(e: EdgeSummary): string {
  return [e.to, e.kind, e.pointer, e.producerKey ?? ""].join("\u0000");
}

function compareEdgeSummaries(a: EdgeSummary, b: EdgeSummary): number {
  return compareStrings(edgeIdentity(a), edgeIdentity(b));
}

/** Edges in `after` but not `before` and the reverse, sorted. O(E log E). */
export function edgePatch(before: readonly EdgeSummary[], after: readonly EdgeSummary[]): EdgePatch {
  const old = new Set(before.map(edgeIdentity));
  const now = new Set(after.map(edgeIdentity));
  return {
    added: after.filter((e) => !old.has(edgeIdentity(e))).sort(compareEdgeSummaries),
    removed: before.filter((e) => !now.has(edgeIdentity(e))).sort(compareEdgeSummaries),
  };
}

/**
 * Config changes between `base` and `next` (keyed by component id): added, removed, or modified
 * with the changed keys as JSON pointers (never values) and, when both sides carry edges, the
 * edges added and removed. Only `ids` are compared when given (the rest is known unchanged).
 * O(size of the compared configs).
 */
export function detectConfigChanges(
  base: ReadonlyMap<string, ConfigSnapshot>,
  next: ReadonlyMap<string, ConfigSnapshot>,
  ids?: Iterable<string>,
): ChangeReason[] {
  const candidates = [...new Set(ids ?? [...base.keys(), ...next.keys()])].sort();
  const reasons: ChangeReason[] = [];
  for (const id of candidates) {
    const before = base.get(id);
    const after = next.get(id);
    if (!before && !after) continue;
    if (before && after && jsonEqual(before.config, after.config)) continue;
    const status = !before ? "added" : !after ? "removed" : "modified";
    const reason: Extract<ChangeReason, { kind: "config" }> = {
      kind: "config",
      id,
      file: (after ?? before)!.file,
      status,
      keys: diffJsonKeys(before?.config, after?.config),
    };
    if (before?.edges || after?.edges) {
      const patch = edgePatch(before?.edges ?? [], after?.edges ?? []);
      if (patch.added.length + patch.removed.length > 0) reason.edges = patch;
    }
    reasons.push(reason);
  }
  return reasons;
}

/** Where each type's schema and module live, relative to the estate root. */
export interface TypeFiles {
  /** Schema file, e.g. `types/service/schema.json`. */
  schema?: string;
  /** Module directory, e.g. `types/service`. */
  module?: string;
}

export interface TypeLayout {
  /** Every component (id and type) that a type-level change touches. */
  components: ReadonlyArray<{ id: string; type: string }>;
  types: ReadonlyMap<string, TypeFiles>;
}

function normalise(path: string): string {
  return path.replace(/\\/g, "/").replace(/^\.\//, "").replace(/\/+$/, "");
}

function componentsByType(layout: TypeLayout): Map<string, string[]> {
  const byType = new Map<string, string[]>();
  for (const c of layout.components) {
    const list = byType.get(c.type);
    if (list) list.push(c.id);
    else byType.set(c.type, [c.id]);
  }
  for (const list of byType.values()) list.sort();
  return byType;
}

/** Components whose type's schema file is among `files`. O(F × T + C). */
export function detectSchemaChanges(files: readonly string[], layout: TypeLayout): ChangeReason[] {
  const changed = new Set(files.map(normalise));
  const byType = componentsByType(layout);
  const reasons: ChangeReason[] = [];
  for (const [type, paths] of [...layout.types].sort(([a], [b]) => compareStrings(a, b))) {
    if (paths.schema === undefined) continue;
    const file = normalise(paths.schema);
    if (!changed.has(file)) continue;
    for (const id of byType.get(type) ?? []) reasons.push({ kind: "schema", id, type, file });
  }
  return reasons.sort((a, b) => compareStrings(a.id, b.id));
}

/**
 * Components whose type's module directory holds a changed file (the schema file excepted: that
 * is a schema change). O(F × T + C).
 */
export function detectModuleChanges(files: readonly string[], layout: TypeLayout): ChangeReason[] {
  const byType = componentsByType(layout);
  const reasons: ChangeReason[] = [];
  for (const [type, paths] of [...layout.types].sort(([a], [b]) => compareStrings(a, b))) {
    if (paths.module === undefined) continue;
    const dir = normalise(paths.module);
    const schema = paths.schema === undefined ? undefined : normalise(paths.schema);
    const touched = files
      .map(normalise)
      .filter((f) => dir !== "" && f.startsWith(`${dir}/`) && f !== schema)
      .sort();
    if (touched.length === 0) continue;
    for (const id of byType.get(type) ?? []) reasons.push({ kind: "module", id, type, files: touched });
  }
  return reasons.sort((a, b) => compareStrings(a.id, b.id));
}

/**
 * Published but not deployed from the latest published config: never deployed, or the runtime
 * came from an older (or unknown) config version. Unpublished components are the config
 * detector's business; orphans are not deployable.
 */
export function detectUndeployed(statuses: readonly ComponentStatus[]): ChangeReason[] {
  const reasons: ChangeReason[] = [];
  for (const s of statuses) {
    if (s.state !== "never-deployed" && s.state !== "undeployed") continue;
    const reason: Extract<ChangeReason, { kind: "undeployed" }> = {
      kind: "undeployed",
      id: s.id,
      detail: s.reason,
    };
    if (s.configVersion !== undefined) reason.configVersion = s.configVersion;
    if (s.deployedConfigVersion !== undefined) reason.deployedConfigVersion = s.deployedConfigVersion;
    reasons.push(reason);
  }
  return reasons.sort((a, b) => compareStrings(a.id, b.id));
}

/** Stale consumers: deployed from the latest config, but fed by a producer runtime that changed since. */
export function detectStale(stale: readonly StaleConsumer[]): ChangeReason[] {
  return stale
    .map(
      (consumer): ChangeReason => ({ kind: "stale", id: consumer.id, detail: describeStaleness(consumer) }),
    )
    .sort((a, b) => compareStrings(a.id, b.id));
}
