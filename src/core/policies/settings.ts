/**
 * The `policies` object of karma.json: its JSON Schema (checked with the rest of karma.json, so
 * mistakes are reported with a pointer and a fix) and its normalisation into `Policies`.
 *
 *   "policies": {
 *     "protected": [{ "match": "prod:*\/*", "severity": "error", "reason": "production" }],
 *     "maxBlastRadius": { "limit": 25, "severity": "warning" },
 *     "crossEnvironmentReferences": { "allow": ["prod:dns-zone/*"], "severity": "error" },
 *     "noDestroyWithConsumers": true,
 *     "requiredKeys": { "service": ["port"] },
 *     "requireSchema": ["service"]
 *   }
 *
 * Shorthands: a protected entry may be a glob string; `maxBlastRadius` a number; booleans switch
 * `crossEnvironmentReferences`, `noDestroyWithConsumers` and `requireSchema` (true = every type)
 * on or off. Severity defaults to "error".
 */
import type { JsonObject, JsonValue } from "../estate/model.js";
import { formatPointer } from "../json/pointer.js";
import type { Policies, Severity } from "./model.js";

const severity = { enum: ["error", "warning"] };
const glob = { type: "string", minLength: 1 };
const globs = { oneOf: [glob, { type: "array", items: glob, minItems: 1 }] };

/** JSON Schema of karma.json `policies`. */
export const policiesSchema = {
  type: "object",
  additionalProperties: false,
  properties: {
    protected: {
      type: "array",
      items: {
        oneOf: [
          glob,
          {
            type: "object",
            required: ["match"],
            additionalProperties: false,
            properties: { match: globs, severity, reason: { type: "string" } },
          },
        ],
      },
    },
    maxBlastRadius: {
      oneOf: [
        { type: "integer", minimum: 1 },
        {
          type: "object",
          required: ["limit"],
          additionalProperties: false,
          properties: { limit: { type: "integer", minimum: 1 }, severity },
        },
      ],
    },
    crossEnvironmentReferences: {
      oneOf: [
        { type: "boolean" },
        {
          type: "object",
          additionalProperties: false,
          properties: { allow: { type: "array", items: glob }, severity },
        },
      ],
    },
    noDestroyWithConsumers: {
      oneOf: [{ type: "boolean" }, { type: "object", additionalProperties: false, properties: { severity } }],
    },
    requiredKeys: {
      type: "object",
      additionalProperties: {
        oneOf: [
          { type: "array", items: { type: "string", minLength: 1 }, minItems: 1 },
          {
            type: "object",
            required: ["keys"],
            additionalProperties: false,
            properties: {
              keys: { type: "array", items: { type: "string", minLength: 1 }, minItems: 1 },
              severity,
            },
          },
        ],
      },
    },
    breakingChanges: { enum: ["deny", "review"] },
    requireSchema: {
      oneOf: [
        { type: "boolean" },
        { type: "array", items: { type: "string", minLength: 1 }, minItems: 1 },
        {
          type: "object",
          additionalProperties: false,
          properties: {
            types: { oneOf: [{ const: "*" }, { type: "array", items: { type: "string", minLength: 1 } }] },
            severity,
          },
        },
      ],
    },
  },
} as const;

function isObject(value: JsonValue | undefined): value is JsonObject {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function severityOf(value: JsonValue | undefined): Severity {
  return isObject(value) && value.severity === "warning" ? "warning" : "error";
}

function strings(value: JsonValue | undefined): string[] {
  if (typeof value === "string") return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

/** A key name becomes a top-level pointer; pointers stay as they are. */
function asPointer(key: string): string {
  return key.startsWith("/") ? key : formatPointer([key]);
}

/**
 * `Policies` from karma.json's `policies` (already validated against {@link policiesSchema};
 * anything unexpected is ignored rather than thrown on).
 */
export function readPolicies(raw: JsonObject | undefined): Policies {
  const policies: Policies = {
    protected: [],
    requiredKeys: {},
    breakingChanges: raw?.breakingChanges === "deny" ? "deny" : "review",
  };
  if (!raw) return policies;
  for (const entry of Array.isArray(raw.protected) ? raw.protected : []) {
    if (typeof entry === "string") policies.protected.push({ match: [entry], severity: "error" });
    else if (isObject(entry)) {
      const rule: Policies["protected"][number] = {
        match: strings(entry.match),
        severity: severityOf(entry),
      };
      if (typeof entry.reason === "string") rule.reason = entry.reason;
      if (rule.match.length > 0) policies.protected.push(rule);
    }
  }
  const blast = raw.maxBlastRadius;
  if (typeof blast === "number") policies.maxBlastRadius = { limit: blast, severity: "error" };
  else if (isObject(blast) && typeof blast.limit === "number")
    policies.maxBlastRadius = { limit: blast.limit, severity: severityOf(blast) };
  const cross = raw.crossEnvironmentReferences;
  if (cross === true) policies.crossEnvironmentReferences = { allow: [], severity: "error" };
  else if (isObject(cross))
    policies.crossEnvironmentReferences = { allow: strings(cross.allow), severity: severityOf(cross) };
  const destroy = raw.noDestroyWithConsumers;
  if (destroy === true) policies.noDestroyWithConsumers = { severity: "error" };
  else if (isObject(destroy)) policies.noDestroyWithConsumers = { severity: severityOf(destroy) };
  if (isObject(raw.requiredKeys)) {
    for (const type of Object.keys(raw.requiredKeys).sort()) {
      const value = raw.requiredKeys[type];
      const keys = Array.isArray(value) ? strings(value) : isObject(value) ? strings(value.keys) : [];
      if (keys.length > 0)
        policies.requiredKeys[type] = { keys: keys.map(asPointer), severity: severityOf(value) };
    }
  }
  const schema = raw.requireSchema;
  if (schema === true) policies.requireSchema = { types: "*", severity: "error" };
  else if (Array.isArray(schema)) policies.requireSchema = { types: strings(schema), severity: "error" };
  else if (isObject(schema))
    policies.requireSchema = {
      types: schema.types === "*" || schema.types === undefined ? "*" : strings(schema.types),
      severity: severityOf(schema),
    };
  return policies;
}
