/**
 * `karma test [selector] [--with-runtime <env> | --against candidate] [--json] [--junit file]`:
 * each selected component's tests in isolation (see operations/test-components.ts). Exit 1 when
 * any test fails.
 */
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import type { Command } from "commander";
import { renderJunit } from "../../core/component-tests/junit.js";
import type { ComponentTestResult, TestReport } from "../../core/component-tests/model.js";
import { UserError } from "../../core/errors.js";
import { testComponents } from "../../operations/test-components.js";
import { withSessionFrom } from "../context.js";
import { ExitCode, formatTable, printJson, style } from "../output.js";
import { withInterrupt } from "./provision-output.js";

const paint = { passed: style.green, failed: style.red, skipped: style.yellow };

export function register(program: Command): void {
  program
    .command("test")
    .description("run each component's tests in isolation, producers' runtime from their contract examples")
    .argument("[selector]", "which components (default: all)")
    .option(
      "--with-runtime <env>",
      "producers' live runtime from this environment's store instead of contract examples",
    )
    .option(
      "--against <label>",
      "candidate: producers' blue-green candidate runtime (live where there is none)",
    )
    .option("--junit <file>", "also write JUnit XML for CI systems")
    .option("--json", "machine-readable output")
    .action(
      async (
        selector: string | undefined,
        opts: { withRuntime?: string; against?: string; junit?: string; json?: boolean },
        cmd: Command,
      ) => {
        if (opts.against !== undefined && opts.against !== "candidate")
          throw new UserError(
            `--against takes "candidate", not "${opts.against}"`,
            "e.g. karma test '...network/main' --against candidate",
          );
        if (opts.against && opts.withRuntime)
          throw new UserError(
            "--against and --with-runtime choose the producers' runtime differently",
            "pass one of them",
          );
        const report = await withSessionFrom(cmd, async (session) => {
          const estate = await session.estate.load();
          return withInterrupt((signal) =>
            testComponents(session, estate, {
              ...(selector ? { selector } : {}),
              ...(opts.withRuntime ? { withRuntime: opts.withRuntime } : {}),
              ...(opts.against ? { against: "candidate" as const } : {}),
              signal,
              ...(opts.json
                ? {}
                : {
                    onResult: (r: ComponentTestResult) =>
                      process.stderr.write(`${paint[r.status](r.status)} ${r.component}\n`),
                  }),
            }),
          );
        });
        if (opts.junit) writeFileSync(resolve(opts.junit), renderJunit(report));
        if (opts.json) printJson(report);
        else printTestReport(report);
        if (report.summary.failed > 0) process.exitCode = ExitCode.error;
      },
    );
}

export function printTestReport(report: TestReport): void {
  const rows = report.results.map((r) => [
    r.component,
    paint[r.status](r.status),
    r.kind,
    `${r.cases.filter((c) => c.status === "passed").length}/${r.cases.length}`,
    r.runtimeFrom,
  ]);
  if (rows.length)
    process.stdout.write(
      `${formatTable(["COMPONENT", "RESULT", "TESTS", "PASSED", "PRODUCERS' RUNTIME"], rows)}\n`,
    );
  for (const r of report.results) {
    if (r.status !== "failed") continue;
    process.stdout.write(`\n${style.red("failed")} ${r.component}${r.tool ? ` (${r.tool})` : ""}\n`);
    if (r.message) process.stdout.write(`  ${r.message.replace(/\n/g, "\n  ")}\n`);
    for (const c of r.cases.filter((x) => x.status === "failed"))
      process.stdout.write(`  ${c.name}: ${(c.message ?? "failed").replace(/\n/g, "\n    ")}\n`);
  }
  const s = report.summary;
  process.stdout.write(
    `\n${s.total} component(s): ${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped\n`,
  );
}
