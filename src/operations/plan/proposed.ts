/**
 * Proposed config changes: JSON Merge Patches (RFC 7396) of components' configs, applied to the
 * estate's files in memory. `propose-change` (one component, `POST /api/request-change`) and the
 * planner's proposed-changes reader (`karma plan --changes`, `POST /api/plan {changes}`) both
 * resolve their targets and patch the files here, so a patch means the same thing to both.
 * Nothing is written: the caller gets the patched texts and the estate they make.
 */
import { NotFoundError, type Problem, UserError, ValidationFailedError } from "../../core/errors.js";
import type { Component, Estate, JsonObject, JsonValue } from "../../core/estate/model.js";
import { componentConfigFile } from "../../core/estate/paths.js";
import { buildEstate, type EstateSources } from "../../core/estate/validate.js";
import { parseComponentRef } from "../../core/ids.js";
import { applyMergePatchToText } from "../../core/json/merge-patch-text.js";
import { applyMergePatch } from "../../core/planning/merge-patch.js";

/** Component (`type/nickname` or `env:type/nickname`) → JSON Merge Patch of its config. */
export type ProposedChanges = Readonly<Record<string, JsonValue>>;

/** The component a change request names, in `env` when the name carries none. */
export function findTarget(estate: Estate, request: { component: string; env?: string }): Component {
  const names = estate.settings.environments.map((e) => e.name);
  const explicitEnv = request.component.includes(":");
  // without an environment, any one will do for parsing: candidates are then looked up in every environment
  const parsed = parseComponentRef(request.component, request.env ?? names[0] ?? "");
  if (!parsed.ok)
    throw new UserError(
      `not a component: ${JSON.stringify(request.component)} (${parsed.reason})`,
      "name it type/nickname or env:type/nickname",
    );
  const { type, nickname } = parsed.address;
  const candidates = estate.components.filter(
    (c) =>
      c.type === type &&
      c.nickname === nickname &&
      (explicitEnv || request.env !== undefined ? c.env === parsed.address.env : true),
  );
  if (candidates.length === 1) return candidates[0]!;
  if (candidates.length > 1)
    throw new UserError(
      `${type}/${nickname} exists in several environments (${candidates.map((c) => c.env).join(", ")})`,
      "pass --env <name>",
    );
  throw new NotFoundError(
    `no component ${request.component}${request.env ? ` in environment "${request.env}"` : ""}`,
    `create ${componentConfigFile(estate.settings, { env: request.env ?? names[0] ?? "<env>", type, nickname })} first; a change request patches an existing component`,
  );
}

/** The config after the patch, and the file's text with only the patched keys edited. */
export function patchedText(
  text: string,
  config: JsonObject,
  patch: JsonValue,
  component: Component,
): { text: string; value: JsonObject } {
  const value = applyMergePatch(config, patch);
  if (value === null || typeof value !== "object" || Array.isArray(value))
    throw new ValidationFailedError(
      [
        {
          code: "patch.not-object",
          file: component.file,
          pointer: "",
          component: component.id,
          message: "the patch replaces the whole config with something that is not a JSON object",
          fix: 'send a JSON object patch, e.g. {"replicas": 3}; null deletes a key (RFC 7396)',
          severity: "error",
        },
      ],
      `the proposed change to ${component.id} is invalid (nothing was written)`,
    );
  // value is an object, so the patch was one too (RFC 7396: any other patch replaces the target)
  return { text: applyMergePatchToText(text, config, patch as JsonObject), value };
}

export interface PatchedEstate {
  /** The components patched, as they were before. */
  targets: Component[];
  /** Config file (relative path) → its patched text. */
  texts: Map<string, string>;
  /** The estate with the patched files. */
  after: Estate;
}

/**
 * Applies every patch to its component's config file (in memory) and builds the estate they
 * make. Throws ValidationFailedError, naming each problem, when a patched config is invalid
 * (schema, references, names); a UserError when a component is named twice.
 */
export function patchEstate(
  sources: EstateSources,
  changes: ProposedChanges,
  options: { env?: string } = {},
): PatchedEstate {
  const before = buildEstate(sources);
  const targets: Component[] = [];
  const texts = new Map<string, string>();
  for (const [name, patch] of Object.entries(changes)) {
    const target = findTarget(before, { component: name, ...(options.env ? { env: options.env } : {}) });
    if (texts.has(target.file))
      throw new UserError(
        `${target.id} is named twice in the proposed changes ("${name}" and another name for it)`,
        "merge the two patches into one",
      );
    const file = sources.configFiles.find((f) => f.path === target.file)!;
    texts.set(target.file, patchedText(file.text, target.config, patch, target).text);
    targets.push(target);
  }
  const after = buildEstate({
    ...sources,
    configFiles: sources.configFiles.map((f) => {
      const text = texts.get(f.path);
      return text === undefined ? f : { path: f.path, text };
    }),
  });
  const ids = new Set(targets.map((t) => t.id));
  const files = new Set(texts.keys());
  const problems: Problem[] = after.problems.filter(
    (p) =>
      p.severity === "error" &&
      ((p.component !== undefined && ids.has(p.component)) || (p.file !== undefined && files.has(p.file))),
  );
  if (problems.length > 0)
    throw new ValidationFailedError(
      problems,
      targets.length === 1
        ? `the proposed change to ${targets[0]!.id} is invalid (nothing was written)`
        : `the proposed changes to ${targets.map((t) => t.id).join(", ")} are invalid (nothing was written)`,
    );
  return { targets, texts, after };
}
