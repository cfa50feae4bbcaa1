/**
 * Every CLI command lives in its own file under this folder and exports `register(program)`.
 * Commands compute data with the core and adapters; printing stays in the command file (or a
 * `print*` helper beside it); only `cli/main.ts` exits.
 *
 * Modules load lazily: `karma status` imports only what status needs, not the AWS SDK, the HTTP
 * server or the Terraform plumbing. Add one line per top-level command, in help order.
 */
import type { Command } from "commander";

interface CommandModule {
  register(program: Command): void;
}

const commands: Record<string, () => Promise<CommandModule>> = {
  init: () => import("./init.js"),
  demo: () => import("./demo.js"),
  validate: () => import("./validate.js"),
  publish: () => import("./publish.js"),
  status: () => import("./status.js"),
  param: () => import("./param.js"),
  graph: () => import("./graph.js"),
  plan: () => import("./plan.js"),
  "propose-change": () => import("./propose-change.js"),
  apply: () => import("./apply.js"),
  refs: () => import("./refs.js"),
  deploy: () => import("./deploy.js"),
  promote: () => import("./promote.js"),
  rollback: () => import("./promote.js"),
  destroy: () => import("./destroy.js"),
  outputs: () => import("./outputs.js"),
  test: () => import("./test.js"),
  types: () => import("./types.js"),
  drift: () => import("./drift.js"),
  log: () => import("./log.js"),
  lock: () => import("./lock.js"),
  serve: () => import("./serve.js"),
  ui: () => import("./serve.js"),
};

/** The command named on the command line: the first argument that is not a global option. */
function commandName(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? "";
    if (arg === "-C" || arg === "--dir") i++;
    else if (!arg.startsWith("-")) return arg;
  }
  return undefined;
}

/** Registers the named command only, or every command (for help and "did you mean"). */
export async function registerCommands(program: Command, args: readonly string[]): Promise<void> {
  const name = commandName(args);
  const wanted = name !== undefined && Object.hasOwn(commands, name) ? [name] : Object.keys(commands);
  const modules = await Promise.all(wanted.map((n) => commands[n]!()));
  // one module may register several commands (promote and rollback): register it once
  for (const module of new Set(modules)) module.register(program);
}
