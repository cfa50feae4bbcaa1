/**
 * Resolving a consumer's `$ref`s at deploy time. Every `{"$ref": "[env:]type/nickname#/pointer"}`
 * object in the config is replaced by the value at `pointer` in that producer's latest runtime.
 * What was read is returned with the producer runtime versions, so the new runtime's provenance
 * can say exactly which producer versions it was built from (that is what makes a consumer
 * detectably stale later). Pure: the caller reads the runtimes from the store.
 */
import { type Problem, ValidationFailedError } from "../errors.js";
import type { ComponentAddress, JsonObject, JsonValue } from "../estate/model.js";
import { componentKey, formatComponentId, parseComponentRef } from "../ids.js";
import { appendPointer, getAtPointer, parsePointer } from "../json/pointer.js";

/** A producer's latest runtime as read from the store. */
export interface ProducerRuntime {
  /** Parameter version of `<prefix>/<type>/<nickname>/runtime`. */
  version: number;
  value: JsonValue;
  /** The runtime is a SecureString: values read from it are secrets. */
  secure?: boolean;
}

export interface ConsumedRuntime {
  /** `env:type/nickname` */
  producer: string;
  version: number;
  /** JSON pointers read from the producer's runtime, sorted, unique. */
  keys: string[];
}

export interface ResolvedConfig {
  config: JsonObject;
  /** Sorted by producer id. */
  consumed: ConsumedRuntime[];
  /** String values taken from SecureString runtimes: keep them out of logs and output. */
  secrets: string[];
}

export interface ResolveContext {
  /** The consumer's environment (the default for refs without `env:`). */
  env: string;
  /** The consumer's config file, for problems. */
  file?: string;
  /** The consumer's id, for problems. */
  component?: string;
}

/** A parsed `$ref` string: `[env:]type/nickname#/pointer` (no `#` means the whole runtime). */
export function parseRuntimeRef(
  ref: string,
  defaultEnv: string,
): { ok: true; target: ComponentAddress; key: string } | { ok: false; reason: string } {
  const hash = ref.indexOf("#");
  const name = hash === -1 ? ref : ref.slice(0, hash);
  const key = hash === -1 ? "" : ref.slice(hash + 1);
  const parsed = parseComponentRef(name, defaultEnv);
  if (!parsed.ok) return parsed;
  if (parsePointer(key) === undefined) {
    return {
      ok: false,
      reason: `"${key}" after "#" in "${ref}" is not a JSON pointer (it must start with "/")`,
    };
  }
  return { ok: true, target: parsed.address, key };
}

/**
 * Returns `config` with every `$ref` replaced. `runtimes` is keyed by producer id
 * (`env:type/nickname`). Throws `ValidationFailedError` listing every unresolvable reference.
 */
export function resolveReferences(
  config: JsonObject,
  context: ResolveContext,
  runtimes: ReadonlyMap<string, ProducerRuntime>,
): ResolvedConfig {
  const problems: Problem[] = [];
  const consumed = new Map<string, { version: number; keys: Set<string> }>();
  const secrets = new Set<string>();

  const where = (pointer: string) => ({
    ...(context.file !== undefined ? { file: context.file } : {}),
    ...(context.component !== undefined ? { component: context.component } : {}),
    pointer,
  });

  const visit = (node: JsonValue, pointer: string): JsonValue => {
    if (Array.isArray(node)) return node.map((item, i) => visit(item, appendPointer(pointer, i)));
    if (node === null || typeof node !== "object") return node;
    const ref = node.$ref;
    if (typeof ref === "string" && Object.keys(node).length === 1) return resolveOne(ref, pointer);
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(node)) out[k] = visit(v, appendPointer(pointer, k));
    return out;
  };

  const resolveOne = (ref: string, pointer: string): JsonValue => {
    const parsed = parseRuntimeRef(ref, context.env);
    if (!parsed.ok) {
      problems.push({
        code: "ref.malformed",
        ...where(pointer),
        message: parsed.reason,
        fix: 'write it as {"$ref": "type/nickname#/key"} or {"$ref": "env:type/nickname#/key"}',
        severity: "error",
      });
      return null;
    }
    const producerId = formatComponentId(parsed.target);
    const producerName = parsed.target.env === context.env ? componentKey(parsed.target) : producerId;
    const runtime = runtimes.get(producerId);
    if (!runtime) {
      problems.push({
        code: "ref.runtime-missing",
        ...where(pointer),
        message: `${producerName} has no runtime yet: it has not been deployed in environment "${parsed.target.env}"`,
        fix: `deploy it first: karma deploy ${parsed.target.type} ${parsed.target.nickname} --env ${parsed.target.env}`,
        severity: "error",
      });
      return null;
    }
    const value = getAtPointer(runtime.value, parsed.key);
    if (value === undefined) {
      const keys =
        runtime.value !== null && typeof runtime.value === "object" && !Array.isArray(runtime.value)
          ? Object.keys(runtime.value).sort()
          : [];
      problems.push({
        code: "ref.runtime-key-missing",
        ...where(pointer),
        message: `the runtime of ${producerName} (version ${runtime.version}) has nothing at "${parsed.key}"`,
        fix: keys.length
          ? `use one of its keys: ${keys.map((k) => `#/${k}`).join(", ")}`
          : `check that ${producerName}'s module outputs the key, then redeploy it`,
        severity: "error",
      });
      return null;
    }
    const entry = consumed.get(producerId) ?? { version: runtime.version, keys: new Set<string>() };
    entry.keys.add(parsed.key);
    consumed.set(producerId, entry);
    if (runtime.secure) for (const s of stringLeaves(value)) secrets.add(s);
    return value;
  };

  const resolved = visit(config, "") as JsonObject;
  if (problems.length > 0) {
    throw new ValidationFailedError(
      problems,
      `${problems.length} reference(s) of ${context.component ?? "the component"} cannot be resolved`,
    );
  }
  return {
    config: resolved,
    consumed: [...consumed.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([producer, { version, keys }]) => ({ producer, version, keys: [...keys].sort() })),
    secrets: [...secrets].sort(),
  };
}

function stringLeaves(value: JsonValue): string[] {
  if (typeof value === "string") return [value];
  if (typeof value === "number" || typeof value === "boolean") return [String(value)];
  if (Array.isArray(value)) return value.flatMap(stringLeaves);
  if (value !== null && typeof value === "object") return Object.values(value).flatMap(stringLeaves);
  return [];
}
