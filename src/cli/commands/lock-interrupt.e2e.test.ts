/**
 * Locks and interruptions with real processes (the built CLI, `npm run build` first):
 *
 * - SIGINT/SIGTERM release the lock before the process ends, whether the command stops by itself
 *   (apply: interrupts its tool, audits the outcome) or is stopped by the CLI's signal handling;
 * - a killed apply (kill -9) leaves its lock and an unfinished "started" audit entry: the next run
 *   takes the lock over at once (its holder is a dead process on this host), says so, audits the
 *   takeover and records the killed apply as interrupted;
 * - a holder on another host keeps its lease: refused until `lock release --force`;
 * - `--lock-timeout`: the second writer waits for the first and loses nothing.
 *
 * Synchronised on output lines and marker files, never on sleeps.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openAuditLog } from "../../adapters/audit/factory.js";
import { readProjectSettings } from "../../adapters/fs/settings-reader.js";
import { LeaseLock } from "../../adapters/lock/lease-lock.js";
import { SqliteLockBackend } from "../../adapters/lock/sqlite/sqlite-lock-backend.js";
import { openSession } from "../../adapters/session/open-session.js";
import type { AuditEntry } from "../../ports/audit-log.js";
import { gitCommitAll, KARMA_BIN, runKarma, tempDir } from "../../testing/cli.js";

/** A command component that marks it started, then waits for the gate file. */
const GATE = `
import fs from "node:fs";
let input = "";
for await (const chunk of process.stdin) input += chunk;
const { nickname } = JSON.parse(input);
const dir = process.env.GATE_DIR;
fs.writeFileSync(dir + "/started-" + nickname, String(process.pid));
while (!fs.existsSync(dir + "/open")) await new Promise((r) => setTimeout(r, 20));
process.stdout.write(JSON.stringify({ id: nickname + "-deployed" }));
`;

function gateEstate(): string {
  const dir = tempDir("lock-interrupt");
  mkdirSync(join(dir, "types/gate"), { recursive: true });
  writeFileSync(
    join(dir, "karma.json"),
    JSON.stringify({
      environments: ["dev"],
      types: { gate: { runner: "command", command: ["node", "types/gate/deploy.mjs"], timeout: 120 } },
    }),
  );
  writeFileSync(join(dir, "types/gate/deploy.mjs"), GATE);
  for (const nickname of ["one", "two"]) {
    mkdirSync(join(dir, "iac/dev/gate", nickname), { recursive: true });
    writeFileSync(join(dir, "iac/dev/gate", nickname, "config.json"), JSON.stringify({ n: nickname }));
  }
  gitCommitAll(dir);
  return dir;
}

