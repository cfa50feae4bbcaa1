/**
 * The content key of the graph `karma plan` builds from the working tree over the stores'
 * runtimes, made from what was read instead of from the builder input: the estate's source
 * digest (every config file's text, settings, schemas) and the parameters the runtimes come
 * from, hashed as read. Equal keys mean equal builder input — the components are a function of
 * the estate's sources, the runtimes of the parameters and the type names — so a kept version
 * under this key is the graph of the input, without serialising every parsed config and runtime
 * (`graphInputHash`), which cost more than reading them.
 */
import { createHash } from "node:crypto";
import { GRAPH_BUILDER_REVISION, type StoreTreeSnapshot, storeInputHash } from "../graph/input-hash.js";

export interface PublishedGraphSources {
  /** `Estate.sourceDigest` of the working tree. */
  estateDigest: string;
  /** Components published but gone from the working tree (they stay nodes). */
  removed: readonly string[];
  /** The type names the store's parameters were read with. */
  types: readonly string[];
  /** The parameters the runtimes were read from, per environment. */
  trees: readonly StoreTreeSnapshot[];
}

/** `sha256:<hex>` of `sources`; never equal to a `graphInputHash` (another tag is hashed first). */
export function publishedGraphKey(sources: PublishedGraphSources): string {
  const hash = createHash("sha256");
  hash.update(
    `karma plan working tree over the stores r${GRAPH_BUILDER_REVISION}\n${sources.estateDigest}\n`,
  );
  hash.update(`${sources.removed.length}\n${sources.removed.join("\n")}\n`);
  hash.update(storeInputHash(sources.types, sources.trees));
  return `sha256:${hash.digest("hex")}`;
}
