/**
 * Words for plan parts, shared by the text and markdown renderers. Keys are shown as JSON
 * pointers, never with their values (configs may hold secrets and outputs may be sensitive).
 */
import type { ChangeReason, ConsumedKeys, EdgeSummary, PlanBase, PlanGraphSource } from "../model.js";

const MAX_KEYS = 8;

function list(items: readonly string[], max = MAX_KEYS): string {
  if (items.length <= max) return items.join(", ");
  return `${items.slice(0, max).join(", ")} (+${items.length - max} more)`;
}

/** `~/port, +/queue, -/old` — changed, added, removed keys. */
export function describeKeys(keys: { added: string[]; removed: string[]; changed: string[] }): string {
  const shown = (p: string) => (p === "" ? "(whole config)" : p);
  return list([
    ...keys.changed.map((p) => `~${shown(p)}`),
    ...keys.added.map((p) => `+${shown(p)}`),
    ...keys.removed.map((p) => `-${shown(p)}`),
  ]);
}

export function describeEdge(edge: EdgeSummary): string {
  const key = edge.kind === "consumes" ? ` ${edge.producerKey || "(whole runtime)"} → ${edge.pointer}` : "";
  return `${edge.kind} ${edge.to}${key}`;
}

/** One line per reason. */
export function describeReason(reason: ChangeReason): string {
  switch (reason.kind) {
    case "config": {
      if (reason.status === "added") return `new config (${reason.file})`;
      if (reason.status === "removed") return `config removed (${reason.file}): would be destroyed`;
      const edges = reason.edges
        ? `; edges ${list([
            ...reason.edges.added.map((e) => `+${describeEdge(e)}`),
            ...reason.edges.removed.map((e) => `-${describeEdge(e)}`),
          ])}`
        : "";
      return `config changed: ${describeKeys(reason.keys)}${edges}`;
    }
    case "schema":
      return `schema changed (${reason.file})`;
    case "module":
      return `module changed (${list(reason.files, 3)})`;
    case "undeployed":
      return `published but not deployed: ${reason.detail}`;
    case "stale":
      return `stale consumer: ${reason.detail}`;
    case "retry":
      return reason.detail;
  }
}

/** `network/main: /network_id → /network_id` style, or "ordering only". */
export function describeConsumed(consumed: ConsumedKeys): string {
  if (consumed.orderingOnly) return `${consumed.producer} (ordering only, no keys)`;
  const keys = consumed.keys.map(
    (k) => `${k.producerKey || "(whole runtime)"} → ${k.pointer}${k.inferred ? " (inferred)" : ""}`,
  );
  return `${consumed.producer}: ${list(keys)}`;
}

export function describeBase(base: PlanBase): string {
  switch (base.kind) {
    case "commit":
      return `git ${base.ref}${base.commit ? ` (${base.commit.slice(0, 12)})` : ""} → working tree`;
    case "published":
      return "published config → working tree";
    case "working-tree":
      return "working tree → proposed change";
  }
}

export function describeGraph(graph: PlanGraphSource): string {
  return graph.kind === "working-tree"
    ? "built from the working tree"
    : `stored graph v${graph.version}${graph.note ? ` (${graph.note})` : ""}`;
}
