/**
 * Secrets: canary SecureStrings, sensitive command outputs and sensitive Terraform outputs are
 * grepped for in everything Karma shows or keeps — the text and `--json` of every read command,
 * exports, run logs, the audit log and graph tables (the raw database file), and the SSM API's
 * answers without decryption. Zero hits is the only passing outcome.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { findTerraform } from "../adapters/runners/terraform/binary.js";
import { commandEstate, commitChanges } from "./estates.js";
import { type CliResult, printed, runKarmaAsync, startKarma, type Table, writeJson } from "./harness.js";

const SECTION = "secrets";

const TF_MODULE = `resource "terraform_data" "token" {
  input = var.nickname
}

variable "canary" {
  type      = string
  default   = ""
  sensitive = true
}

output "token" {
  value     = var.canary
  sensitive = true
}

output "name" {
  value = terraform_data.token.output
}
`;

/** The demo modules' declaration of the inputs Karma gives every module. */
const DEMO_VARIABLES = fileURLToPath(
  new URL("../../src/demo/estate/types/database/variables.tf", import.meta.url),
);

/**
 * Runner state keeps outputs, sensitive ones too, so a later `outputs` or drift check can read
 * them without redeploying: Terraform's tfstate, and the command runner's last-run.json beside it.
 * Those are state, not output; they are checked for being owner-only instead.
 */
function isRunnerState(name: string): boolean {
  return /\.tfstate(\.backup)?$/.test(name) || name === "last-run.json";
}

/** Every file under `dir` containing any canary, skipping Git and runner state. */
function filesWith(dir: string, canaries: readonly string[]): string[] {
  const hits: string[] = [];
  const walk = (at: string) => {
    for (const entry of fs.readdirSync(at, { withFileTypes: true })) {
      const full = path.join(at, entry.name);
      const rel = path.relative(dir, full);
      // .karma/state/ is Terraform's own (state and plans), which hold sensitive values by design
      if (
        entry.name === ".git" ||
        entry.name === ".terraform" ||
        isRunnerState(entry.name) ||
        rel.startsWith(".karma/state/")
      )
        continue;
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) {
        const bytes = fs.readFileSync(full);
        if (canaries.some((c) => bytes.includes(c))) hits.push(rel);
      }
    }
  };
  walk(dir);
  return hits;
}

