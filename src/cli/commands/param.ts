/**
 * `karma param get|put|ls|history|label|rm` — direct access to an environment's parameter store,
 * shaped like the AWS CLI's `ssm` verbs. SecureString values print as `(secure)` unless
 * `--decrypt` is given, in human and JSON output alike. Store errors surface with SSM's names
 * (`karma: ParameterNotFound: …`) through `cli/main.ts`.
 */
import fs from "node:fs";
import { type Command, InvalidArgumentError, Option } from "commander";
import { UserError } from "../../core/errors.js";
import type { EnvironmentSettings } from "../../core/estate/model.js";
import { deleteParameters, labelParameter, putParameter } from "../../operations/parameters.js";
import type { Session } from "../../operations/session.js";
import {
  allPages,
  type Parameter,
  type ParameterHistoryEntry,
  type ParameterStore,
  type ParameterTier,
  type ParameterType,
  type PutParameterInput,
} from "../../ports/parameter-store.js";
import { selectEnvironment, withSessionFrom } from "../context.js";
import { ExitCode, formatTable, printJson, style } from "../output.js";

/** What is shown instead of a SecureString value unless `--decrypt` is given. */
export const SECURE_PLACEHOLDER = "(secure)";

const TYPES: ParameterType[] = ["String", "StringList", "SecureString"];
const TIERS: ParameterTier[] = ["Standard", "Advanced", "Intelligent-Tiering"];
/** Batch limit of GetParametersByPath. */
const PAGE = 10;
const VALUE_COLUMN_WIDTH = 60;

interface EnvOption {
  env?: string;
}

/** Runs `fn` with a session and the environment picked by `--env` (default: the only one). */
function withEnv<T>(
  cmd: Command,
  fn: (session: Session, env: EnvironmentSettings) => Promise<T>,
): Promise<T> {
  return withSessionFrom(cmd, (session) =>
    fn(session, selectEnvironment(session.settings, cmd.opts<EnvOption>().env)),
  );
}

/** Runs `fn` with the store of the environment picked by `--env` (default: the only one). */
function withStore<T>(cmd: Command, fn: (store: ParameterStore) => Promise<T>): Promise<T> {
  return withEnv(cmd, async (session, env) => fn(await session.store(env.name)));
}

function shown(parameter: { type: ParameterType; value: string }, decrypt: boolean): string {
  return parameter.type === "SecureString" && !decrypt ? SECURE_PLACEHOLDER : parameter.value;
}

function parameterDocument(p: Parameter, decrypt: boolean) {
  return {
    name: p.name,
    type: p.type,
    value: shown(p, decrypt),
    version: p.version,
    ...(p.selector ? { selector: p.selector } : {}),
    lastModifiedDate: p.lastModifiedDate.toISOString(),
    dataType: p.dataType,
    arn: p.arn,
  };
}

function historyDocument(h: ParameterHistoryEntry, decrypt: boolean) {
  return {
    version: h.version,
    type: h.type,
    value: shown(h, decrypt),
    labels: h.labels,
    lastModifiedDate: h.lastModifiedDate.toISOString(),
    lastModifiedUser: h.lastModifiedUser,
    ...(h.description !== undefined ? { description: h.description } : {}),
    tier: h.tier,
  };
}

/** One line, at most `width` characters, for tables. */
function cell(text: string, width = VALUE_COLUMN_WIDTH): string {
  const line = text.replace(/\s+/g, " ");
  return line.length > width ? `${line.slice(0, width - 1)}…` : line;
}

/**
 * `param label NAME [VERSION] LABEL…`: a leading whole number is the version (a label cannot start
 * with a digit, so nothing is ambiguous), like `--version`; both at once must agree.
 */
export function labelArguments(
  words: readonly string[],
  flagVersion: number | undefined,
): { version?: number; labels: string[] } {
  const [first, ...rest] = words;
  if (first === undefined || !/^\d+$/.test(first))
    return { labels: [...words], ...(flagVersion !== undefined ? { version: flagVersion } : {}) };
  const version = positiveInt(first);
  if (flagVersion !== undefined && flagVersion !== version)
    throw new UserError(
      `two versions to label: ${version} and --version ${flagVersion}`,
      "give the version once, e.g. `karma param label NAME 2 stable`",
    );
  if (rest.length === 0)
    throw new UserError(
      `no label to attach to version ${version}`,
      `name one or more labels after the version, e.g. \`karma param label NAME ${version} stable\``,
    );
  return { version, labels: rest };
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("expected a positive integer");
  return n;
}

