/**
 * Contract-breaking changes: a type's effective contract before and after a change (the output
 * schema, or — for a Terraform type without one — the module's output names), and every consumer
 * key use of that type's components. A use breaks when its key was promised before and is not
 * after (removed or renamed: the closest new key is suggested), or when the JSON types allowed
 * there no longer overlap (retyped). Keys only added are additive and break nothing. Pure;
 * O(uses × key depth).
 */
import type { JsonObject } from "../estate/model.js";
import { closestName } from "../estate/suggest.js";
import { formatComponentId } from "../ids.js";
import { lookupKey, typesAt } from "./lookup.js";
import type { ModuleOutput } from "./terraform-outputs.js";
import type { KeyUse } from "./uses.js";

export interface TypeContractChange {
  type: string;
  /** Where the contract came from on each side (a file path), for the report. */
  source: string;
  before: JsonObject;
  after: JsonObject | undefined;
}

export type BreakKind = "removed" | "retyped";

export interface BrokenUse {
  consumer: string;
  file: string;
  pointer: string;
  producer: string;
  key: string;
  kind: BreakKind;
  /** For removals: the closest key the new contract declares at the same level. */
  suggestion?: string;
  /** For retypes: allowed JSON types before and after. */
  from?: string[];
  to?: string[];
  /** The contract source that changed. */
  source: string;
}

/** A schema that promises exactly the module's output names (types unknown). */
export function outputsAsSchema(outputs: readonly ModuleOutput[]): JsonObject {
  return { type: "object", properties: Object.fromEntries(outputs.map((o) => [o.name, {}])) };
}

export function findBrokenUses(changes: readonly TypeContractChange[], uses: readonly KeyUse[]): BrokenUse[] {
  const byType = new Map(changes.map((c) => [c.type, c]));
  const broken: BrokenUse[] = [];
  for (const use of uses) {
    const change = byType.get(use.producer.type);
    if (!change) continue;
    const before = lookupKey(change.before, use.key);
    if (!before.found) continue; // it was not promised before: validate reports it, the change does not break it
    const base = {
      consumer: use.consumer,
      file: use.file,
      pointer: use.pointer,
      producer: formatComponentId(use.producer),
      key: use.key,
      source: change.source,
    };
    const after = change.after ? lookupKey(change.after, use.key) : undefined;
    if (!after || !after.found) {
      const guess = after ? closestName(after.missing, after.available) : undefined;
      broken.push({
        ...base,
        kind: "removed",
        ...(after && guess ? { suggestion: `${after.parent}/${guess}` } : {}),
      });
      continue;
    }
    const from = typesAt(change.before, use.key);
    const to = typesAt(change.after!, use.key);
    if (from && to && !to.some((t) => from.includes(t) || (t === "number" && from.includes("integer"))))
      broken.push({ ...base, kind: "retyped", from, to });
  }
  return broken.sort(
    (a, b) =>
      cmp(a.producer, b.producer) ||
      cmp(a.consumer, b.consumer) ||
      cmp(a.pointer, b.pointer) ||
      cmp(a.key, b.key),
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function describeBrokenUse(b: BrokenUse): string {
  const what =
    b.kind === "removed"
      ? `no longer publishes ${b.key}${b.suggestion ? ` (renamed to ${b.suggestion}?)` : ""}`
      : `changes the type of ${b.key} from ${b.from!.join("|")} to ${b.to!.join("|")}`;
  return `${b.consumer} reads ${b.producer}#${b.key} at ${b.file}#${b.pointer}, but the change to ${b.source} ${what}`;
}
