/**
 * Taking a version number for a build: one build at a time per namespace. A `building` version of
 * a process that is gone (or of another host, after {@link STALE_BUILD_MS}) is dead: its leftovers
 * are rolled back (what it added dropped, what it closed reopened) before the next version is taken.
 */
import os from "node:os";
import gremlin from "gremlin";
import { UserError } from "../../../core/errors.js";
import type { GraphSource } from "../../../core/graph/model.js";
import { LABEL, OPEN } from "./model.js";
import { type Props, prop, type StoreContext } from "./store-context.js";

const { P, t, cardinality, merge } = gremlin.process;

/** A build whose process cannot be checked (another host) counts as dead after this long. */
const STALE_BUILD_MS = 15 * 60_000;

/** Builds of this process still running: a `building` version of this pid not listed here is dead. */
const runningBuilds = new Set<string>();

/** Runs `build` under a token that marks it alive for {@link beginVersion} (and other builds). */
export async function asRunningBuild<T>(build: (token: string) => Promise<T>): Promise<T> {
  const token = `${process.pid}:${Math.random().toString(36).slice(2)}`;
  runningBuilds.add(token);
  try {
    return await build(token);
  } finally {
    runningBuilds.delete(token);
  }
}

export async function beginVersion(
  ctx: StoreContext,
  source: GraphSource,
  actor: string | undefined,
  token: string,
): Promise<{ v: number; latest: number }> {
  const g = await ctx.g();
  // one round trip: the head, created on the first build
  const [head] = await ctx.run<Props>(
    g
      .mergeV(
        new Map<unknown, unknown>([
          [t.id, ctx.id.head],
          [t.label, LABEL.head],
        ]),
      )
      .option(
        merge.onCreate,
        new Map<unknown, unknown>([
          ["ns", ctx.ns],
          ["next", 0],
          ["latest", 0],
        ]),
      )
      .valueMap("next", "latest"),
  );
  const next = prop<number>(head!, "next") ?? 0;
  const latest = prop<number>(head!, "latest") ?? 0;
  if (next > latest) {
    const [building] = await ctx.run<Props>(g.V(ctx.id.version(next)).valueMap());
    if (building && prop<string>(building, "status") === "building" && isAlive(building))
      throw new UserError(
        `Another graph build (version ${next}, by ${prop<string>(building, "actor") ?? "?"} on ${prop<string>(building, "host")}) is still writing to ${ctx.connection.endpoint}.`,
        "Wait for it to finish and run the command again.",
      );
    await rollBackAfter(ctx, latest, next);
  }
  const v = next + 1;
  const started = await ctx
    .run<number>(
      g
        .V(ctx.id.head)
        .has("next", next)
        .property(cardinality.single, "next", v)
        .addV(LABEL.version)
        .property(t.id, ctx.id.version(v))
        .property("ns", ctx.ns)
        .property("version", v)
        .property("status", "building")
        .property("startedAt", new Date().toISOString())
        .property("host", os.hostname())
        .property("token", token)
        .property("actor", actor ?? "")
        .property("source", JSON.stringify(source))
        .count(),
    )
    .catch((error: unknown) => {
      // the version id is taken: another build began between our read and this write
      throw /already exists/i.test(String((error as Error).message)) ? concurrentBuild(ctx) : error;
    });
  if (started[0] !== 1) throw concurrentBuild(ctx);
  return { v, latest };
}

function concurrentBuild(ctx: StoreContext): UserError {
  return new UserError(
    `Another graph build started on ${ctx.connection.endpoint} at the same time.`,
    "Run the command again once it finished.",
  );
}

/** Whether the process behind a `building` version may still be writing. */
function isAlive(version: Props): boolean {
  const token = prop<string>(version, "token") ?? "";
  const [pid] = token.split(":");
  if (prop<string>(version, "host") === os.hostname()) {
    if (Number(pid) === process.pid) return runningBuilds.has(token);
    try {
      process.kill(Number(pid), 0);
      return true;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === "EPERM";
    }
  }
  const started = Date.parse(prop<string>(version, "startedAt") ?? "");
  return Number.isFinite(started) && Date.now() - started < STALE_BUILD_MS;
}

/** Undoes every build after `latest`: drops what they added, reopens what they closed. */
async function rollBackAfter(ctx: StoreContext, latest: number, next: number): Promise<void> {
  const g = await ctx.g();
  const ns = ctx.ns;
  await ctx.run(g.E().has("ns", ns).has("since", P.gt(latest)).drop());
  await ctx.run(g.V().has("ns", ns).has("since", P.gt(latest)).drop());
  await ctx.run(
    g.E().has("ns", ns).has("until", P.gt(latest)).has("until", P.lt(OPEN)).property("until", OPEN),
  );
  await ctx.run(
    g
      .V()
      .has("ns", ns)
      .has("until", P.gt(latest))
      .has("until", P.lt(OPEN))
      .property(cardinality.single, "until", OPEN),
  );
  const abandoned = Array.from({ length: next - latest }, (_, i) => ctx.id.version(latest + 1 + i));
  await ctx.run(g.V(...abandoned).property(cardinality.single, "status", "abandoned"));
}

/**
 * The open elements that `graph` may differ from: those of the buckets whose digest changed
 * since the latest version (all of them when the latest has no summary: the first build, or a
 * graph written before summaries existed).
 */
