/**
 * The "distinctive value" predicate behind value inference: a config value only counts as
 * evidence of a dependency when it is something a human would not type by coincidence — cloud
 * ids, ARNs, hostnames, long opaque strings. Booleans, small numbers, empty strings, common words,
 * regions, versions, instance sizes and well-known CIDRs never count.
 *
 * Examples:
 *   distinctiveReason("vpc-0abc1234def567890")           → "aws-id"
 *   distinctiveReason("arn:aws:s3:::assets")             → "arn"
 *   distinctiveReason("db.internal.example.com")         → "hostname"
 *   distinctiveReason(123456789012)                      → "large-number"
 *   distinctiveReason("true"), (5432), ("us-east-1")     → undefined
 */
import type { JsonValue } from "../estate/model.js";

/** Words and values that appear everywhere and prove nothing. Lower-case. */
const COMMON_VALUES = new Set([
  "true",
  "false",
  "yes",
  "no",
  "null",
  "none",
  "enabled",
  "disabled",
  "default",
  "latest",
  "internal",
  "external",
  "private",
  "public",
  "production",
  "staging",
  "development",
  "localhost",
  "127.0.0.1",
  "0.0.0.0",
  "0.0.0.0/0",
  "::/0",
  "10.0.0.0/8",
  "10.0.0.0/16",
  "172.16.0.0/12",
  "192.168.0.0/16",
  "application/json",
  "text/html",
  "index.html",
  "us-east-1",
]);

const ARN = /^arn:[a-z0-9-]+:[a-z0-9-]*:[a-z0-9-]*:\d{0,12}:.+$/i;
/** AWS-style resource ids: `vpc-0abc…`, `i-0123…`, `sg-…`, `subnet-…`, `ami-…`, `Z0123ABC…` zones. */
const AWS_ID = /^(?:[a-z]{1,12}-[0-9a-f]{8,32}|Z[0-9A-Z]{9,31})$/;
const HOSTNAME = /^(?=.{8,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.){2,}[a-z]{2,63}\.?$/i;
const URL = /^[a-z][a-z0-9+.-]*:\/\/[^\s]{6,}$/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const REGION = /^[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d$/;
const VERSION = /^v?\d+(?:\.\d+){1,3}(?:[-+][0-9a-z.-]+)?$/i;
/** Instance / node sizes: `t3.medium`, `db.r6g.large`, `cache.t4g.micro`. */
const INSTANCE_SIZE = /^(?:[a-z]+\.)?[a-z][a-z0-9-]*\d[a-z0-9-]*\.[0-9]*[a-z]+$/;
const DATE = /^\d{4}-\d{2}-\d{2}(?:[T ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const DURATION = /^\d+(?:ms|s|m|h|d|w)$/;
/** A single lower-case word, possibly hyphenated: names typed by people (`main`, `blue-green`). */
const PLAIN_WORDS = /^[a-z]+(?:[-_][a-z]+)*$/;

/** Numbers below this are sizes, ports, counts — not identities. */
const MIN_DISTINCTIVE_NUMBER = 100_000;
const MIN_STRING_LENGTH = 8;
/** Plain words only count when they are this long (e.g. a generated bucket name). */
const MIN_PLAIN_WORDS_LENGTH = 20;

/**
 * Why `value` is distinctive enough to infer a dependency from, or `undefined` when it is not.
 * Pure and cheap: O(length of the value).
 */
export function distinctiveReason(value: JsonValue): string | undefined {
  if (typeof value === "number") {
    return Number.isInteger(value) && Math.abs(value) >= MIN_DISTINCTIVE_NUMBER ? "large-number" : undefined;
  }
  if (typeof value !== "string") return undefined;
  const text = value.trim();
  if (text.length < MIN_STRING_LENGTH || text !== value) return undefined;
  // this runs on every runtime leaf of the estate: each pattern is tried only when the text can
  // match it (its first or last character, a "." or "://" it must hold), which decides nothing
  // but spares most of the regular expressions
  if (text.length <= LONGEST_COMMON_VALUE && COMMON_VALUES.has(text.toLowerCase())) return undefined;
  const first = text.charCodeAt(0);
  const startsWithDigit = isDigit(first);
  const hasDot = text.includes(".");
  if (isDigit(text.charCodeAt(text.length - 1)) && isLower(first) && REGION.test(text)) return undefined;
  if ((startsWithDigit || first === V || first === V_UPPER) && VERSION.test(text)) return undefined;
  if (startsWithDigit && (DATE.test(text) || DURATION.test(text))) return undefined;
  if (hasDot && isLower(first) && INSTANCE_SIZE.test(text)) return undefined;
  if (fewDistinctCharacters(text)) return undefined; // "00000000", "--------"
  if (ARN.test(text)) return "arn";
  if ((isLower(first) || first === Z) && AWS_ID.test(text)) return "aws-id";
  if (text.length === 36 && UUID.test(text)) return "uuid";
  if (text.includes("://") && URL.test(text)) return "url";
  if (hasDot && HOSTNAME.test(text)) return "hostname";
  if (/^\d+$/.test(text)) return text.length >= 10 ? "numeric-id" : undefined; // account ids are 12 digits
  if (PLAIN_WORDS.test(text)) return text.length >= MIN_PLAIN_WORDS_LENGTH ? "long-string" : undefined;
  if (/\s/.test(text)) return text.length >= MIN_PLAIN_WORDS_LENGTH ? "long-string" : undefined;
  // mixed letters, digits and separators: generated names and ids (`assets-7f3a9c`, `cluster/prod-01`)
  return /\d/.test(text) && /[a-z]/i.test(text) ? "opaque-id" : text.length >= 16 ? "long-string" : undefined;
}

const LONGEST_COMMON_VALUE = Math.max(...[...COMMON_VALUES].map((v) => v.length));
const V = 0x76; // "v"
const V_UPPER = 0x56;
const Z = 0x5a; // "Z"

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

function isLower(code: number): boolean {
  return code >= 0x61 && code <= 0x7a;
}

/** At most two distinct characters (UTF-16 code units, as `new Set(text)` would count code points). */
function fewDistinctCharacters(text: string): boolean {
  const a = text.codePointAt(0)!;
  let b: number | undefined;
  for (let i = 0; i < text.length; ) {
    const c = text.codePointAt(i)!;
    i += c > 0xffff ? 2 : 1;
    if (c === a || c === b) continue;
    if (b !== undefined) return false;
    b = c;
  }
  return true;
}

/**
 * Config keys whose values must never be fingerprinted or matched, even when distinctive: they
 * may hold secrets that were pasted into config by mistake.
 */
export function isSecretLookingKey(pointer: string): boolean {
  return /(password|passwd|secret|token|private[_-]?key|credential|api[_-]?key)/i.test(pointer);
}
