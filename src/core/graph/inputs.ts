/**
 * Turning what was read into builder input (pure): one environment's store tree (published config
 * and runtime parameters, external runtimes) or the working tree's components. The I/O — opening
 * stores, `readTree`, loading the estate — stays with the caller.
 */
import type { Problem } from "../errors.js";
import type { Component, JsonObject, JsonValue } from "../estate/model.js";
import { formatComponentId } from "../ids.js";
import { tryParseJson } from "../json/lenient.js";
import { parseProvenance } from "../provenance/provenance.js";
import { extractReferences, type TypeIndex } from "../references/extract.js";
import type { BuildComponentInput, BuildRuntimeInput } from "./builder.js";

/** The fields of a stored parameter the graph needs (a `TreeParameter` fits). */
export interface StoredParameter {
  name: string;
  type: "String" | "StringList" | "SecureString";
  value: string;
  version: number;
  description?: string;
}

export interface StoreInput {
  components: BuildComponentInput[];
  runtimes: BuildRuntimeInput[];
  /** Published configs that are not JSON objects, and reference problems inside them. */
  problems: Problem[];
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/**
 * The config version a runtime was produced from, by its description. Runtimes deployed together
 * share one description, so each distinct text is parsed once per call of `inputFromStore`.
 */
type ProducedFrom = (description: string | undefined) => number | undefined;

function producedFromReader(): ProducedFrom {
  const known = new Map<string, number | undefined>();
  return (description) => {
    if (description === undefined) return undefined;
    if (known.has(description)) return known.get(description);
    const version = parseProvenance(description)?.configVersion;
    const result = typeof version === "number" ? version : undefined;
    known.set(description, result);
    return result;
  };
}

function runtimeInput(
  env: string,
  type: string,
  nickname: string,
  external: boolean,
  parameter: StoredParameter,
  producedFrom: ProducedFrom,
): BuildRuntimeInput {
  const secure = parameter.type === "SecureString";
  const input: BuildRuntimeInput = { env, type, nickname, external, secure, version: parameter.version };
  if (!secure) {
    const values = tryParseJson(parameter.value);
    if (values !== undefined) input.values = values;
  }
  const configVersion = producedFrom(parameter.description);
  if (configVersion !== undefined) input.producedFromConfigVersion = configVersion;
  return input;
}

const RUNTIME = "/runtime";
const CONFIG = "/config";

/**
 * Builder input from one environment's store: `<prefix>/<type>/<nickname>/config|runtime` under
 * `prefix`, plus `/external/<type>/<nickname>/runtime` from `external`. Other names are ignored.
 * O(parameters + config sizes).
 */
export function inputFromStore(
  env: string,
  prefix: string,
  parameters: readonly StoredParameter[],
  external: readonly StoredParameter[],
  types: TypeIndex,
): StoreInput {
  const result: StoreInput = { components: [], runtimes: [], problems: [] };
  const head = `${prefix}/`;
  const producedFrom = producedFromReader();
  for (const parameter of parameters) {
    // `<type>/<nickname>/<kind>` after the head, scanned rather than split: this runs once per
    // parameter of the estate
    const name = parameter.name;
    if (!name.startsWith(head)) continue;
    const typeEnd = name.indexOf("/", head.length);
    if (typeEnd < 0) continue;
    const nicknameEnd = name.indexOf("/", typeEnd + 1);
    if (nicknameEnd < 0 || name.indexOf("/", nicknameEnd + 1) >= 0) continue;
    const isRuntime = name.endsWith(RUNTIME) && name.length - nicknameEnd === RUNTIME.length;
    const isConfig = !isRuntime && name.endsWith(CONFIG) && name.length - nicknameEnd === CONFIG.length;
    if (!isRuntime && !isConfig) continue;
    const type = name.slice(head.length, typeEnd);
    const nickname = name.slice(typeEnd + 1, nicknameEnd);
    if (isRuntime) {
      result.runtimes.push(runtimeInput(env, type, nickname, false, parameter, producedFrom));
    } else {
      const id = formatComponentId({ env, type, nickname });
      const config = parameter.type === "SecureString" ? undefined : tryParseJson(parameter.value);
      if (!isObject(config)) {
        result.problems.push({
          code: "graph.config-unreadable",
          component: id,
          message: `published config ${parameter.name} (v${parameter.version}) is not a readable JSON object; it is in the graph without references`,
          fix: "Republish the component with `karma publish`.",
          severity: "warning",
        });
      }
      const document = isObject(config) ? config : {};
      const extracted = extractReferences(document, { env, prefix, types, component: id });
      for (const problem of extracted.problems) result.problems.push(problem);
      result.components.push({
        env,
        type,
        nickname,
        config: document,
        references: extracted.references,
        configVersion: parameter.version,
      });
    }
  }
  for (const parameter of external) {
    const parts = parameter.name.split("/");
    // "", "external", type, nickname, "runtime"
    if (parts.length !== 5 || parts[1] !== "external" || parts[4] !== "runtime") continue;
    result.runtimes.push(runtimeInput(env, parts[2]!, parts[3]!, true, parameter, producedFrom));
  }
  return result;
}

/** Builder input from the working tree: the estate's components as loaded (references already extracted). */
export function inputFromEstate(components: readonly Component[]): BuildComponentInput[] {
  return components.map((c) => ({
    env: c.env,
    type: c.type,
    nickname: c.nickname,
    config: c.config,
    references: c.references,
    file: c.file,
  }));
}
