/**
 * What every torture section shares: a seeded random source, the table of trials, running the
 * built CLI under a timeout, recognising stack traces, and reading a store or a graph back
 * (through Karma's own adapters) to compare states.
 */
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { readProjectSettings } from "../adapters/fs/settings-reader.js";
import { openGraphStore } from "../adapters/graph-store/factory.js";
import { openParameterStore } from "../adapters/parameter-store/factory.js";
import { KARMA_BIN } from "../testing/cli.js";

/** mulberry32: small, fast, good enough to pick kill moments and shuffle; the seed reproduces a run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface TrialResult {
  section: string;
  check: string;
  ok: boolean;
  /** Why it failed (or a note on what was measured). */
  detail: string;
  /** A failure whose fix is in flight elsewhere (where): reported, not counted as failed. */
  known?: string;
}

/** The trials of a run, grouped for the table by section and check. */
export class Table {
  readonly results: TrialResult[] = [];

  record(section: string, check: string, ok: boolean, detail = "", known?: string): void {
    this.results.push({ section, check, ok, detail, ...(known !== undefined && !ok ? { known } : {}) });
    if (!ok)
      process.stderr.write(`  ${known ? `KNOWN (${known})` : "FAIL"} ${section} / ${check}: ${detail}\n`);
    else if (known)
      process.stderr.write(`  FIXED ${section} / ${check}: no longer fails (${known}): unmark it\n`);
  }

  /** Runs `fn`; a throw is a failed trial with the error's first line. */
  async trial(
    section: string,
    check: string,
    fn: () => Promise<string | undefined>,
    known?: string,
  ): Promise<boolean> {
    try {
      const problem = await fn();
      this.record(section, check, problem === undefined, problem ?? "", known);
      return problem === undefined;
    } catch (error) {
      this.record(
        section,
        check,
        false,
        firstLine(error instanceof Error ? error.message : String(error)),
        known,
      );
      return false;
    }
  }

  print(out: NodeJS.WritableStream = process.stdout): { passed: number; failed: number } {
    const groups = new Map<string, TrialResult[]>();
    for (const r of this.results) {
      const key = `${r.section}\u0000${r.check}`;
      groups.set(key, [...(groups.get(key) ?? []), r]);
    }
    const rows = [...groups.values()].map((rs) => {
      const failed = rs.filter((r) => !r.ok && r.known === undefined);
      const known = rs.filter((r) => r.known !== undefined);
      const notes = [...new Set([...failed, ...known].map((r) => r.detail))].slice(0, 2).join("; ");
      return [
        rs[0]!.section,
        rs[0]!.check,
        String(rs.length),
        String(rs.filter((r) => r.ok).length),
        String(failed.length),
        String(known.length),
        notes,
      ];
    });
    const head = ["SECTION", "CHECK", "TRIALS", "PASSED", "FAILED", "KNOWN", "FAILURES"];
    const widths = head.map((h, i) => Math.min(70, Math.max(h.length, ...rows.map((r) => r[i]!.length))));
    const line = (cells: string[]) =>
      cells
        .map((c, i) => (c.length > widths[i]! ? `${c.slice(0, widths[i]! - 1)}…` : c.padEnd(widths[i]!)))
        .join("  ")
        .trimEnd();
    out.write(`${line(head)}\n`);
    for (const row of rows) out.write(`${line(row)}\n`);
    const failed = this.results.filter((r) => !r.ok && r.known === undefined).length;
    const known = this.results.filter((r) => r.known !== undefined);
    const passed = this.results.filter((r) => r.ok).length;
    for (const r of known) out.write(`known failure (${r.known}): ${r.section} / ${r.check}: ${r.detail}\n`);
    out.write(`${passed} passed, ${failed} failed\n`);
    return { passed, failed };
  }
}

