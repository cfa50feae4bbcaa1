/**
 * What the explorer draws, from a graph and the view's state — pure, so it can be tested without
 * a browser. Large graphs open aggregated: one node per environment/type group (with its count)
 * inside its environment; a group expands into its components on click. Edges between drawn
 * units are merged, counting the edges they stand for.
 */
import type { EdgeKind, Graph, GraphEdge } from "../src/core/graph/model.js";
import type { ComponentState } from "../src/core/status/compute-status.js";

/** Above this many nodes the explorer opens on the aggregated view. */
export const AGGREGATE_ABOVE = 300;

export interface DrawnNode {
  id: string;
  label: string;
  parent: string;
  /** Components this node stands for (1 for a component). */
  count: number;
  kind: "component" | "external" | "runtime-only" | "group";
  /** For groups: `env/type`. */
  group?: string;
}

export interface DrawnEdge {
  id: string;
  source: string;
  target: string;
  kind: EdgeKind;
  /** How many graph edges this drawn edge stands for. */
  count: number;
  /** The edges themselves (evidence on hover), at most a few. */
  samples: GraphEdge[];
}

export interface DrawnGraph {
  environments: string[];
  nodes: DrawnNode[];
  edges: DrawnEdge[];
  aggregated: boolean;
}

export function groupKey(env: string, type: string): string {
  return `${env}/${type}`;
}

export const groupId = (key: string) => `group:${key}`;

/** `dev:service/api` → `dev/service`, the group a component id belongs to. */
export function groupOfId(id: string): string {
  const colon = id.indexOf(":");
  return groupKey(id.slice(0, colon), id.slice(colon + 1).split("/")[0] ?? "");
}
export const envNodeId = (env: string) => `env:${env}`;

const SAMPLES = 5;

/**
 * `expanded` lists the groups (`env/type`) drawn as their components; with `aggregate` false
 * every component is drawn.
 */
export function drawnGraph(graph: Graph, aggregate: boolean, expanded: ReadonlySet<string>): DrawnGraph {
  const unitOf = new Map<string, string>();
  const nodes: DrawnNode[] = [];
  const groups = new Map<string, DrawnNode>();
  const environments = new Set<string>();
  for (const n of graph.nodes) {
    environments.add(n.env);
    const key = groupKey(n.env, n.type);
    if (aggregate && !expanded.has(key)) {
      let group = groups.get(key);
      if (!group) {
        group = {
          id: groupId(key),
          label: n.type,
          parent: envNodeId(n.env),
          count: 0,
          kind: "group",
          group: key,
        };
        groups.set(key, group);
        nodes.push(group);
      }
      group.count++;
      unitOf.set(n.id, group.id);
    } else {
      nodes.push({
        id: n.id,
        label: n.kind === "external" ? `${n.type}/${n.nickname} (external)` : `${n.type}/${n.nickname}`,
        parent: envNodeId(n.env),
        count: 1,
        kind: n.kind,
        group: key,
      });
      unitOf.set(n.id, n.id);
    }
  }
  for (const g of groups.values()) g.label = `${g.label} (${g.count})`;
  const edges = new Map<string, DrawnEdge>();
  for (const e of graph.edges) {
    const source = unitOf.get(e.from);
    const target = unitOf.get(e.to);
    if (source === undefined || target === undefined || source === target) continue;
    const id = `${source}→${target}#${e.kind}`;
    let drawn = edges.get(id);
    if (!drawn) {
      drawn = { id, source, target, kind: e.kind, count: 0, samples: [] };
      edges.set(id, drawn);
    }
    drawn.count++;
    if (drawn.samples.length < SAMPLES) drawn.samples.push(e);
  }
  return {
    environments: [...environments].sort(),
    nodes,
    edges: [...edges.values()],
    aggregated: aggregate,
  };
}

/** One line per edge for the hover card: how it was found and which keys it carries. */
export function describeEdge(edge: GraphEdge): string {
  const e = edge.evidence;
  const keys =
    e.producerKey !== undefined ? `${e.pointer || "/"} ← ${e.producerKey || "(runtime)"}` : e.pointer || "/";
  const inferred = e.fingerprint ? ` value ${e.fingerprint}${e.reason ? ` (${e.reason})` : ""}` : "";
  return `${edge.from} → ${edge.to}: ${edge.kind} via ${e.form} ${keys}${inferred}`;
}

/** Per-wave counts of a blast radius: wave number (1-based) → how many components. */
export function waveCounts(waves: readonly (readonly string[])[]): Array<{ wave: number; count: number }> {
  return waves.map((w, i) => ({ wave: i + 1, count: w.length }));
}

/** What the explorer colours a component by: `karma status`'s state, or drifted. */
export type ShownState = ComponentState | "drifted";

/** Worst first: a group takes its worst member's colour, so trouble stays visible when aggregated. */
export const SHOWN_STATES: readonly ShownState[] = [
  "orphaned",
  "drifted",
  "undeployed",
  "stale",
  "unpublished",
  "never-deployed",
  "in-sync",
];

/**
 * A component's colour: resource drift (found by the last Terraform check, see
 * `GET /api/drift/resources`) shows on components deployed from their latest config (in sync or
 * stale); otherwise the config/deploy state is what to fix first, and shows.
 */
export function shownState(state: ComponentState, drifted: boolean): ShownState {
  return drifted && (state === "in-sync" || state === "stale") ? "drifted" : state;
}

export function worstState(states: Iterable<ShownState | undefined>): ShownState | undefined {
  let worst: ShownState | undefined;
  for (const s of states)
    if (s !== undefined && (worst === undefined || SHOWN_STATES.indexOf(s) < SHOWN_STATES.indexOf(worst)))
      worst = s;
  return worst;
}
