/**
 * Sends a build's writes in batches (write-batches.ts), one at a time, the next one built and
 * encoded while the server runs the current one. A batch that answers nothing means an element the
 * build expected was gone: the build stops there and never becomes the latest version.
 */
import { UserError } from "../../../core/errors.js";
import { EDGE_LABELS, LABEL, OPEN } from "./model.js";
import type { StoreContext } from "./store-context.js";
import { batches, batchTraversal, type Write } from "./write-batches.js";

export interface SendOptions {
  /** For tests: called after each write batch is acknowledged (await it to act mid-build). */
  onBatch?: (batch: number) => Promise<void> | void;
  /** Rows and data characters per write traversal (default BATCH_ROWS, BATCH_CHARS). */
  batchLimits?: { rows: number; chars: number };
}

/** Sends the writes in batches; a batch that answers nothing names the failure. */
export async function sendWrites(
  ctx: StoreContext,
  writes: readonly Write[],
  v: number,
  options: SendOptions = {},
): Promise<number> {
  const g = await ctx.g();
  const cut = batches(writes, options.batchLimits);
  const traversalOf = (segments: (typeof cut)[number]) =>
    batchTraversal(g, segments, {
      namespace: ctx.ns,
      version: v,
      open: OPEN,
      edgeLabels: EDGE_LABELS,
      stateLabel: LABEL.state,
      hasStateLabel: LABEL.hasState,
    });
  let batch = 0;
  let next = cut.length > 0 ? traversalOf(cut[0]!) : undefined;
  while (next !== undefined) {
    const pending = ctx.run<number>(next);
    // a failure surfaces at the await below, not as an unhandled rejection meanwhile
    pending.catch(() => {});
    next = undefined;
    if (batch + 1 < cut.length) {
      // one batch at a time on the server (TinkerGraph's vertices are not safe for concurrent
      // writes, and edges need the identities of earlier batches), but the next one is built and
      // encoded while the server runs this one: once the request is on the socket (the driver
      // sends it from a promise callback, hence the turn of the event loop), the client is idle
      await new Promise((resolve) => setImmediate(resolve));
      next = traversalOf(cut[batch + 1]!);
      ctx.connection.prepare(next);
    }
    const done = await pending;
    if (done.length !== 1)
      throw new UserError(
        `The graph on ${ctx.connection.endpoint} changed during the build: an element the build expected was missing.`,
        "Run `karma graph build` again.",
      );
    batch++;
    await options.onBatch?.(batch);
  }
  return batch;
}
