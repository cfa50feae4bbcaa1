/**
 * The only place that exits the process. Commands return data or throw; this file turns
 * `UserError`s into a clear message and exit code, and anything else into an internal error.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Command, CommanderError } from "commander";
import { formatProblem, UserError, ValidationFailedError } from "../core/errors.js";
import { ParameterStoreError } from "../ports/parameter-store.js";
import { registerCommands } from "./commands/index.js";
import { ExitCode } from "./output.js";
import { releaseLocksOnSignals } from "./signals.js";

/** The installed package's version, from its package.json (two levels above dist/cli and src/cli). */
function packageVersion(): string {
  const file = fileURLToPath(new URL("../../package.json", import.meta.url));
  return (JSON.parse(readFileSync(file, "utf8")) as { version: string }).version;
}

export async function main(rawArgv: readonly string[]): Promise<number> {
  // `--version` is Karma's version only as the first word: subcommands have a `--version <n>` of
  // their own (`param label NAME LABEL --version 2`), which a program-wide flag would swallow.
  const argv = rawArgv[2] === "--version" ? [...rawArgv.slice(0, 2), "-V", ...rawArgv.slice(3)] : rawArgv;
  const program = new Command("karma")
    .description("Components as JSON in Git, published to a parameter store, deployed, tracked as a graph.")
    .option(
      "-C, --dir <path>",
      "estate directory (default: walk up from the current directory to karma.json)",
    )
    .version(packageVersion(), "-V", "print Karma's version (or --version as the first word)")
    .showHelpAfterError()
    .exitOverride();
  await registerCommands(program, argv.slice(2));
  try {
    await program.parseAsync(argv as string[], { from: "node" });
    return process.exitCode === undefined ? ExitCode.ok : Number(process.exitCode);
  } catch (error) {
    // a SQLite failure of the file or the disk (corrupt, not a database, full), wrapped or not, as a
    // user error; that module (and better-sqlite3) loads only when a command failed, not for -V or --help
    if (error instanceof CommanderError) return reportError(error);
    const { databaseFailure } = await import("../adapters/sqlite/failures.js");
    return reportError(databaseFailure(error) ?? error);
  }
}

/** Prints `error` as the user should see it (a SQLite file or disk failure already made a user error). */
async function reportError(error: unknown): Promise<number> {
  if (error instanceof CommanderError) {
    // commander already printed usage or help
    return error.exitCode === 0 ? ExitCode.ok : ExitCode.error;
  }
  if (error instanceof ValidationFailedError) {
    for (const p of error.problems) process.stderr.write(`${formatProblem(p)}\n`);
    process.stderr.write(`karma: ${error.message}\n`);
    return error.exitCode;
  }
  if (error instanceof ParameterStoreError) {
    // the store refused a request: the user's input or the store's state, not a Karma bug
    process.stderr.write(`karma: ${error.name}: ${error.message}\n`);
    return ExitCode.error;
  }
  if (error instanceof UserError) {
    process.stderr.write(`karma: ${error.message}\n`);
    if (error.fix) process.stderr.write(`  fix: ${error.fix}\n`);
    return error.exitCode;
  }
  // frames point into the bundle: name the TypeScript source instead (loaded only now)
  const { sourceMappedStack } = await import("./source-mapped-stack.js");
  const details = error instanceof Error && error.stack ? sourceMappedStack(error.stack) : String(error);
  process.stderr.write(`karma: internal error (please report it):\n${details}\n`);
  return ExitCode.error;
}

// `karma … | head` closes our stdout early: that is the reader's choice, not an error
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw error;
});

releaseLocksOnSignals();
process.exitCode = await main(process.argv);
