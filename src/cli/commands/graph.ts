/**
 * `karma graph …`: build graph versions and query them. Every subcommand takes `--json`; read
 * subcommands take `--at <version>` to read an older graph version. The subcommands live in
 * `graph/`, a module per kind of question; this one registers them in the order `--help` lists.
 */
import type { Command } from "commander";
import { registerBuild } from "./graph/build.js";
import { registerNodeQueries } from "./graph/node-queries.js";
import { registerVersionReads } from "./graph/versions.js";
import { registerWholeGraphReads } from "./graph/whole-graph.js";

export function register(program: Command): void {
  const graph = program.command("graph").description("the dependency graph: build versions, query, export");
  registerBuild(graph);
  registerNodeQueries(graph);
  registerWholeGraphReads(graph);
  registerVersionReads(graph);

  // every read subcommand can read the what-if area instead of the estate's graph
  for (const sub of graph.commands)
    if (sub.name() !== "build")
      sub.option("--what-if", "read the what-if graphs (`graph build --from-git`), not the estate's");
}
