/**
 * A Terraform/OpenTofu type's own tests: `*.tftest.hcl` beside the module (or in its `tests/`),
 * run with the native framework (`terraform test` / `tofu test`, ≥1.6; `mock_provider` needs
 * Terraform ≥1.7 or OpenTofu ≥1.8) on a scratch copy of the module, with the component's inputs as
 * a var file. Results come from `test -json`: one case per run block; failures carry the
 * diagnostics' summary and detail (the assertion's own message), never the snippet's values.
 */
import { cpSync, existsSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { TestCase } from "../../core/component-tests/model.js";
import { UserError } from "../../core/errors.js";
import type { ComponentTester, TestJob, TestRun } from "../../ports/component-tests.js";
import { makePrivateDir } from "../fs/private-files.js";
import { runChild } from "../runners/child-process.js";
import { compareVersions, type TerraformBinary } from "../runners/terraform/binary.js";

/** The native test framework (`.tftest.hcl`) arrived in Terraform 1.6 and is in OpenTofu from 1.6. */
export const MINIMUM_TEST_VERSION = "1.6.0";

export function testFiles(moduleDir: string): string[] {
  const list = (dir: string, prefix: string) =>
    existsSync(dir)
      ? readdirSync(dir)
          .filter((f) => f.endsWith(".tftest.hcl") || f.endsWith(".tftest.json"))
          .map((f) => prefix + f)
      : [];
  return [...list(moduleDir, ""), ...list(join(moduleDir, "tests"), "tests/")].sort();
}

interface TestLine {
  type?: string;
  "@testfile"?: string;
  "@testrun"?: string;
  test_run?: { path: string; run: string; progress?: string; status?: string };
  diagnostic?: { severity: string; summary: string; detail?: string };
}

/** Cases from `test -json` lines: one per completed run block, with its error diagnostics. */
export function parseTestJson(lines: readonly string[], redact: (text: string) => string): TestCase[] {
  const cases = new Map<string, TestCase>();
  const messages = new Map<string, string[]>();
  const fileErrors: string[] = [];
  for (const line of lines) {
    let parsed: TestLine;
    try {
      parsed = JSON.parse(line) as TestLine;
    } catch {
      continue;
    }
    if (
      parsed.type === "test_run" &&
      parsed.test_run?.status !== undefined &&
      // Terraform reports progress (starting/complete); OpenTofu 1.8 only the finished run
      (parsed.test_run.progress === undefined || parsed.test_run.progress === "complete")
    ) {
      const name = `${parsed.test_run.path}/${parsed.test_run.run}`;
      const status = parsed.test_run.status;
      cases.set(name, {
        name,
        status: status === "pass" ? "passed" : status === "skip" ? "skipped" : "failed",
      });
    } else if (parsed.type === "diagnostic" && parsed.diagnostic?.severity === "error") {
      const text = redact([parsed.diagnostic.summary, parsed.diagnostic.detail].filter(Boolean).join(": "));
      if (parsed["@testrun"] && parsed["@testfile"]) {
        const name = `${parsed["@testfile"]}/${parsed["@testrun"]}`;
        messages.set(name, [...(messages.get(name) ?? []), text]);
      } else fileErrors.push(`${parsed["@testfile"] ? `${parsed["@testfile"]}: ` : ""}${text}`);
    }
  }
  const out = [...cases.values()].map((c) => {
    const m = messages.get(c.name);
    return m ? { ...c, message: m.join("\n") } : c;
  });
  if (fileErrors.length > 0)
    out.push({ name: "terraform test", status: "failed", message: fileErrors.join("\n") });
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export class TerraformTester implements ComponentTester {
  constructor(
    private readonly moduleDir: string,
    private readonly binary: TerraformBinary,
  ) {}

  hasTests(): boolean {
    return testFiles(this.moduleDir).length > 0;
  }

  async run(job: TestJob): Promise<TestRun> {
    const tool = `${this.binary.flavor} ${this.binary.version}`;
    if (compareVersions(this.binary.version, MINIMUM_TEST_VERSION) < 0)
      throw new UserError(
        `${tool} (${this.binary.path}) has no native test framework: \`${this.binary.flavor} test\` with .tftest.hcl files needs ${this.binary.flavor} ≥${MINIMUM_TEST_VERSION}`,
        "set KARMA_TERRAFORM_TEST to a newer terraform/tofu for karma test (Terraform ≥1.7 or OpenTofu ≥1.8 for mock providers), or upgrade the one Karma uses",
      );
    rmSync(job.workDir, { recursive: true, force: true });
    const root = join(job.workDir, "module");
    makePrivateDir(root);
    cpSync(this.moduleDir, root, {
      recursive: true,
      filter: (src) => !/[\\/](\.terraform|terraform\.tfstate[^\\/]*)$/.test(src),
    });
    const varFile = join(job.workDir, "karma.test.tfvars.json");
    writeFileSync(varFile, `${JSON.stringify(job.inputs, null, 2)}\n`);
    const env = {
      ...process.env,
      CHECKPOINT_DISABLE: "1",
      TF_IN_AUTOMATION: "1",
      TF_DATA_DIR: join(job.workDir, "data"),
    };
    const common = {
      cwd: root,
      env,
      ...(job.signal ? { signal: job.signal } : {}),
      ...(job.timeoutMs ? { timeoutMs: job.timeoutMs } : {}),
    };
    const redact = (text: string) =>
      job.secrets.reduce((t, s) => (s ? t.split(s).join("(sensitive)") : t), text);
    const init = await runChild({
      ...common,
      argv: [this.binary.path, "init", "-backend=false", "-input=false", "-no-color"],
    });
    if (init.exitCode !== 0)
      return {
        tool,
        cases: [{ name: "init", status: "failed", message: redact(init.stderrTail.join("\n")) }],
      };
    const lines: string[] = [];
    const result = await runChild({
      ...common,
      argv: [this.binary.path, "test", "-no-color", "-json", `-var-file=${varFile}`],
      onStdoutLine: (line) => lines.push(line),
    });
    const cases = parseTestJson(lines, redact);
    if (result.exitCode !== 0 && !cases.some((c) => c.status === "failed"))
      cases.push({
        name: "terraform test",
        status: "failed",
        message: redact(
          result.stderrTail.join("\n") || (result.timedOut ? "timed out" : `exit code ${result.exitCode}`),
        ),
      });
    return { tool, cases };
  }
}
