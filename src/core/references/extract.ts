/**
 * Finds every reference a component's config declares (DESIGN.md §1), anywhere in the document,
 * with the JSON pointer where it is declared. Whether the targets exist is checked later, against
 * the whole estate (`estate/check-references.ts`); inference from runtime values is the graph's job.
 *
 * Recognised forms:
 * - `{"$ref": "[env:]type/nickname[#/runtime/pointer]"}` — the object stands for one value (key-level);
 * - `"<type>_nickname": "main"` and `"<type>_nicknames": ["a", "b"]`, where `<type>` is a known type
 *   written with `_` for `-`/`.` (`s3_bucket_nickname` → `s3-bucket`); unknown prefixes are plain data;
 * - `{"src_type": "s3-bucket", "src_nickname": "assets"}` in one object;
 * - `"*_runtime_path": "<prefix>/<type>/<nickname>/runtime"` or `/external/<type>/<nickname>/runtime`
 *   (malformed values of such keys are problems), and any other string value of exactly that shape;
 * - `"depends_on": ["type/nickname", "env:type/nickname"]`.
 */
import type { Problem } from "../errors.js";
import type { ComponentAddress, JsonObject, JsonValue, Reference, ReferenceForm } from "../estate/model.js";
import { explainInvalidName, formatComponentId, parseComponentRef, typeKeyForm } from "../ids.js";
import { appendPointer, comparePointers, isPointer } from "../json/pointer.js";
import { compareCodeUnits, sortSmall } from "../sort-small.js";

/** Known types indexed by the form they take in key prefixes (`s3_bucket` → `s3-bucket`). */
export interface TypeIndex {
  readonly byKeyForm: ReadonlyMap<string, string>;
}

/**
 * Indexes type names for `<type>_nickname` matching. When two types share a key form
 * (`s3-bucket` and `s3_bucket`), the one spelt exactly like the key wins, then the first in order.
 */
export function indexTypes(types: Iterable<string>): TypeIndex {
  const byKeyForm = new Map<string, string>();
  for (const type of [...new Set(types)].sort()) {
    const form = typeKeyForm(type);
    const existing = byKeyForm.get(form);
    if (existing === undefined || type === form) byKeyForm.set(form, type);
  }
  return { byKeyForm };
}

export interface ReferenceContext {
  /** The consumer's environment: the default for targets that name none. */
  env: string;
  /** The consumer environment's parameter prefix, e.g. `/iac`. */
  prefix: string;
  types: TypeIndex;
  /** Copied onto problems. */
  file?: string;
  component?: string;
}

export interface ExtractedReferences {
  /** Sorted by pointer (document order), then form, then target. */
  references: Reference[];
  /** `ref.malformed` and `ref.incomplete-pair` errors. */
  problems: Problem[];
}

export function extractReferences(config: JsonObject, context: ReferenceContext): ExtractedReferences {
  const walker = new Walker(context);
  walker.object(config, "");
  sortSmall(walker.references, compareReferences);
  return { references: walker.references, problems: walker.problems };
}

const EXTERNAL_PREFIX = "/external";
const NICKNAME_SUFFIX = "_nickname";
const NICKNAMES_SUFFIX = "_nicknames";
const RUNTIME_PATH_SUFFIX = "_runtime_path";

class Walker {
  readonly references: Reference[] = [];
  readonly problems: Problem[] = [];
  private readonly prefix: string;

  constructor(private readonly context: ReferenceContext) {
    // one walker per config: the usual prefix, without a trailing "/", costs no regex
    this.prefix = context.prefix.endsWith("/") ? context.prefix.replace(/\/+$/, "") : context.prefix;
  }

