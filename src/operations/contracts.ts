/**
 * Output contracts where they need I/O: inferred key uses from the latest stored graph (for
 * `karma validate`), and drafting a contract from a Terraform module (`karma types contract`).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { graphDatabaseFile, openGraphStore } from "../adapters/graph-store/factory.js";
import { checkKeyUses } from "../core/contracts/check-uses.js";
import { type DraftSample, draftContract } from "../core/contracts/draft.js";
import { type ModuleFile, moduleOutputs } from "../core/contracts/terraform-outputs.js";
import { inferredKeyUses } from "../core/contracts/uses.js";
import { type Problem, UserError } from "../core/errors.js";
import type { Estate, JsonObject, ProjectSettings } from "../core/estate/model.js";
import { componentParameterName } from "../core/parameters/names.js";
import { readParameter } from "./provision/prepare.js";
import { openStores } from "./stores.js";

/**
 * Contract problems of inferred edges in the latest stored graph (none without contracts or a
 * built graph: validate never creates a database).
 */
export async function inferredContractProblems(estate: Estate): Promise<Problem[]> {
  const { settings } = estate;
  if (estate.contracts.size === 0) return [];
  if (settings.graph.kind === "sqlite" && !existsSync(graphDatabaseFile(settings))) return [];
  const store = openGraphStore(settings);
  try {
    const latest = await store.latestVersion();
    if (!latest) return [];
    const graph = await store.readGraph({ version: latest.version });
    return checkKeyUses(inferredKeyUses(graph.edges, estate.components), estate.contracts);
  } finally {
    await store.close();
  }
}

/** The module directory of a type (`types.<type>.module`, default `<types>/<type>`). */
export function moduleDir(settings: ProjectSettings, type: string): string {
  return resolve(settings.root, settings.types[type]?.module ?? join(settings.paths.types, type));
}

export function readModuleFiles(dir: string): ModuleFile[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".tf") || f.endsWith(".tf.json"))
    .sort()
    .map((f) => ({ path: f, text: readFileSync(join(dir, f), "utf8") }));
}

export interface DraftedContract {
  type: string;
  /** Where it belongs (estate-relative). */
  file: string;
  exists: boolean;
  contract: JsonObject;
}

/**
 * A draft contract for a Terraform type from its module's output blocks, typed from the first
 * deployed component's runtime (sensitive values never copied) when one exists.
 */
export async function draftTerraformContract(estate: Estate, type: string): Promise<DraftedContract> {
  const { settings } = estate;
  const typeSettings = settings.types[type];
  if (typeSettings?.runner === "command")
    throw new UserError(
      `type "${type}" is deployed by a command, not a Terraform module`,
      `write ${settings.paths.types}/${type}/outputs.schema.json by hand from what its script prints`,
    );
  const dir = moduleDir(settings, type);
  const files = readModuleFiles(dir);
  if (files.length === 0)
    throw new UserError(
      `type "${type}" has no Terraform module: no .tf files in ${dir}`,
      `create the module there, or set "module" for type "${type}" in karma.json`,
    );
  const outputs = moduleOutputs(files);
  const sample = await deployedSample(estate, type);
  const file = typeSettings?.outputs ?? `${settings.paths.types}/${type}/outputs.schema.json`;
  return {
    type,
    file,
    exists: existsSync(join(settings.root, file)),
    contract: draftContract(type, outputs, sample),
  };
}

async function deployedSample(estate: Estate, type: string): Promise<DraftSample | undefined> {
  const components = estate.components.filter((c) => c.type === type);
  const envs = estate.settings.environments.filter((e) => components.some((c) => c.env === e.name));
  if (envs.length === 0) return undefined;
  const stores = await openStores(estate.settings, envs);
  try {
    for (const c of components) {
      const env = envs.find((e) => e.name === c.env)!;
      const runtime = await readParameter(
        stores.get(env.name),
        componentParameterName(env.prefix, c.type, c.nickname, "runtime"),
      ).catch(() => undefined);
      if (!runtime) continue;
      try {
        const value = JSON.parse(runtime.value) as unknown;
        if (value !== null && typeof value === "object" && !Array.isArray(value))
          return { from: c.id, value: value as JsonObject };
      } catch {
        // not JSON: no sample
      }
    }
    return undefined;
  } finally {
    await stores.close();
  }
}
