/**
 * Crash safety: kill -9 at a random moment during `publish` of thousands of components, during
 * `graph build`, and during `apply` of command components. After each kill: the database passes
 * `PRAGMA integrity_check`, no partial batch is visible, the next command is not blocked (it runs
 * with `--lock-timeout 0s`: a killed holder's lock is taken over at once) and re-running converges
 * to the state an uninterrupted run reaches. And kill -9 of `karma serve` under 8 SDK writers:
 * intact database, a new server starts, no acknowledged write lost.
 */
import path from "node:path";
import { openAuditLog } from "../adapters/audit/factory.js";
import { readProjectSettings } from "../adapters/fs/settings-reader.js";
import { type Ack, client, history, WRITERS, writers } from "./concurrency.js";
import { bigEstate, commandEstate } from "./estates.js";
import {
  type CliResult,
  copyDir,
  diffDumps,
  dumpGraph,
  dumpStore,
  hasStackTrace,
  integrityOf,
  printed,
  runKarmaAsync,
  startKarma,
  type Table,
} from "./harness.js";

export interface CrashOptions {
  work: string;
  random: () => number;
  trials: number;
  components: number;
  applyComponents: number;
}

const SECTION = "crash (kill -9)";

/** Runs `args` in `dir` and SIGKILLs it `atMs` after start; says whether the kill landed. */
async function killDuring(
  dir: string,
  args: string[],
  atMs: number,
): Promise<{ killed: boolean; result: CliResult }> {
  const run = startKarma(["-C", dir, ...args]);
  const timer = setTimeout(() => run.child.kill("SIGKILL"), atMs);
  const result = await run.done;
  clearTimeout(timer);
  return { killed: result.signal === "SIGKILL", result };
}

function ran(result: CliResult, what: string): string | undefined {
  if (result.timedOut) return `${what} hung`;
  if (hasStackTrace(result.stderr)) return `${what} printed a stack trace: ${result.stderr.slice(0, 200)}`;
  if (result.code !== 0) return `${what} exited ${result.code}: ${result.stderr.trim().split("\n")[0]}`;
  return undefined;
}

async function timed(fn: () => Promise<CliResult>, what: string): Promise<number> {
  const start = performance.now();
  const result = await fn();
  const problem = ran(result, what);
  if (problem) throw new Error(`baseline: ${problem}`);
  return performance.now() - start;
}

async function unfinishedApplies(dir: string): Promise<number> {
  const audit = openAuditLog(readProjectSettings(dir));
  try {
    const entries = await audit.query({ action: "apply" });
    const ended = new Set(entries.map((e) => e.details.started));
    return entries.filter((e) => e.status === "started" && !ended.has(e.id)).length;
  } finally {
    await audit.close();
  }
}

async function publishedComponents(dir: string): Promise<number> {
  const audit = openAuditLog(readProjectSettings(dir));
  try {
    const entries = await audit.query({ action: "publish", status: "ok" });
    return new Set(entries.map((e) => e.component).filter((c) => c !== null)).size;
  } finally {
    await audit.close();
  }
}

const configsOf = (dump: Map<string, string>) => [...dump.keys()].filter((n) => n.endsWith("/config")).length;
/** Apply compares values, not versions: a runtime re-written with the same value is the same state. */
const valuesOf = (dump: Map<string, string>) =>
  new Map([...dump].map(([name, v]) => [name, v.replace(/ v\d+ /, " ")] as const));

