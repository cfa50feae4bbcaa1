/**
 * Contract-aware planning: which types' effective output contracts a change touches (their
 * `outputs.schema.json`, or — for a Terraform type without one — the names of its module's
 * `output` blocks), compared at the plan's base revision and in the working tree, and the consumer
 * key uses each change breaks (core/contracts/breaking.ts). Nothing is read unless a type's files
 * changed, so ordinary plans pay one `git diff`.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { changedSince, fileAt, filesAt } from "../adapters/git/revisions.js";
import { runnerKindOf, typeSettingsOf } from "../adapters/runners/factory.js";
import {
  type BrokenUse,
  findBrokenUses,
  outputsAsSchema,
  type TypeContractChange,
} from "../core/contracts/breaking.js";
import { moduleOutputs } from "../core/contracts/terraform-outputs.js";
import { refKeyUses } from "../core/contracts/uses.js";
import type { Estate, JsonObject, ProjectSettings } from "../core/estate/model.js";
import { moduleDir, readModuleFiles } from "./contracts.js";

export interface ContractChanges {
  /** Types whose effective contract changed, sorted. */
  types: string[];
  broken: BrokenUse[];
}

function parseObject(text: string | undefined): JsonObject | undefined {
  if (text === undefined) return undefined;
  try {
    const value = JSON.parse(text) as unknown;
    return value !== null && typeof value === "object" && !Array.isArray(value)
      ? (value as JsonObject)
      : undefined;
  } catch {
    return undefined;
  }
}

function relativeModule(settings: ProjectSettings, type: string): string {
  return (settings.types[type]?.module ?? `${settings.paths.types}/${type}`)
    .replace(/^\.\//, "")
    .replace(/\/+$/, "");
}

function contractPath(settings: ProjectSettings, type: string): string {
  return settings.types[type]?.outputs ?? `${settings.paths.types}/${type}/outputs.schema.json`;
}

/**
 * Contract changes between `ref` (its merge base with HEAD; default HEAD: uncommitted changes) and
 * the working tree. `loadEstate` is called only when some type's contract changed. Outside a git
 * repository there is no base to compare with, and nothing is reported.
 */
export async function contractChanges(
  settings: ProjectSettings,
  loadEstate: () => Promise<Estate>,
  base: { commit: string; files?: readonly string[] } | undefined,
): Promise<ContractChanges> {
  const none = { types: [], broken: [] };
  const commit = base?.commit ?? "HEAD";
  let files: readonly string[];
  try {
    files = base?.files ?? (await changedSince(settings.root, commit, [settings.paths.types]));
  } catch {
    return none;
  }
  const types = [...new Set([...Object.keys(settings.types), ...typeFolders(settings)])].filter((type) => {
    const dir = relativeModule(settings, type);
    return files.some((f) => f === contractPath(settings, type) || f.startsWith(`${dir}/`));
  });
  if (types.length === 0) return none;

  const changes: TypeContractChange[] = [];
  for (const type of types.sort()) {
    const path = contractPath(settings, type);
    const nowContract = parseObject(
      existsSync(join(settings.root, path)) ? readFileSync(join(settings.root, path), "utf8") : undefined,
    );
    const thenContract = parseObject(await fileAt(settings.root, commit, path));
    const terraform = runnerKindOf(typeSettingsOf(settings, type)) === "terraform";
    let before = thenContract;
    let after = nowContract;
    let source = path;
    if (!thenContract && !nowContract && terraform) {
      // no contract on either side: the module's output names are the promise
      const dir = relativeModule(settings, type);
      const thenFiles = await Promise.all(
        (await filesAt(settings.root, commit, dir))
          .filter((f) => f.endsWith(".tf") || f.endsWith(".tf.json"))
          .map(async (f) => ({ path: f, text: (await fileAt(settings.root, commit, f)) ?? "" })),
      );
      if (thenFiles.length === 0) continue;
      before = outputsAsSchema(moduleOutputs(thenFiles));
      after = outputsAsSchema(moduleOutputs(readModuleFiles(moduleDir(settings, type))));
      source = `${dir} (output blocks)`;
    }
    if (!before) continue; // a new contract promises more; it breaks nothing
    changes.push({ type, source, before, after });
  }
  if (changes.length === 0) return none;
  const estate = await loadEstate();
  return {
    types: changes.map((c) => c.type),
    broken: findBrokenUses(changes, refKeyUses(estate.components)),
  };
}

function typeFolders(settings: ProjectSettings): string[] {
  try {
    return readdirSync(join(settings.root, settings.paths.types), { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
  } catch {
    return [];
  }
}
