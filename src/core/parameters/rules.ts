/**
 * SSM Parameter Store naming and size rules, shared by the embedded store (which enforces them
 * like AWS does) and estate validation (which reports them before anything is published).
 * Returned messages are AWS's wording where AWS has one.
 */
import type { ParameterStoreErrorName, ParameterTier } from "./model.js";

export const MAX_NAME_LENGTH = 1011;
export const MAX_HIERARCHY_LEVELS = 15;
export const STANDARD_VALUE_LIMIT = 4096;
export const ADVANCED_VALUE_LIMIT = 8192;
export const MAX_VERSIONS = 100;
export const MAX_LABELS_PER_VERSION = 10;

const NAME_CHARS = /^[a-zA-Z0-9_.\-/]+$/;

export interface RuleViolation {
  error: ParameterStoreErrorName;
  message: string;
}

/** Checks a parameter name (without selector) the way PutParameter does. */
export function checkParameterName(name: string): RuleViolation | undefined {
  if (name.length === 0)
    return { error: "ValidationException", message: "Parameter name must not be empty." };
  if (name.length > MAX_NAME_LENGTH)
    return {
      error: "ValidationException",
      message: `Parameter name is ${name.length} characters; the maximum is ${MAX_NAME_LENGTH}.`,
    };
  if (!NAME_CHARS.test(name))
    return {
      error: "ValidationException",
      message:
        'Parameter name: can\'t be prefixed with "aws" or "ssm" (case-insensitive). It must use only letters, numbers, or the following symbols: . (period), - (hyphen), _ (underscore). Special characters are not allowed. All sub-paths, if specified, must use the forward slash symbol "/". Valid example: /get/parameters2-/by1./path0_.',
    };
  if (name.includes("/") && !name.startsWith("/"))
    return {
      error: "ValidationException",
      message: 'Parameter name must be a fully qualified name (begin with "/" when it contains "/").',
    };
  if (name.endsWith("/") || name.includes("//"))
    return { error: "ValidationException", message: "Parameter name must not contain empty path segments." };
  const first = (name.startsWith("/") ? name.slice(1) : name).toLowerCase();
  if (first.startsWith("aws") || first.startsWith("ssm"))
    return {
      error: "ValidationException",
      message: 'Parameter name: can\'t be prefixed with "aws" or "ssm" (case-insensitive).',
    };
  // no empty segment is left (checked above): a qualified name has one level per "/", an
  // unqualified one (no "/" at all) has one
  let levels = 1;
  if (name.startsWith("/")) {
    levels = 0;
    for (let i = name.indexOf("/"); i !== -1; i = name.indexOf("/", i + 1)) levels++;
  }
  if (levels > MAX_HIERARCHY_LEVELS)
    return {
      error: "HierarchyLevelLimitExceededException",
      message: `A hierarchy can have a maximum of ${MAX_HIERARCHY_LEVELS} levels. You can define a parameter at any level of the hierarchy. Parameter "${name.slice(0, 80)}…" has ${levels}.`,
    };
  return undefined;
}

/** Size of a value as SSM counts it (bytes of UTF-8). */
export function valueSize(value: string): number {
  return Buffer.byteLength(value, "utf8");
}

/** Checks a value against the tier's size limit; Intelligent-Tiering allows up to the advanced limit. */
export function checkValueSize(value: string, tier: ParameterTier): RuleViolation | undefined {
  const size = valueSize(value);
  if (tier === "Standard" && size > STANDARD_VALUE_LIMIT)
    return {
      error: "ValidationException",
      message: `Standard tier parameters support a maximum parameter value of ${STANDARD_VALUE_LIMIT} characters. To create a larger parameter value, upgrade the parameter to use the advanced-parameter tier. Value is ${size} bytes.`,
    };
  if (size > ADVANCED_VALUE_LIMIT)
    return {
      error: "ValidationException",
      message: `Advanced tier parameters support a maximum parameter value of ${ADVANCED_VALUE_LIMIT} characters. Value is ${size} bytes.`,
    };
  return undefined;
}
