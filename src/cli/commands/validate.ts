/**
 * `karma validate [selector] [--json]`: loads the estate and reports every problem at once,
 * grouped by file. Exit 1 when any error is found; warnings alone pass.
 */
import type { Command } from "commander";
import { formatProblem, ValidationFailedError } from "../../core/errors.js";
import { type ValidationReport, validateEstate } from "../../operations/validate.js";
import { withSessionFrom } from "../context.js";
import { ExitCode, printJson, style } from "../output.js";

export function register(program: Command): void {
  program
    .command("validate")
    .description("check component configs, schemas and references; report every problem with its fix")
    .argument("[selector]", "which components (default: all): env:type/nickname, type/nickname or a glob")
    .option("--json", "machine-readable output")
    .action(async (selector: string | undefined, opts: { json?: boolean }, cmd: Command) => {
      let report: ValidationReport;
      try {
        report = await withSessionFrom(cmd, (session) => validateEstate(session, selector));
      } catch (error) {
        // karma.json itself is invalid: still answer in the format asked for
        if (!(opts.json && error instanceof ValidationFailedError)) throw error;
        report = { valid: false, components: [], problems: [...error.problems] };
      }
      if (opts.json) printJson(report);
      else printValidationReport(report);
      if (!report.valid) process.exitCode = ExitCode.error;
    });
}

export function printValidationReport(report: ValidationReport): void {
  let lastFile: string | undefined;
  for (const problem of report.problems) {
    if (lastFile !== undefined && problem.file !== lastFile) process.stdout.write("\n");
    lastFile = problem.file;
    const text = formatProblem(problem);
    const paint = problem.severity === "error" ? style.red : style.yellow;
    process.stdout.write(`${text.replace(/^(error|warning)/, (s) => paint(s))}\n`);
  }
  const errors = report.problems.filter((p) => p.severity === "error").length;
  const warnings = report.problems.length - errors;
  const files = new Set(report.problems.map((p) => p.file)).size;
  const checked = `${report.components.length} component(s) checked`;
  if (report.problems.length > 0) process.stdout.write("\n");
  if (errors > 0)
    process.stdout.write(
      `${style.red("invalid")}: ${errors} error(s), ${warnings} warning(s) in ${files} file(s); ${checked}\n`,
    );
  else
    process.stdout.write(
      `${style.green("valid")}: ${checked}${warnings > 0 ? `, ${warnings} warning(s)` : ""}\n`,
    );
}
