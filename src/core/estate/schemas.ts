/**
 * Per-type JSON Schemas (`types/<type>/schema.json`): compiled once each with ajv (draft 2020-12
 * by default; a schema declaring draft-07 or 2019-09 in `$schema` is compiled as such), then run
 * against every config of the type with all errors collected.
 *
 * Unknown keywords in a schema are reported as warnings (a typo like `requried` silently checks
 * nothing) but do not stop the schema from being used. A schema that does not compile is an error
 * in the schema file, and the configs of that type are then not schema-checked.
 */
import { Ajv, type AnySchema, type ErrorObject, type Options, type ValidateFunction } from "ajv";
import { Ajv2019 } from "ajv/dist/2019.js";
import { Ajv2020 } from "ajv/dist/2020.js";
import * as addFormatsModule from "ajv-formats";
import { SENSITIVE_KEYWORD } from "../contracts/model.js";
import { messageOf, type Problem } from "../errors.js";
import { parseJson } from "../json/parse.js";
import { appendPointer, isWithinPointer } from "../json/pointer.js";
import type { JsonObject, JsonValue } from "./model.js";
import { closestName } from "./suggest.js";

// ajv-formats is CommonJS with `exports.default`; under NodeNext its default import is the module.
const addFormats = addFormatsModule.default as unknown as (ajv: Ajv) => Ajv;

export interface SchemaFile {
  type: string;
  /** Estate-root-relative path. */
  path: string;
  text: string;
}

export interface TypeSchema {
  type: string;
  file: string;
  validate: ValidateFunction;
}

export interface CompiledSchemas {
  byType: Map<string, TypeSchema>;
  problems: Problem[];
}

type Draft = "draft-07" | "2019-09" | "2020-12";

const DRAFTS: Record<string, Draft> = {
  "http://json-schema.org/draft-07/schema": "draft-07",
  "https://json-schema.org/draft/2019-09/schema": "2019-09",
  "https://json-schema.org/draft/2020-12/schema": "2020-12",
};