  value(value: JsonValue, pointer: string): void {
    if (typeof value === "string") this.looseRuntimePath(value, pointer);
    else if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) this.value(value[i]!, appendPointer(pointer, i));
    } else if (value !== null && typeof value === "object") this.object(value, pointer);
  }

  object(object: JsonObject, pointer: string): void {
    if (Object.hasOwn(object, "$ref")) {
      this.explicitRef(object, pointer);
      return;
    }
    const isPair = Object.hasOwn(object, "src_type") || Object.hasOwn(object, "src_nickname");
    if (isPair) this.srcPair(object, pointer);
    if (keysInOrder(object)) {
      // for…in visits an object's keys in the order Object.keys lists them, without making that list
      for (const key in object) this.field(object, key, pointer, isPair);
    } else for (const key of Object.keys(object).sort()) this.field(object, key, pointer, isPair);
  }

  private field(object: JsonObject, key: string, pointer: string, isPair: boolean): void {
    const value = object[key]!;
    if (isPair && (key === "src_type" || key === "src_nickname")) return;
    const one = key.endsWith(NICKNAME_SUFFIX) ? this.typeOfKey(key, NICKNAME_SUFFIX) : undefined;
    const many = key.endsWith(NICKNAMES_SUFFIX) ? this.typeOfKey(key, NICKNAMES_SUFFIX) : undefined;
    if (key === "depends_on") this.dependsOn(value, appendPointer(pointer, key));
    else if (one) this.nicknameField(one, key, value, appendPointer(pointer, key));
    else if (many) this.nicknamesField(many, key, value, appendPointer(pointer, key));
    else if ((key === "runtime_path" || key.endsWith(RUNTIME_PATH_SUFFIX)) && typeof value === "string")
      this.strictRuntimePath(key, value, appendPointer(pointer, key));
    // most values are plain data: no pointer is made for one that cannot be a reference
    else if (mayHoldReference(value)) this.value(value, appendPointer(pointer, key));
  }

  private typeOfKey(key: string, suffix: string): string | undefined {
    return this.context.types.byKeyForm.get(key.slice(0, -suffix.length));
  }

  private explicitRef(object: JsonObject, pointer: string): void {
    const text = object.$ref;
    const example = '{"$ref": "vpc/main#/vpc_id"}';
    if (typeof text !== "string") {
      this.problem(
        pointer,
        `"$ref" must be a string "[env:]type/nickname#/runtime/key", not ${describe(text!)}`,
        `write it like ${example}`,
      );
      return;
    }
    const extra = hasOneKey(object) ? [] : Object.keys(object).filter((k) => k !== "$ref");
    if (extra.length > 0)
      this.problem(
        pointer,
        `a {"$ref": …} object stands for one value and is replaced whole at deploy time, but it also has ${extra
          .sort()
          .map((k) => JSON.stringify(k))
          .join(", ")}`,
        `move ${extra.length === 1 ? "that key" : "those keys"} out of the $ref object`,
      );
    const hash = text.indexOf("#");
    const target = hash === -1 ? text : text.slice(0, hash);
    const key = hash === -1 ? "" : text.slice(hash + 1);
    const parsed = parseComponentRef(target, this.context.env);
    if (!parsed.ok) {
      this.problem(pointer, `"$ref": ${parsed.reason}`, `write it like ${example}`);
      return;
    }
    if (!isPointer(key)) {
      this.problem(
        pointer,
        `"$ref": the part after "#" must be a JSON pointer into the producer's runtime such as "/vpc_id", not ${JSON.stringify(key)}`,
        `write it like ${example}`,
      );
      return;
    }
    this.add("ref", pointer, parsed.address, { key });
  }

  private srcPair(object: JsonObject, pointer: string): void {
    const type = object.src_type;
    const nickname = object.src_nickname;
    if (type === undefined || nickname === undefined) {
      const missing = type === undefined ? "src_type" : "src_nickname";
      const present = type === undefined ? "src_nickname" : "src_type";
      this.problems.push({
        ...this.located(pointer),
        code: "ref.incomplete-pair",
        message: `"${present}" without "${missing}": the pair names a source component only together`,
        fix: `add "${missing}" to this object, or rename "${present}" if it is not a reference`,
        severity: "error",
      });
      return;
    }
    if (typeof type !== "string" || typeof nickname !== "string") {
      this.problem(
        pointer,
        '"src_type" and "src_nickname" must both be strings',
        'write them like {"src_type": "s3-bucket", "src_nickname": "assets"}',
      );
      return;
    }
    const bad = this.badName("src_type", type) ?? this.badName("src_nickname", nickname);
    if (bad) {
      this.problem(pointer, bad, 'write them like {"src_type": "s3-bucket", "src_nickname": "assets"}');
      return;
    }
    this.add("src-pair", pointer, { env: this.context.env, type, nickname });
  }

  private dependsOn(value: JsonValue, pointer: string): void {
    const fix = 'write it as a list of components, e.g. "depends_on": ["vpc/main", "prod:dns/zone"]';
    if (!Array.isArray(value)) {
      this.problem(
        pointer,
        `"depends_on" must be an array of "type/nickname" strings, not ${describe(value)}`,
        fix,
      );
      return;
    }
    value.forEach((item, i) => {
      const at = appendPointer(pointer, i);
      if (typeof item !== "string") {
        this.problem(at, `"depends_on" entries must be "type/nickname" strings, not ${describe(item)}`, fix);
        return;
      }
      const parsed = parseComponentRef(item, this.context.env);
      if (parsed.ok) this.add("depends-on", at, parsed.address);
      else this.problem(at, `"depends_on": ${parsed.reason}`, fix);
    });
  }

  private nicknameField(type: string, key: string, value: JsonValue, pointer: string): void {
    // null or "" means "no such producer", which configs use for optional links
    if (value === null || value === "") return;
    if (typeof value === "string") {
      this.nickname(type, key, value, pointer, "nickname-field");
      return;
    }
    if (typeof value === "object" && !Array.isArray(value)) {
      this.object(value, pointer);
      return;
    }
    this.problem(
      pointer,
      `"${key}" names a ${type} component and must be its nickname as a string, not ${describe(value)}`,
      `write it like "${key}": "main"`,
    );
  }

  private nicknamesField(type: string, key: string, value: JsonValue, pointer: string): void {
    if (value === null) return;
    if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) {
      this.problem(
        pointer,
        `"${key}" names ${type} components and must be an array of nicknames, not ${describe(value)}`,
        `write it like "${key}": ["a", "b"]`,
      );
      return;
    }
    value.forEach((nickname, i) => {
      this.nickname(type, key, nickname as string, appendPointer(pointer, i), "nickname-field");
    });
  }

  private nickname(type: string, key: string, nickname: string, pointer: string, form: ReferenceForm): void {
    const why = explainInvalidName(nickname);
    if (why) {
      this.problem(
        pointer,
        `"${key}" names a ${type} component, but ${JSON.stringify(nickname)} is not a valid nickname: ${why}`,
        `use the nickname of an existing ${type} component (its folder name under iac/<env>/${type}/)`,
      );
      return;
    }
    this.add(form, pointer, { env: this.context.env, type, nickname });
  }

  /** A value under a `*_runtime_path` key: it must be a runtime path. */
  private strictRuntimePath(key: string, value: string, pointer: string): void {
    if (value === "") return;
    const parsed = this.parseRuntimePath(value);
    if (parsed === undefined) {
      this.problem(
        pointer,
        `"${key}" must be a runtime parameter path "${this.prefix}/<type>/<nickname>/runtime" or "${EXTERNAL_PREFIX}/<type>/<nickname>/runtime", not ${JSON.stringify(value)}`,
        `write it like "${this.prefix}/vpc/main/runtime"`,
      );
      return;
    }
    if (typeof parsed === "string") {
      this.problem(pointer, `"${key}": ${parsed}`, `write it like "${this.prefix}/vpc/main/runtime"`);
      return;
    }
    this.add("runtime-path", pointer, parsed.address, { external: parsed.external });
  }

  /** Any other string: a reference only when it is exactly a well-formed runtime path. */
  private looseRuntimePath(value: string, pointer: string): void {
    if (!isRuntimePathShaped(value)) return;
    const parsed = this.parseRuntimePath(value);
    if (parsed !== undefined && typeof parsed !== "string")
      this.add("runtime-path", pointer, parsed.address, { external: parsed.external });
  }

  /**
   * `{address, external}` for a runtime path, a reason string when it has the shape but bad names,
   * undefined when it is not a runtime path of this prefix at all.
   */
  private parseRuntimePath(
    path: string,
  ): { address: ComponentAddress; external: boolean } | string | undefined {
    let rest: string;
    let external: boolean;
    if (path.startsWith(`${EXTERNAL_PREFIX}/`)) {
      rest = path.slice(EXTERNAL_PREFIX.length + 1);
      external = true;
    } else if (path.startsWith(`${this.prefix}/`)) {
      rest = path.slice(this.prefix.length + 1);
      external = false;
    } else return undefined;
    const parts = rest.split("/");
    if (parts.length !== 3 || parts[2] !== "runtime") return undefined;
    const [type, nickname] = parts as [string, string, string];
    const bad = this.badName("type", type) ?? this.badName("nickname", nickname);
    if (bad) return bad;
    return { address: { env: this.context.env, type, nickname }, external };
  }

  private badName(what: string, name: string): string | undefined {
    const why = explainInvalidName(name);
    return why ? `the ${what} ${JSON.stringify(name)} is not a valid name: ${why}` : undefined;
  }

  private add(
    form: ReferenceForm,
    pointer: string,
    target: ComponentAddress,
    extra?: { key?: string; external?: boolean },
  ): void {
    const reference: Reference = { form, pointer, target, external: extra?.external ?? false };
    if (extra?.key !== undefined) reference.key = extra.key;
    this.references.push(reference);
  }

  private problem(pointer: string, message: string, fix: string): void {
    this.problems.push({ ...this.located(pointer), code: "ref.malformed", message, fix, severity: "error" });
  }

  private located(pointer: string): Pick<Problem, "file" | "component" | "pointer"> {
    const { file, component } = this.context;
    return {
      ...(file !== undefined && { file }),
      ...(component !== undefined && { component }),
      pointer,
    };
  }
}

