/**
 * `karma.json` → `ProjectSettings`. Pure: the caller reads the file and lists the environment
 * directories; every problem is reported at once with the JSON pointer and a fix.
 */
import type { ErrorObject, ValidateFunction } from "ajv";
import type { Problem } from "../errors.js";
import { checkParameterName } from "../parameters/rules.js";
import { policiesSchema } from "../policies/settings.js";
import type {
  AuditSettings,
  EnvironmentSettings,
  GraphSettings,
  JsonObject,
  ProjectSettings,
  StoreSettings,
  TerraformSettings,
  TypeSettings,
} from "./model.js";
import { componentParameterName, DEFAULT_PATHS, SETTINGS_FILE, stateDatabaseFile } from "./paths.js";
import { validate as generatedValidator } from "./settings-validator.generated.js";

export { SETTINGS_FILE };
export const DEFAULT_PREFIX = "/iac";
const NAME = "^[a-z0-9][a-z0-9._-]*$";

const storeSchema = {
  type: "object",
  required: ["kind"],
  oneOf: [
    {
      properties: { kind: { const: "sqlite" }, path: { type: "string", minLength: 1 } },
      additionalProperties: false,
    },
    {
      properties: {
        kind: { const: "ssm" },
        region: { type: "string" },
        profile: { type: "string" },
        endpoint: { type: "string" },
        concurrency: { type: "integer", minimum: 1, maximum: 64 },
      },
      additionalProperties: false,
    },
  ],
};

/** JSON Schema of karma.json (2020-12 subset ajv handles in its default draft). */
export const settingsSchema = {
  type: "object",
  additionalProperties: false,
  properties: {
    $schema: { type: "string" },
    name: { type: "string" },
    prefix: { type: "string", pattern: "^/" },
    environments: {
      oneOf: [
        { type: "array", items: { type: "string", pattern: NAME }, uniqueItems: true },
        {
          type: "object",
          propertyNames: { pattern: NAME },
          additionalProperties: {
            type: "object",
            additionalProperties: false,
            properties: { prefix: { type: "string", pattern: "^/" }, store: storeSchema },
          },
        },
      ],
    },
    paths: {
      type: "object",
      additionalProperties: false,
      properties: {
        components: { type: "string", minLength: 1 },
        types: { type: "string", minLength: 1 },
        state: { type: "string", minLength: 1 },
      },
    },
    store: storeSchema,
    graph: {
      type: "object",
      required: ["kind"],
      properties: {
        kind: { enum: ["sqlite", "gremlin"] },
        endpoint: { type: "string", pattern: "^wss?://[^/]+" },
        iam: { type: "boolean" },
        region: { type: "string", minLength: 1 },
        namespace: { type: "string", pattern: NAME },
        timeout: { type: "integer", minimum: 1, maximum: 3600 },
      },
      additionalProperties: false,
    },
    audit: {
      type: "object",
      required: ["kind"],
      properties: { kind: { enum: ["sqlite", "gremlin"] } },
      additionalProperties: false,
    },
    types: {
      type: "object",
      propertyNames: { pattern: NAME },
      additionalProperties: {
        type: "object",
        additionalProperties: false,
        properties: {
          module: { type: "string" },
          runner: { enum: ["terraform", "command"] },
          command: { type: "array", items: { type: "string" }, minItems: 1 },
          destroyCommand: { type: "array", items: { type: "string" }, minItems: 1 },
          timeout: { type: "integer", minimum: 1 },
          schema: { type: "string" },
          outputs: { type: "string" },
          test: { type: "array", items: { type: "string" }, minItems: 1 },
        },
      },
    },
    terraform: {
      type: "object",
      additionalProperties: false,
      properties: {
        binary: { type: "string", minLength: 1 },
        lockTimeout: { type: "string", pattern: "^[0-9]+(ms|s|m|h)$" },
        backend: {
          type: "object",
          required: ["type"],
          additionalProperties: false,
          properties: {
            type: { type: "string", pattern: "^[a-z0-9_-]+$" },
            config: { type: "object", additionalProperties: { type: "string" } },
          },
        },
      },
    },
    policies: policiesSchema,
  },
} as const;

