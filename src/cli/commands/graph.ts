/**
 * `karma graph …`: build graph versions and query them. Every subcommand takes `--json`; read
 * subcommands take `--at <version>` to read an older graph version.
 */
import fs from "node:fs";
import type { Command } from "commander";
import { formatProblem, UserError } from "../../core/errors.js";
import type { JsonValue } from "../../core/estate/model.js";
import { EXPORT_FORMATS, type ExportFormat, isExportFormat } from "../../core/graph/export/formats.js";
import { describeFinding, findingFix, findingNodes } from "../../core/graph/findings.js";
import type { EdgeKind, Finding, GraphEdge } from "../../core/graph/model.js";
import { impactOf, resolveGraphNode, selectedGraph, walkFrom } from "../../operations/graph-queries.js";
import type { Session } from "../../operations/session.js";
import type { GraphStore, ReachedNode } from "../../ports/graph-store.js";
import { withSessionFrom } from "../context.js";
import { ExitCode, formatTable, printJson, style } from "../output.js";

interface ReadOptions {
  json?: boolean;
  at?: string;
}

function parsePositive(text: string | undefined, what: string): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) < 1) {
    throw new UserError(`${what} must be a positive whole number, got ${JSON.stringify(text)}.`);
  }
  return Number(text);
}

async function withGraph<T>(
  cmd: Command,
  fn: (store: GraphStore, session: Session) => Promise<T>,
): Promise<T> {
  const whatIf = cmd.opts<{ whatIf?: boolean }>().whatIf === true;
  return withSessionFrom(cmd, async (session) => fn(await session.graph({ whatIf }), session));
}

/** `deps` and `impact` options, parsed. */
function walkOptions(opts: ReadOptions & { depth?: string }): { depth?: number; version?: number } {
  return { version: parsePositive(opts.at, "--at"), depth: parsePositive(opts.depth, "--depth") };
}

function edgeDetail(edge: GraphEdge, other: "from" | "to"): string {
  const e = edge.evidence;
  const lineage =
    e.producerKey !== undefined
      ? ` ${e.pointer || "/"} ← ${e.producerKey || "(runtime)"}`
      : ` ${e.pointer || "/"}`;
  const fingerprint = e.fingerprint ? ` ${style.dim(e.fingerprint)}` : "";
  return `${edge[other]}  ${edge.kind} (${e.form})${lineage}${fingerprint}`;
}

function printFindings(findings: readonly Finding[]): void {
  if (findings.length === 0) {
    process.stdout.write("no findings\n");
    return;
  }
  for (const f of findings) {
    const label = f.severity === "error" ? style.red("error") : style.yellow("warning");
    process.stdout.write(`${label} ${f.kind}: ${describeFinding(f)}\n  fix: ${findingFix(f)}\n`);
  }
}

function printReached(reached: readonly ReachedNode[], empty: string): void {
  if (reached.length === 0) {
    process.stdout.write(`${empty}\n`);
    return;
  }
  process.stdout.write(
    `${formatTable(
      ["DEPTH", "COMPONENT", "PATH"],
      reached.map((r) => [String(r.depth), r.id, r.path.join(" → ")]),
    )}\n`,
  );
}

export function register(program: Command): void {
  const graph = program.command("graph").description("the dependency graph: build versions, query, export");

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
      const { buildAndStoreGraph } = await import("../../operations/graph.js");
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
        const { queryGremlin } = await import("../../operations/graph-query.js");
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
          const { exportGraph } = await import("../../core/graph/export/index.js");
          const text = exportGraph(graphToExport, format);
          if (opts.output) fs.writeFileSync(opts.output, text);
          else process.stdout.write(text);
        });
      },
    );

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

  // every read subcommand can read the what-if area instead of the estate's graph
  for (const sub of graph.commands)
    if (sub.name() !== "build")
      sub.option("--what-if", "read the what-if graphs (`graph build --from-git`), not the estate's");
}

/** Gremlin results as a table: maps become columns, anything else one `value` column. */
function formatResults(results: readonly JsonValue[]): string {
  if (results.length === 0) return "(no results)";
  const cell = (v: JsonValue | undefined) =>
    v === undefined ? "" : typeof v === "string" ? v : JSON.stringify(v);
  const isRecord = (v: JsonValue): v is Record<string, JsonValue> =>
    typeof v === "object" && v !== null && !Array.isArray(v);
  if (results.every(isRecord)) {
    const columns = [...new Set(results.flatMap((r) => Object.keys(r)))];
    return formatTable(
      columns,
      results.map((r) => columns.map((c) => cell(r[c]))),
    );
  }
  return formatTable(
    ["value"],
    results.map((r) => [cell(r)]),
  );
}
