/**
 * `karma promote <type> <nickname>` and `karma rollback <type> <nickname>`: move the `live` label
 * of a blue-green component's runtime, then show (or with --apply, carry out) the consumers'
 * redeploy through the normal planner and executor.
 */
import type { Command } from "commander";
import { applyEstate } from "../../operations/apply.js";
import { type BlueGreenStatus, bluegreenStatus, moveLive } from "../../operations/promote.js";
import { withSessionFrom } from "../context.js";
import { ExitCode, printJson, style } from "../output.js";
import { envOption, runHooks, targetOf, withInterrupt } from "./provision-output.js";

/** Both versions and which consumers took which, one block of text. */
export function describeBlueGreen(b: BlueGreenStatus): string {
  const lines = [
    `${b.component}: live v${b.live}${b.slots.live ? ` (slot ${b.slots.live})` : ""}` +
      (b.candidate !== undefined && b.candidate !== b.live
        ? `, candidate v${b.candidate}${b.slots.candidate ? ` (slot ${b.slots.candidate})` : ""}`
        : ", no pending candidate") +
      (b.previous !== undefined ? `, previous v${b.previous}` : ""),
  ];
  for (const c of b.consumers)
    lines.push(
      `  ${c.id}: ${c.consumedVersion === undefined ? "not deployed" : `took v${c.consumedVersion} (${c.took})`}`,
    );
  return lines.join("\n");
}

function register1(program: Command, action: "promote" | "rollback", description: string): void {
  program
    .command(action)
    .description(description)
    .argument("<type>", "component type")
    .argument("<nickname>", "component nickname")
    .option(...envOption)
    .option("--apply", "then redeploy the consumers whose input changed (karma apply on them)")
    .option("--json", "machine-readable output")
    .action(
      async (
        type: string,
        nickname: string,
        opts: { env?: string; apply?: boolean; json?: boolean },
        cmd: Command,
      ) => {
        const { moved, applied, after } = await withSessionFrom(cmd, async (session) => {
          const estate = await session.estate.load();
          const target = targetOf(type, nickname, opts.env);
          const moved = await withInterrupt((signal) =>
            moveLive(session, estate, target, action, runHooks(signal, opts.json)),
          );
          const consumers = moved.consumers.map((c) => c.id);
          if (!opts.apply || consumers.length === 0) return { moved, applied: undefined, after: moved };
          const applied = await withInterrupt((signal) =>
            applyEstate(session, estate, { selector: consumers.join(","), ...runHooks(signal, opts.json) }),
          );
          return { moved, applied, after: await bluegreenStatus(session, estate, target) };
        });
        const consumers = moved.consumers.map((c) => c.id);
        if (opts.json) {
          printJson({
            ...moved,
            ...after,
            applied: applied ? { summary: applied.summary, results: applied.results } : null,
          });
        } else {
          process.stdout.write(
            `${style.green(action === "promote" ? "promoted" : "rolled back")} ${moved.component}: live v${moved.liveBefore} → v${moved.live}\n`,
          );
          process.stdout.write(`${describeBlueGreen(after)}\n`);
          if (applied)
            process.stdout.write(
              `consumers: ${applied.results.map((r) => `${r.id} ${r.status}${r.reason ? ` (${r.reason})` : ""}`).join("; ") || "nothing to redeploy"}\n`,
            );
          else if (consumers.length > 0)
            process.stdout.write(
              `next: karma plan '${consumers.join(",")}' shows their redeploy; karma apply '${consumers.join(",")}' carries it out (or rerun with --apply)\n`,
            );
        }
        if (applied && applied.summary.failed > 0) process.exitCode = ExitCode.error;
      },
    );
}

export function register(program: Command): void {
  register1(
    program,
    "promote",
    "blue-green: make a component's candidate runtime the live one its consumers read",
  );
  register1(
    program,
    "rollback",
    "blue-green: drop a pending candidate, or make the previous live runtime live again",
  );
}
