import type { Command } from "commander";
import { componentOutputs } from "../../operations/provision.js";
import { withSessionFrom } from "../context.js";
import { formatTable, printJson } from "../output.js";
import { envOption, redactedOutputs, targetOf } from "./provision-output.js";

export function register(program: Command): void {
  program
    .command("outputs")
    .description("show a deployed component's outputs (sensitive values are never shown)")
    .argument("<type>", "component type")
    .argument("<nickname>", "component nickname")
    .option(...envOption)
    .option("--json", "machine-readable output")
    .action(async (type: string, nickname: string, opts: { env?: string; json?: boolean }, cmd: Command) => {
      const outcome = await withSessionFrom(cmd, async (session) =>
        componentOutputs(session, await session.estate.load(), targetOf(type, nickname, opts.env)),
      );
      const shown = redactedOutputs(outcome.outputs);
      if (opts.json) {
        printJson({
          component: outcome.component,
          outputs: shown,
          sensitiveKeys: outcome.outputs.sensitiveKeys,
          runtimeVersion: outcome.runtimeVersion ?? null,
        });
        return;
      }
      const keys = Object.keys(shown).sort();
      if (keys.length === 0) {
        process.stdout.write(`${outcome.component} has no outputs (not deployed?)\n`);
        return;
      }
      process.stdout.write(
        `${formatTable(
          ["OUTPUT", "VALUE"],
          keys.map((k) => [
            k,
            typeof shown[k] === "string" ? (shown[k] as string) : JSON.stringify(shown[k]),
          ]),
        )}\n`,
      );
      if (outcome.runtimeVersion !== undefined)
        process.stdout.write(`runtime v${outcome.runtimeVersion} in the store\n`);
    });
}
