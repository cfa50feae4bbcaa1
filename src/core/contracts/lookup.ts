/**
 * Walking a contract schema along a runtime JSON pointer. A key is promised when a `properties`
 * entry names it (or `items` / `prefixItems` covers an index); `additionalProperties` or
 * `patternProperties` promise it only when they are schemas, not merely absent: the JSON Schema
 * default (anything else allowed) does not make a key part of the contract. `allOf`/`anyOf`/
 * `oneOf` branches and local `$ref`s (`#/$defs/...`) are followed. O(depth × branches).
 */
import type { JsonObject, JsonValue } from "../estate/model.js";
import { getAtPointer, parsePointer } from "../json/pointer.js";
import type { KeyLookup } from "./model.js";

function isObject(value: JsonValue | undefined): value is JsonObject {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** The branches that together describe one schema node: itself plus allOf/anyOf/oneOf members, local $refs followed. */
function branches(root: JsonObject, node: JsonValue, seen = new Set<JsonValue>()): JsonValue[] {
  if (seen.has(node)) return [];
  seen.add(node);
  if (!isObject(node)) return [node];
  const out: JsonValue[] = [node];
  const ref = node.$ref;
  if (typeof ref === "string" && ref.startsWith("#")) {
    const target = getAtPointer(root, ref.slice(1));
    if (target !== undefined) out.push(...branches(root, target, seen));
  }
  for (const keyword of ["allOf", "anyOf", "oneOf"]) {
    const list = node[keyword];
    if (Array.isArray(list)) for (const item of list) out.push(...branches(root, item, seen));
  }
  return out;
}

function child(node: JsonValue, segment: string): JsonValue | undefined {
  if (node === true) return true;
  if (!isObject(node)) return undefined;
  const properties = node.properties;
  if (isObject(properties) && Object.hasOwn(properties, segment)) return properties[segment];
  const patterns = node.patternProperties;
  if (isObject(patterns))
    for (const [pattern, schema] of Object.entries(patterns)) {
      try {
        if (new RegExp(pattern, "u").test(segment)) return schema;
      } catch {
        // an invalid pattern is reported when the schema is compiled
      }
    }
  if (/^(0|[1-9][0-9]*)$/.test(segment)) {
    const index = Number(segment);
    const prefix = node.prefixItems;
    if (Array.isArray(prefix) && index < prefix.length) return prefix[index];
    if (node.items !== undefined && !Array.isArray(node.items)) return node.items;
    if (Array.isArray(node.items) && index < node.items.length) return node.items[index];
  }
  const extra = node.additionalProperties;
  if (extra !== undefined && extra !== false) return extra;
  return undefined;
}

function declaredKeys(nodes: readonly JsonValue[]): string[] {
  const keys = new Set<string>();
  for (const node of nodes)
    if (isObject(node) && isObject(node.properties))
      for (const k of Object.keys(node.properties)) keys.add(k);
  return [...keys].sort();
}

/** What `schema` promises at `pointer` ("" is the whole runtime, always found). */
export function lookupKey(schema: JsonObject, pointer: string): KeyLookup {
  const segments = parsePointer(pointer) ?? [];
  let nodes = branches(schema, schema);
  let parent = "";
  for (const segment of segments) {
    const next: JsonValue[] = [];
    for (const node of nodes) {
      const found = child(node, segment);
      if (found !== undefined) next.push(...branches(schema, found));
    }
    if (next.length === 0) return { found: false, parent, missing: segment, available: declaredKeys(nodes) };
    nodes = next;
    parent = `${parent}/${segment.replace(/~/g, "~0").replace(/\//g, "~1")}`;
  }
  return { found: true, schema: nodes.length === 1 ? nodes[0]! : { allOf: nodes } };
}

/**
 * The JSON types the contract allows at a found key, sorted ("integer" is folded into "number"
 * only when both appear); undefined when the key is unconstrained.
 */
export function typesAt(schema: JsonObject, pointer: string): string[] | undefined {
  const lookup = lookupKey(schema, pointer);
  if (!lookup.found) return undefined;
  const types = new Set<string>();
  let constrained = false;
  for (const node of branches(schema, lookup.schema)) {
    if (!isObject(node)) continue;
    const type = node.type;
    if (typeof type === "string") {
      constrained = true;
      types.add(type);
    } else if (Array.isArray(type)) {
      constrained = true;
      for (const t of type) if (typeof t === "string") types.add(t);
    }
  }
  if (!constrained) return undefined;
  if (types.has("number")) types.delete("integer");
  return [...types].sort();
}
