/**
 * `karma validate [selector] [--json]`: loads the estate and reports every problem at once,
 * grouped by file. Exit 1 when any error is found; warnings alone pass.
 */
import type { Command } from "commander";
import { formatProblem, type Problem, ValidationFailedError } from "../../core/errors.js";
import type { ComponentAddress, Estate } from "../../core/estate/model.js";
import { SETTINGS_FILE } from "../../core/estate/settings.js";
import { compareProblems, hasErrors } from "../../core/estate/validate.js";
import { cycleProblems } from "../../core/graph/cycle-problems.js";
import { parseComponentId } from "../../core/ids.js";
import { inferredContractProblems } from "../../operations/contracts.js";
import { resolveSelection } from "../../operations/selection.js";
import { loadEstateFrom } from "../context.js";
import { ExitCode, printJson, style } from "../output.js";

export interface ValidationReport {
  valid: boolean;
  /** Ids of the components checked (loadable ones), sorted. */
  components: string[];
  /** Sorted by file, position, pointer. */
  problems: Problem[];
}

export function register(program: Command): void {
  program
    .command("validate")
    .description("check component configs, schemas and references; report every problem with its fix")
    .argument("[selector]", "which components (default: all): env:type/nickname, type/nickname or a glob")
    .option("--json", "machine-readable output")
    .action(async (selector: string | undefined, opts: { json?: boolean }, cmd: Command) => {
      let report: ValidationReport;
      try {
        const estate = await loadEstateFrom(cmd);
        // cycles among the configs and contract checks against the built graph, beside the estate's own
        const more = [...cycleProblems(estate.components), ...(await inferredContractProblems(estate))];
        report = await validationReport(
          more.length ? { ...estate, problems: [...estate.problems, ...more].sort(compareProblems) } : estate,
          selector,
        );
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

/** The problems that concern the selected components (all of them without a selector). */
export async function validationReport(
  estate: Estate,
  selector: string | undefined,
): Promise<ValidationReport> {
  if (selector === undefined || selector === "") {
    return {
      valid: !hasErrors(estate.problems),
      components: estate.components.map((c) => c.id),
      problems: estate.problems,
    };
  }
  // components whose config does not even parse are only known through their problems
  const candidates = new Map<string, ComponentAddress>(estate.components.map((c) => [c.id, c]));
  for (const p of estate.problems) {
    const address = p.component === undefined ? undefined : parseComponentId(p.component);
    if (address && p.component) candidates.set(p.component, address);
  }
  const selected = await resolveSelection(estate.settings, selector, candidates.values());
  const ids = new Set([...candidates].filter(([, address]) => selected(address)).map(([id]) => id));
  const selectedTypes = new Set([...ids].map((id) => parseComponentId(id)?.type));
  const schemaFiles = new Set(
    [...selectedTypes].map(
      (type) =>
        estate.settings.types[type ?? ""]?.schema ?? `${estate.settings.paths.types}/${type}/schema.json`,
    ),
  );
  const problems = estate.problems.filter((p) =>
    p.component !== undefined
      ? ids.has(p.component)
      : p.file === undefined || p.file === SETTINGS_FILE || schemaFiles.has(p.file),
  );
  return {
    valid: !hasErrors(problems),
    components: estate.components.filter((c) => ids.has(c.id)).map((c) => c.id),
    problems,
  };
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
