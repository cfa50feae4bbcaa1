/**
 * A command that holds an environment lock until it is signalled, as `karma publish` does while
 * it writes, for the signal tests:
 *
 *   node --import tsx hold-lock.ts <estate dir> <env>
 *
 * Installs the CLI's signal handling, takes the environment's lock through the operations layer,
 * prints "held", and waits; SIGINT/SIGTERM must release the lock before the process ends.
 */
import { openSession } from "../../adapters/session/open-session.js";
import { withLocks } from "../../operations/stores.js";
import { releaseLocksOnSignals } from "../signals.js";

const [dir, envName] = process.argv.slice(2) as [string, string];
releaseLocksOnSignals();
const session = openSession({ root: dir, source: "cli" });
await withLocks(session, [session.environment(envName)], { operation: "publish" }, async () => {
  process.stdout.write("held\n");
  // until a signal ends the process
  await new Promise(() => setInterval(() => {}, 60_000));
});
