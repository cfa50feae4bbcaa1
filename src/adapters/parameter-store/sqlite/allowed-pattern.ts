/**
 * `AllowedPattern` checks in linear time. A pattern comes from the client, so a backtracking
 * engine (JavaScript's RegExp) would let one PutParameter with `^(a+)+$` and a long value stall
 * the whole process — every other client of `karma serve` and its SIGTERM handler included.
 * RE2's automata match in time linear in the value whatever the pattern; re2js is RE2 in plain
 * JavaScript (the native `re2` binding needs Node 22 and a C++ build).
 *
 * The price: RE2 has no backreferences or lookaround. AWS (a Java regex engine) accepts them, so
 * such a pattern is refused with a ValidationException saying so rather than evaluated unsafely.
 */
import { RE2JS } from "re2js";
import { ParameterStoreError } from "../../../ports/parameter-store.js";

/** Compiled patterns, since one estate reuses a handful of them on every write. */
const compiled = new Map<string, RE2JS>();
const CACHE_LIMIT = 256;

function compile(name: string, pattern: string): RE2JS {
  const hit = compiled.get(pattern);
  if (hit) return hit;
  let regex: RE2JS;
  try {
    regex = RE2JS.compile(pattern);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new ParameterStoreError(
      "ValidationException",
      `AllowedPattern of ${name} is not a regular expression Karma can evaluate (${detail}). Karma matches patterns in linear time (RE2 syntax): backreferences and lookaround are not supported.`,
    );
  }
  if (compiled.size >= CACHE_LIMIT) compiled.clear();
  compiled.set(pattern, regex);
  return regex;
}

/** Throws ParameterPatternMismatchException, as SSM does, when `value` does not match `pattern`. */
export function checkAllowedPattern(name: string, value: string, pattern: string): void {
  // SSM searches for the pattern (anchors are the pattern's business), like RegExp.test.
  if (!compile(name, pattern).matcher(value).find()) {
    throw new ParameterStoreError(
      "ParameterPatternMismatchException",
      `Parameter value, cannot be validated against allowedPattern: ${pattern}`,
    );
  }
}
