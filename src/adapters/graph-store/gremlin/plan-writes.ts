/**
 * What a build sends: the writes that turn the open elements into the new graph. Only the buckets
 * whose digest changed since the latest version are compared (summary.ts), element by element:
 * a node state or an edge whose JSON differs from the open one's `data` is closed and re-added,
 * what is new is added, what is gone is closed; findings are compared as a whole set.
 */
import gremlin from "gremlin";
import { edgeKey, type Graph } from "../../../core/graph/model.js";
import { digest, EDGE_LABELS, identityLabel, LABEL, OPEN } from "./model.js";
import { type GraphTraversal, linkOf, type StoreContext } from "./store-context.js";
import {
  type GraphSummary,
  parseStoredSummary,
  type StoredSummary,
  storedSummary,
  summarize,
} from "./summary.js";
import type { Write } from "./write-batches.js";

const { t } = gremlin.process;

interface OpenState {
  stateId: string;
  data: string;
}
interface OpenEdge {
  edgeId: string;
  data: string;
  src: string;
  kind: string;
}

async function openElements(
  ctx: StoreContext,
  previous: StoredSummary | undefined,
  summary: GraphSummary,
  changed: ReadonlySet<number>,
  findingsChanged: boolean,
): Promise<{
  states: Map<string, string>[];
  edges: Map<string, string>[];
  findings: Map<string, string>[];
}> {
  const g = await ctx.g();
  const ns = ctx.ns;
  // the data itself, not a digest of it: compared with the new JSON, read only for changed buckets
  const stateFields = (tr: GraphTraversal) => tr.project("s", "n", "d").by(t.id).by("node").by("data");
  const edgeFields = (tr: GraphTraversal) => tr.project("e", "k", "d").by(t.id).by("key").by("data");
  const findings = findingsChanged
    ? ctx.run<Map<string, string>>(
        g
          .V()
          .hasLabel(LABEL.finding)
          .has("ns", ns)
          .has("until", OPEN)
          .project("f", "d")
          .by(t.id)
          .by("digest"),
      )
    : Promise.resolve([]);
  if (previous === undefined) {
    const [states, edges] = await Promise.all([
      ctx.run<Map<string, string>>(stateFields(g.V().hasLabel(LABEL.state).has("ns", ns).has("until", OPEN))),
      ctx.run<Map<string, string>>(
        edgeFields(
          g
            .E()
            .hasLabel(...EDGE_LABELS)
            .has("ns", ns)
            .has("until", OPEN),
        ),
      ),
    ]);
    return { states, edges, findings: await findings };
  }
  // members of the changed buckets: as stored (they may be gone from graph) and as built now
  const members = new Set<string>();
  const stored = [...changed]
    .filter((k) => previous.buckets[k]![1] > 0)
    .map((k) => ctx.id.bucket(k, previous.buckets[k]![1]));
  if (stored.length > 0)
    for (const json of await ctx.run<string>(g.V(...stored).values("members")))
      for (const id of JSON.parse(json) as string[]) members.add(id);
  for (const k of changed) for (const id of summary.buckets[k]!.members) members.add(id);
  if (members.size === 0) return { states: [], edges: [], findings: await findings };
  const identities = [...members].map((id) => ctx.id.node(id));
  const [states, edges] = await Promise.all([
    ctx.run<Map<string, string>>(
      stateFields(
        g
          .V(...identities)
          .out(LABEL.hasState)
          .has("until", OPEN),
      ),
    ),
    ctx.run<Map<string, string>>(
      edgeFields(
        g
          .V(...identities)
          .outE(...EDGE_LABELS)
          .has("until", OPEN),
      ),
    ),
  ]);
  return { states, edges, findings: await findings };
}