// Compiled ahead of time (ajv standalone code): every command reads karma.json, and compiling the
// schema — and loading ajv's compiler — cost more than the rest of a small command's start-up.
const validateSettings = generatedValidator as ValidateFunction;

export interface SettingsInput {
  /** Absolute estate root. */
  root: string;
  /** Contents of karma.json. */
  text: string;
  /** Environment directories found under the components path (used when karma.json lists none). */
  discoveredEnvironments?: readonly string[];
  /** Process environment (IAC_PREFIX). */
  env?: Readonly<Record<string, string | undefined>>;
}

export interface SettingsResult {
  settings: ProjectSettings;
  problems: Problem[];
}

function problem(pointer: string, message: string, fix: string): Problem {
  return { code: "settings.invalid", file: SETTINGS_FILE, pointer, message, fix, severity: "error" };
}

function describeAjvError(e: ErrorObject): Problem {
  const pointer = e.instancePath;
  switch (e.keyword) {
    case "additionalProperties": {
      const key = String((e.params as { additionalProperty: string }).additionalProperty);
      return problem(
        `${pointer}/${key}`,
        `unknown setting "${key}"`,
        "remove it or check the spelling against the README's karma.json reference",
      );
    }
    case "pattern":
      return problem(
        pointer,
        `value ${e.message}`,
        "use lower-case letters, digits, '.', '_' or '-' (a path starts with '/')",
      );
    default:
      return problem(pointer, e.message ?? "invalid value", "see the karma.json reference in the README");
  }
}

/** One problem per value that matched none of the constants its oneOf branches allow. */
function constProblems(errors: readonly ErrorObject[]): Problem[] {
  const allowed = new Map<string, string[]>();
  for (const e of errors)
    if (e.keyword === "const")
      allowed.set(e.instancePath, [
        ...(allowed.get(e.instancePath) ?? []),
        JSON.stringify((e.params as { allowedValue: unknown }).allowedValue),
      ]);
  const problems = [...allowed].map(([pointer, values]) =>
    problem(pointer, `must be one of ${values.join(", ")}`, "see the karma.json reference in the README"),
  );
  return problems.length
    ? problems
    : [problem("", "karma.json does not match its schema", "see the karma.json reference in the README")];
}

/** Parses and validates karma.json. Invalid settings still yield usable defaults beside the problems. */
export function parseProjectSettings(input: SettingsInput): SettingsResult {
  const problems: Problem[] = [];
  let raw: JsonObject = {};
  try {
    const parsed: unknown = input.text.trim() === "" ? {} : JSON.parse(input.text);
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
      problems.push(problem("", "karma.json must contain a JSON object", 'write at least "{}"'));
    } else {
      raw = parsed as JsonObject;
    }
  } catch (error) {
    problems.push({
      code: "json.malformed",
      file: SETTINGS_FILE,
      pointer: "",
      message: `malformed JSON: ${(error as Error).message}`,
      fix: 'fix the JSON syntax (a JSON linter or `node -e \'JSON.parse(require("fs").readFileSync("karma.json","utf8"))\'` shows where)',
      severity: "error",
    });
  }
  if (!validateSettings(raw)) {
    // oneOf failures produce one error per branch; keep the most specific ones
    const all = (validateSettings.errors ?? []).filter((e) => e.keyword !== "oneOf" && e.keyword !== "const");
    // a oneOf branch that failed on the parent's shape is noise beside a deeper, specific error
    const errors = all.filter(
      (e) =>
        !all.some((other) => other.instancePath.startsWith(`${e.instancePath}/`) && e.keyword === "type"),
    );
    for (const e of errors) problems.push(describeAjvError(e));
    // a oneOf whose branches differ only by a constant (store "kind") fails with nothing but
    // const errors: name the allowed values rather than fall back to defaults without a word
    if (errors.length === 0) problems.push(...constProblems(validateSettings.errors ?? []));
    raw = {};
  }
  const settings = toSettings(raw as RawSettings, input);
  problems.push(...graphProblems(settings));
  for (const env of settings.environments) {
    const bad = checkParameterName(componentParameterName(env.prefix, "type", "nickname", "runtime"));
    if (bad)
      problems.push(
        problem(
          "/prefix",
          `prefix "${env.prefix}" of environment ${env.name} gives parameter names SSM rejects: ${bad.message}`,
          "use a prefix like /iac made of letters, digits, '.', '_', '-' segments",
        ),
      );
  }
  return { settings, problems };
}

