/**
 * Output contracts where they need I/O: inferred key uses from the latest stored graph (for
 * `karma validate`), and drafting a contract from a Terraform module (`karma types contract`).
 */
import { checkKeyUses } from "../core/contracts/check-uses.js";
import { type DraftSample, draftContract } from "../core/contracts/draft.js";
import { type ModuleFile, moduleOutputs } from "../core/contracts/terraform-outputs.js";
import { inferredKeyUses } from "../core/contracts/uses.js";
import { type Problem, UserError } from "../core/errors.js";
import type { Estate, JsonObject, ProjectSettings } from "../core/estate/model.js";
import { componentParameterName, typeModuleDir, typeOutputsFile } from "../core/estate/paths.js";
import { latestInferredEvidenceEdges } from "./inferred-edges.js";
import { readParameter } from "./provision/prepare.js";
import type { Session } from "./session.js";

/**
 * Contract problems of inferred edges in the latest stored graph (none without contracts or a
 * built graph: validate never creates a database).
 */
export async function inferredContractProblems(session: Session, estate: Estate): Promise<Problem[]> {
  if (estate.contracts.size === 0) return [];
  const edges = await latestInferredEvidenceEdges(session);
  return checkKeyUses(inferredKeyUses(edges, estate.components), estate.contracts);
}

/** The module directory of a type, estate-relative without "./" or a trailing "/". */
export function moduleDir(settings: ProjectSettings, type: string): string {
  return typeModuleDir(settings, type).replace(/^\.\//, "").replace(/\/+$/, "");
}

/** Whether a module file declares Terraform (`.tf`, `.tf.json`). */
export function isModuleFile(name: string): boolean {
  return name.endsWith(".tf") || name.endsWith(".tf.json");
}

/** The type's module files as the working tree holds them. */
export function readModuleFiles(session: Pick<Session, "estate" | "settings">, type: string): ModuleFile[] {
  const dir = moduleDir(session.settings, type);
  return session.estate
    .files(dir)
    .filter(isModuleFile)
    .map((f) => ({ path: f, text: session.estate.readText(`${dir}/${f}`) ?? "" }));
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
export async function draftTerraformContract(
  session: Session,
  estate: Estate,
  type: string,
): Promise<DraftedContract> {
  const { settings } = estate;
  const typeSettings = settings.types[type];
  if (typeSettings?.runner === "command")
    throw new UserError(
      `type "${type}" is deployed by a command, not a Terraform module`,
      `write ${typeOutputsFile(settings, type)} by hand from what its script prints`,
    );
  const dir = moduleDir(settings, type);
  const files = readModuleFiles(session, type);
  if (files.length === 0)
    throw new UserError(
      `type "${type}" has no Terraform module: no .tf files in ${dir}`,
      `create the module there, or set "module" for type "${type}" in karma.json`,
    );
  const outputs = moduleOutputs(files);
  const sample = await deployedSample(session, estate, type);
  const file = typeOutputsFile(settings, type);
  return {
    type,
    file,
    exists: session.estate.exists(file),
    contract: draftContract(type, outputs, sample),
  };
}

/** Writes a draft to its contract file; an existing (reviewed) contract only with `force`. */
export function writeDraftedContract(session: Session, draft: DraftedContract, force: boolean): void {
  if (draft.exists && !force)
    throw new UserError(
      `${draft.file} already exists; not overwriting the reviewed contract`,
      "compare with the draft (run without --write), or pass --force to replace it",
    );
  session.estate.writeText(draft.file, `${JSON.stringify(draft.contract, null, 2)}\n`);
}

async function deployedSample(
  session: Session,
  estate: Estate,
  type: string,
): Promise<DraftSample | undefined> {
  const components = estate.components.filter((c) => c.type === type);
  for (const c of components) {
    const env = session.environment(c.env);
    const runtime = await readParameter(
      await session.store(env.name),
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
}