/** The writes that turn the open elements into `graph` (only where a bucket's digest changed). */
export async function planWrites(
  ctx: StoreContext,
  graph: Graph,
  v: number,
  latest: number,
): Promise<{ writes: Write[]; mutations: number; summary: StoredSummary }> {
  const g = await ctx.g();
  const ns = ctx.ns;
  const previous =
    latest === 0
      ? undefined
      : parseStoredSummary((await ctx.run<string>(g.V(ctx.id.version(latest)).values("summary")))[0]);
  const summary = summarize(graph);
  const changed = new Set<number>();
  summary.buckets.forEach((bucket, k) => {
    if (previous?.buckets[k]?.[0] !== bucket.digest) changed.add(k);
  });
  const findingsChanged = previous?.findings !== summary.findings;
  // before the first ready version nothing is open: every state, edge and finding has since ≥ 1,
  // and beginVersion has dropped what a dead build added, so a first build reads nothing back
  const open =
    latest === 0
      ? { states: [], edges: [], findings: [] }
      : await openElements(ctx, previous, summary, changed, findingsChanged);

  const openStates = new Map<string, OpenState>(
    open.states.map((m) => [m.get("n")!, { stateId: m.get("s")!, data: m.get("d")! }]),
  );
  const openEdges = new Map<string, OpenEdge>();
  for (const m of open.edges) {
    const key = m.get("k")!;
    openEdges.set(key, {
      edgeId: m.get("e")!,
      data: m.get("d")!,
      src: linkOf(key)[0],
      kind: key.split("\u0000")[2]!,
    });
  }
  const openFindings = new Map<string, string>(open.findings.map((m) => [m.get("d")!, m.get("f")!]));

  const nodeWrites: Write[] = [];
  const edgeWrites: Write[] = [];
  const closes: Write[] = [];
  const otherWrites: Write[] = [];
  for (const k of changed) {
    const bucket = summary.buckets[k]!;
    for (const { node, data } of bucket.nodes) {
      const state = openStates.get(node.id);
      openStates.delete(node.id);
      if (state?.data === data) continue;
      if (state) closes.push({ kind: "closeVertex", id: state.stateId });
      nodeWrites.push({
        kind: "node",
        identity: {
          id: ctx.id.node(node.id),
          label: identityLabel(node.kind),
          onCreate: new Map<unknown, unknown>([
            ["ns", ns],
            ["nodeId", node.id],
            ["env", node.env],
            ["type", node.type],
            ["nickname", node.nickname],
          ]),
        },
        stateId: ctx.id.state(node.id, v),
        nodeId: node.id,
        data,
        chars: data.length,
      });
    }
    for (const { edge, data } of bucket.edges) {
      const key = edgeKey(edge);
      const open = openEdges.get(key);
      openEdges.delete(key);
      if (open?.data === data) continue;
      if (open) closes.push({ kind: "closeEdge", source: ctx.id.node(open.src), id: open.edgeId });
      edgeWrites.push({
        kind: "edge",
        id: ctx.id.edge(v, edgeWrites.length),
        label: edge.kind,
        from: ctx.id.node(edge.from),
        to: ctx.id.node(edge.to),
        key,
        data,
        chars: data.length,
      });
    }
    if (bucket.members.length > 0) {
      const members = JSON.stringify(bucket.members);
      otherWrites.push({
        kind: "vertex",
        chars: members.length,
        row: new Map<unknown, unknown>([
          [t.id, ctx.id.bucket(k, v)],
          [t.label, LABEL.bucket],
          ["ns", ns],
          ["since", v],
          ["members", members],
        ]),
      });
    }
  }
  // what is still open in the changed buckets is gone from the graph
  for (const gone of openStates.values()) closes.push({ kind: "closeVertex", id: gone.stateId });
  for (const gone of openEdges.values())
    closes.push({ kind: "closeEdge", source: ctx.id.node(gone.src), id: gone.edgeId });

  let findingWrites = 0;
  if (findingsChanged) {
    for (const finding of graph.findings) {
      const data = JSON.stringify(finding);
      const d = digest(data);
      if (openFindings.delete(d)) continue;
      findingWrites++;
      otherWrites.push({
        kind: "vertex",
        chars: data.length,
        row: new Map<unknown, unknown>([
          [t.id, ctx.id.finding(data, v)],
          [t.label, LABEL.finding],
          ["ns", ns],
          ["kind", finding.kind],
          ["since", v],
          ["until", OPEN],
          ["digest", d],
          ["data", data],
        ]),
      });
    }
    for (const gone of openFindings.values()) closes.push({ kind: "closeVertex", id: gone });
  }
  return {
    // identities before the edges that attach to them
    writes: [...nodeWrites, ...edgeWrites, ...otherWrites, ...closes],
    mutations: nodeWrites.length + edgeWrites.length + findingWrites + closes.length,
    summary: storedSummary(summary, changed, previous, v),
  };
}
