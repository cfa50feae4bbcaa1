import type { Command } from "commander";
import { describeFinding } from "../../core/graph/findings.js";
import type { ComponentState } from "../../core/status/compute-status.js";
import type { EstateStatus } from "../../operations/status.js";
import { estateStatus } from "../../operations/status.js";
import { withSessionFrom } from "../context.js";
import { ExitCode, formatTable, printJson, style } from "../output.js";
import { describeBlueGreen } from "./promote.js";

const paint: Record<ComponentState, (t: string) => string> = {
  "in-sync": style.green,
  unpublished: style.yellow,
  "never-deployed": style.cyan,
  undeployed: style.yellow,
  stale: style.yellow,
  orphaned: style.red,
};

export function register(program: Command): void {
  program
    .command("status")
    .description("where each component stands: Git vs published config vs deployed runtime")
    .argument("[selector]", "which components (default: all)")
    .option("--json", "machine-readable output")
    .option("--check", "exit 2 when anything is not in sync")
    .action(async (selector: string | undefined, opts: { json?: boolean; check?: boolean }, cmd: Command) => {
      const report = await withSessionFrom(cmd, async (session) =>
        estateStatus(session, await session.estate.load(), selector),
      );
      if (opts.json) printJson(report);
      else printStatusReport(report);
      if (opts.check && report.summary["in-sync"] !== report.summary.total)
        process.exitCode = ExitCode.changes;
    });
}

export function printStatusReport(report: EstateStatus): void {
  const rows = report.components.map((c) => [
    c.id,
    paint[c.state](c.state),
    c.configVersion === undefined ? "-" : `v${c.configVersion}`,
    c.runtimeVersion === undefined ? "-" : `v${c.runtimeVersion}`,
    c.reason,
  ]);
  if (rows.length)
    process.stdout.write(`${formatTable(["COMPONENT", "STATE", "CONFIG", "RUNTIME", "WHY"], rows)}\n`);
  const s = report.summary;
  process.stdout.write(
    `${s.total} components: ${s["in-sync"]} in sync, ${s.unpublished} unpublished, ${s["never-deployed"]} never deployed, ${s.undeployed} undeployed, ${s.stale} stale, ${s.orphaned} orphaned\n`,
  );
  for (const b of report.bluegreen) process.stdout.write(`${describeBlueGreen(b)}\n`);
  if (report.graph === null) {
    process.stdout.write(
      style.dim("no graph built yet: `karma graph build` adds dependency findings here\n"),
    );
    return;
  }
  const { findings, version, builtAt } = report.graph;
  process.stdout.write(
    `graph v${version} (${builtAt}): ${findings.length} finding${findings.length === 1 ? "" : "s"}\n`,
  );
  for (const f of findings)
    process.stdout.write(
      `  ${f.severity === "error" ? style.red(f.severity) : style.yellow(f.severity)} ${describeFinding(f)}\n`,
    );
}
