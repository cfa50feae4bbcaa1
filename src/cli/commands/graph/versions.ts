/** `karma graph versions|diff`: the stored graph versions, and what changed between two. */
import type { Command } from "commander";
import type { GraphEdge } from "../../../core/graph/model.js";
import { formatTable, printJson, style } from "../../output.js";
import { parsePositive, withGraph } from "./read-options.js";

export function registerVersionReads(graph: Command): void {
  graph
    .command("versions")
    .description("the stored graph versions")
    .option("--json", "machine-readable output")
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      await withGraph(cmd, async (store) => {
        const versions = await store.listVersions();
        if (opts.json) {
          printJson({ versions });
          return;
        }
        if (versions.length === 0) {
          process.stdout.write("no graph versions yet — run `karma graph build`\n");
          return;
        }
        const rows = versions.map((v) => [
          String(v.version),
          v.createdAt,
          v.source.kind === "store"
            ? "store"
            : `working tree${v.source.commit ? ` ${v.source.commit.slice(0, 8)}` : ""}${v.source.dirty ? " (dirty)" : ""}`,
          String(v.nodeCount),
          String(v.edgeCount),
          String(v.findingCount),
          v.actor ?? "",
        ]);
        process.stdout.write(
          `${formatTable(["VERSION", "CREATED", "SOURCE", "NODES", "EDGES", "FINDINGS", "BY"], rows)}\n`,
        );
      });
    });

  graph
    .command("diff")
    .description("what changed between two graph versions")
    .argument("<from>", "older version")
    .argument("<to>", "newer version")
    .option("--json", "machine-readable output")
    .action(async (a: string, b: string, opts: { json?: boolean }, cmd: Command) => {
      await withGraph(cmd, async (store) => {
        const diff = await store.diff(parsePositive(a, "<from>")!, parsePositive(b, "<to>")!);
        if (opts.json) {
          printJson({ from: Number(a), to: Number(b), diff });
          return;
        }
        const edge = (e: GraphEdge) => `${e.from} → ${e.to} ${e.kind} ${e.evidence.pointer || "/"}`;
        const lines = [
          ...diff.nodes.added.map((n) => style.green(`+ node ${n.id}`)),
          ...diff.nodes.removed.map((n) => style.red(`- node ${n.id}`)),
          ...diff.nodes.changed.map((c) => style.yellow(`~ node ${c.after.id} (${c.fields.join(", ")})`)),
          ...diff.edges.added.map((e) => style.green(`+ edge ${edge(e)}`)),
          ...diff.edges.removed.map((e) => style.red(`- edge ${edge(e)}`)),
          ...diff.edges.changed.map((c) => style.yellow(`~ edge ${edge(c.after)} (${c.fields.join(", ")})`)),
        ];
        process.stdout.write(
          lines.length ? `${lines.join("\n")}\n` : `versions ${a} and ${b} are the same graph\n`,
        );
      });
    });
}
