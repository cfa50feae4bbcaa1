/**
 * Two (or more) processes competing for the same environment lock in the same SQLite file — the
 * "two concurrent applies" case. Each worker does a racy read-sleep-write increment under the
 * lock, so any overlap would lose an increment.
 */
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const WORKER = new URL("./testing/lock-worker.ts", import.meta.url).pathname;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "karma-lock-proc-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

interface Outcome {
  ok: boolean;
  owner: string;
  start?: number;
  end?: number;
  error?: string;
  holder?: string;
}

function worker(args: string[]): { child: ChildProcess; ready: Promise<void>; done: Promise<Outcome> } {
  const child = spawn(process.execPath, ["--import", "tsx", WORKER, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  child.stdout!.on("data", (chunk: Buffer) => {
    out += chunk.toString();
    if (out.includes("ready\n")) markReady();
  });
  child.stderr!.on("data", (chunk: Buffer) => {
    err += chunk.toString();
  });
  const done = new Promise<Outcome>((resolve, reject) => {
    child.on("close", (code) => {
      const last = out.trim().split("\n").pop() ?? "";
      if (code !== 0) reject(new Error(`worker exited ${code}: ${err}`));
      else resolve(JSON.parse(last) as Outcome);
    });
  });
  return { child, ready, done };
}

/**
 * Starts the workers together. With `release`, the holder keeps the lock until the first worker
 * has finished (the one refused), then is told to let go: no timing decides who overlaps whom.
 */
async function race(label: string, owners: string[], waitMs: number, holdMs: number | "release") {
  const db = path.join(dir, `${label}.db`);
  const counter = path.join(dir, `${label}.count`);
  const go = path.join(dir, `${label}.go`);
  const release = path.join(dir, `${label}.release`);
  fs.writeFileSync(counter, "0");
  const hold = holdMs === "release" ? `until:${release}` : String(holdMs);
  const workers = owners.map((owner) => worker([db, "dev", owner, String(waitMs), hold, counter, go]));
  await Promise.all(workers.map((w) => w.ready));
  fs.writeFileSync(go, "");
  if (holdMs === "release") {
    await Promise.race(workers.map((w) => w.done));
    fs.writeFileSync(release, "");
  }
  const outcomes = await Promise.all(workers.map((w) => w.done));
  return { outcomes, count: Number(fs.readFileSync(counter, "utf8")) };
}

describe("environment lock across processes (SQLite)", () => {
  it("two concurrent applies without waiting: one runs, the other fails naming the holder", async () => {
    const { outcomes, count } = await race("nowait", ["alice@laptop", "bob@ci"], 0, "release");
    const winners = outcomes.filter((o) => o.ok);
    const losers = outcomes.filter((o) => !o.ok);
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(1);
    expect(losers[0]!.holder).toBe(winners[0]!.owner);
    expect(losers[0]!.error).toMatch(
      new RegExp(`environment "dev" is locked by ${winners[0]!.owner} \\(pid \\d+`),
    );
    expect(count).toBe(1);
  });

  it("concurrent applies that wait run one after another and lose no update", async () => {
    const owners = ["w1", "w2", "w3", "w4"];
    const { outcomes, count } = await race("wait", owners, 60_000, 150);
    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect(count).toBe(owners.length);
    const spans = outcomes.map((o) => [o.start!, o.end!] as const).sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < spans.length; i++) expect(spans[i]![0]).toBeGreaterThanOrEqual(spans[i - 1]![1]);
  });
});
