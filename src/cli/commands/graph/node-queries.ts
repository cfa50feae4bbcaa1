/** `karma graph show|deps|impact|path`: one node, what it depends on, what depends on it, and the path between two. */
import type { Command } from "commander";
import { findingNodes } from "../../../core/graph/findings.js";
import { impactOf, resolveGraphNode, walkFrom } from "../../../operations/graph-queries.js";
import { printJson, style } from "../../output.js";
import { edgeDetail, printFindings, printReached } from "./print.js";
import { parsePositive, type ReadOptions, walkOptions, withGraph } from "./read-options.js";

export function registerNodeQueries(graph: Command): void {
  graph
    .command("show")
    .description("one node: its versions, dependencies, dependents (with evidence) and findings")
    .argument("<id>", "type/nickname or env:type/nickname")
    .option("--at <version>", "graph version (default latest)")
    .option("--json", "machine-readable output")
    .action(async (text: string, opts: ReadOptions, cmd: Command) => {
      await withGraph(cmd, async (store, session) => {
        const version = parsePositive(opts.at, "--at");
        const id = await resolveGraphNode(store, session, text, version);
        const node = (await store.getNode(id, { version }))!;
        const edges = await store.edgesOf(id, { version });
        const findings = (await store.findings({ version })).filter((f) => findingNodes(f).includes(id));
        if (opts.json) {
          printJson({ node, dependencies: edges.outgoing, dependents: edges.incoming, findings });
          return;
        }
        const versions = [
          node.configVersion !== undefined ? `config v${node.configVersion}` : undefined,
          node.runtimeVersion !== undefined ? `runtime v${node.runtimeVersion}` : undefined,
          node.secureRuntime ? "runtime is secure" : undefined,
        ].filter(Boolean);
        process.stdout.write(
          `${style.bold(node.id)}  ${node.kind}${versions.length ? `  (${versions.join(", ")})` : ""}\n`,
        );
        if (node.runtimeKeys?.length) process.stdout.write(`runtime keys: ${node.runtimeKeys.join(", ")}\n`);
        process.stdout.write(`depends on (${edges.outgoing.length}):\n`);
        for (const e of edges.outgoing) process.stdout.write(`  ${edgeDetail(e, "to")}\n`);
        process.stdout.write(`depended on by (${edges.incoming.length}):\n`);
        for (const e of edges.incoming) process.stdout.write(`  ${edgeDetail(e, "from")}\n`);
        if (findings.length) printFindings(findings);
      });
    });

  graph
    .command("deps")
    .description("what a node depends on, transitively")
    .argument("<id>", "type/nickname or env:type/nickname")
    .option("--depth <n>", "at most this many edges away")
    .option("--at <version>", "graph version (default latest)")
    .option("--json", "machine-readable output")
    .action(async (text: string, opts: ReadOptions & { depth?: string }, cmd: Command) => {
      await withGraph(cmd, async (store, session) => {
        const { id, depth, reached } = await walkFrom(
          store,
          session,
          text,
          walkOptions(opts),
          "dependencies",
        );
        if (opts.json) printJson({ id, depth: depth ?? null, dependencies: reached });
        else printReached(reached, `${id} depends on nothing`);
      });
    });

  graph
    .command("impact")
    .description("blast radius: every dependent of a node, with the path that makes it one, by environment")
    .argument("<id>", "type/nickname or env:type/nickname")
    .option("--depth <n>", "at most this many edges away")
    .option("--at <version>", "graph version (default latest)")
    .option("--json", "machine-readable output")
    .action(async (text: string, opts: ReadOptions & { depth?: string }, cmd: Command) => {
      await withGraph(cmd, async (store, session) => {
        const { id, depth, reached, total, byEnvironment } = await impactOf(
          store,
          session,
          text,
          walkOptions(opts),
        );
        if (opts.json) {
          printJson({ id, depth: depth ?? null, total, byEnvironment });
          return;
        }
        if (reached.length === 0) {
          process.stdout.write(`nothing depends on ${id}\n`);
          return;
        }
        process.stdout.write(`${reached.length} component(s) depend on ${id}\n`);
        for (const [env, list] of Object.entries(byEnvironment)) {
          process.stdout.write(`\n${style.bold(env)} (${list.length})\n`);
          printReached(list, "");
        }
      });
    });

  graph
    .command("path")
    .description("the shortest dependency path between two nodes (either direction)")
    .argument("<from>", "type/nickname or env:type/nickname")
    .argument("<to>", "type/nickname or env:type/nickname")
    .option("--at <version>", "graph version (default latest)")
    .option("--json", "machine-readable output")
    .action(async (a: string, b: string, opts: ReadOptions, cmd: Command) => {
      await withGraph(cmd, async (store, session) => {
        const version = parsePositive(opts.at, "--at");
        const from = await resolveGraphNode(store, session, a, version);
        const to = await resolveGraphNode(store, session, b, version);
        let path = await store.shortestPath(from, to, { version });
        let direction: "depends-on" | "depended-on-by" | "none" = path ? "depends-on" : "none";
        if (!path) {
          const reverse = await store.shortestPath(to, from, { version });
          if (reverse) {
            path = [...reverse].reverse();
            direction = "depended-on-by";
          }
        }
        if (opts.json) {
          printJson({ from, to, direction, path: path ?? null });
          return;
        }
        if (!path) process.stdout.write(`no dependency path between ${from} and ${to}\n`);
        else if (direction === "depends-on") process.stdout.write(`${path.join(" → ")}\n`);
        else process.stdout.write(`${path.join(" ← ")}\n(${to} depends on ${from})\n`);
      });
    });
}