export function compileSchemas(files: readonly SchemaFile[]): CompiledSchemas {
  const problems: Problem[] = [];
  const byType = new Map<string, TypeSchema>();
  const warnings: string[] = [];
  const instances = new Map<Draft, Ajv>();
  const ajvFor = (draft: Draft): Ajv => {
    let ajv = instances.get(draft);
    if (!ajv) {
      const options: Options = {
        allErrors: true,
        verbose: true,
        strict: true,
        strictTypes: false,
        strictTuples: false,
        strictRequired: false,
        strictSchema: "log",
        allowUnionTypes: true,
        keywords: [SENSITIVE_KEYWORD],
        logger: {
          log: () => {},
          warn: (...args: unknown[]) => warnings.push(args.join(" ")),
          error: () => {},
        },
      };
      ajv =
        draft === "2020-12"
          ? new Ajv2020(options)
          : draft === "2019-09"
            ? new Ajv2019(options)
            : new Ajv(options);
      addFormats(ajv);
      instances.set(draft, ajv);
    }
    return ajv;
  };

  for (const file of [...files].sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : 0))) {
    const parsed = parseJson(file.text, file.path);
    problems.push(...parsed.problems);
    if (parsed.value === undefined) continue;
    const schema = parsed.value;
    if (
      typeof schema !== "boolean" &&
      (schema === null || typeof schema !== "object" || Array.isArray(schema))
    ) {
      problems.push(
        schemaProblem(
          file,
          "",
          "a JSON Schema must be an object (or true/false)",
          "write the schema as a JSON object",
        ),
      );
      continue;
    }
    const declared = typeof schema === "object" ? schema.$schema : undefined;
    const draft = declared === undefined ? "2020-12" : DRAFTS[String(declared).replace(/#$/, "")];
    if (!draft) {
      problems.push(
        schemaProblem(
          file,
          "/$schema",
          `unsupported $schema ${JSON.stringify(declared)}`,
          'use "https://json-schema.org/draft/2020-12/schema" (or draft-07 / 2019-09), or drop $schema',
        ),
      );
      continue;
    }
    warnings.length = 0;
    try {
      const validate = ajvFor(draft).compile(schema as AnySchema);
      byType.set(file.type, { type: file.type, file: file.path, validate });
    } catch (error) {
      problems.push(
        schemaProblem(
          file,
          "",
          `the schema does not compile: ${messageOf(error)}`,
          `correct ${file.path} against JSON Schema ${draft}; until then ${file.type} configs are not schema-checked`,
        ),
      );
    }
    for (const warning of [...new Set(warnings)].sort())
      problems.push({
        ...schemaProblem(
          file,
          "",
          `schema warning: ${warning.replace(/^strict mode: /, "")}`,
          "fix the keyword's spelling, or prefix custom annotations with x- and ignore this warning",
        ),
        code: "schema.warning",
        severity: "warning",
      });
  }
  return { byType, problems };
}

function schemaProblem(file: SchemaFile, pointer: string, message: string, fix: string): Problem {
  return { code: "schema.invalid", file: file.path, pointer, message, fix, severity: "error" };
}

/**
 * Schema violations of one config, skipping anything at or below an explicit `$ref` (its value is
 * only known at deploy time).
 */
export function checkAgainstSchema(
  schema: TypeSchema,
  config: JsonObject,
  at: { file: string; component: string },
  refPointers: readonly string[],
): Problem[] {
  if (schema.validate(config)) return [];
  const problems: Problem[] = [];
  const seen = new Set<string>();
  for (const error of schema.validate.errors ?? []) {
    // anyOf/oneOf/if summaries repeat what their branches already said
    if (error.keyword === "anyOf" || error.keyword === "oneOf" || error.keyword === "if") continue;
    const described = describeSchemaError(error, schema.file);
    if (
      refPointers.some((p) => isWithinPointer(described.pointer, p) || isWithinPointer(error.instancePath, p))
    )
      continue;
    const key = `${described.pointer}\0${described.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push({
      code: "schema.violation",
      file: at.file,
      component: at.component,
      severity: "error",
      ...described,
    });
  }
  return problems;
}

interface Described {
  pointer: string;
  message: string;
  fix: string;
}

function describeSchemaError(error: ErrorObject, schemaFile: string): Described {
  const pointer = error.instancePath;
  const where = pointer === "" ? "the top level" : pointer;
  const rule = `${schemaFile} ${error.schemaPath}`;
  const params = error.params as Record<string, unknown>;
  const parent = (error.parentSchema ?? {}) as { properties?: Record<string, { description?: string }> };
  const allowed = Object.keys(parent.properties ?? {}).sort();
  switch (error.keyword) {
    case "required": {
      const missing = String(params.missingProperty);
      const description = parent.properties?.[missing]?.description;
      return {
        pointer,
        message: `missing required property "${missing}"${description ? ` (${description})` : ""}`,
        fix: `add "${missing}" at ${where} (required by ${rule})`,
      };
    }
    case "additionalProperties":
    case "unevaluatedProperties": {
      const extra = String(params.additionalProperty ?? params.unevaluatedProperty);
      const guess = closestName(extra, allowed);
      return {
        pointer: appendPointer(pointer, extra),
        message: `unknown property "${extra}": the schema allows no other properties here`,
        fix: guess
          ? `did you mean "${guess}"? rename it, or remove it`
          : `remove it${allowed.length ? ` (allowed here: ${allowed.join(", ")})` : ""}, or add it to the schema's properties in ${schemaFile}`,
      };
    }
    case "enum": {
      const values = (params.allowedValues as JsonValue[]).map((v) => JSON.stringify(v));
      const data = error.data;
      const guess =
        typeof data === "string"
          ? closestName(
              data,
              (params.allowedValues as JsonValue[]).filter((v): v is string => typeof v === "string"),
            )
          : undefined;
      return {
        pointer,
        message: `must be one of ${values.join(", ")}`,
        fix: guess ? `did you mean "${guess}"?` : `use one of ${values.join(", ")} (${rule})`,
      };
    }
    case "const":
      return {
        pointer,
        message: `must be ${JSON.stringify(params.allowedValue)}`,
        fix: `set it to ${JSON.stringify(params.allowedValue)} (${rule})`,
      };
    case "type":
      return {
        pointer,
        message: `must be ${String(params.type).replace(/,/g, " or ")}, not ${jsonTypeOf(error.data)}`,
        fix: `change the value at ${where} to ${withArticle(String(params.type).replace(/,/g, " or "))} (${rule})`,
      };
    default:
      return {
        pointer,
        message: `value ${error.message ?? "does not satisfy the schema"}`,
        fix: `change the value at ${where} to satisfy ${rule}`,
      };
  }
}

function withArticle(noun: string): string {
  return /^[aeiou]/.test(noun) ? `an ${noun}` : `a ${noun}`;
}

function jsonTypeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  if (typeof value === "number") return Number.isInteger(value) ? "an integer" : "a number";
  return `a ${typeof value}`;
}
