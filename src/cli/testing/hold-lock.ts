/**
 * A command that holds an environment lock until it is signalled, as `karma publish` does while
 * it writes, for the signal tests:
 *
 *   node --import tsx hold-lock.ts <estate dir> <env>
 *
 * Installs the CLI's signal handling, takes the environment's lock through the operations layer,
 * prints "held", and waits; SIGINT/SIGTERM must release the lock before the process ends.
 */
import { readProjectSettings } from "../../adapters/fs/settings-reader.js";
import { openStores, withEnvironmentLocks } from "../../operations/stores.js";
import { releaseLocksOnSignals } from "../signals.js";

const [dir, envName] = process.argv.slice(2) as [string, string];
releaseLocksOnSignals();
const settings = readProjectSettings(dir);
const env = settings.environments.find((e) => e.name === envName)!;
const stores = await openStores(settings, [env]);
await withEnvironmentLocks(settings, stores, [env], { operation: "publish" }, async () => {
  process.stdout.write("held\n");
  // until a signal ends the process
  await new Promise(() => setInterval(() => {}, 60_000));
});
