/**
 * `karma log list|grep|diff`: read the audit log — what Karma did, who did it, and what changed
 * in config, runtime and the graph between two times.
 */
import type { Command } from "commander";
import type { LogDiff, ParameterChange } from "../../core/audit/log-diff.js";
import { parseTimeSpec } from "../../core/audit/time-spec.js";
import { UserError } from "../../core/errors.js";
import { logDiff } from "../../operations/log-diff.js";
import { type AuditFilters, auditQueryFrom, DEFAULT_LOG_LIMIT } from "../../operations/log-query.js";
import type { AuditEntry, AuditStatus, AuditVersions } from "../../ports/audit-log.js";
import { AUDIT_STATUSES } from "../../ports/audit-log.js";
import { withSessionFrom } from "../context.js";
import { formatTable, printJson, style } from "../output.js";

interface FilterOptions extends AuditFilters {
  json?: boolean;
}

export function register(program: Command): void {
  const log = program.command("log").description("the audit log: what Karma did, who did it, what changed");

  withFilters(log.command("list"))
    .description("list audit entries, newest first")
    .action(async (opts: FilterOptions, cmd: Command) => {
      const query = auditQueryFrom(opts, new Date());
      const entries = await withSessionFrom(cmd, async (session) => (await session.auditLog()).query(query));
      printEntries(entries, query.limit, opts.json);
    });

  withFilters(log.command("grep"))
    .description("audit entries whose message, component, action, actor or details match PATTERN")
    .argument("[pattern]", "a regular expression (JavaScript syntax); omit to filter by the options only")
    .option("-i, --ignore-case", "match case-insensitively")
    .action(
      async (pattern: string | undefined, opts: FilterOptions & { ignoreCase?: boolean }, cmd: Command) => {
        const query = auditQueryFrom(opts, new Date());
        if (pattern !== undefined) query.text = regexFrom(pattern, opts.ignoreCase === true);
        const entries = await withSessionFrom(cmd, async (session) =>
          (await session.auditLog()).query(query),
        );
        printEntries(entries, query.limit, opts.json);
      },
    );

  log
    .command("diff")
    .description("what changed in config, runtime and the graph between two times")
    .requiredOption("--before <time>", "start of the window: ISO time, date, or a duration ago (3d, 2h)")
    .option("--after <time>", "end of the window (default: now)", "now")
    .option("--env <name>", "only this environment (default: all)")
    .option("--json", "machine-readable output")
    .action(async (opts: { before: string; after: string; env?: string; json?: boolean }, cmd: Command) => {
      const now = new Date();
      const before = parseTimeSpec(opts.before, { now, option: "--before" });
      const after = parseTimeSpec(opts.after, { now, option: "--after", dateOnly: "end" });
      if (!(before.getTime() < after.getTime()))
        throw new UserError(
          `--before (${before.toISOString()}) must be earlier than --after (${after.toISOString()})`,
          "--before is the start of the window, --after its end",
        );
      const diff = await withSessionFrom(cmd, (session) =>
        logDiff(session, { before, after, ...(opts.env !== undefined ? { env: opts.env } : {}) }),
      );
      if (opts.json) printJson(diff);
      else printLogDiff(diff);
    });
}

function withFilters(command: Command): Command {
  return command
    .option("--component <id>", "type/nickname (any environment) or env:type/nickname")
    .option("--action <action>", "e.g. publish, deploy, terraform_apply, graph_build, lock_release")
    .option("--env <name>", "only this environment")
    .option("--status <status>", `one of ${AUDIT_STATUSES.join(", ")}`)
    .option("--since <time>", "from this time on: ISO time, date (2026-11-28), or a duration ago (2h, 3d)")
    .option("--until <time>", "before this time (a date includes the whole day)")
    .option("--limit <n>", `at most this many entries, newest first (default ${DEFAULT_LOG_LIMIT}; 0 = all)`)
    .option("--json", "machine-readable output");
}

function regexFrom(pattern: string, ignoreCase: boolean): RegExp {
  try {
    return new RegExp(pattern, ignoreCase ? "i" : "");
  } catch (error) {
    throw new UserError(
      `PATTERN "${pattern}" is not a valid regular expression: ${(error as Error).message}`,
      "escape special characters with a backslash, e.g. 'vpc\\.main' or 'Error: quota'",
    );
  }
}

// ---- printing ----

const statusPaint: Record<AuditStatus, (t: string) => string> = {
  ok: style.green,
  failed: style.red,
  refused: style.yellow,
  started: style.cyan,
};

function formatVersions(before: AuditVersions, after: AuditVersions): string {
  const parts: string[] = [];
  for (const key of ["config", "runtime", "graph"] as const) {
    const b = before[key];
    const a = after[key];
    if (a === undefined && b === undefined) continue;
    parts.push(
      b === undefined ? `${key} v${a}` : a === undefined || a === b ? `${key} v${b}` : `${key} v${b}→v${a}`,
    );
  }
  return parts.join(", ");
}

