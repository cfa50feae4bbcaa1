/**
 * Ctrl-C and SIGTERM never leave an environment locked. Commands that can stop cleanly (apply,
 * deploy, destroy: they interrupt their tool, audit the outcome and release their locks on the
 * way out) listen for these signals themselves; every other command (publish, graph build…) is
 * stopped here, after releasing the locks it holds. Its writes are atomic batches, so stopping
 * between two of them loses nothing that was acknowledged.
 */
import { releaseHeldLocks } from "../adapters/lock/lease-lock.js";

const EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;

export function releaseLocksOnSignals(): void {
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      // another listener (withInterrupt, karma serve) owns this stop
      if (process.listenerCount(signal) > 1) return;
      const exit = () => process.exit(EXIT_CODES[signal]);
      releaseHeldLocks().then((released) => {
        for (const holder of released)
          process.stderr.write(
            `karma: ${signal}: stopped "${holder.operation}" and released the lock of environment "${holder.env}"\n`,
          );
        exit();
      }, exit);
    });
  }
}
