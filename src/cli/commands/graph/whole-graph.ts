/** `karma graph cycles|query|findings|export`: reads of the whole graph (or the part a selector picks). */
import fs from "node:fs";
import type { Command } from "commander";
import { UserError } from "../../../core/errors.js";
import { EXPORT_FORMATS, type ExportFormat, isExportFormat } from "../../../core/graph/export/formats.js";
import { selectedGraph } from "../../../operations/graph-queries.js";
import { ExitCode, printJson } from "../../output.js";
import { formatResults, printFindings } from "./print.js";
import { parsePositive, type ReadOptions, withGraph } from "./read-options.js";

export function registerWholeGraphReads(graph: Command): void {
  graph
    .command("cycles")
    .description("dependency cycles (full paths)")
    .option("--check", "exit 2 when there is any cycle")
    .option("--at <version>", "graph version (default latest)")
    .option("--json", "machine-readable output")
    .action(async (opts: ReadOptions & { check?: boolean }, cmd: Command) => {
      await withGraph(cmd, async (store) => {
        const cycles = await store.cycles({ version: parsePositive(opts.at, "--at") });
        if (opts.json) printJson({ cycles });
        else if (cycles.length === 0) process.stdout.write("no cycles\n");
        else for (const c of cycles) process.stdout.write(`${c.path.join(" → ")}\n`);
        if (opts.check && cycles.length > 0) process.exitCode = ExitCode.changes;
      });
    });

  graph
    .command("query")
    .description("run a read-only Gremlin traversal against the gremlin graph store")
    .requiredOption("--gremlin <traversal>", "e.g. \"g.V().hasLabel('component').count()\"")
    .option("--allow-writes", "allow steps that change the graph (addV, property, drop, …)")
    .option("--json", "machine-readable output")
    .addHelpText(
      "after",
      "\nThe traversal is parsed by Karma and sent as bytecode (no Groovy script reaches the server).\nVersioned elements carry since/until: current ones have until = 2147483647.",
    )
    .action(async (opts: { gremlin: string; allowWrites?: boolean; json?: boolean }, cmd: Command) => {
      await withGraph(cmd, async (store) => {
        const { queryGremlin } = await import("../../../operations/graph-query.js");
        const results = await queryGremlin(store, opts.gremlin, { allowWrites: opts.allowWrites });
        if (opts.json) printJson({ results });
        else process.stdout.write(`${formatResults(results)}\n`);
      });
    });

  graph
    .command("findings")
    .description("dangling references, cycles, orphans, cross-environment references")
    .option("--check", "exit 2 when there is any error finding")
    .option("--at <version>", "graph version (default latest)")
    .option("--json", "machine-readable output")
    .action(async (opts: ReadOptions & { check?: boolean }, cmd: Command) => {
      await withGraph(cmd, async (store) => {
        const findings = await store.findings({ version: parsePositive(opts.at, "--at") });
        if (opts.json) printJson({ findings });
        else printFindings(findings);
        if (opts.check && findings.some((f) => f.severity === "error")) process.exitCode = ExitCode.changes;
      });
    });

  graph
    .command("export")
    .description("export the graph (or the part a selector picks) for other tools")
    .argument("[selector]", "which components, e.g. '...vpc/main' (default: all)")
    .option("--format <format>", `one of ${EXPORT_FORMATS.join(", ")}`, "json")
    .option("-o, --output <file>", "write to a file instead of stdout")
    .option("--at <version>", "graph version (default latest)")
    .action(
      async (
        selector: string | undefined,
        opts: ReadOptions & { format: string; output?: string },
        cmd: Command,
      ) => {
        if (!isExportFormat(opts.format)) {
          throw new UserError(
            `Unknown export format ${JSON.stringify(opts.format)}.`,
            `Use one of: ${EXPORT_FORMATS.join(", ")}.`,
          );
        }
        const format: ExportFormat = opts.format;
        await withGraph(cmd, async (store, session) => {
          const version = parsePositive(opts.at, "--at");
          const graphToExport = await selectedGraph(store, session, {
            version,
            ...(selector !== undefined ? { selector } : {}),
          });
          const { exportGraph } = await import("../../../core/graph/export/index.js");
          const text = exportGraph(graphToExport, format);
          if (opts.output) fs.writeFileSync(opts.output, text);
          else process.stdout.write(text);
        });
      },
    );
}
