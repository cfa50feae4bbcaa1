/**
 * A separate process competing for an environment lock, for the concurrency tests:
 *
 *   node --import tsx lock-worker.ts <db> <env> <owner> <waitMs> <hold> <counterFile> <goFile>
 *
 * Prints "ready", waits until <goFile> exists (so competitors start together), takes the lock,
 * does a deliberately racy read-sleep-write increment of <counterFile> while holding it, and
 * prints one JSON line with the outcome. <hold> is how long the increment sleeps (ms), or
 * `until:<file>`: hold the lock until the test creates that file (explicit synchronisation).
 */
import fs from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { LockHeldError } from "../../../ports/lock.js";
import { LeaseLock } from "../lease-lock.js";
import { SqliteLockBackend } from "../sqlite/sqlite-lock-backend.js";

const [file, env, owner, waitMs, holdMs, counterFile, goFile] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string,
  string,
  string,
];

process.stdout.write("ready\n");
while (!fs.existsSync(goFile)) await sleep(5);

const lock = new LeaseLock(new SqliteLockBackend({ file }));
try {
  const handle = await lock.acquire(env, { owner, operation: "apply", wait: Number(waitMs) });
  const start = Date.now();
  const count = Number(fs.readFileSync(counterFile, "utf8"));
  if (holdMs.startsWith("until:")) while (!fs.existsSync(holdMs.slice("until:".length))) await sleep(5);
  else await sleep(Number(holdMs));
  fs.writeFileSync(counterFile, String(count + 1));
  const end = Date.now();
  await handle.release();
  process.stdout.write(`${JSON.stringify({ ok: true, owner, start, end })}\n`);
} catch (error) {
  if (!(error instanceof LockHeldError)) throw error;
  process.stdout.write(
    `${JSON.stringify({ ok: false, owner, error: error.message, holder: error.holder.owner })}\n`,
  );
} finally {
  await lock.close();
}
