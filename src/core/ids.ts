/**
 * Component naming. Environments, types and nicknames all become SSM path segments, so they share
 * one pattern; identities are written `env:type/nickname` where the environment matters and
 * `type/nickname` inside one environment.
 */
import type { ComponentAddress } from "./estate/model.js";

/**
 * Type, nickname and environment names: lower-case, start alphanumeric, then `.`, `_`, `-` allowed,
 * never two dots in a row. SSM's documented name rules allow `a..b`, but as a path segment it
 * reads like a step up (and is usually a typo), so Karma refuses it in its own names (issue 14);
 * the embedded SSM server still accepts any name AWS accepts.
 */
export const NAME_PATTERN = /^(?!.*\.\.)[a-z0-9][a-z0-9._-]*$/;

export function isValidName(name: string): boolean {
  return NAME_PATTERN.test(name);
}

/** Why `name` fails {@link NAME_PATTERN}, phrased for an error message; undefined when it is valid. */
export function explainInvalidName(name: string): string | undefined {
  if (NAME_PATTERN.test(name)) return undefined;
  if (name === "") return "it is empty";
  if (/[A-Z]/.test(name)) return "it contains upper-case letters";
  if (!/^[a-z0-9]/.test(name)) return "it must start with a lower-case letter or a digit";
  if (/^[a-z0-9._-]*$/.test(name) && name.includes(".."))
    return 'it contains ".." (two dots in a row), which reads as a step up in the parameter path';
  const bad = [...new Set(name.replace(/[a-z0-9._-]/g, ""))].map((c) => JSON.stringify(c)).join(", ");
  return `it contains ${bad}; only a-z, 0-9, ".", "_" and "-" are allowed`;
}

/** A valid name close to `name` (lower-cased, other characters turned into "-"), or undefined. */
export function suggestValidName(name: string): string | undefined {
  const candidate = name
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, "-")
    .replace(/\.{2,}/g, ".")
    .replace(/^[._-]+/, "");
  return NAME_PATTERN.test(candidate) ? candidate : undefined;
}

/** `env:type/nickname` */
export function formatComponentId(address: ComponentAddress): string {
  return `${address.env}:${address.type}/${address.nickname}`;
}

/** `type/nickname`, the name inside one environment. */
export function componentKey(address: Pick<ComponentAddress, "type" | "nickname">): string {
  return `${address.type}/${address.nickname}`;
}

/** `type/nickname` when `address` is in `env`, else the full `env:type/nickname`. */
export function formatComponentRef(address: ComponentAddress, env: string): string {
  return address.env === env ? componentKey(address) : formatComponentId(address);
}

export type ParsedComponentRef = { ok: true; address: ComponentAddress } | { ok: false; reason: string };

/**
 * Parses `type/nickname` (in `defaultEnv`) or `env:type/nickname`. Every part must match
 * {@link NAME_PATTERN}; the reason says which part is wrong.
 */
export function parseComponentRef(text: string, defaultEnv: string): ParsedComponentRef {
  // scans rather than splits, and checks the three names one by one: it runs for every
  // reference of every config when a graph is built
  const colon = text.indexOf(":");
  const env = colon === -1 ? defaultEnv : text.slice(0, colon);
  const start = colon + 1;
  const slash = text.indexOf("/", start);
  if (slash === -1 || text.indexOf("/", slash + 1) !== -1)
    return { ok: false, reason: `"${text}" is not of the form type/nickname or env:type/nickname` };
  const type = text.slice(start, slash);
  const nickname = text.slice(slash + 1);
  const bad =
    invalidPart("environment", env, text) ??
    invalidPart("type", type, text) ??
    invalidPart("nickname", nickname, text);
  if (bad !== undefined) return { ok: false, reason: bad };
  return { ok: true, address: { env, type, nickname } };
}

function invalidPart(what: string, value: string, text: string): string | undefined {
  const why = explainInvalidName(value);
  return why ? `the ${what} "${value}" in "${text}" is not a valid name: ${why}` : undefined;
}

/** Parses a full `env:type/nickname` id; undefined when it is not one. */
export function parseComponentId(id: string): ComponentAddress | undefined {
  if (!id.includes(":")) return undefined;
  const parsed = parseComponentRef(id, "");
  return parsed.ok ? parsed.address : undefined;
}

/** The environment of an `env:…` id (a component id or a graph node id such as `env:/external/…`). */
export function envOfId(id: string): string {
  return id.slice(0, id.indexOf(":"));
}

/**
 * How a type name appears as a config key prefix: `s3-bucket` is written `s3_bucket_nickname`.
 * Types and key prefixes are compared in this form.
 */
export function typeKeyForm(type: string): string {
  return type.replace(/[-.]/g, "_");
}
