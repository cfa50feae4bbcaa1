/**
 * SSM Parameter Store's rules for inputs, as the embedded store enforces them: paths, batches,
 * data types, tags, and the errors SSM answers with.
 */
import os from "node:os";
import { checkParameterName, type RuleViolation } from "../../../core/parameters/rules.js";
import { ParameterStoreError, type Tag } from "../../../ports/parameter-store.js";

export const MAX_TAGS = 50;
export const MAX_BATCH = 10;
export const BY_PATH_PAGE = 10;
export const HISTORY_PAGE = 50;
export const DESCRIBE_PAGE = 50;
export const DEFAULT_KEY_ID = "alias/aws/ssm";
export const DATA_TYPES = ["text", "aws:ec2:image", "aws:ssm:integration"];
/** Data types a parameter can never be changed to or from (SSM's rule). */
export const FIXED_DATA_TYPES = ["aws:ec2:image", "aws:ssm:integration"];
/** An AMI id: "ami-" and 8 (older) or 17 hexadecimal digits. */
export const AMI_ID = /^ami-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;
export const KEY_CHECK = "secret_key_check";

export function fail(name: ParameterStoreError["name"], message: string): never {
  throw new ParameterStoreError(name, message);
}

export function failWith(violation: RuleViolation | undefined): void {
  if (violation) throw new ParameterStoreError(violation.error, violation.message);
}

export function notFound(name: string): ParameterStoreError {
  return new ParameterStoreError("ParameterNotFound", `Parameter ${name} not found.`);
}

/** The exclusive upper bound of a byte-order prefix range: "/a/" → "/a0". */
export function prefixEnd(prefix: string): string {
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}

/** `"/a/b"` → `"/a/b/"`; `"/"` stays `"/"`. */
export function pathPrefix(path: string): string {
  const trimmed = path.replace(/\/+$/, "");
  return `${trimmed}/`;
}

export function isReservedPath(path: string): boolean {
  return typeof path === "string" && /^\/aws(?:\/|$)/i.test(path);
}

export function checkPath(path: string): void {
  if (typeof path !== "string" || !path.startsWith("/") || path.length > 2048 || path.includes("//")) {
    fail(
      "ValidationException",
      `The parameter path "${String(path).slice(0, 100)}" doesn't meet the requirements: it must begin with a forward slash "/", have no empty segments, and be at most 2048 characters.`,
    );
  }
  if (path !== "/") failWith(checkParameterName(path.replace(/\/+$/, "")));
}

export function safeUserName(): string {
  try {
    return os.userInfo().username.replace(/[^A-Za-z0-9+=,.@_-]/g, "_") || "karma";
  } catch {
    return "karma";
  }
}

export function unique(items: readonly string[]): string[] {
  return [...new Set(items)];
}

export function checkBatch(names: readonly string[], field: string): void {
  if (names.length < 1 || names.length > MAX_BATCH) {
    fail(
      "ValidationException",
      `1 validation error detected: Value at '${field}' failed to satisfy constraint: Member must have length between 1 and ${MAX_BATCH} (got ${names.length}).`,
    );
  }
}

/**
 * SSM validates `aws:ec2:image` values asynchronously: PutParameter answers 200 and a value that
 * is not an AMI id is then silently not stored. An embedded store has no event channel to report
 * that failure on, so Karma refuses the value at once — the parameter is not created or updated,
 * as in AWS, and the client learns why. (Karma checks the id's format; it cannot check the AMI
 * exists in an account.)
 */
export function checkDataType(
  name: string,
  value: string,
  dataType: string,
  current: string | undefined,
): void {
  if (
    current !== undefined &&
    current !== dataType &&
    [current, dataType].some((t) => FIXED_DATA_TYPES.includes(t))
  )
    fail(
      "ValidationException",
      `The data type of ${name} can't be changed from ${current} to ${dataType}: aws:ec2:image and aws:ssm:integration parameters keep their data type. Delete the parameter and create it again.`,
    );
  if (dataType === "aws:ec2:image" && !AMI_ID.test(value))
    fail(
      "ValidationException",
      `The value of ${name} is not a valid AMI id for data type aws:ec2:image: expected "ami-" followed by 8 or 17 hexadecimal characters, e.g. ami-12345abcdeEXAMPLE.`,
    );
}

export function checkTags(tags: readonly Tag[]): void {
  if (tags.length > MAX_TAGS)
    fail("TooManyTagsError", `At most ${MAX_TAGS} tags are allowed, got ${tags.length}.`);
  for (const tag of tags) {
    if (typeof tag.key !== "string" || tag.key.length < 1 || tag.key.length > 128) {
      fail("ValidationException", `Tag key "${String(tag.key).slice(0, 140)}" must be 1 to 128 characters.`);
    }
    if (typeof tag.value !== "string" || tag.value.length > 256) {
      fail("ValidationException", `Tag value for key "${tag.key}" must be at most 256 characters.`);
    }
  }
}
