/**
 * ParameterFilters for DescribeParameters and GetParametersByPath: validation with SSM's error
 * names, and matching against one parameter. Pure; the store supplies the parameter facts.
 */
import { type ParameterFilter, ParameterStoreError } from "../../../ports/parameter-store.js";

export type FilterContext = "describe" | "by-path";

/** Facts a filter may look at. */
export interface FilterSubject {
  name: string;
  type: string;
  keyId?: string | undefined;
  tier: string;
  dataType: string;
  labels(): readonly string[];
  tags(): ReadonlyMap<string, string>;
}

const KEY_PATTERN = /^(tag:.+|Name|Type|KeyId|Path|Label|Tier|DataType)$/;
const TYPES = ["String", "StringList", "SecureString"];
const TIERS = ["Standard", "Advanced", "Intelligent-Tiering"];

function optionsFor(key: string): readonly string[] {
  if (key === "Path") return ["Recursive", "OneLevel"];
  if (key === "Name") return ["Equals", "BeginsWith", "Contains"];
  if (key === "KeyId") return ["Equals", "BeginsWith"];
  if (key.startsWith("tag:")) return ["Equals", "BeginsWith", "Contains"];
  return ["Equals"];
}

function defaultOption(key: string): string {
  return key === "Path" ? "OneLevel" : "Equals";
}

/** A filter with its defaults filled in. */
export interface NormalizedFilter {
  key: string;
  option: string;
  values: readonly string[];
}

export function normalizeFilters(
  filters: readonly ParameterFilter[] | undefined,
  context: FilterContext,
): NormalizedFilter[] {
  const seen = new Set<string>();
  const result: NormalizedFilter[] = [];
  for (const [index, filter] of (filters ?? []).entries()) {
    const { key } = filter;
    if (typeof key !== "string" || !KEY_PATTERN.test(key) || key.length > 132) {
      throw new ParameterStoreError(
        "ValidationException",
        `1 validation error detected: Value '${String(key)}' at 'parameterFilters.${index + 1}.member.key' failed to satisfy constraint: Member must satisfy regular expression pattern: tag:.+|Name|Type|KeyId|Path|Label|Tier|DataType.`,
      );
    }
    const notHere = context === "describe" ? ["Label"] : ["Name", "Path", "Tier"];
    if (notHere.includes(key)) {
      const valid =
        context === "describe"
          ? "[Path, Name, Type, KeyId, Tier, DataType, tag]"
          : "[Type, KeyId, Label, DataType, tag]";
      throw new ParameterStoreError(
        "InvalidFilterKey",
        `The following filter key is not valid: ${key}. Valid filter keys include: ${valid}.`,
      );
    }
    if (seen.has(key)) {
      throw new ParameterStoreError(
        "InvalidFilterKey",
        `The following filter is duplicated in the request: ${key}. A request can contain only one occurrence of a specific filter.`,
      );
    }
    seen.add(key);
    const option = filter.option ?? defaultOption(key);
    if (!optionsFor(key).includes(option)) {
      throw new ParameterStoreError(
        "InvalidFilterOption",
        `The following filter option is not valid: ${option}. Valid options include: [${optionsFor(key).join(", ")}].`,
      );
    }
    const values = filter.values ?? [];
    if (values.length === 0 && !key.startsWith("tag:")) {
      throw new ParameterStoreError(
        "InvalidFilterValue",
        `The following filter values are missing : null for filter key ${key}.`,
      );
    }
    if (values.length > 50 || values.some((v) => v.length < 1 || v.length > 1024)) {
      throw new ParameterStoreError(
        "ValidationException",
        `1 validation error detected: Value at 'parameterFilters.${index + 1}.member.values' failed to satisfy constraint: at most 50 values of 1 to 1024 characters.`,
      );
    }
    if (key === "Type" || key === "Tier") {
      const allowed = key === "Type" ? TYPES : TIERS;
      const bad = values.find((v) => !allowed.includes(v));
      if (bad !== undefined) {
        throw new ParameterStoreError(
          "InvalidFilterValue",
          `The following filter value is not valid: ${bad}. Valid values include: [${allowed.join(", ")}].`,
        );
      }
    }
    if (key === "Path") {
      const bad = values.find(
        (v) => !v.startsWith("/") || v.includes("//") || !/^[a-zA-Z0-9_.\-/]+$/.test(v),
      );
      if (bad !== undefined) {
        throw new ParameterStoreError(
          "ValidationException",
          `The Path filter value "${bad}" doesn't meet the parameter name requirements: it must begin with a forward slash "/" and use only letters, numbers, ".", "-", "_" and "/" between non-empty segments.`,
        );
      }
    }
    result.push({ key, option, values });
  }
  return result;
}

/** Treats `foo` and `/foo` alike, as SSM does when filtering on names and paths. */
function rooted(name: string): string {
  return name.startsWith("/") ? name : `/${name}`;
}

function compare(option: string, actual: string, expected: string): boolean {
  if (option === "BeginsWith") return actual.startsWith(expected);
  if (option === "Contains") return actual.includes(expected);
  return actual === expected;
}

function matchesPath(name: string, path: string, option: string): boolean {
  const base = path === "/" ? "/" : `${path.replace(/\/+$/, "")}/`;
  const full = rooted(name);
  if (!full.startsWith(base)) return false;
  return option === "Recursive" || !full.slice(base.length).includes("/");
}

/** True when `subject` satisfies every filter (each filter: any of its values). */
export function matchesFilters(subject: FilterSubject, filters: readonly NormalizedFilter[]): boolean {
  return filters.every((f) => matchesFilter(subject, f));
}

function matchesFilter(subject: FilterSubject, filter: NormalizedFilter): boolean {
  const { key, option, values } = filter;
  if (key === "Name") {
    const name = option === "Contains" ? subject.name : rooted(subject.name);
    return values.some((v) => compare(option, name, option === "Contains" ? v : rooted(v)));
  }
  if (key === "Path") return values.some((v) => matchesPath(subject.name, v, option));
  if (key === "Type") return values.includes(subject.type);
  if (key === "Tier") return values.includes(subject.tier);
  if (key === "DataType") return values.includes(subject.dataType);
  if (key === "KeyId")
    return subject.keyId !== undefined && values.some((v) => compare(option, subject.keyId!, v));
  if (key === "Label") return subject.labels().some((l) => values.includes(l));
  // tag:<key> — with no values, the tag merely has to exist.
  const tag = subject.tags().get(key.slice(4));
  if (tag === undefined) return false;
  return values.length === 0 || values.some((v) => compare(option, tag, v));
}
