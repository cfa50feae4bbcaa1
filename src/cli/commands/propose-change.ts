/**
 * `karma propose-change <type> <nickname> --input patch.json`: a change request for one
 * component's config (JSON Merge Patch, RFC 7396), validated, planned, judged by the policies and
 * audited; with `--apply` written to config.json (optionally committed), published and deployed.
 */
import type { Command } from "commander";
import { UserError } from "../../core/errors.js";
import type { JsonValue } from "../../core/estate/model.js";
import { type ChangeRequestResult, proposeChange } from "../../operations/propose-change.js";
import { withSessionFrom } from "../context.js";
import { ExitCode, printJson } from "../output.js";
import { readInputText } from "../read-input.js";
import { envOption, progressPrinter, withInterrupt } from "./provision-output.js";

interface ProposeOptions {
  input: string;
  env?: string;
  requestedBy?: string;
  apply?: boolean;
  commit?: boolean;
  approve?: boolean;
  json?: boolean;
}

function readPatch(input: string): JsonValue {
  const text = readInputText(
    input,
    "patch",
    "pass --input <file.json> (or - for stdin) holding a JSON merge patch of the config",
  );
  try {
    return JSON.parse(text) as JsonValue;
  } catch (error) {
    throw new UserError(
      `the patch ${input} is not valid JSON: ${(error as Error).message}`,
      'write a JSON merge patch (RFC 7396), e.g. {"replicas": 3, "old_key": null}',
    );
  }
}

function printResult(r: ChangeRequestResult): void {
  const lines = [
    `change request for ${r.component}: ${r.status} (log entry ${r.log_entry_id})`,
    `changed keys: ${[...r.changed_keys.changed.map((k) => `~${k}`), ...r.changed_keys.added.map((k) => `+${k}`), ...r.changed_keys.removed.map((k) => `-${k}`)].join(", ") || "none"}`,
  ];
  const edges = [
    ...r.graph_patch.added.map((e) => `+${e.kind} ${e.to} (${e.pointer})`),
    ...r.graph_patch.removed.map((e) => `-${e.kind} ${e.to} (${e.pointer})`),
  ];
  if (edges.length) lines.push(`graph patch: ${edges.join(", ")}`);
  lines.push(`affected: ${r.affected_components.join(", ") || "none"}`);
  r.waves.forEach((wave, i) => {
    lines.push(`  wave ${i + 1}: ${wave.join(", ")}`);
  });
  for (const w of r.warnings) lines.push(`warning: ${w}`);
  for (const e of r.errors) lines.push(`error: ${e}`);
  if (r.applied) {
    lines.push(
      `wrote ${r.applied.file}${r.applied.commit ? ` (commit ${r.applied.commit.slice(0, 12)})` : ""}`,
    );
    lines.push(`published: ${r.applied.published.join(", ") || "nothing"}`);
    for (const d of r.applied.deploys)
      lines.push(`  ${d.component}: ${d.status}${d.reason ? ` — ${d.reason}` : ""}`);
  }
  process.stdout.write(`${lines.join("\n")}\n`);
}

export function register(program: Command): void {
  program
    .command("propose-change")
    .description(
      "propose a change to a component's config (JSON merge patch): validate, plan, check policies, audit; --apply carries it out",
    )
    .argument("<type>", "component type")
    .argument("<nickname>", "component nickname")
    .requiredOption("--input <file>", "JSON merge patch (RFC 7396) of the config; - reads stdin")
    .option(...envOption)
    .option("--requested-by <name>", "who asks (recorded in the audit log; default KARMA_ACTOR or user@host)")
    .option("--apply", "write config.json, publish and deploy the affected components")
    .option("--commit", "with --apply: git commit the config file with a generated message")
    .option("--approve", "approvable policies (protected components, blast radius) pass")
    .option("--json", "machine-readable output")
    .action(async (type: string, nickname: string, opts: ProposeOptions, cmd: Command) => {
      if (opts.commit && !opts.apply)
        throw new UserError("--commit needs --apply", "add --apply, or drop --commit");
      const patch = readPatch(opts.input);
      const onProgress = opts.json ? undefined : progressPrinter();
      const result = await withInterrupt((signal) =>
        withSessionFrom(cmd, (session) =>
          proposeChange(
            session,
            {
              component: opts.env ? `${opts.env}:${type}/${nickname}` : `${type}/${nickname}`,
              ...(opts.env ? { env: opts.env } : {}),
              patch,
              ...(opts.requestedBy ? { requestedBy: opts.requestedBy } : {}),
              apply: opts.apply === true,
              commit: opts.commit === true,
              approve: opts.approve === true,
            },
            { signal, ...(onProgress ? { onProgress } : {}) },
          ),
        ),
      );
      if (opts.json) printJson(result);
      else printResult(result);
      if (result.status === "rejected" || result.status === "failed") process.exitCode = ExitCode.error;
    });
}
