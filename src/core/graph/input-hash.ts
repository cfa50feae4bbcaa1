/**
 * The content hash of a graph build's input. The builder is pure and deterministic, so two inputs
 * with the same hash give the same graph: a stored version carrying the hash of the current input
 * is current, whatever the files' timestamps say, and a rebuild can be skipped.
 */
import { createHash } from "node:crypto";
import type { GraphBuildInput } from "./builder.js";

/**
 * Bump when the builder's output for a given input changes (a new edge kind, another inference
 * rule): stored graphs built by the older rules then stop matching and are rebuilt.
 */
export const GRAPH_BUILDER_REVISION = 1;

/** `sha256:<hex>` over every component and runtime of `input`, in the order given. */
export function graphInputHash(input: Pick<GraphBuildInput, "components" | "runtimes">): string {
  const hash = createHash("sha256");
  hash.update(`karma graph builder r${GRAPH_BUILDER_REVISION}\n`);
  // one update per item: no single string of the whole estate is ever built
  for (const c of input.components) hash.update(`c${JSON.stringify(c)}\n`);
  for (const r of input.runtimes) hash.update(`r${JSON.stringify(r)}\n`);
  return `sha256:${hash.digest("hex")}`;
}
