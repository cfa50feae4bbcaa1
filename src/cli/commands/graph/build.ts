/** `karma graph build`: a new graph version from the published stores, or a what-if one from the working tree. */
import type { Command } from "commander";
import { formatProblem } from "../../../core/errors.js";
import type { EdgeKind } from "../../../core/graph/model.js";
import { withSessionFrom } from "../../context.js";
import { printJson } from "../../output.js";

export function registerBuild(graph: Command): void {
  graph
    .command("build")
    .description("build a new graph version from the published stores (or the working tree)")
    .option(
      "--from-git",
      "a what-if graph: the working tree's configs over the stores' runtimes, stored apart (read it with --what-if)",
    )
    .option("--json", "machine-readable output")
    .action(async (opts: { fromGit?: boolean; json?: boolean }, cmd: Command) => {
      // the builder, the stores' readers and git load only for a build, not for the queries
      const { buildAndStoreGraph } = await import("../../../operations/graph.js");
      const result = await withSessionFrom(cmd, (session) =>
        buildAndStoreGraph(session, { fromWorkingTree: opts.fromGit === true }),
      );
      const v = result.version;
      const area = result.whatIf ? "what-if graph" : "graph";
      if (!result.graph) {
        if (opts.json) {
          printJson({ graphVersion: v, current: true, whatIf: result.whatIf, problems: result.problems });
          return;
        }
        for (const p of result.problems) process.stderr.write(`${formatProblem(p)}\n`);
        process.stdout.write(
          `${area} version ${v.version} is current: its inputs are unchanged (content hash), nothing rebuilt\n`,
        );
        return;
      }
      const edgeKinds: Record<EdgeKind, number> = { depends_on: 0, consumes: 0, inferred: 0 };
      for (const e of result.graph.edges) edgeKinds[e.kind]++;
      const findingKinds: Record<string, number> = {};
      for (const f of result.graph.findings) findingKinds[f.kind] = (findingKinds[f.kind] ?? 0) + 1;
      if (opts.json) {
        printJson({
          graphVersion: v,
          current: false,
          whatIf: result.whatIf,
          edgeKinds,
          findingKinds,
          problems: result.problems,
        });
        return;
      }
      for (const p of result.problems) process.stderr.write(`${formatProblem(p)}\n`);
      process.stdout.write(
        `${area} version ${v.version}: ${v.nodeCount} nodes, ${v.edgeCount} edges (${Object.entries(edgeKinds)
          .map(([k, n]) => `${n} ${k}`)
          .join(", ")}), ${v.findingCount} findings\n`,
      );
      if (result.whatIf)
        process.stdout.write(
          "stored apart from the estate's graph (never its latest); read it with --what-if, e.g. `karma graph impact <id> --what-if`\n",
        );
      if (v.findingCount > 0) {
        const kinds = Object.entries(findingKinds).map(([k, n]) => `${n} ${k}`);
        process.stdout.write(
          `findings: ${kinds.join(", ")} — see \`karma graph findings${result.whatIf ? " --what-if" : ""}\`\n`,
        );
      }
    });
}
