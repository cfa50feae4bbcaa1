/**
 * The content hash of a graph build's input. The builder is pure and deterministic, so two inputs
 * with the same hash give the same graph: a stored version carrying the hash of the current input
 * is current, whatever the files' timestamps say, and a rebuild can be skipped.
 *
 * Two forms, one per source: a store build hashes the parameters as read (`storeInputHash`), so
 * the check that the latest version is current needs neither parsing nor building; a
 * working-tree build hashes the builder input itself (`graphInputHash`), the files being parsed
 * by the estate loader anyway. Each graph area holds versions of one source only.
 */
import { createHash } from "node:crypto";
import type { GraphBuildInput } from "./builder.js";
import type { StoredParameter } from "./inputs.js";

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

/** One environment's parameters as read for a store build (an `EnvironmentTree` fits). */
export interface StoreTreeSnapshot {
  env: string;
  prefix: string;
  parameters: readonly StoredParameter[];
  external: readonly StoredParameter[];
}

/**
 * `sha256:<hex>` over what a store build reads: the types named in karma.json (they decide which
 * `<type>_nickname` keys are references) and every parameter of every tree — name, type, version,
 * description and value (SecureString values excepted: the builder never reads them, and they are
 * not plaintext). Parameters the builder ignores are hashed too: at worst they cost a rebuild,
 * never a stale graph. O(total size of the parameters); nothing is parsed.
 */
export function storeInputHash(
  settingsTypes: readonly string[],
  trees: readonly StoreTreeSnapshot[],
): string {
  const hash = createHash("sha256");
  // every variable-length field is length-prefixed, so no two different inputs share a byte stream;
  // the text goes to the hash in chunks of many parameters (one native call per parameter costs
  // more than the hashing), never as one string of the whole estate
  let chunk = `karma graph builder r${GRAPH_BUILDER_REVISION} store\n`;
  const add = (text: string) => {
    chunk += text;
    if (chunk.length >= CHUNK) {
      hash.update(chunk);
      chunk = "";
    }
  };
  for (const type of [...settingsTypes].sort()) add(field(type));
  for (const tree of trees) {
    add(`\ntree ${field(tree.env)}${field(tree.prefix)}${tree.parameters.length}:${tree.external.length}\n`);
    for (const p of tree.parameters) add(parameterText(p));
    for (const p of tree.external) add(parameterText(p));
  }
  hash.update(chunk);
  return `sha256:${hash.digest("hex")}`;
}

const CHUNK = 1 << 16;

function field(text: string): string {
  return `${text.length}:${text}`;
}

function parameterText(p: StoredParameter): string {
  const value = p.type === "SecureString" ? "" : p.value;
  return `${field(p.name)}${p.type}:${p.version}:${field(p.description ?? "")}${field(value)}`;
}