function envOption(): Option {
  return new Option("--env <name>", "environment whose store to use (default: the only one)");
}

export function register(program: Command): void {
  const param = program
    .command("param")
    .description("read and write the parameter store directly (like `aws ssm`)");

  param
    .command("get")
    .description("show one parameter; NAME may carry a selector, NAME:3 or NAME:label")
    .argument("<name>", "parameter name, optionally with :version or :label")
    .option("--decrypt", "show SecureString values in clear")
    .option("--json", "machine-readable output")
    .addOption(envOption())
    .action(async (name: string, opts: { decrypt?: boolean; json?: boolean }, cmd: Command) => {
      const decrypt = opts.decrypt === true;
      const p = await withStore(cmd, (store) => store.getParameter(name, { withDecryption: decrypt }));
      if (opts.json) printJson({ parameter: parameterDocument(p, decrypt) });
      else process.stdout.write(`${shown(p, decrypt)}\n`);
    });

  param
    .command("put")
    .description("create a parameter, or a new version of one with --overwrite")
    .argument("<name>", "parameter name")
    .argument("[value]", "the value (prefer --value-file for secrets: argv is visible to other users)")
    .addOption(new Option("--type <type>", "parameter type (required to create)").choices(TYPES))
    .option("--overwrite", "write a new version of an existing parameter")
    .option("--description <text>", "description of this version")
    .addOption(new Option("--tier <tier>", "value size tier").choices(TIERS))
    .option("--value-file <file>", "read the value from a file, verbatim ('-' for stdin)")
    .option("--allowed-pattern <regex>", "regular expression the value must match")
    .option("--json", "machine-readable output")
    .addOption(envOption())
    .action(
      async (
        name: string,
        value: string | undefined,
        opts: {
          type?: ParameterType;
          overwrite?: boolean;
          description?: string;
          tier?: ParameterTier;
          valueFile?: string;
          allowedPattern?: string;
          json?: boolean;
        },
        cmd: Command,
      ) => {
        const input: PutParameterInput = {
          name,
          value: readValue(value, opts.valueFile),
          overwrite: opts.overwrite === true,
        };
        if (opts.type) input.type = opts.type;
        if (opts.description !== undefined) input.description = opts.description;
        if (opts.tier) input.tier = opts.tier;
        if (opts.allowedPattern !== undefined) input.allowedPattern = opts.allowedPattern;
        const result = await withEnv(cmd, (session, env) => putParameter(session, env.name, input));
        if (opts.json) printJson({ name, version: result.version, tier: result.tier });
        else process.stdout.write(`${name}: version ${result.version} (${result.tier})\n`);
      },
    );

  param
    .command("ls")
    .description("list parameters under a path (default: the environment's prefix)")
    .argument("[path]", "hierarchy path, e.g. /iac/vpc")
    .option("-r, --recursive", "include every level below the path")
    .option("--decrypt", "show SecureString values in clear")
    .option("--json", "machine-readable output")
    .addOption(envOption())
    .action(
      async (
        path: string | undefined,
        opts: { recursive?: boolean; decrypt?: boolean; json?: boolean } & EnvOption,
        cmd: Command,
      ) => {
        const decrypt = opts.decrypt === true;
        const { at, parameters } = await withEnv(cmd, async (session, env) => {
          const at = path ?? env.prefix;
          const store = await session.store(env.name);
          const all = await allPages((nextToken) =>
            store.getParametersByPath({
              path: at,
              recursive: opts.recursive === true,
              withDecryption: decrypt,
              maxResults: PAGE,
              ...(nextToken ? { nextToken } : {}),
            }),
          );
          return { at, parameters: all.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)) };
        });
        if (opts.json) {
          printJson({ path: at, parameters: parameters.map((p) => parameterDocument(p, decrypt)) });
          return;
        }
        if (parameters.length === 0) {
          process.stdout.write(
            `no parameters under ${at}${opts.recursive ? "" : " (one level; --recursive for all)"}\n`,
          );
          return;
        }
        const rows = parameters.map((p) => [
          p.name,
          p.type,
          String(p.version),
          p.lastModifiedDate.toISOString(),
          cell(shown(p, decrypt)),
        ]);
        process.stdout.write(`${formatTable(["NAME", "TYPE", "VERSION", "MODIFIED", "VALUE"], rows)}\n`);
      },
    );

  param
    .command("history")
    .description("every kept version of a parameter, oldest first, with labels")
    .argument("<name>", "parameter name")
    .option("--decrypt", "show SecureString values in clear")
    .option("--json", "machine-readable output")
    .addOption(envOption())
    .action(async (name: string, opts: { decrypt?: boolean; json?: boolean }, cmd: Command) => {
      const decrypt = opts.decrypt === true;
      const entries = await withStore(cmd, async (store) => {
        const all = await allPages((nextToken) =>
          store.getParameterHistory({
            name,
            withDecryption: decrypt,
            ...(nextToken ? { nextToken } : {}),
          }),
        );
        return all.sort((a, b) => a.version - b.version);
      });
      if (opts.json) {
        printJson({ name, versions: entries.map((h) => historyDocument(h, decrypt)) });
        return;
      }
      const rows = entries.map((h) => [
        String(h.version),
        h.labels.join(","),
        h.lastModifiedDate.toISOString(),
        cell(h.description ?? "", 40),
        cell(shown(h, decrypt)),
      ]);
      process.stdout.write(
        `${formatTable(["VERSION", "LABELS", "MODIFIED", "DESCRIPTION", "VALUE"], rows)}\n`,
      );
    });

  param
    .command("label")
    .description("attach labels to a version (default: the latest); a label moves from any other version")
    .argument("<name>", "parameter name")
    .argument(
      "<[version] labels...>",
      "labels to attach (at most 10 per version), after the version to label: `NAME 2 stable` (default: the latest)",
    )
    .option("--version <n>", "version to label (same as the positional version)", positiveInt)
    .option("--json", "machine-readable output")
    .addOption(envOption())
    .action(
      async (name: string, words: string[], opts: { version?: number; json?: boolean }, cmd: Command) => {
        const { version, labels } = labelArguments(words, opts.version);
        const result = await withEnv(cmd, (session, env) =>
          labelParameter(session, env.name, {
            name,
            labels,
            ...(version !== undefined ? { version } : {}),
          }),
        );
        const attached = labels.filter((l) => !result.invalidLabels.includes(l));
        if (opts.json) {
          printJson({
            name,
            version: result.parameterVersion,
            labels: attached,
            invalidLabels: result.invalidLabels,
          });
        } else if (attached.length) {
          process.stdout.write(
            `${name}: version ${result.parameterVersion} labelled ${attached.join(", ")}\n`,
          );
        }
        if (result.invalidLabels.length) {
          process.stderr.write(
            `${style.red("invalid labels")} (not attached): ${result.invalidLabels.join(", ")}\n` +
              `  fix: labels use letters, digits, ".", "-", "_", at most 100 characters, and must not start with a digit, "aws" or "ssm"\n`,
          );
          process.exitCode = ExitCode.error;
        }
      },
    );

  param
    .command("rm")
    .description("delete parameters with all their versions")
    .argument("<names...>", "parameter names")
    .option("--json", "machine-readable output")
    .addOption(envOption())
    .action(async (names: string[], opts: { json?: boolean }, cmd: Command) => {
      const { deletedParameters: deleted, invalidParameters: missing } = await withEnv(cmd, (session, env) =>
        deleteParameters(session, env.name, names),
      );
      if (opts.json) printJson({ deleted, notFound: missing });
      else for (const name of deleted) process.stdout.write(`deleted ${name}\n`);
      if (missing.length) {
        process.stderr.write(`karma: ParameterNotFound: ${missing.join(", ")}\n`);
        process.exitCode = ExitCode.error;
      }
    });
}

/** The value from the argument, or verbatim from `--value-file` (`-` = stdin); exactly one. */
function readValue(value: string | undefined, valueFile: string | undefined): string {
  if (value !== undefined && valueFile !== undefined) {
    throw new UserError("Give the value either as an argument or with --value-file, not both.");
  }
  if (valueFile === undefined) {
    if (value === undefined) {
      throw new UserError(
        "Missing value.",
        "karma param put <name> <value>, or --value-file <file> ('-' for stdin)",
      );
    }
    return value;
  }
  try {
    return fs.readFileSync(valueFile === "-" ? 0 : valueFile, "utf8");
  } catch (error) {
    throw new UserError(
      `Cannot read --value-file ${valueFile}: ${(error as Error).message}`,
      "Check the path and its permissions.",
      { cause: error },
    );
  }
}
