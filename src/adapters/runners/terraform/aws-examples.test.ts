/**
 * The reference AWS modules (examples/aws-modules) are checked with the real binary: always
 * `fmt -check`; `init -backend=false` + `validate` where the AWS provider is available offline
 * (a filesystem mirror: KARMA_TF_PLUGIN_DIR, else /opt/tf-plugins). They are never deployed here.
 */
import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { terraformForTests } from "./binary-for-tests.js";

const binary = await terraformForTests();
const EXAMPLES = resolve(import.meta.dirname, "../../../../examples/aws-modules");
const MODULES = ["vpc", "s3-bucket", "serverless-site"];
const mirror = [process.env.KARMA_TF_PLUGIN_DIR, "/opt/tf-plugins"].find(
  (d): d is string => !!d && existsSync(join(d, "registry.terraform.io", "hashicorp", "aws")),
);
if (binary && !mirror)
  process.stderr.write("skipping `terraform validate` of the AWS examples: no offline AWS provider mirror\n");

function tf(cwd: string, args: string[]): Promise<{ code: number; stdout: string; out: string }> {
  return new Promise((done) => {
    execFile(
      binary!.path,
      args,
      { cwd, env: { ...process.env, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1" } },
      (error, stdout, stderr) =>
        done({ code: error ? Number(error.code ?? 1) : 0, stdout, out: stdout + stderr }),
    );
  });
}

describe.skipIf(!binary)("reference AWS modules", () => {
  it("are formatted", async () => {
    const result = await tf(EXAMPLES, ["fmt", "-check", "-recursive", "-no-color"]);
    expect(result).toMatchObject({ code: 0 });
  });

  it.skipIf(!mirror).each(MODULES)("%s validates against the AWS provider", async (name) => {
    const dir = mkdtempSync(join(tmpdir(), `karma-aws-${name}-`));
    try {
      cpSync(join(EXAMPLES, name), dir, { recursive: true });
      const init = await tf(dir, [
        "init",
        "-backend=false",
        "-input=false",
        "-no-color",
        `-plugin-dir=${mirror}`,
      ]);
      expect(init.code, init.out).toBe(0);
      const validate = await tf(dir, ["validate", "-json", "-no-color"]);
      const report = JSON.parse(validate.stdout);
      expect(report, validate.out).toMatchObject({ valid: true, error_count: 0 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
