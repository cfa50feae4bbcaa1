import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import { sourceMappedStack } from "./source-mapped-stack.js";

/** A TypeScript file bundled the way the CLI is (with a linked source map), imported and made to throw. */
async function bundledError(): Promise<{ stack: string; source: string; outfile: string }> {
  const dir = mkdtempSync(join(tmpdir(), "karma-stack-"));
  const source = join(dir, "thrower.ts");
  writeFileSync(
    source,
    [
      "interface Options { readonly why: string }",
      "// a few lines so the bundle's line differs from the source's",
      "export function fail(options: Options): never {",
      "  throw new Error(options.why);",
      "}",
      "",
    ].join("\n"),
  );
  const outfile = join(dir, "out", "bundle.js");
  await build({
    entryPoints: [source],
    bundle: true,
    format: "esm",
    outfile,
    sourcemap: "linked",
    logLevel: "silent",
  });
  // in a plain Node process: vitest's module runner would map the stack itself
  const run = spawnSync(
    process.execPath,
    [
      "--input-type=module",
      "-e",
      `const { fail } = await import(${JSON.stringify(pathToFileURL(outfile).href)});
       try { fail({ why: "boom" }); } catch (error) { process.stdout.write(error.stack); }`,
    ],
    { encoding: "utf8" },
  );
  return { stack: run.stdout, source, outfile };
}

describe("sourceMappedStack", () => {
  it("points a bundled frame at its TypeScript source line", async () => {
    const { stack, source, outfile } = await bundledError();
    expect(stack).toContain(pathToFileURL(outfile).href);
    const mapped = sourceMappedStack(stack);
    expect(mapped).toContain(`${source}:4:`);
    expect(mapped).not.toContain(pathToFileURL(outfile).href);
    expect(mapped.split("\n")[0]).toBe("Error: boom");
  });

  it("leaves frames without a source map as they are", () => {
    const dir = mkdtempSync(join(tmpdir(), "karma-stack-"));
    const stack = `Error: x\n    at f (${pathToFileURL(join(dir, "plain.js")).href}:3:9)\n    at node:internal/x:1:1`;
    expect(sourceMappedStack(stack)).toBe(stack);
  });
});
