/**
 * Reads the members of an SSM request body with AWS's checks: a member of the wrong JSON type is
 * a `SerializationException` (the body cannot be deserialised), a missing or out-of-range member
 * is a `ValidationException` whose message lists every violation in AWS's wording
 * ("Value null at 'name' failed to satisfy constraint: Member must not be null").
 */
import { protocolErrors } from "./protocol-error.js";

type Body = Record<string, unknown>;

const isString = (v: unknown): v is string => typeof v === "string";
const isBody = (v: unknown): v is Body => typeof v === "object" && v !== null && !Array.isArray(v);
const isOneOf = <T extends string>(v: string, allowed: readonly T[]): v is T => allowed.some((a) => a === v);

interface LengthBounds {
  required?: boolean;
  minLength?: number;
  maxLength?: number;
}

interface ValueBounds {
  min?: number;
  max?: number;
}

/** AWS names members in validation messages in lower camel case: `MaxResults` → `maxResults`. */
function memberPath(member: string): string {
  return member.charAt(0).toLowerCase() + member.slice(1);
}

function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

export class RequestReader {
  private readonly violations: string[] = [];

  constructor(private readonly body: Body) {}

  private violation(value: unknown, member: string, constraint: string): void {
    const shown =
      value === undefined ? "null" : `'${Array.isArray(value) ? `[${value.join(", ")}]` : String(value)}'`;
    this.violations.push(
      `Value ${shown} at '${memberPath(member)}' failed to satisfy constraint: ${constraint}`,
    );
  }

  private lengthChecks(value: string | unknown[], member: string, bounds: LengthBounds): void {
    if (bounds.minLength !== undefined && value.length < bounds.minLength)
      this.violation(value, member, `Member must have length greater than or equal to ${bounds.minLength}`);
    if (bounds.maxLength !== undefined && value.length > bounds.maxLength)
      this.violation(value, member, `Member must have length less than or equal to ${bounds.maxLength}`);
  }

  private raw<T>(member: string, expected: string, check: (v: unknown) => v is T): T | undefined {
    const value = this.body[member];
    if (value === undefined || value === null) return undefined;
    if (!check(value))
      throw protocolErrors.serialization(
        `Expected ${expected} for member '${member}', got ${typeName(value)}.`,
      );
    return value;
  }

  string(member: string, bounds: LengthBounds & { required: true }): string;
  string(member: string, bounds?: LengthBounds): string | undefined;
  string(member: string, bounds: LengthBounds = {}): string | undefined {
    const value = this.raw(member, "a string", isString);
    if (value === undefined) {
      if (bounds.required) this.violation(undefined, member, "Member must not be null");
      // A missing required member still yields a value so handlers can proceed to `done()`.
      return bounds.required ? "" : undefined;
    }
    this.lengthChecks(value, member, bounds);
    return value;
  }

  oneOf<T extends string>(
    member: string,
    allowed: readonly T[],
    bounds: { required?: boolean } = {},
  ): T | undefined {
    const value = this.raw(member, "a string", isString);
    if (value === undefined) {
      if (bounds.required) this.violation(undefined, member, "Member must not be null");
      return undefined;
    }
    if (!isOneOf(value, allowed)) {
      this.violation(
        value,
        member,
        `Member must satisfy enum value set: [${[...allowed].sort().reverse().join(", ")}]`,
      );
      return undefined;
    }
    return value;
  }

  boolean(member: string): boolean | undefined {
    return this.raw(member, "a boolean", (v): v is boolean => typeof v === "boolean");
  }

  integer(member: string, bounds: ValueBounds & { required?: boolean } = {}): number | undefined {
    const value = this.raw(member, "an integer", (v): v is number => Number.isInteger(v));
    if (value === undefined) {
      if (bounds.required) this.violation(undefined, member, "Member must not be null");
      return undefined;
    }
    if (bounds.min !== undefined && value < bounds.min)
      this.violation(value, member, `Member must have value greater than or equal to ${bounds.min}`);
    if (bounds.max !== undefined && value > bounds.max)
      this.violation(value, member, `Member must have value less than or equal to ${bounds.max}`);
    return value;
  }

  stringList(member: string, bounds: LengthBounds & { required: true }): string[];
  stringList(member: string, bounds?: LengthBounds): string[] | undefined;
  stringList(member: string, bounds: LengthBounds = {}): string[] | undefined {
    const value = this.raw(
      member,
      "a list of strings",
      (v): v is string[] => Array.isArray(v) && v.every(isString),
    );
    if (value === undefined) {
      if (bounds.required) this.violation(undefined, member, "Member must not be null");
      return bounds.required ? [] : undefined;
    }
    this.lengthChecks(value, member, bounds);
    return value;
  }

  /** A list of structures; each item is read with its own reader so nested checks apply. */
  structureList<T>(
    member: string,
    read: (item: RequestReader) => T,
    bounds: LengthBounds = {},
  ): T[] | undefined {
    const value = this.raw(
      member,
      "a list of structures",
      (v): v is Body[] => Array.isArray(v) && v.every(isBody),
    );
    if (value === undefined) {
      if (bounds.required) this.violation(undefined, member, "Member must not be null");
      return bounds.required ? [] : undefined;
    }
    this.lengthChecks(value, member, bounds);
    return value.map((item) => {
      const reader = new RequestReader(item);
      const result = read(reader);
      this.violations.push(...reader.violations);
      return result;
    });
  }

  /** Throws one ValidationException listing every violation found so far. */
  done(): void {
    if (this.violations.length > 0) throw protocolErrors.validation(this.violations);
  }
}

/** Parses a request body as AWS does: it must be a JSON object (an empty body counts as `{}`). */
export function parseBody(text: string): Body {
  if (text.trim() === "") return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw protocolErrors.serialization("Request body is not valid JSON.");
  }
  if (!isBody(parsed)) throw protocolErrors.serialization("Request body must be a JSON object.");
  return parsed;
}