/** What the schema cannot say: a gremlin graph needs an endpoint; a gremlin audit log needs that graph. */
function graphProblems(settings: ProjectSettings): Problem[] {
  const out: Problem[] = [];
  if (settings.graph.kind === "gremlin" && !settings.graph.endpoint)
    out.push(
      problem(
        "/graph/endpoint",
        'a "gremlin" graph needs the server\'s WebSocket endpoint',
        'add "endpoint": "wss://<neptune-cluster>:8182/gremlin" (or ws://127.0.0.1:8182/gremlin for a local server)',
      ),
    );
  if (settings.audit.kind === "gremlin" && settings.graph.kind !== "gremlin")
    out.push(
      problem(
        "/audit/kind",
        'a "gremlin" audit log lives in the graph\'s Gremlin server, but "graph" is not "gremlin"',
        'set "graph": {"kind": "gremlin", "endpoint": …} too, or use "audit": {"kind": "sqlite"}',
      ),
    );
  return out;
}

interface RawSettings {
  prefix?: string;
  environments?: string[] | Record<string, { prefix?: string; store?: StoreSettings }>;
  paths?: Partial<ProjectSettings["paths"]>;
  store?: StoreSettings;
  graph?: GraphSettings;
  audit?: AuditSettings;
  types?: Record<string, Omit<TypeSettings, "name">>;
  terraform?: TerraformSettings;
  policies?: JsonObject;
}

// Names are ASCII (NAME above): code-unit order is enough, and localeCompare's first call loads
// ICU collation data, a noticeable share of a read command's start-up.
const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function toSettings(raw: RawSettings, input: SettingsInput): ProjectSettings {
  const paths = { ...DEFAULT_PATHS, ...raw.paths };
  const prefixOverride = input.env?.IAC_PREFIX?.replace(/\/+$/, "");
  const prefix = (raw.prefix ?? DEFAULT_PREFIX).replace(/\/+$/, "");
  const defaultStore: StoreSettings = raw.store ?? { kind: "sqlite", path: stateDatabaseFile({ paths }) };
  const declared = raw.environments;
  const envEntries: Array<[string, { prefix?: string; store?: StoreSettings }]> = Array.isArray(declared)
    ? declared.map((name) => [name, {}])
    : declared
      ? Object.entries(declared)
      : (input.discoveredEnvironments ?? []).map((name) => [name, {}]);
  const environments: EnvironmentSettings[] = envEntries
    .map(([name, env]) => ({
      name,
      prefix: prefixOverride || env.prefix?.replace(/\/+$/, "") || prefix,
      store: env.store ?? defaultStore,
    }))
    .sort((a, b) => byName(a.name, b.name));
  const types: Record<string, TypeSettings> = {};
  for (const [name, t] of Object.entries(raw.types ?? {}).sort(([a], [b]) => byName(a, b))) {
    types[name] = { name, ...t };
  }
  return {
    root: input.root,
    prefix: prefixOverride || prefix,
    store: defaultStore,
    environments,
    paths,
    types,
    ...(raw.terraform ? { terraform: raw.terraform } : {}),
    graph: raw.graph ?? { kind: "sqlite" },
    audit: raw.audit ?? { kind: "sqlite" },
    policies: raw.policies ?? {},
  };
}

/** The environment of an estate that declares none: the project's own prefix and store. */
export function defaultEnvironment(settings: ProjectSettings): EnvironmentSettings {
  return { name: "default", prefix: settings.prefix, store: settings.store };
}
