/**
 * Files → a validated `Estate`. Pure: the loader (adapters/fs/estate-loader.ts) reads the files,
 * this turns them into components and reports every problem in one pass, never stopping at the
 * first: layout, malformed JSON, non-object configs, schema violations, parameter names SSM would
 * reject, oversized values, malformed/dangling/self references and duplicate identities.
 */
import { checkKeyUses } from "../contracts/check-uses.js";
import { compileContracts } from "../contracts/compile.js";
import { refKeyUses } from "../contracts/uses.js";
import type { Problem } from "../errors.js";
import { formatComponentId } from "../ids.js";
import { canonicalJson } from "../json/canonical.js";
import { createPointerLocator } from "../json/locate.js";
import { parseJson } from "../json/parse.js";
import { comparePointers } from "../json/pointer.js";
import {
  ADVANCED_VALUE_LIMIT,
  checkParameterName,
  STANDARD_VALUE_LIMIT,
  valueSize,
} from "../parameters/rules.js";
import { extractReferences, indexTypes } from "../references/extract.js";
import { ComponentIndex, checkReferences } from "./check-references.js";
import { classifyConfigPaths, duplicateProblems } from "./layout.js";
import type { Component, Estate, JsonObject, ProjectSettings } from "./model.js";
import { componentParameterName, componentsFolder } from "./paths.js";
import { checkAgainstSchema, compileSchemas, type SchemaFile } from "./schemas.js";

export type { SchemaFile } from "./schemas.js";

export interface SourceFile {
  /** Estate-root-relative path with `/` separators. */
  path: string;
  text: string;
}

export interface EstateSources {
  settings: ProjectSettings;
  /** Candidate config files under the components folder (see `isConfigCandidate`). */
  configFiles: readonly SourceFile[];
  /** Type schemas, at most one per type. */
  schemaFiles: readonly SchemaFile[];
  /** Output contracts (`outputs.schema.json`), at most one per type. */
  contractFiles?: readonly SchemaFile[];
  /** Problems met while reading (unreadable files, missing schema files); merged into the result. */
  problems?: readonly Problem[];
}

