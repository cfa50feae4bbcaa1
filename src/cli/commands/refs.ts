/** `karma refs adopt [selector]`: pasted copies of producer values become `$ref`s. */
import type { Command } from "commander";
import { adoptRefs } from "../../operations/refs-adopt.js";
import { withSessionFrom } from "../context.js";
import { printJson, style } from "../output.js";

export function register(program: Command): void {
  const refs = program.command("refs").description("references between components");
  refs
    .command("adopt")
    .description(
      "rewrite pasted copies of producer values (inferred edges) into $refs, keeping each file's formatting",
    )
    .argument("[selector]", "which consumers (default: all)")
    .option("--dry-run", "say what would change; write nothing")
    .option("--json", "machine-readable output")
    .action(
      async (selector: string | undefined, opts: { dryRun?: boolean; json?: boolean }, cmd: Command) => {
        const result = await withSessionFrom(cmd.parent ?? cmd, async (session) =>
          adoptRefs(session, await session.estate.load(), {
            ...(selector !== undefined ? { selector } : {}),
            ...(opts.dryRun ? { dryRun: true } : {}),
          }),
        );
        if (opts.json) {
          printJson(result);
          return;
        }
        const out = process.stdout;
        if (result.adopted.length === 0 && result.skipped.length === 0) out.write("no pasted copies found\n");
        for (const a of result.adopted)
          out.write(
            `${result.written ? "adopted" : "would adopt"} ${a.id} ${a.pointer} → {"$ref": "${a.ref}"} (${a.file})\n`,
          );
        for (const s of result.skipped)
          out.write(`${style.yellow("left alone")} ${s.id} ${s.pointer}: ${s.reason}\n`);
        if (result.written && result.adopted.length)
          out.write(style.dim("publish and deploy them (karma apply) to make the references take effect\n"));
      },
    );
}
