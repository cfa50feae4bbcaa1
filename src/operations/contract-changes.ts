/**
 * Contract-aware planning: which types' effective output contracts a change touches (their
 * `outputs.schema.json`, or — for a Terraform type without one — the names of its module's
 * `output` blocks), compared at the plan's base revision and in the working tree, and the consumer
 * key uses each change breaks (core/contracts/breaking.ts). Nothing is read unless a type's files
 * changed, so ordinary plans pay one `git diff`.
 */
import {
  type BrokenUse,
  findBrokenUses,
  outputsAsSchema,
  type TypeContractChange,
} from "../core/contracts/breaking.js";
import { moduleOutputs } from "../core/contracts/terraform-outputs.js";
import { refKeyUses } from "../core/contracts/uses.js";
import type { Estate, JsonObject } from "../core/estate/model.js";
import { typeOutputsFile } from "../core/estate/paths.js";
import { runnerKindOf, typeSettingsOf } from "../core/estate/runner-kind.js";
import { isModuleFile, moduleDir, readModuleFiles } from "./contracts.js";
import type { Session } from "./session.js";

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

/**
 * Contract changes between `ref` (its merge base with HEAD; default HEAD: uncommitted changes) and
 * the working tree. `loadEstate` is called only when some type's contract changed. Outside a git
 * repository there is no base to compare with, and nothing is reported.
 */
export async function contractChanges(
  session: Session,
  loadEstate: () => Promise<Estate>,
  base: { commit: string; files?: readonly string[] } | undefined,
): Promise<ContractChanges> {
  const { settings, git } = session;
  const none = { types: [], broken: [] };
  const commit = base?.commit ?? "HEAD";
  let files: readonly string[];
  try {
    files = base?.files ?? (await git.changedSince(commit, [settings.paths.types]));
  } catch {
    return none;
  }
  const typeFolders = session.estate.folders(settings.paths.types);
  const types = [...new Set([...Object.keys(settings.types), ...typeFolders])].filter((type) => {
    const dir = moduleDir(settings, type);
    return files.some((f) => f === typeOutputsFile(settings, type) || f.startsWith(`${dir}/`));
  });
  if (types.length === 0) return none;

  const changes: TypeContractChange[] = [];
  for (const type of types.sort()) {
    const path = typeOutputsFile(settings, type);
    const nowContract = parseObject(session.estate.readText(path));
    const thenContract = parseObject(await git.fileAt(commit, path));
    const terraform = runnerKindOf(typeSettingsOf(settings, type)) === "terraform";
    let before = thenContract;
    let after = nowContract;
    let source = path;
    if (!thenContract && !nowContract && terraform) {
      // no contract on either side: the module's output names are the promise
      const dir = moduleDir(settings, type);
      const thenFiles = await Promise.all(
        (await git.filesAt(commit, dir))
          .filter(isModuleFile)
          .map(async (f) => ({ path: f, text: (await git.fileAt(commit, f)) ?? "" })),
      );
      if (thenFiles.length === 0) continue;
      before = outputsAsSchema(moduleOutputs(thenFiles));
      after = outputsAsSchema(moduleOutputs(readModuleFiles(session, type)));
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