export async function secretsSection(table: Table, options: { work: string }): Promise<void> {
  const canarySecure = `CANARY-SS-${crypto.randomBytes(8).toString("hex")}`;
  const canaryOutput = `CANARY-OUT-${crypto.randomBytes(8).toString("hex")}`;
  const canaryTerraform = `CANARY-TF-${crypto.randomBytes(8).toString("hex")}`;
  const canaries = [canarySecure, canaryOutput, canaryTerraform];
  const env = { TORTURE_CANARY: canaryOutput, TF_VAR_canary: canaryTerraform };

  // command components, one of which emits a sensitive output (the canary comes from the
  // environment, never from the config, which is intent and published in clear)
  const dir = commandEstate(path.join(options.work, "estate"), 4, (i) => (i === 1 ? { secret: true } : {}));
  const terraform = await findTerraform({ env: process.env }).catch(() => undefined);
  if (terraform) {
    const settings = JSON.parse(fs.readFileSync(path.join(dir, "karma.json"), "utf8")) as {
      types: Record<string, unknown>;
    };
    settings.types.vault = { runner: "terraform" };
    writeJson(path.join(dir, "karma.json"), settings);
    fs.mkdirSync(path.join(dir, "types/vault"), { recursive: true });
    fs.writeFileSync(path.join(dir, "types/vault/main.tf"), TF_MODULE);
    fs.copyFileSync(DEMO_VARIABLES, path.join(dir, "types/vault/variables.tf"));
    writeJson(path.join(dir, "iac/dev/vault/main/config.json"), { purpose: "torture" });
    commitChanges(dir, "a terraform component with a sensitive output");
  }
  table.record(
    SECTION,
    "sensitive Terraform output in the estate",
    terraform !== undefined,
    terraform ? "" : "no Terraform found (KARMA_TERRAFORM, tofu, terraform)",
  );

  const outputs: Array<{ channel: string; text: string }> = [];
  const run = async (args: string[], input?: string): Promise<CliResult> => {
    const result = await runKarmaAsync(["-C", dir, ...args], {
      env: { ...env, KARMA_TERRAFORM: terraform?.path ?? "" },
      input,
      timeoutMs: 300_000,
    });
    outputs.push({ channel: `karma ${args.join(" ")}`, text: result.stdout + result.stderr });
    return result;
  };
  const writes: Array<[string[], string?]> = [
    [
      [
        "param",
        "put",
        "/iac/secrets/db-password",
        "--type",
        "SecureString",
        "--value-file",
        "-",
        "--env",
        "dev",
      ],
      canarySecure,
    ],
    [["publish"]],
    [["apply", "--auto-approve", "--json"]],
    [["graph", "build"]],
  ];
  for (const [args, input] of writes) {
    const result = await run(args, input);
    if (result.code !== 0)
      throw new Error(
        `secrets setup: karma ${args.join(" ")} exited ${result.code}: ${result.stderr.trim().split("\n")[0]}`,
      );
  }
  const vault = terraform ? ["vault", "main"] : ["step", "s001"];
  const exportFile = (format: string) => path.join(dir, `export.${format}`);
  const reads: string[][] = [
    ["status"],
    ["status", "--json"],
    ["plan"],
    ["plan", "--format", "json"],
    ["validate"],
    ["drift"],
    ["drift", "--json"],
    ["outputs", ...vault],
    ["outputs", ...vault, "--json"],
    ["outputs", "step", "s001", "--json"],
    ["graph", "show", "step/s001"],
    ["graph", "show", "step/s001", "--json"],
    ["graph", "deps", "step/s003", "--json"],
    ["graph", "impact", "step/s000", "--json"],
    ["graph", "findings", "--json"],
    ...["json", "dot", "mermaid", "graphml"].map((f) => ["graph", "export", "--format", f]),
    ...["json", "dot", "mermaid", "graphml"].map((f) => [
      "graph",
      "export",
      "--format",
      f,
      "-o",
      exportFile(f),
    ]),
    ["log", "list", "--limit", "0"],
    ["log", "list", "--limit", "0", "--json"],
    ["log", "grep", "."],
    ["log", "diff", "--before", "1d"],
    ["log", "diff", "--before", "1d", "--json"],
    ["param", "get", "/iac/secrets/db-password", "--env", "dev"],
    ["param", "get", "/iac/secrets/db-password", "--env", "dev", "--json"],
    ["param", "ls", "/iac", "-r", "--env", "dev"],
    ["param", "ls", "/iac", "-r", "--env", "dev", "--json"],
    ["param", "get", `/iac/${vault.join("/")}/runtime`, "--env", "dev", "--json"],
    ["param", "get", "/iac/step/s001/runtime", "--env", "dev", "--json"],
    ["lock", "status", "--json"],
  ];
  for (const args of reads) await run(args);
  for (const { channel, text } of outputs) {
    await table.trial(SECTION, "CLI text and --json", async () =>
      canaries.some((c) => text.includes(c)) ? `${channel} printed a canary` : undefined,
    );
  }

  await table.trial(
    SECTION,
    "files: exports, run logs, audit log and graph tables (raw karma.db)",
    async () => {
      const hits = filesWith(dir, canaries);
      return hits.length ? `canary in ${hits.join(", ")}` : undefined;
    },
  );
  // runner state holds outputs, sensitive ones too: owner-only, whatever mode the tool chose
  const readableByOthers = (match: (name: string) => boolean): string[] => {
    const open: string[] = [];
    const walk = (at: string) => {
      for (const entry of fs.readdirSync(at, { withFileTypes: true })) {
        const full = path.join(at, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (entry.isFile() && match(entry.name) && (fs.statSync(full).mode & 0o077) !== 0)
          open.push(path.relative(dir, full));
      }
    };
    walk(path.join(dir, ".karma"));
    return open;
  };
  await table.trial(SECTION, "command runner state holding sensitive outputs is owner-only", async () => {
    const open = readableByOthers((name) => name === "last-run.json");
    return open.length ? `readable by others: ${open.join(", ")}` : undefined;
  });
  await table.trial(SECTION, "Terraform state holding sensitive outputs is owner-only", async () => {
    const open = readableByOthers((name) => /\.tfstate(\.backup)?$/.test(name));
    return open.length ? `readable by others: ${open.join(", ")}` : undefined;
  });

  // the SSM API without decryption
  const serve = startKarma(["-C", dir, "serve", "--port", "0"], { timeoutMs: 10 * 60_000 });
  let url = "";
  serve.child.stdout!.on("data", (d: Buffer) => {
    url ||= /SSM API at (http:\/\/[^\s]+)/.exec(d.toString())?.[1] ?? "";
  });
  try {
    await printed(serve, "SSM API at");
    const calls: Array<[string, unknown]> = [
      ["GetParameter", { Name: "/iac/secrets/db-password" }],
      [
        "GetParameters",
        { Names: ["/iac/secrets/db-password", `/iac/${vault.join("/")}/runtime`, "/iac/step/s001/runtime"] },
      ],
      ["GetParametersByPath", { Path: "/iac", Recursive: true, MaxResults: 10 }],
      ["GetParameterHistory", { Name: "/iac/secrets/db-password" }],
      ["GetParameterHistory", { Name: "/iac/step/s001/runtime" }],
      ["DescribeParameters", {}],
    ];
    for (const [operation, body] of calls) {
      await table.trial(SECTION, "SSM API answers without decryption", async () => {
        const response = await fetch(url, {
          method: "POST",
          headers: {
            "content-type": "application/x-amz-json-1.1",
            "x-amz-target": `AmazonSSM.${operation}`,
            authorization:
              "AWS4-HMAC-SHA256 Credential=dev/20260101/us-east-1/ssm/aws4_request, SignedHeaders=host, Signature=0",
          },
          body: JSON.stringify(body),
        });
        const text = await response.text();
        if (response.status !== 200) return `${operation}: HTTP ${response.status} ${text.slice(0, 120)}`;
        return canaries.some((c) => text.includes(c)) ? `${operation} answered a canary` : undefined;
      });
    }
  } finally {
    serve.child.kill("SIGTERM");
    const stopped = await serve.done;
    await table.trial(SECTION, "karma serve's own output", async () =>
      canaries.some((c) => (stopped.stdout + stopped.stderr).includes(c))
        ? "karma serve printed a canary"
        : undefined,
    );
  }
}
