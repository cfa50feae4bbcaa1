/**
 * Change plans as plain, serialisable values. A plan answers, for one change of intent (a git
 * range, the working tree against what is published, or a proposed patch): which components
 * changed and why, which depend on them (with the path and the keys they consume), in what order
 * the affected set deploys, and what the policies say. Commands compute a plan and return it;
 * printing is in `render/`.
 */

import type { KeyChanges } from "../audit/json-changes.js";
import type { BrokenUse } from "../contracts/breaking.js";
import type { Problem } from "../errors.js";
import type { EdgeKind } from "../graph/model.js";
import type { Verdict } from "../policies/model.js";

/** What the new intent is compared with. */
export type PlanBase =
  /** A git revision (`--since REF`: the merge base of REF and HEAD). */
  | { kind: "commit"; ref: string; commit?: string }
  /** The latest published config in each environment's store (default). */
  | { kind: "published" }
  /** A component's current config in the working tree (propose-change). */
  | { kind: "working-tree" };

/** One edge of a component, without the consumer (it is the component itself). */
export interface EdgeSummary {
  to: string;
  kind: EdgeKind;
  /** Consumer config key that declares or holds the reference. */
  pointer: string;
  /** Producer runtime key, for `consumes` edges. */
  producerKey?: string;
}

/** Edges of a changed component added and removed by the change (a graph patch). */
export interface EdgePatch {
  added: EdgeSummary[];
  removed: EdgeSummary[];
}

/** Why a component is in the changed set: one variant per detector. */
export type ChangeReason =
  | {
      kind: "config";
      id: string;
      file: string;
      /** `added`: no config before; `removed`: the config file is gone (the component would be destroyed). */
      status: "added" | "modified" | "removed";
      /** Changed keys as JSON pointers — never values. */
      keys: KeyChanges;
      /** Edges the change adds or removes, when the references changed. */
      edges?: EdgePatch;
    }
  | {
      kind: "schema";
      id: string;
      type: string;
      /** The schema file that changed. */
      file: string;
    }
  | {
      kind: "module";
      id: string;
      type: string;
      /** Changed files under the type's module directory (sorted). */
      files: string[];
    }
  | {
      /** Published, but the runtime was not produced from the latest published config. */
      kind: "undeployed";
      id: string;
      configVersion?: number;
      /** The config version the current runtime came from; absent when never deployed. */
      deployedConfigVersion?: number;
      detail: string;
    }
  | {
      /** Deployed from the latest config, but a producer's runtime changed a key it consumes. */
      kind: "stale";
      id: string;
      /** Producers and the consumed keys that changed — never values. */
      detail: string;
    }
  | {
      /** Left failed or skipped by the previous apply: the next apply resumes with it. */
      kind: "retry";
      id: string;
      detail: string;
    };

export type ChangeKind = ChangeReason["kind"];

/** Keys a component takes from one producer in the affected set. */
export interface ConsumedKeys {
  producer: string;
  keys: Array<{
    /** Consumer config key. */
    pointer: string;
    /** Producer runtime key ("" = the whole runtime). */
    producerKey: string;
    /** True when the edge was inferred from an equal value rather than declared with `$ref`. */
    inferred?: boolean;
  }>;
  /** True when the dependency declares no keys (nickname field, src pair, runtime path, depends_on): ordering only. */
  orderingOnly: boolean;
  /**
   * True when the consumer names the producer without `$ref` (nickname field, src pair, runtime
   * path, depends_on): its module may read any runtime key, so any runtime change reaches it.
   */
  byName?: boolean;
}

interface EntryBase {
  id: string;
  /** Index of the wave it deploys in (0-based). */
  wave: number;
  /** Producers in the affected set it depends on, with the keys it consumes from each (sorted by producer). */
  consumes: ConsumedKeys[];
}

export type PlanEntry =
  | (EntryBase & {
      kind: "changed";
      /** Every reason, in detector order (config, schema, module, undeployed). */
      reasons: ChangeReason[];
    })
  | (EntryBase & {
      kind: "dependent";
      /** Edges from the nearest changed component (≥ 1). */
      depth: number;
      /** Shortest dependency path: [changed component, …, this one]. */
      path: string[];
    });

/** A component whose config is gone: it would be destroyed, not deployed. */
export interface Removal {
  id: string;
  /** Components that still depend on it after the change (sorted). */
  consumers: string[];
  reasons: ChangeReason[];
}

/** Where the dependency edges came from. */
export type PlanGraphSource = { kind: "working-tree" } | { kind: "stored"; version: number; note?: string };

export interface ChangePlan {
  base: PlanBase;
  graph: PlanGraphSource;
  /** Changed components (not removed ones), sorted. */
  changed: string[];
  removed: Removal[];
  /** Every component to deploy: changed ∪ transitive dependents, sorted by id. */
  entries: PlanEntry[];
  /** Deploy order: every entry of a wave can deploy in parallel; each wave sorted by id. */
  waves: ReadonlyArray<ReadonlyArray<PlanEntry>>;
  verdicts: Verdict[];
  /** Contract-breaking: consumer key uses the change's output-contract changes break (absent: none). */
  contractBreaks?: BrokenUse[];
}

/** Reason kinds in the order detectors run, for stable output. */
export const CHANGE_KIND_ORDER: readonly ChangeKind[] = [
  "config",
  "schema",
  "module",
  "undeployed",
  "stale",
  "retry",
];

/** One affected component's Terraform (or runner) plan, with `--terraform`. */
export interface ToolPlan {
  id: string;
  status: "planned" | "failed";
  /** Resource actions by kind (create, update, replace, delete, read, noop). */
  counts?: Record<string, number>;
  hasChanges?: boolean;
  /** Root outputs that would change — names only. */
  outputChanges?: string[];
  /** Why it could not be planned. */
  message?: string;
  /** The run's log, relative to the estate root when inside it. */
  logFile?: string;
}

/** Version of the Plan value (`PlanReport`), in JSON documents and saved plans. */
export const PLAN_VERSION = 1;

/**
 * The Plan: what `karma plan` shows, `karma apply` executes and `propose-change` judges — the
 * change plan, problems met while reading the change, warnings (consumers holding pasted copies
 * of values the change may move), and tool plans. Plain data, serialisable as is.
 */
export interface PlanReport {
  version: typeof PLAN_VERSION;
  plan: ChangePlan;
  problems: Problem[];
  /** One line per consumer that holds a pasted copy of a value the change may move. */
  warnings: string[];
  terraform?: ToolPlan[];
}
