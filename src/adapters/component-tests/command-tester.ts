/**
 * A command type's tests: the `test` argv declared for the type in karma.json, run without a
 * shell from the estate root, with the resolved inputs in its environment (`KARMA_INPUTS` as
 * JSON, `KARMA_CONFIG` as JSON, and `KARMA_CONFIG_<KEY>` per top-level config key: strings as
 * they are, other values as JSON) and as JSON on stdin, like a deploy. Exit 0 passes.
 */
import { isAbsolute, resolve } from "node:path";
import type { ComponentTester, TestJob, TestRun } from "../../ports/component-tests.js";
import { ChildStartError, runChild } from "../runners/child-process.js";

export function configEnvironment(config: Record<string, unknown>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(config))
    env[`KARMA_CONFIG_${key.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`] =
      typeof value === "string" ? value : JSON.stringify(value);
  return env;
}

export class CommandTester implements ComponentTester {
  constructor(
    private readonly argv: readonly string[] | undefined,
    private readonly root: string,
  ) {}

  hasTests(): boolean {
    return this.argv !== undefined && this.argv.length > 0;
  }

  async run(job: TestJob): Promise<TestRun> {
    const [program = "", ...args] = this.argv ?? [];
    const argv = [
      program.includes("/") && !isAbsolute(program) ? resolve(this.root, program) : program,
      ...args,
    ];
    const input = JSON.stringify(job.inputs);
    const redact = (text: string) =>
      job.secrets.reduce((t, s) => (s ? t.split(s).join("(sensitive)") : t), text);
    const output: string[] = [];
    try {
      const result = await runChild({
        argv,
        cwd: this.root,
        stdin: input,
        env: {
          ...process.env,
          KARMA_INPUTS: input,
          KARMA_CONFIG: JSON.stringify(job.inputs.config),
          KARMA_COMPONENT: job.component,
          ...configEnvironment(job.inputs.config),
        },
        ...(job.signal ? { signal: job.signal } : {}),
        ...(job.timeoutMs ? { timeoutMs: job.timeoutMs } : {}),
        onStdoutLine: (line) => output.push(line),
        onStderrLine: (line) => output.push(line),
      });
      const passed = result.exitCode === 0;
      const tail = output.slice(-20).join("\n");
      return {
        tool: this.argv!.join(" "),
        cases: [
          {
            name: "test",
            status: passed ? "passed" : "failed",
            ...(passed
              ? {}
              : {
                  message: redact(tail || (result.timedOut ? "timed out" : `exit code ${result.exitCode}`)),
                }),
          },
        ],
      };
    } catch (error) {
      if (error instanceof ChildStartError)
        return { tool: program, cases: [{ name: "test", status: "failed", message: error.message }] };
      throw error;
    }
  }
}