export function firstLine(text: string): string {
  return text.split("\n")[0]!.slice(0, 300);
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

export interface Spawned {
  child: ChildProcess;
  done: Promise<CliResult>;
}

/** Starts the built CLI; killed (and reported as timed out) after `timeoutMs`. */
export function startKarma(
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string>; timeoutMs?: number; input?: string } = {},
): Spawned {
  const child = spawn(process.execPath, [KARMA_BIN, ...args], {
    cwd: options.cwd,
    env: {
      ...process.env,
      NO_COLOR: "1",
      KARMA_ACTOR: "torture@karma",
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
      ...options.env,
    },
    stdio: ["pipe", "pipe", "pipe"],
  });
  child.stdin!.end(options.input ?? "");
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr!.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill("SIGKILL");
  }, options.timeoutMs ?? 120_000);
  const done = new Promise<CliResult>((resolve) =>
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, timedOut });
    }),
  );
  return { child, done };
}

export function runKarmaAsync(
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string>; timeoutMs?: number; input?: string } = {},
): Promise<CliResult> {
  return startKarma(args, options).done;
}

/** A JavaScript stack frame, or Karma's own "internal error" banner. */
export function hasStackTrace(text: string): boolean {
  return /^\s+at .+(:\d+:\d+\)?|\(native\)|<anonymous>)$/m.test(text) || /internal error/.test(text);
}

/** `PRAGMA integrity_check` of a SQLite file: "ok", "absent", or what it found. */
export function integrityOf(file: string): string {
  if (!fs.existsSync(file)) return "absent";
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const rows = db.pragma("integrity_check") as Array<{ integrity_check: string }>;
    return rows.map((r) => r.integrity_check).join("; ");
  } finally {
    db.close();
  }
}

/** name → "type vN value" of every parameter under the environment's prefix (SecureStrings as stored). */
export async function dumpStore(dir: string, envName: string): Promise<Map<string, string>> {
  const settings = readProjectSettings(dir);
  const env = settings.environments.find((e) => e.name === envName)!;
  const store = await openParameterStore(settings, env);
  try {
    const tree = await store.readTree(env.prefix);
    return new Map(
      tree
        .filter((p) => !p.name.endsWith("/.karma/lock"))
        .map((p) => [p.name, `${p.type} v${p.version} ${p.value}`] as const)
        .sort(([a], [b]) => (a < b ? -1 : 1)),
    );
  } finally {
    await store.close();
  }
}

/** The latest ready graph version's nodes and edges, canonical, or undefined when none is ready. */
export async function dumpGraph(dir: string): Promise<{ version: number; text: string } | undefined> {
  const store = openGraphStore(readProjectSettings(dir));
  try {
    const latest = await store.latestVersion();
    if (!latest) return undefined;
    const graph = await store.readGraph({ version: latest.version });
    if (graph.nodes.length !== latest.nodeCount || graph.edges.length !== latest.edgeCount)
      throw new Error(
        `graph v${latest.version} says ${latest.nodeCount} nodes/${latest.edgeCount} edges but holds ${graph.nodes.length}/${graph.edges.length}`,
      );
    const text = JSON.stringify({
      nodes: graph.nodes.map((n) => n.id),
      edges: graph.edges.map((e) => `${e.from}>${e.to}:${e.kind}`),
    });
    return { version: latest.version, text };
  } finally {
    await store.close();
  }
}

/** First difference between two dumps, or undefined when they are equal. */
export function diffDumps(expected: Map<string, string>, actual: Map<string, string>): string | undefined {
  for (const [name, value] of expected) {
    const got = actual.get(name);
    if (got === undefined) return `${name} missing`;
    if (got !== value) return `${name}: expected ${value.slice(0, 80)}, got ${got.slice(0, 80)}`;
  }
  for (const name of actual.keys()) if (!expected.has(name)) return `${name} unexpected`;
  return undefined;
}

export function copyDir(from: string, to: string): string {
  fs.cpSync(from, to, { recursive: true, verbatimSymlinks: true });
  return to;
}

export function writeJson(file: string, value: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

/** Resolves once the child has printed `text` on stdout or stderr; rejects if it exits first. */
export function printed(spawned: Spawned, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = "";
    const look = (d: Buffer) => {
      seen += d.toString();
      if (seen.includes(text)) resolve();
    };
    spawned.child.stdout!.on("data", look);
    spawned.child.stderr!.on("data", look);
    void spawned.done.then(() => reject(new Error(`exited before printing "${text}"`)));
  });
}