/**
 * Whether the object's keys come in sorted order. Published configs are canonical JSON, their
 * keys already sorted: checking (without listing the keys) costs less than sorting every object
 * of every config again.
 */
function keysInOrder(object: JsonObject): boolean {
  let previous: string | undefined;
  for (const key in object) {
    if (previous !== undefined && previous > key) return false;
    previous = key;
  }
  return true;
}

/** True when `$ref` is the object's only key (the caller knows it has that one). */
function hasOneKey(object: JsonObject): boolean {
  let n = 0;
  for (const _ in object) n++;
  return n === 1;
}

function isRuntimePathShaped(value: string): boolean {
  return value.startsWith("/") && value.endsWith("/runtime");
}

/** Objects and arrays may hold references, strings only when shaped like a runtime path. */
function mayHoldReference(value: JsonValue): boolean {
  return typeof value === "string" ? isRuntimePathShaped(value) : value !== null && typeof value === "object";
}

function describe(value: JsonValue): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  return `the ${typeof value} ${JSON.stringify(value)}`;
}

const FORM_ORDER: Record<ReferenceForm, number> = {
  ref: 0,
  "nickname-field": 1,
  "src-pair": 2,
  "runtime-path": 3,
  "depends-on": 4,
};

export function compareReferences(a: Reference, b: Reference): number {
  return (
    comparePointers(a.pointer, b.pointer) ||
    FORM_ORDER[a.form] - FORM_ORDER[b.form] ||
    compareCodeUnits(formatComponentId(a.target), formatComponentId(b.target))
  );
}