export async function crashSection(table: Table, options: CrashOptions): Promise<void> {
  const { work, random, trials } = options;
  const db = (dir: string) => path.join(dir, ".karma/karma.db");

  // --- publish of many components
  const fresh = bigEstate(path.join(work, "publish-template"), options.components);
  const baselineDir = copyDir(fresh, path.join(work, "publish-baseline"));
  const publishMs = await timed(() => runKarmaAsync(["-C", baselineDir, "publish"]), "publish");
  const expectedStore = await dumpStore(baselineDir, "dev");
  process.stderr.write(
    `  crash: uninterrupted publish of ${options.components} took ${Math.round(publishMs)} ms\n`,
  );
  const graphMs = await timed(() => runKarmaAsync(["-C", baselineDir, "graph", "build"]), "graph build");
  const expectedGraph = (await dumpGraph(baselineDir))!.text;

  for (let i = 0; i < trials; i++) {
    const dir = copyDir(fresh, path.join(work, `publish-${i}`));
    const at = Math.round(random() * publishMs * 1.1);
    const { killed } = await killDuring(dir, ["publish"], at);
    const check = `publish ${options.components}`;
    await table.trial(SECTION, `${check}: integrity_check`, async () => {
      const integrity = integrityOf(db(dir));
      return integrity === "ok" || integrity === "absent" ? undefined : `kill at ${at} ms: ${integrity}`;
    });
    await table.trial(SECTION, `${check}: no partial batch`, async () => {
      const n = configsOf(await dumpStore(dir, "dev"));
      return n === 0 || n === options.components
        ? undefined
        : `kill at ${at} ms left ${n} of ${options.components} configs`;
    });
    const rerun = await runKarmaAsync(["-C", dir, "publish", "--lock-timeout", "0s"]);
    await table.trial(SECTION, `${check}: next command not blocked`, async () =>
      ran(rerun, `publish after a kill at ${at} ms${killed ? "" : " (finished first)"}`),
    );
    await table.trial(SECTION, `${check}: re-run converges`, async () => {
      const diff = diffDumps(expectedStore, await dumpStore(dir, "dev"));
      if (diff) return `kill at ${at} ms: ${diff}`;
      const audited = await publishedComponents(dir);
      return audited === options.components
        ? undefined
        : `kill at ${at} ms: the audit log records ${audited} of ${options.components} published components`;
    });
  }

  // --- graph build over the published estate
  for (let i = 0; i < trials; i++) {
    const dir = copyDir(baselineDir, path.join(work, `graph-${i}`));
    const at = Math.round(random() * graphMs * 1.1);
    await killDuring(dir, ["graph", "build"], at);
    const check = "graph build";
    await table.trial(SECTION, `${check}: integrity_check`, async () => {
      const integrity = integrityOf(db(dir));
      return integrity === "ok" ? undefined : `kill at ${at} ms: ${integrity}`;
    });
    await table.trial(SECTION, `${check}: no partial version visible`, async () => {
      const latest = await dumpGraph(dir); // throws when a version's counts and contents disagree
      return latest === undefined || latest.text === expectedGraph
        ? undefined
        : `kill at ${at} ms: latest ready version differs`;
    });
    const rerun = await runKarmaAsync(["-C", dir, "graph", "build"]);
    await table.trial(SECTION, `${check}: next command not blocked`, async () =>
      ran(rerun, `graph build after a kill at ${at} ms`),
    );
    await table.trial(SECTION, `${check}: re-run converges`, async () =>
      (await dumpGraph(dir))?.text === expectedGraph
        ? undefined
        : `kill at ${at} ms: graph differs from an uninterrupted build`,
    );
  }

  // --- apply of command components
  const steps = commandEstate(path.join(work, "apply-template"), options.applyComponents);
  const applyBaseline = copyDir(steps, path.join(work, "apply-baseline"));
  const applyMs = await timed(() => runKarmaAsync(["-C", applyBaseline, "apply", "--auto-approve"]), "apply");
  const expectedApply = valuesOf(await dumpStore(applyBaseline, "dev"));
  for (let i = 0; i < trials; i++) {
    const dir = copyDir(steps, path.join(work, `apply-${i}`));
    const at = Math.round(random() * applyMs * 1.1);
    await killDuring(dir, ["apply", "--auto-approve"], at);
    const check = `apply ${options.applyComponents} command components`;
    await table.trial(SECTION, `${check}: integrity_check`, async () => {
      const integrity = integrityOf(db(dir));
      return integrity === "ok" || integrity === "absent" ? undefined : `kill at ${at} ms: ${integrity}`;
    });
    await table.trial(SECTION, `${check}: no partial runtime`, async () => {
      for (const [name, value] of await dumpStore(dir, "dev")) {
        if (!name.endsWith("/runtime")) continue;
        const json = value.replace(/^\S+ v\d+ /, "");
        try {
          JSON.parse(json);
        } catch {
          return `kill at ${at} ms: ${name} holds unparsable JSON`;
        }
      }
      return undefined;
    });
    const rerun = await runKarmaAsync(["-C", dir, "apply", "--auto-approve", "--lock-timeout", "0s"]);
    await table.trial(SECTION, `${check}: next command not blocked`, async () =>
      ran(rerun, `apply after a kill at ${at} ms`),
    );
    await table.trial(SECTION, `${check}: re-run converges`, async () => {
      const diff = diffDumps(expectedApply, valuesOf(await dumpStore(dir, "dev")));
      if (diff) return `kill at ${at} ms: ${diff}`;
      const open = await unfinishedApplies(dir);
      return open === 0 ? undefined : `kill at ${at} ms: ${open} "started" apply entries without an end`;
    });
  }
}

