/** `karma init` and the file side of `karma demo`: lay out an estate on disk. */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { UserError } from "../core/errors.js";
import { SETTINGS_FILE } from "../core/estate/settings.js";

/** The demo estate shipped with Karma (src/demo/estate, the same path from src/ and dist/). */
export const DEMO_TEMPLATE = fileURLToPath(new URL("../../src/demo/estate", import.meta.url));

export function initEstate(dir: string, environments: readonly string[] = ["dev"]): string[] {
  if (existsSync(join(dir, SETTINGS_FILE)))
    throw new UserError(
      `${join(dir, SETTINGS_FILE)} already exists`,
      "pick another directory, or edit the existing estate",
    );
  mkdirSync(dir, { recursive: true });
  const created: string[] = [SETTINGS_FILE];
  writeFileSync(
    join(dir, SETTINGS_FILE),
    `${JSON.stringify({ prefix: "/iac", environments, types: {}, policies: {} }, null, 2)}\n`,
  );
  for (const env of environments) {
    mkdirSync(join(dir, "iac", env), { recursive: true });
    writeFileSync(join(dir, "iac", env, ".gitkeep"), "");
    created.push(`iac/${env}/`);
  }
  mkdirSync(join(dir, "types"), { recursive: true });
  writeFileSync(join(dir, "types", ".gitkeep"), "");
  created.push("types/");
  if (!existsSync(join(dir, ".gitignore"))) {
    writeFileSync(join(dir, ".gitignore"), ".karma/\n");
    created.push(".gitignore");
  }
  return created;
}

/**
 * Copies the demo estate into `dir` (unless it already holds one) and commits it to a fresh git
 * repository, so that publish provenance has a commit to record. Returns whether it was created.
 */
export function writeDemoEstate(dir: string, options: { gremlinEndpoint?: string } = {}): boolean {
  if (existsSync(join(dir, SETTINGS_FILE))) return false;
  if (existsSync(dir) && readdirSync(dir).length > 0)
    throw new UserError(`${dir} exists and is not empty`, "pass --dir with a new or empty directory");
  cpSync(DEMO_TEMPLATE, dir, { recursive: true });
  if (options.gremlinEndpoint !== undefined) {
    // team mode: graph and audit log in the Gremlin server, in a namespace of this estate's own
    // (a shared server keeps demos apart)
    const file = join(dir, SETTINGS_FILE);
    const settings = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
    settings.graph = {
      kind: "gremlin",
      endpoint: options.gremlinEndpoint,
      namespace: `demo-${randomBytes(4).toString("hex")}`,
    };
    settings.audit = { kind: "gremlin" };
    writeFileSync(file, `${JSON.stringify(settings, null, 2)}\n`);
  }
  commitAll(dir, "Karma demo estate");
  return true;
}

function commitAll(dir: string, message: string): void {
  const env = {
    ...process.env,
    GIT_AUTHOR_NAME: process.env.GIT_AUTHOR_NAME ?? "Karma demo",
    GIT_AUTHOR_EMAIL: process.env.GIT_AUTHOR_EMAIL ?? "demo@karma.invalid",
    GIT_COMMITTER_NAME: process.env.GIT_COMMITTER_NAME ?? "Karma demo",
    GIT_COMMITTER_EMAIL: process.env.GIT_COMMITTER_EMAIL ?? "demo@karma.invalid",
  };
  try {
    const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, env, stdio: "ignore" });
    git("init", "-q", "-b", "main");
    git("add", "-A");
    git("commit", "-q", "-m", message);
  } catch {
    // git missing: the demo still works, publish just records no commit
  }
}