export function buildEstate(sources: EstateSources): Estate {
  const { settings } = sources;
  const componentsDir = componentsFolder(settings);
  const problems: Problem[] = [...(sources.problems ?? [])];
  const textByPath = new Map(sources.configFiles.map((f) => [f.path, f.text]));

  const layout = classifyConfigPaths([...textByPath.keys()], settings);
  problems.push(...layout.problems, ...duplicateProblems(layout.files));

  const index = new ComponentIndex(settings.environments.map((e) => e.name));
  for (const file of layout.files) if (file.address) index.add(file.address);

  const schemas = compileSchemas(sources.schemaFiles);
  problems.push(...schemas.problems);
  const contracts = compileContracts(sources.contractFiles ?? []);
  problems.push(...contracts.problems);
  const types = indexTypes([...Object.keys(settings.types), ...schemas.byType.keys(), ...index.allTypes()]);
  const prefixOf = new Map(settings.environments.map((e) => [e.name, e.prefix]));

  const components: Component[] = [];
  for (const file of layout.files) {
    if (!file.address) continue;
    const { env, type, nickname } = file.address;
    const id = formatComponentId(file.address);
    const at = { file: file.path, component: id };
    const parsed = parseJson(textByPath.get(file.path)!, file.path);
    if (parsed.problems.length > 0) problems.push(...parsed.problems.map((p) => ({ ...p, component: id })));
    if (parsed.value === undefined) continue;
    if (parsed.value === null || typeof parsed.value !== "object" || Array.isArray(parsed.value)) {
      problems.push({
        ...at,
        code: "config.not-object",
        pointer: "",
        message: `a component config must be a JSON object, not ${parsed.value === null ? "null" : Array.isArray(parsed.value) ? "an array" : `a ${typeof parsed.value}`}`,
        fix: 'wrap the settings in an object, e.g. {"name": "…"}',
        severity: "error",
      });
      continue;
    }
    const config: JsonObject = parsed.value;
    const prefix = prefixOf.get(env) ?? settings.prefix;

    // literals, not spreads of `at`: this runs for every component of the estate
    const extracted = extractReferences(config, { env, prefix, types, file: file.path, component: id });
    pushAll(problems, extracted.problems);
    pushAll(
      problems,
      checkReferences(
        { env, type, nickname, id, file: file.path },
        extracted.references,
        index,
        componentsDir,
      ),
    );

    const schema = schemas.byType.get(type);
    if (schema) {
      const refPointers = extracted.references.filter((r) => r.form === "ref").map((r) => r.pointer);
      problems.push(...checkAgainstSchema(schema, config, at, refPointers));
    }

    const nameProblem = checkParameterName(componentParameterName(prefix, type, nickname, "runtime"));
    if (nameProblem)
      problems.push({
        ...at,
        code: "name.ssm-rejected",
        pointer: "",
        message: `parameter ${prefix}/${type}/${nickname}/runtime would be rejected by the parameter store: ${nameProblem.message}`,
        fix: `shorten the folder names ${componentsDir}/${env}/${type}/${nickname} (or the prefix in karma.json)`,
        severity: "error",
      });

    const canonical = canonicalJson(config);
    const size = valueSize(canonical);
    if (size > ADVANCED_VALUE_LIMIT)
      problems.push({
        ...at,
        code: "size.too-large",
        pointer: "",
        message: `the published config would be ${size} bytes; parameter store values are limited to ${ADVANCED_VALUE_LIMIT} bytes (Advanced tier)`,
        fix: "move large data out of the config (e.g. into a file the module reads, or a separate component) until it is under 8 KB once serialised",
        severity: "error",
      });
    else if (size > STANDARD_VALUE_LIMIT)
      problems.push({
        ...at,
        code: "size.advanced-tier",
        pointer: "",
        message: `the published config would be ${size} bytes, over the ${STANDARD_VALUE_LIMIT}-byte Standard tier limit; it will be published as an Advanced parameter (charged by AWS)`,
        fix: "shrink the config under 4 KB once serialised to stay in the Standard tier, or accept the Advanced tier",
        severity: "warning",
      });

    components.push({
      id,
      env,
      type,
      nickname,
      file: file.path,
      config,
      canonical,
      references: extracted.references,
    });
  }

  components.sort((a, b) => compareStrings(a.id, b.id));
  problems.push(...checkKeyUses(refKeyUses(components), contracts.byType));
  const schemaTexts = new Map(
    [...sources.schemaFiles, ...(sources.contractFiles ?? [])].map((f) => [f.path, f.text]),
  );
  const textOf = (path: string) => textByPath.get(path) ?? schemaTexts.get(path);
  return { settings, components, contracts: contracts.byType, problems: locateAndSort(problems, textOf) };
}

function pushAll(problems: Problem[], more: readonly Problem[]): void {
  for (const p of more) problems.push(p);
}

/** Adds line/column to pointer-located problems in config files, then sorts deterministically. */
function locateAndSort(problems: Problem[], textOf: (path: string) => string | undefined): Problem[] {
  const locators = new Map<string, ReturnType<typeof createPointerLocator>>();
  const located = problems.map((p) => {
    if (p.line !== undefined || !p.file || !p.pointer) return p;
    const text = textOf(p.file);
    if (text === undefined) return p;
    let locator = locators.get(p.file);
    if (!locator) {
      locator = createPointerLocator(text);
      locators.set(p.file, locator);
    }
    const at = locator.locate(p.pointer);
    return at ? { ...p, ...at } : p;
  });
  return located.sort(compareProblems).map(withKeyOrder);
}

/** Same key order in every problem, so `--json` output is stable and easy to read. */
function withKeyOrder(p: Problem): Problem {
  const { code, severity, file, line, column, pointer, component, message, fix } = p;
  const ordered: Record<string, unknown> = {
    code,
    severity,
    file,
    line,
    column,
    pointer,
    component,
    message,
    fix,
  };
  for (const key of Object.keys(ordered)) if (ordered[key] === undefined) delete ordered[key];
  return ordered as unknown as Problem;
}

export function compareProblems(a: Problem, b: Problem): number {
  return (
    compareStrings(a.file ?? "", b.file ?? "") ||
    (a.line ?? 0) - (b.line ?? 0) ||
    comparePointers(a.pointer ?? "", b.pointer ?? "") ||
    compareStrings(a.code, b.code) ||
    compareStrings(a.message, b.message)
  );
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** True when any problem is an error (warnings alone do not fail validation). */
export function hasErrors(problems: readonly Problem[]): boolean {
  return problems.some((p) => p.severity === "error");
}
