/**
 * `karma init` and the file side of `karma demo`: lay out an estate — through the estate files
 * and git ports, so the same code writes a directory on disk or anything else that holds files.
 */
import { UserError } from "../core/errors.js";
import { DEFAULT_PATHS, SETTINGS_FILE } from "../core/estate/paths.js";
import type { EstateFiles } from "../ports/estate-reader.js";
import type { GitReader } from "../ports/git-reader.js";

/** `karma init` lays out the defaults of karma.json's "paths". */
const { components: INIT_COMPONENTS, types: INIT_TYPES, state: STATE } = DEFAULT_PATHS;

export function initEstate(files: EstateFiles, environments: readonly string[] = ["dev"]): string[] {
  if (files.exists(SETTINGS_FILE))
    throw new UserError(
      `${files.root}/${SETTINGS_FILE} already exists`,
      "pick another directory, or edit the existing estate",
    );
  const created: string[] = [SETTINGS_FILE];
  files.writeText(
    SETTINGS_FILE,
    `${JSON.stringify({ prefix: "/iac", environments, types: {}, policies: {} }, null, 2)}\n`,
  );
  for (const env of environments) {
    files.writeText(`${INIT_COMPONENTS}/${env}/.gitkeep`, "");
    created.push(`${INIT_COMPONENTS}/${env}/`);
  }
  files.writeText(`${INIT_TYPES}/.gitkeep`, "");
  created.push(`${INIT_TYPES}/`);
  if (!files.exists(".gitignore")) {
    files.writeText(".gitignore", `${STATE}/\n`);
    created.push(".gitignore");
  }
  return created;
}

/** Every file under `dir` of `files`, estate-relative, sorted. */
function allFiles(files: EstateFiles, dir = ""): string[] {
  const at = (name: string) => (dir === "" ? name : `${dir}/${name}`);
  return [
    ...files.files(dir === "" ? "." : dir).map(at),
    ...files.folders(dir === "" ? "." : dir).flatMap((f) => allFiles(files, at(f))),
  ].sort();
}

export interface DemoEstateOptions {
  /** Team mode: graph and audit log in this Gremlin server. */
  gremlinEndpoint?: string;
  /** Names this estate's Gremlin namespace (a shared server keeps demos apart). */
  namespaceSuffix?: string;
}

/**
 * Copies the demo estate `template` into `target` (unless it already holds one) and commits it
 * to a fresh git repository, so that publish provenance has a commit to record. Returns whether
 * it was created.
 */
export async function writeDemoEstate(
  target: { files: EstateFiles; git: Pick<GitReader, "init" | "commit"> },
  template: EstateFiles,
  options: DemoEstateOptions = {},
): Promise<boolean> {
  const { files, git } = target;
  if (files.exists(SETTINGS_FILE)) return false;
  if (files.files(".").length + files.folders(".").length > 0)
    throw new UserError(`${files.root} exists and is not empty`, "pass --dir with a new or empty directory");
  for (const path of allFiles(template)) files.writeText(path, template.readText(path) ?? "");
  if (options.gremlinEndpoint !== undefined) {
    // team mode: graph and audit log in the Gremlin server, in a namespace of this estate's own
    const settings = JSON.parse(files.readText(SETTINGS_FILE) ?? "{}") as Record<string, unknown>;
    settings.graph = {
      kind: "gremlin",
      endpoint: options.gremlinEndpoint,
      namespace: `demo-${options.namespaceSuffix ?? "estate"}`,
    };
    settings.audit = { kind: "gremlin" };
    files.writeText(SETTINGS_FILE, `${JSON.stringify(settings, null, 2)}\n`);
  }
  try {
    await git.init();
    await git.commit(["."], "Karma demo estate", {
      fallbackIdentity: { name: "Karma demo", email: "demo@karma.invalid" },
    });
  } catch {
    // git missing: the demo still works, publish just records no commit
  }
  return true;
}
