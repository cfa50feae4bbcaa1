/**
 * Retention: after version v became ready, the ready versions older than the newest `retain`
 * (and abandoned builds older than those) are dropped with the elements only they held — node
 * states, edges and findings whose interval ended at or before the oldest kept version, bucket
 * vertices no kept version's summary lists, and identities left without any edge.
 *
 * Order matters to readers: the version vertices go first, in one traversal, so a reader of a
 * pruned version fails its confirmation (versions.ts `confirm`) rather than returning what was
 * left of the version mid-drop. Elements are dropped by id lists, one round trip per batch
 * (Neptune limits request size), edges before vertices.
 */
import gremlin from "gremlin";
import { EDGE_LABELS, LABEL } from "./model.js";
import type { StoreContext } from "./store-context.js";
import { parseStoredSummary } from "./summary.js";
import { BATCH_CHARS, BATCH_ROWS } from "./write-batches.js";

const { P, t } = gremlin.process;
const __ = gremlin.process.statics;

export interface PruneOptions {
  /** Ready versions kept (≥ 1). */
  retain: number;
  /** Ids and id characters per drop traversal. */
  batchLimits?: { rows: number; chars: number };
}

/** What one prune dropped (for tests and logs). */
export interface Pruned {
  versions: number;
  elements: number;
}

export async function pruneVersions(ctx: StoreContext, options: PruneOptions): Promise<Pruned> {
  const g = await ctx.g();
  const ns = ctx.ns;
  const ready = (
    await ctx.run<number>(
      g.V().hasLabel(LABEL.version).has("ns", ns).has("status", "ready").values("version"),
    )
  ).sort((a, b) => b - a);
  if (ready.length <= options.retain) return { versions: 0, elements: 0 };
  const cutoff = ready[options.retain]!;
  const oldestKept = ready[options.retain - 1]!;

  // first the versions themselves: from here on a reader of one of them gets a clear error
  const [versions] = await ctx.run<number>(
    g
      .V()
      .hasLabel(LABEL.version)
      .has("ns", ns)
      .has("version", P.lte(cutoff))
      .has("status", P.within("ready", "abandoned"))
      .sideEffect(__.drop())
      .count(),
  );

  // intervals that ended at or before the oldest kept version are seen by no kept version
  const ended = P.lte(oldestKept);
  const [states, edges, findings, buckets, summary] = await Promise.all([
    ctx.run<Map<string, string>>(
      g.V().hasLabel(LABEL.state).has("ns", ns).has("until", ended).project("i", "n").by(t.id).by("node"),
    ),
    ctx.run<string>(
      g
        .E()
        .hasLabel(...EDGE_LABELS)
        .has("ns", ns)
        .has("until", ended)
        .id(),
    ),
    ctx.run<string>(g.V().hasLabel(LABEL.finding).has("ns", ns).has("until", ended).id()),
    ctx.run<string>(g.V().hasLabel(LABEL.bucket).has("ns", ns).has("since", P.lt(oldestKept)).id()),
    ctx.run<string>(g.V(ctx.id.version(oldestKept)).values("summary")),
  ]);
  // a bucket vertex older than the oldest kept version that a kept version lists is listed by
  // that one too (a bucket's vertex is only ever replaced by a newer one): the others go. Without
  // a summary (a version written before summaries) the buckets are left alone.
  const listedBy = parseStoredSummary(summary[0]);
  const listed = new Set(
    listedBy?.buckets.flatMap(([, since], k) => (since > 0 ? [ctx.id.bucket(k, since)] : [])) ?? [],
  );
  const vertices = [
    ...states.map((s) => s.get("i")!),
    ...findings,
    ...(listedBy === undefined ? [] : buckets.filter((id) => !listed.has(id))),
  ];
  const identities = [...new Set(states.map((s) => ctx.id.node(s.get("n")!)))];

  for (const batch of chunks(edges, options.batchLimits)) await ctx.run(g.E(...batch).drop());
  for (const batch of chunks(vertices, options.batchLimits)) await ctx.run(g.V(...batch).drop());
  // an identity without any state or edge left belongs to no kept version (a node that returns
  // later merges a new one)
  let orphans = 0;
  for (const batch of chunks(identities, options.batchLimits)) {
    const [n] = await ctx.run<number>(
      g
        .V(...batch)
        .not(__.bothE())
        .sideEffect(__.drop())
        .count(),
    );
    orphans += n ?? 0;
  }
  return { versions: versions ?? 0, elements: edges.length + vertices.length + orphans };
}

/** Id lists cut at `rows` ids or `chars` characters. */
function chunks(
  ids: readonly string[],
  limits: { rows: number; chars: number } = { rows: BATCH_ROWS, chars: BATCH_CHARS },
): string[][] {
  const out: string[][] = [];
  let current: string[] = [];
  let chars = 0;
  for (const id of ids) {
    if (current.length > 0 && (current.length >= limits.rows || chars + id.length > limits.chars)) {
      out.push(current);
      current = [];
      chars = 0;
    }
    current.push(id);
    chars += id.length;
  }
  if (current.length > 0) out.push(current);
  return out;
}