interface Running {
  child: ChildProcess;
  /** Resolves once stdout or stderr has shown `text`. */
  saw(text: string): Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

const children: ChildProcess[] = [];
const gates: string[] = [];
afterEach(() => {
  for (const gate of gates.splice(0)) writeFileSync(join(gate, "open"), "");
  for (const child of children.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
});

function start(command: string, args: string[], env: Record<string, string> = {}): Running {
  const child = spawn(command, args, {
    env: { ...process.env, NO_COLOR: "1", KARMA_ACTOR: "first@karma", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let stdout = "";
  let stderr = "";
  const waiters: Array<{ text: string; resolve: () => void }> = [];
  const check = () => {
    for (const w of [...waiters])
      if (stdout.includes(w.text) || stderr.includes(w.text)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
  };
  child.stdout!.on("data", (d: Buffer) => {
    stdout += d.toString();
    check();
  });
  child.stderr!.on("data", (d: Buffer) => {
    stderr += d.toString();
    check();
  });
  const exited = new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
  }>((resolve) => child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr })));
  return {
    child,
    exited,
    saw: (text) =>
      new Promise<void>((resolve, reject) => {
        waiters.push({ text, resolve });
        check();
        void exited.then((r) =>
          reject(
            new Error(`exited (${r.code ?? r.signal}) before printing "${text}":\n${r.stdout}\n${r.stderr}`),
          ),
        );
      }),
  };
}

function karmaIn(dir: string, args: string[], env: Record<string, string> = {}): Running {
  return start(process.execPath, [KARMA_BIN, "-C", dir, ...args], { GATE_DIR: dir, ...env });
}

/** Resolves when `file` exists (the gate command writes it once it runs, i.e. the lock is held). */
async function fileAppears(file: string, process: Running): Promise<void> {
  let gone = false;
  void process.exited.then(() => {
    gone = true;
  });
  while (!existsSync(file)) {
    if (gone) throw new Error(`the process ended before ${file} appeared`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function lockStatus(dir: string): { state: string; holder: { pid: number; owner: string } | null } {
  const run = runKarma(["-C", dir, "lock", "status", "--env", "dev", "--json"]);
  expect(run.code, run.stderr).toBe(0);
  return (
    JSON.parse(run.stdout) as {
      locks: Array<{ state: string; holder: { pid: number; owner: string } | null }>;
    }
  ).locks[0]!;
}

async function auditOf(dir: string, action: string): Promise<AuditEntry[]> {
  const audit = openAuditLog(readProjectSettings(dir));
  try {
    return (await audit.query({ action })).sort((a, b) => a.id - b.id);
  } finally {
    await audit.close();
  }
}

/** Every `started` apply has an entry that ends it. */
function unfinishedApplies(entries: AuditEntry[]): number[] {
  const ended = new Set(entries.map((e) => e.details.started));
  return entries.filter((e) => e.status === "started" && !ended.has(e.id)).map((e) => e.id);
}

describe("a signal releases the lock before the process ends", () => {
  for (const [signal, code] of [
    ["SIGTERM", 143],
    ["SIGINT", 130],
  ] as const) {
    it(`${signal} to a command holding the lock (publish-like): released, exit ${code}`, async () => {
      const dir = gateEstate();
      const holder = start(process.execPath, [
        "--import",
        "tsx",
        join(import.meta.dirname, "../testing/hold-lock.ts"),
        dir,
        "dev",
      ]);
      await holder.saw("held\n");
      expect(lockStatus(dir).state).toBe("held");
      holder.child.kill(signal);
      const result = await holder.exited;
      expect(result.code).toBe(code);
      expect(result.stderr).toContain(
        `karma: ${signal}: stopped "publish" and released the lock of environment "dev"`,
      );
      expect(result.stderr).not.toMatch(/\n\s+at /);
      expect(lockStatus(dir).state).toBe("free");
    });
  }

  it("SIGTERM to apply: the tool is interrupted, the apply audited as ended, the lock released", async () => {
    const dir = gateEstate();
    const apply = karmaIn(dir, ["apply", "--auto-approve", "--parallelism", "1"]);
    await fileAppears(join(dir, "started-one"), apply);
    expect(lockStatus(dir).state).toBe("held");
    apply.child.kill("SIGTERM");
    const result = await apply.exited;
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toMatch(/interrupted; stopping the run cleanly/);
    expect(lockStatus(dir).state).toBe("free");
    const applies = await auditOf(dir, "apply");
    expect(applies.map((e) => e.status)).toEqual(["started", "failed"]);
    expect(unfinishedApplies(applies)).toEqual([]);
  });
});

describe("a killed apply", () => {
  it("is taken over at once by the next run, which says so, audits it and records the apply as interrupted", async () => {
    const dir = gateEstate();
    gates.push(dir);
    const killed = karmaIn(dir, ["apply", "--auto-approve", "--parallelism", "1"]);
    await fileAppears(join(dir, "started-one"), killed);
    killed.child.kill("SIGKILL");
    await killed.exited;
    const stale = lockStatus(dir);
    expect(stale.state).toBe("held"); // the lease has 15 minutes to go
    expect(stale.holder!.pid).toBe(killed.child.pid);
    expect(unfinishedApplies(await auditOf(dir, "apply"))).toHaveLength(1);

    writeFileSync(join(dir, "open"), ""); // the next run's tool goes straight through
    const next = runKarma(["-C", dir, "apply", "--auto-approve", "--lock-timeout", "0s"], {
      env: { GATE_DIR: dir, KARMA_ACTOR: "second@karma" },
    });
    expect(next.code, next.stderr).toBe(0);
    expect(next.stderr).toMatch(
      new RegExp(
        `took over the lock of environment "dev" from first@karma \\(pid ${killed.child.pid} on .*\\): that process is no longer running`,
      ),
    );
    expect(next.stdout).toMatch(/2 deployed, 0 unchanged, .*0 failed/);

    const takeovers = await auditOf(dir, "lock_takeover");
    expect(takeovers).toHaveLength(1);
    expect(takeovers[0]).toMatchObject({
      env: "dev",
      actor: "second@karma",
      details: { previous: { pid: killed.child.pid } },
    });
    const applies = await auditOf(dir, "apply");
    expect(unfinishedApplies(applies)).toEqual([]);
    const interrupted = applies.find((e) => e.details.interrupted === true);
    expect(interrupted).toMatchObject({ status: "failed", details: { started: applies[0]!.id } });
    expect(interrupted!.message).toMatch(/^interrupted: apply #\d+ by first@karma, started .*never finished/);
    expect(lockStatus(dir).state).toBe("free");
  });
});

describe("a holder on another host", () => {
  it("keeps its lease even though its pid is not running here; lock release --force frees it", async () => {
    const dir = gateEstate();
    const gone = spawnSync(process.execPath, ["-e", ""]);
    expect(gone.status).toBe(0);
    mkdirSync(join(dir, ".karma"), { recursive: true });
    const elsewhere = new LeaseLock(new SqliteLockBackend({ file: join(dir, ".karma/karma.db") }), {
      host: "build-7.elsewhere",
      pid: gone.pid,
    });
    await elsewhere.acquire("dev", { owner: "ci@build-7", operation: "apply", renewEvery: false });
    const refused = runKarma(["-C", dir, "publish"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      new RegExp(`locked by ci@build-7 \\(pid ${gone.pid} on build-7.elsewhere\\)`),
    );
    expect(refused.stderr).not.toMatch(/took over/);
    expect(runKarma(["-C", dir, "lock", "release", "--force", "--env", "dev"]).code).toBe(0);
    const ok = runKarma(["-C", dir, "publish"]);
    expect(ok.code, ok.stderr).toBe(0);
    await elsewhere.close(); // its handle was force-released: closing frees nothing of the new holder's
  });
});

describe("--lock-timeout", () => {
  it("the second writer waits for the holder, then publishes; nothing is lost", async () => {
    const dir = gateEstate();
    const session = openSession({ root: dir, source: "cli" });
    const held = await (await session.lock("dev")).acquire("dev", { owner: "alice@ci", operation: "apply" });
    try {
      const waiting = karmaIn(dir, ["publish", "--lock-timeout", "2m"]);
      await waiting.saw(`environment "dev" is locked by alice@ci`);
      await waiting.saw("waiting up to 120s for it (--lock-timeout)");
      await held.release();
      const result = await waiting.exited;
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toMatch(/published 2, unchanged 0/);
    } finally {
      await session.close();
    }
  });

  it("rejects a duration it cannot read, naming the flag", () => {
    const dir = gateEstate();
    const run = runKarma(["-C", dir, "publish", "--lock-timeout", "soon"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/--lock-timeout must be a duration like 30s, 5m or 1h, got "soon"/);
  });
});