function formatTime(iso: string): string {
  return iso.replace("T", " ").replace(/\.\d{3}Z$/, "Z");
}

function entryRows(entries: readonly AuditEntry[]): string[][] {
  return entries.map((e) => [
    String(e.id),
    formatTime(e.timestamp),
    e.action,
    statusPaint[e.status](e.status),
    e.component ?? e.env ?? "-",
    e.actor,
    [formatVersions(e.before, e.after), e.message].filter(Boolean).join("  "),
  ]);
}

function printEntries(entries: readonly AuditEntry[], limit: number | undefined, json?: boolean): void {
  if (json) {
    printJson({ entries, truncated: limit !== undefined && entries.length === limit });
    return;
  }
  if (entries.length === 0) {
    process.stdout.write("no audit entries match\n");
    return;
  }
  process.stdout.write(
    `${formatTable(["ID", "TIME", "ACTION", "STATUS", "SUBJECT", "ACTOR", "WHAT"], entryRows(entries))}\n`,
  );
  if (limit !== undefined && entries.length === limit)
    process.stdout.write(style.dim(`showing the newest ${limit}; use --limit N or --limit 0 for more\n`));
}

function describeKeys(change: ParameterChange): string {
  if (change.keys === null) return change.note ?? "";
  const parts = [
    change.keys.changed.length ? `changed ${change.keys.changed.join(", ")}` : "",
    change.keys.added.length ? `added ${change.keys.added.join(", ")}` : "",
    change.keys.removed.length ? `removed ${change.keys.removed.join(", ")}` : "",
  ].filter(Boolean);
  return parts.length ? parts.join("; ") : "same keys and values";
}

function printParameterChanges(title: string, changes: readonly ParameterChange[]): void {
  process.stdout.write(`${style.bold(title)}\n`);
  if (changes.length === 0) {
    process.stdout.write("  no changes\n");
    return;
  }
  const rows = changes.map((c) => [
    `  ${c.component}`,
    c.before === null ? `${c.change} v${c.after.version}` : `v${c.before.version}→v${c.after.version}`,
    `${c.versionsWritten} write${c.versionsWritten === 1 ? "" : "s"}`,
    describeKeys(c),
  ]);
  process.stdout.write(`${formatTable(["  COMPONENT", "VERSION", "WRITES", "KEYS"], rows)}\n`);
}

function printLogDiff(diff: LogDiff): void {
  process.stdout.write(`changes after ${diff.window.before} up to ${diff.window.after}\n\n`);
  printParameterChanges(
    "config",
    diff.parameters.filter((p) => p.kind === "config"),
  );
  process.stdout.write("\n");
  printParameterChanges(
    "runtime",
    diff.parameters.filter((p) => p.kind === "runtime"),
  );
  process.stdout.write(`\n${style.bold("graph")}\n`);
  const graph = diff.graph;
  if (graph.source === "graph-store") {
    const d = graph.diff;
    if (graph.beforeVersion === graph.afterVersion)
      process.stdout.write(`  unchanged (version ${graph.afterVersion ?? "none"})\n`);
    else if (d === null)
      process.stdout.write(`  v${graph.beforeVersion ?? "none"} → v${graph.afterVersion ?? "none"}\n`);
    else
      process.stdout.write(
        `  v${graph.beforeVersion}→v${graph.afterVersion}: nodes +${d.nodes.added.length} -${d.nodes.removed.length} ~${d.nodes.changed.length}, edges +${d.edges.added.length} -${d.edges.removed.length} ~${d.edges.changed.length}\n`,
      );
  } else {
    process.stdout.write(`  ${style.dim(graph.note)}\n`);
    if (graph.builds.length === 0) process.stdout.write("  no graph builds\n");
    for (const b of graph.builds)
      process.stdout.write(
        `  ${formatTime(b.timestamp)}  build${b.version !== undefined ? ` v${b.version}` : ""}  ${statusPaint[b.status as AuditStatus]?.(b.status) ?? b.status}  ${b.actor}\n`,
      );
  }
  process.stdout.write(`\n${style.bold(`activity (${diff.activity.length} audit entries)`)}\n`);
  if (diff.activity.length > 0)
    process.stdout.write(
      `${formatTable(["ID", "TIME", "ACTION", "STATUS", "SUBJECT", "ACTOR", "WHAT"], entryRows(diff.activity))}\n`,
    );
  const s = diff.summary;
  process.stdout.write(
    `\n${s.configChanges} config change(s), ${s.runtimeChanges} runtime change(s), graph ${s.graphChanged ? "changed" : "unchanged"}, ${s.entries} audit entries\n`,
  );
}
