/**
 * `karma types contract <type> --from-terraform [--write] [--force]`: drafts an output contract
 * from the type's module for a human to review (printed; written with --write).
 */
import type { Command } from "commander";
import { draftTerraformContract, writeDraftedContract } from "../../operations/contracts.js";
import { withSessionFrom } from "../context.js";
import { printJson, style } from "../output.js";

export function register(program: Command): void {
  const types = program.command("types").description("component types: output contracts");
  types
    .command("contract")
    .description("draft a type's output contract (types/<type>/outputs.schema.json) for review")
    .argument("<type>", "component type")
    .requiredOption(
      "--from-terraform",
      "from the output blocks (and sensitive flags) of the type's Terraform module",
    )
    .option("--write", "write the draft to the contract file (refuses to overwrite one without --force)")
    .option("--force", "with --write: replace an existing contract")
    .option("--json", "machine-readable output")
    .action(
      async (type: string, opts: { write?: boolean; force?: boolean; json?: boolean }, cmd: Command) => {
        const draft = await withSessionFrom(cmd, async (session) => {
          const drafted = await draftTerraformContract(session, await session.estate.load(), type);
          if (opts.write) writeDraftedContract(session, drafted, opts.force === true);
          return drafted;
        });
        if (opts.json) {
          printJson({ type, file: draft.file, written: opts.write === true, contract: draft.contract });
          return;
        }
        if (opts.write)
          process.stdout.write(`${style.green("wrote")} ${draft.file}: review it, then commit it\n`);
        else
          process.stdout.write(
            `${JSON.stringify(draft.contract, null, 2)}\n${style.dim(`# review, then save as ${draft.file} (or pass --write)`)}\n`,
          );
      },
    );
}
