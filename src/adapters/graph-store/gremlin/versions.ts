/**
 * The store's versions: listing them, resolving the one a read asks for (only ready versions are
 * ever read), and making a built version the latest — one traversal that marks it ready, records
 * its counts and summary and moves the head's `latest`, so readers see all of it or none — and
 * confirming after a read that the version was not pruned meanwhile (prune.ts).
 */
import gremlin from "gremlin";
import { UserError } from "../../../core/errors.js";
import type { GraphSource } from "../../../core/graph/model.js";
import { type GraphVersionInfo, GraphVersionNotFoundError } from "../../../ports/graph-store.js";
import { LABEL } from "./model.js";
import { type Props, prop, type StoreContext } from "./store-context.js";
import type { StoredSummary } from "./summary.js";

const { cardinality } = gremlin.process;

export class GraphVersions {
  /**
   * Ready versions are immutable until pruned: once seen ready, a version needs no check before a
   * read, only the {@link confirm} after it.
   */
  private readonly knownReady = new Set<number>();

  constructor(private readonly ctx: StoreContext) {}

  async list(): Promise<GraphVersionInfo[]> {
    const { ctx } = this;
    const g = await ctx.g();
    // by label, not by the ids 1…next: pruned versions leave gaps, and `next` only grows
    const rows = await ctx.run<Props>(
      g.V().hasLabel(LABEL.version).has("ns", ctx.ns).has("status", "ready").valueMap(),
    );
    return rows.map(toInfo).sort((a, b) => a.version - b.version);
  }

  async latest(): Promise<GraphVersionInfo | undefined> {
    const latest = await this.latestNumber();
    if (latest === 0) return undefined;
    const g = await this.ctx.g();
    const [row] = await this.ctx.run<Props>(g.V(this.ctx.id.version(latest)).valueMap());
    return row === undefined ? undefined : toInfo(row);
  }

  private async latestNumber(): Promise<number> {
    const g = await this.ctx.g();
    const [latest] = await this.ctx.run<number>(g.V(this.ctx.id.head).values("latest"));
    return latest ?? 0;
  }

  /** The ready version to read: the one asked for, or the latest. */
  async resolve(version: number | undefined): Promise<number> {
    if (version === undefined) {
      const latest = await this.latestNumber();
      if (latest === 0) throw new GraphVersionNotFoundError(undefined);
      return latest;
    }
    if (this.knownReady.has(version)) return version;
    const g = await this.ctx.g();
    const [status] = await this.ctx.run<string>(g.V(this.ctx.id.version(version)).values("status"));
    if (status !== "ready") throw new GraphVersionNotFoundError(version);
    this.knownReady.add(version);
    return version;
  }

  /**
   * Fails when version v is no longer ready, after a read of it: pruning drops a version's vertex
   * before any of its elements (prune.ts), so a read confirmed afterwards saw all of them.
   */
  async confirm(v: number): Promise<void> {
    const g = await this.ctx.g();
    const [status] = await this.ctx.run<string>(g.V(this.ctx.id.version(v)).values("status"));
    if (status === "ready") return;
    this.knownReady.delete(v);
    throw new GraphVersionNotFoundError(v);
  }

  /** Makes built version v the latest; fails when another build abandoned it meanwhile. */
  async markReady(
    v: number,
    counts: Pick<GraphVersionInfo, "nodeCount" | "edgeCount" | "findingCount">,
    summary: StoredSummary,
  ): Promise<string> {
    const { ctx } = this;
    const g = await ctx.g();
    const readyAt = new Date().toISOString();
    const done = await ctx.run<number>(
      g
        .V(ctx.id.version(v))
        .has("status", "building")
        .property(cardinality.single, "status", "ready")
        .property(cardinality.single, "readyAt", readyAt)
        .property(cardinality.single, "nodeCount", counts.nodeCount)
        .property(cardinality.single, "edgeCount", counts.edgeCount)
        .property(cardinality.single, "findingCount", counts.findingCount)
        .property(cardinality.single, "summary", JSON.stringify(summary))
        .V(ctx.id.head)
        .property(cardinality.single, "latest", v)
        .count(),
    );
    if (done[0] !== 1)
      throw new UserError(
        `Graph version ${v} was abandoned by another build while it was being written to ${ctx.connection.endpoint}.`,
        "Run `karma graph build` again.",
      );
    this.knownReady.add(v);
    return readyAt;
  }
}

function toInfo(row: Props): GraphVersionInfo {
  const info: GraphVersionInfo = {
    version: prop<number>(row, "version")!,
    createdAt: prop<string>(row, "readyAt")!,
    source: JSON.parse(prop<string>(row, "source")!) as GraphSource,
    nodeCount: prop<number>(row, "nodeCount") ?? 0,
    edgeCount: prop<number>(row, "edgeCount") ?? 0,
    findingCount: prop<number>(row, "findingCount") ?? 0,
  };
  const actor = prop<string>(row, "actor");
  if (actor) info.actor = actor;
  return info;
}