/** `karma serve` on `dir`, with the SSM API's URL once it listens. */
async function serveOn(dir: string): Promise<{ url: string; spawned: ReturnType<typeof startKarma> }> {
  const spawned = startKarma(["-C", dir, "serve", "--port", "0"], { timeoutMs: 10 * 60_000 });
  let url = "";
  spawned.child.stdout!.on("data", (d: Buffer) => {
    url ||= /SSM API at (http:\/\/[^\s]+)/.exec(d.toString())?.[1] ?? "";
  });
  await printed(spawned, "SSM API at");
  return { url, spawned };
}

/** Every acknowledged write is kept with the value written; what was never acknowledged may or may not be. */
async function acknowledgedKept(url: string, acks: readonly Ack[]): Promise<string | undefined> {
  const ssm = client(url);
  try {
    const byName = new Map<string, Ack[]>();
    for (const a of acks) byName.set(a.name, [...(byName.get(a.name) ?? []), a]);
    for (const [name, list] of byName) {
      const kept = await history(ssm, name);
      for (const a of list) {
        const value = kept.get(a.version);
        if (value !== a.value)
          return `${name} v${a.version} was acknowledged as "${a.value}" but ${value === undefined ? "is gone" : `holds "${value}"`}`;
      }
    }
    return undefined;
  } finally {
    ssm.destroy();
  }
}

/**
 * kill -9 of `karma serve` while 8 SDK writers overwrite 25 names: the database stays intact, a
 * new server starts on it, and no write the killed server acknowledged is lost.
 */
export async function serveCrashSection(
  table: Table,
  options: Pick<CrashOptions, "work" | "random" | "trials">,
): Promise<void> {
  const template = commandEstate(path.join(options.work, "serve-template"), 1);
  const names = (run: string) => (w: number, i: number) => `/torture/${run}/p${(w * 13 + i * 7) % 25}`;
  const baseline = await serveOn(copyDir(template, path.join(options.work, "serve-baseline")));
  const start = performance.now();
  await writers(baseline.url, names("baseline"));
  const writeMs = performance.now() - start;
  baseline.spawned.child.kill("SIGTERM");
  await baseline.spawned.done;
  const check = `serve under ${WRITERS} SDK writers`;
  for (let i = 0; i < options.trials; i++) {
    const dir = copyDir(template, path.join(options.work, `serve-${i}`));
    const at = Math.round(options.random() * writeMs);
    const { url, spawned } = await serveOn(dir);
    const writing = writers(url, names(`trial-${i}`));
    const timer = setTimeout(() => spawned.child.kill("SIGKILL"), at);
    const { acks } = await writing;
    clearTimeout(timer);
    spawned.child.kill("SIGKILL");
    await spawned.done;
    await table.trial(SECTION, `${check}: integrity_check`, async () => {
      const integrity = integrityOf(path.join(dir, ".karma/karma.db"));
      return integrity === "ok" ? undefined : `kill at ${at} ms: ${integrity}`;
    });
    const restarted = await serveOn(dir).catch((error: unknown) => error as Error);
    await table.trial(SECTION, `${check}: next command not blocked`, async () =>
      restarted instanceof Error
        ? `a new karma serve after a kill at ${at} ms: ${restarted.message}`
        : undefined,
    );
    if (restarted instanceof Error) continue;
    await table.trial(SECTION, `${check}: no acknowledged write lost`, async () => {
      const problem = await acknowledgedKept(restarted.url, acks);
      return problem ? `kill at ${at} ms (${acks.length} writes acknowledged): ${problem}` : undefined;
    });
    restarted.spawned.child.kill("SIGTERM");
    await restarted.spawned.done;
  }
}
