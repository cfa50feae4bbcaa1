import type { Command } from "commander";
import { type DriftReport, driftReport, type ResourceDrift } from "../../operations/drift.js";
import { withSessionFrom } from "../context.js";
import { ExitCode, formatTable, printJson, style } from "../output.js";
import { runHooks, withInterrupt } from "./provision-output.js";

export function register(program: Command): void {
  program
    .command("drift")
    .description(
      "what differs from intent: unpublished, undeployed, stale consumers, orphans; with --terraform, resource drift",
    )
    .argument("[selector]", "which components (default: all)")
    .option("--terraform", "run terraform plan -detailed-exitcode per selected deployed component")
    .option("--check", "exit 2 when anything drifted")
    .option("--json", "machine-readable output")
    .action(
      async (
        selector: string | undefined,
        opts: { terraform?: boolean; check?: boolean; json?: boolean },
        cmd: Command,
      ) => {
        const report = await withSessionFrom(cmd, async (session) => {
          const estate = await session.estate.load();
          return withInterrupt((signal) =>
            driftReport(session, estate, {
              ...(selector !== undefined ? { selector } : {}),
              terraform: opts.terraform === true,
              ...runHooks(signal, opts.json),
            }),
          );
        });
        if (opts.json) printJson(report);
        else printDrift(report);
        if (opts.check && report.drift) process.exitCode = ExitCode.changes;
      },
    );
}

function describeResources(d: ResourceDrift): string {
  if (d.status !== "drift") return d.reason ?? "";
  const parts = Object.entries(d.changes ?? {}).map(([action, list]) => `${action}: ${list.join(", ")}`);
  if (d.outputChanges?.length) parts.push(`outputs: ${d.outputChanges.join(", ")}`);
  return parts.join("; ");
}

function printDrift(report: DriftReport): void {
  const out = process.stdout;
  if (report.components.length) {
    const rows = report.components.map((c) => [c.id, style.yellow(c.state), c.reason]);
    out.write(`${formatTable(["COMPONENT", "STATE", "WHY"], rows)}\n`);
  } else out.write("every selected component is published, deployed from its latest config and not stale\n");
  if (report.terraform) {
    const paint = { drift: style.red, none: style.green, "not-checked": style.dim } as const;
    const rows = report.terraform.map((d) => [
      d.id,
      paint[d.status](d.status),
      describeResources(d),
      d.logFile ?? "-",
    ]);
    out.write(`\n${formatTable(["COMPONENT", "RESOURCES", "WHAT", "LOG"], rows)}\n`);
  }
  const resource = report.terraform?.filter((d) => d.status === "drift").length ?? 0;
  out.write(
    report.drift
      ? `${style.yellow("drift")}: ${report.components.length} component(s) not in sync${report.terraform ? `, ${resource} with resource drift` : ""}\n`
      : `${style.green("no drift")}\n`,
  );
}
