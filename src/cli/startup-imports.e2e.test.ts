/**
 * A read command loads only what it needs: `karma graph impact` on an embedded estate must not
 * load ajv's schema compiler, the Gremlin driver, the AWS SDK or the HTTP server — each of them
 * costs more start-up than the query itself (the benchmark's start-up ratio depends on it). Nor
 * may it, or `karma --version`, load the modules of commands that are not run.
 *
 * The CLI runs as a bundle (dist/cli-bundle, see scripts/build-cli.mjs): its chunks are named back
 * to the source modules they hold with the bundle's metafile, so "loaded" means "its code was
 * read", whichever chunk carried it.
 */
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { writeDemoEstateAt } from "../adapters/fs/demo-estate.js";
import { KARMA_BIN, runKarma, tempDir } from "../testing/cli.js";

/** A command module under src/cli/commands/, other than the table of them (index.ts). */
const COMMAND_MODULE = /(^|\/)src\/cli\/commands\/(?!index\.ts$)[^/]+\.ts$/;

const BUNDLE_DIR = fileURLToPath(new URL("../../dist/cli-bundle/", import.meta.url));

interface Metafile {
  outputs: Record<string, { inputs: Record<string, unknown> }>;
}

/** Each chunk's file name → the source modules (and bundled packages' files) it holds. */
function chunkInputs(): Map<string, string[]> {
  const meta = JSON.parse(readFileSync(join(BUNDLE_DIR, "meta.json"), "utf8")) as Metafile;
  return new Map(
    Object.entries(meta.outputs).map(([output, { inputs }]) => [
      output.split("/").pop() ?? output,
      Object.keys(inputs),
    ]),
  );
}

/**
 * Runs karma with a loader hook that names every ES module as it loads, and lists the CommonJS
 * ones (`require`d, which the hook does not see) as it exits; a bundle chunk is replaced by the
 * modules it holds.
 */
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
    [
      'import { createRequire, register } from "node:module";',
      `register(${JSON.stringify(pathToFileURL(hook).href)});`,
      "const cache = createRequire(import.meta.url).cache;",
      'process.on("exit", () => { for (const file of Object.keys(cache)) process.stderr.write("loaded " + file + "\\n"); });',
      "",
    ].join("\n"),
  );
  const run = spawnSync(process.execPath, ["--import", pathToFileURL(register).href, KARMA_BIN, ...args], {
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
  });
  const chunks = chunkInputs();
  const loaded = run.stderr
    .split("\n")
    .filter((l) => l.startsWith("loaded "))
    .map((l) => l.slice("loaded ".length))
    .flatMap((url) => {
      const file = url.startsWith("file:") ? fileURLToPath(url) : url;
      if (!file.startsWith(BUNDLE_DIR)) return [file];
      const inputs = chunks.get(file.slice(BUNDLE_DIR.length));
      if (inputs === undefined) throw new Error(`${file} is not a chunk of the bundle's metafile`);
      return inputs;
    });
  return { status: run.status, stderr: run.stderr, loaded };
}

const HEAVY =
  /node_modules\/(ajv\/(?!dist\/runtime\/)|ajv-formats\/|gremlin\/|@aws-sdk\/|@smithy\/|hono\/|@hono\/)/;

/** Built-ins a read command has no use for, imported by modules it loads (see adapters/builtins.ts). */
const LAZY_BUILTINS = ["node:crypto", "node:child_process"];

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
    expect(run.loaded).toContain("src/cli/commands/graph.ts");
    // it reads the embedded store: the CommonJS driver is seen (so its absence below means something)
    expect(run.loaded.some((l) => l.includes("/better-sqlite3/"))).toBe(true);
    expect(run.loaded.filter((l) => HEAVY.test(l))).toEqual([]);
    expect(run.loaded.filter((l) => COMMAND_MODULE.test(l) && l !== "src/cli/commands/graph.ts")).toEqual([]);
    // built-ins only writes use (hashing, child processes) load where they are used (builtins.ts)
    expect(run.loaded.filter((l) => LAZY_BUILTINS.includes(l))).toEqual([]);
  });

  it.each([
    ["--version", 0],
    ["--help", 0],
    ["grph", 1], // unknown: commander suggests `graph` from the summaries
  ])("karma %s loads no command module, nor SQLite", (arg, status) => {
    const run = loadedModules(tempDir("startup-no-command"), [arg]);
    expect(run.status, run.stderr).toBe(status);
    expect(run.loaded).toContain("src/cli/commands/index.ts");
    expect(
      run.loaded.filter((l) => COMMAND_MODULE.test(l) || HEAVY.test(l) || l.includes("/better-sqlite3/")),
    ).toEqual([]);
  });
});
