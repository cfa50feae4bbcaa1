/**
 * A read command loads only what it needs: `karma graph impact` on an embedded estate must not
 * load ajv's schema compiler, the Gremlin driver, the AWS SDK or the HTTP server — each of them
 * costs more start-up than the query itself (the benchmark's start-up ratio depends on it). Nor
 * may it, or `karma --version`, load the modules of commands that are not run.
 */
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { writeDemoEstateAt } from "../adapters/fs/demo-estate.js";
import { KARMA_BIN, runKarma, tempDir } from "../testing/cli.js";

/** A command module under dist/cli/commands/, other than the table of them (index.js). */
const COMMAND_MODULE = /\/cli\/commands\/(?!index\.js$)[^/]+\.js$/;

/** Runs karma with a loader hook that names every module as it loads (CommonJS ones too). */
function loadedModules(
  base: string,
  args: readonly string[],
): { status: number | null; stderr: string; loaded: string[] } {
  const hook = join(base, "hook.mjs");
  writeFileSync(
    hook,
    'export async function load(url, context, next) { process.stderr.write("loaded " + url + "\\n"); return next(url, context); }\n',
  );
  const register = join(base, "register.mjs");
  writeFileSync(
    register,
    `import { register } from "node:module"; register(${JSON.stringify(pathToFileURL(hook).href)});\n`,
  );
  const run = spawnSync(process.execPath, ["--import", pathToFileURL(register).href, KARMA_BIN, ...args], {
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
  });
  const loaded = run.stderr.split("\n").filter((l) => l.startsWith("loaded "));
  return { status: run.status, stderr: run.stderr, loaded };
}

const HEAVY =
  /node_modules\/(ajv\/(?!dist\/runtime\/)|ajv-formats\/|gremlin\/|@aws-sdk\/|@smithy\/|hono\/|@hono\/)/;

describe("start-up of a read command", () => {
  it("karma graph impact loads no schema compiler, Gremlin driver, AWS SDK or HTTP server", async () => {
    const base = tempDir("startup-imports");
    const dir = join(base, "estate");
    await writeDemoEstateAt(dir);
    for (const step of [["publish"], ["graph", "build"]]) {
      const run = runKarma(["-C", dir, ...step]);
      expect(run.code, run.stderr).toBe(0);
    }
    const run = loadedModules(base, ["-C", dir, "graph", "impact", "dev:network/main"]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.loaded.some((l) => l.includes("/cli/commands/graph.js"))).toBe(true);
    expect(run.loaded.filter((l) => HEAVY.test(l))).toEqual([]);
    expect(run.loaded.filter((l) => COMMAND_MODULE.test(l) && !l.endsWith("/cli/commands/graph.js"))).toEqual(
      [],
    );
  });

  it.each([
    ["--version", 0],
    ["--help", 0],
    ["grph", 1], // unknown: commander suggests `graph` from the summaries
  ])("karma %s loads no command module, nor SQLite", (arg, status) => {
    const run = loadedModules(tempDir("startup-no-command"), [arg]);
    expect(run.status, run.stderr).toBe(status);
    expect(run.loaded.some((l) => l.endsWith("/cli/commands/index.js"))).toBe(true);
    expect(
      run.loaded.filter((l) => COMMAND_MODULE.test(l) || HEAVY.test(l) || l.includes("/better-sqlite3/")),
    ).toEqual([]);
  });
});
