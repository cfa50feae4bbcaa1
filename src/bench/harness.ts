/**
 * Benchmark plumbing: each (suite, size) runs in a fresh child process so that peak memory is
 * that case's own, and every figure is printed beside a lower bound measured in the same run.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";

export interface Measurement {
  /** What was timed, e.g. "publish (cold)". */
  name: string;
  ms: number;
  /** What it is compared against, e.g. "read + JSON.parse". */
  lowerBound?: { name: string; ms: number };
  /** Extra figures (counts, calls). */
  extra?: Record<string, number | string>;
}

export interface CaseResult {
  suite: string;
  size: number;
  measurements: Measurement[];
  peakRssMb: number;
}

/**
 * Collects the garbage earlier measurements left (the bench runs with --expose-gc): a measurement
 * then pays for its own garbage only, as a CLI process would. Call it before each independent
 * measurement, not between the parts of one (their garbage is theirs).
 */
export function settleHeap(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** Wall time of one run of `fn`, in milliseconds. */
export async function timeIt<T>(fn: () => T | Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}

/** Best of `runs` (for warm, repeatable figures such as queries). */
export async function bestOf(runs: number, fn: () => unknown): Promise<number> {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < runs; i++) best = Math.min(best, (await timeIt(fn)).ms);
  return best;
}

export function peakRssMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

/** Runs `dist/bench/main.js --case suite size` in a child process and returns its result. */
export function runCaseInChild(script: string, suite: string, size: number): CaseResult {
  const out = execFileSync(process.execPath, ["--expose-gc", script, "--case", suite, String(size)], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    maxBuffer: 16 * 1024 * 1024,
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
  });
  const last = out.trim().split("\n").pop() ?? "{}";
  return JSON.parse(last) as CaseResult;
}

const fmtMs = (ms: number) =>
  ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms < 10 ? 2 : 0)} ms`;

export function printResults(results: readonly CaseResult[]): void {
  const rows: string[][] = [
    ["suite", "size", "measurement", "time", "lower bound", "ratio", "peak RSS", "extra"],
  ];
  for (const r of results) {
    for (const m of r.measurements) {
      rows.push([
        r.suite,
        String(r.size),
        m.name,
        fmtMs(m.ms),
        m.lowerBound ? `${m.lowerBound.name} ${fmtMs(m.lowerBound.ms)}` : "-",
        m.lowerBound ? `${(m.ms / Math.max(m.lowerBound.ms, 0.001)).toFixed(1)}x` : "-",
        `${r.peakRssMb} MB`,
        Object.entries(m.extra ?? {})
          .map(([k, v]) => `${k}=${v}`)
          .join(" "),
      ]);
    }
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? "").length)));
  for (const row of rows)
    process.stdout.write(
      `${row
        .map((c, i) => c.padEnd(widths[i] ?? 0))
        .join("  ")
        .trimEnd()}\n`,
    );
}

/**
 * Writes `results` to `<dir>/<suite>.json`, keeping the file's earlier results of sizes this run
 * did not measure (a run at one size no longer erases the others). Every result carries the date
 * it was measured on.
 */
export function writeResults(dir: string, suite: string, results: readonly CaseResult[]): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${suite}.json`);
  const date = new Date().toISOString();
  const measured = new Set(results.map((r) => r.size));
  const kept = earlierResults(file).filter((r) => !measured.has(r.size));
  const document = {
    suite,
    date,
    node: process.version,
    cpus: (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency,
    results: [...kept, ...results.map((r) => ({ ...r, date }))].sort((a, b) => a.size - b.size),
  };
  writeFileSync(file, `${JSON.stringify(document, null, 2)}\n`);
  return file;
}

/** The results `file` holds, each with its date (the file's, for files written before results had one). */
function earlierResults(file: string): (CaseResult & { date: string })[] {
  let document: { date?: string; results?: (CaseResult & { date?: string })[] };
  try {
    document = JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return []; // none yet, or unreadable: nothing to keep
  }
  return (document.results ?? []).map((r) => ({ ...r, date: r.date ?? document.date ?? "unknown" }));
}
