/**
 * A read command loads only what it needs: `karma graph impact` on an embedded estate must not
 * load ajv's schema compiler, the Gremlin driver, the AWS SDK or the HTTP server — each of them
 * costs more start-up than the query itself (the benchmark's start-up ratio depends on it).
 */
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { writeDemoEstateAt } from "../adapters/fs/demo-estate.js";
import { KARMA_BIN, runKarma, tempDir } from "../testing/cli.js";

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
    // a loader hook that names every module as it loads (CommonJS ones load through it too)
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
    const run = spawnSync(
      process.execPath,
      ["--import", pathToFileURL(register).href, KARMA_BIN, "-C", dir, "graph", "impact", "dev:network/main"],
      { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } },
    );
    expect(run.status, run.stderr).toBe(0);
    const loaded = run.stderr.split("\n").filter((l) => l.startsWith("loaded "));
    expect(loaded.some((l) => l.includes("/cli/commands/graph.js"))).toBe(true);
    expect(loaded.filter((l) => HEAVY.test(l))).toEqual([]);
  });
});
