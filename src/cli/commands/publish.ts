import type { Command } from "commander";
import { type PublishResult, publishEstate } from "../../operations/publish.js";
import { withSessionFrom } from "../context.js";
import { lockTimeoutOption } from "../lock-timeout.js";
import { printJson, style } from "../output.js";

export function register(program: Command): void {
  program
    .command("publish")
    .description("publish changed component configs to each environment's parameter store")
    .argument("[selector]", "which components (default: all)")
    .option("--dry-run", "show what would be published; write nothing")
    .option("--prune", "delete published configs whose config.json is gone from Git")
    .addOption(lockTimeoutOption())
    .option("--json", "machine-readable output")
    .action(
      async (
        selector: string | undefined,
        opts: { dryRun?: boolean; prune?: boolean; lockTimeout?: number; json?: boolean },
        cmd: Command,
      ) => {
        const result = await withSessionFrom(cmd, async (session) =>
          publishEstate(session, await session.estate.load(), {
            selector,
            dryRun: opts.dryRun,
            prune: opts.prune,
            ...(opts.lockTimeout !== undefined ? { lockTimeout: opts.lockTimeout } : {}),
            onWarning: (m) => process.stderr.write(`karma: warning: ${m}\n`),
          }),
        );
        if (opts.json) printJson({ ...result, missing: result.missing.map((m) => m.id) });
        else printPublishResult(result);
      },
    );
}

export function printPublishResult(result: PublishResult): void {
  const verb = result.dryRun ? "would publish" : "published";
  for (const id of result.published) process.stdout.write(`${style.green("+")} ${id}\n`);
  const prunedVerb = result.dryRun ? "would delete" : "pruned";
  for (const m of result.missing) {
    const pruned = result.pruned.includes(m.id);
    process.stdout.write(
      `${style.yellow(pruned ? "-" : "?")} ${m.id}  ${pruned ? `${prunedVerb} ${m.name} v${m.version} (config.json is gone)` : `config.json is gone; ${m.name} v${m.version} kept (use --prune to delete)`}\n`,
    );
  }
  process.stdout.write(
    `${verb} ${result.published.length}, unchanged ${result.unchanged.length}, missing from Git ${result.missing.length}${result.pruned.length ? `, ${prunedVerb} ${result.pruned.length}` : ""}\n`,
  );
}
