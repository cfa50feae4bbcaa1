/**
 * Untimed setup shared by the graph and plan benchmarks: a synthetic estate on disk, committed to
 * git, its configs published to the embedded store and a runtime written for every component (as
 * if each were deployed) — and the one-config change both suites time a selection or plan of.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { loadEstate } from "../adapters/fs/estate-loader.js";
import { readProjectSettings } from "../adapters/fs/settings-reader.js";
import { openSession } from "../adapters/session/open-session.js";
import type { Estate, ProjectSettings } from "../core/estate/model.js";
import { formatProvenance } from "../core/provenance/provenance.js";
import { publishEstate } from "../operations/publish.js";
import { type Session, withSession } from "../operations/session.js";
import {
  generateSyntheticEstate,
  type SyntheticComponent,
  type SyntheticEstate,
  syntheticConfigFile,
  writeSyntheticEstate,
} from "./synthetic-estate.js";

/** Runs git in `cwd` with a fixed bench identity; returns stdout. */
export function git(cwd: string, ...args: string[]): string {
  // gc.auto=0: a background `git gc` still writing into .git made removing the estate fail
  return execFileSync(
    "git",
    ["-c", "gc.auto=0", "-c", "user.email=bench@example.com", "-c", "user.name=bench", ...args],
    {
      cwd,
      encoding: "utf8",
      maxBuffer: 256 * 1024 * 1024,
    },
  );
}

export interface DeployedEstate {
  synthetic: SyntheticEstate;
  settings: ProjectSettings;
  estate: Estate;
}

/** Writes a `size`-component synthetic estate into `dir`, commits, publishes and writes runtimes. */
export async function setUpDeployedEstate(dir: string, size: number): Promise<DeployedEstate> {
  const synthetic = generateSyntheticEstate(size);
  writeSyntheticEstate(dir, synthetic);
  git(dir, "init", "-q", "-b", "main");
  git(dir, "add", "-A");
  git(dir, "commit", "-qm", "estate");
  const settings = readProjectSettings(dir);
  const estate = await loadEstate(settings);
  await withSession(openSession({ settings, source: "cli" }), (s) => publishEstate(s, estate));
  await inSession(settings, async (session) => {
    for (const env of settings.environments) {
      const runtimes = synthetic.components
        .filter((c) => c.env === env.name)
        .map((c) => ({
          name: `${env.prefix}/${c.type}/${c.nickname}/runtime`,
          value: JSON.stringify(c.runtime),
          type: "String" as const,
          overwrite: true,
          description: formatProvenance({ by: "bench", configVersion: 1 }),
        }));
      await (await session.store(env.name)).putParameters(runtimes);
    }
  });
  return { synthetic, settings, estate };
}

/** Runs `fn` in a session of its own on the estate, as one CLI command would. */
export function inSession<T>(settings: ProjectSettings, fn: (session: Session) => Promise<T>): Promise<T> {
  return withSession(openSession({ settings, source: "cli" }), fn);
}

/** Resizes the first database in its config file and commits that one change; returns it. */
export function commitOneDatabaseChange(dir: string, synthetic: SyntheticEstate): SyntheticComponent {
  const changed = synthetic.components.find((c) => c.type === "database");
  if (!changed) throw new Error("the synthetic estate has no database to change");
  fs.writeFileSync(
    path.join(dir, syntheticConfigFile(changed)),
    `${JSON.stringify({ ...changed.config, size: "db.r6g.xlarge" }, null, 2)}\n`,
  );
  git(dir, "commit", "-qam", "resize one database");
  return changed;
}
