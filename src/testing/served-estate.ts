/**
 * Test helpers for the HTTP API and the explorer: the demo estate (as `karma demo` writes and
 * deploys it) with canary secrets planted where secrets live — a SecureString config, a
 * SecureString runtime and a secret-looking key in a plain runtime — two more graph versions
 * after `karma demo`'s own (the last with a component added), a Terraform drift check's finding in
 * the audit log, a blue-green candidate, and Karma's server on a free port, as `karma serve`
 * mounts it.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { openAuditLog } from "../adapters/audit/factory.js";
import { readProjectSettings } from "../adapters/fs/settings-reader.js";
import { openSession } from "../adapters/session/open-session.js";
import { driftCheckEntry } from "../core/drift/resource-checks.js";
import type { ProjectSettings } from "../core/estate/model.js";
import { git, KARMA_BIN, runKarma, tempDir, writeFiles } from "./cli.js";

export const CANARIES = {
  secureConfig: "CANARY-secure-config-7f3a9c",
  secureRuntime: "CANARY-secure-runtime-51d0e2",
  plainRuntimeSecretKey: "CANARY-plain-password-c4b8aa",
} as const;

/** A component whose last Terraform drift check (planted in the audit log) found a change. */
export const PLANTED_DRIFT = "dev:s3-bucket/assets";

/** The audit entry `karma drift --terraform` records when a check finds a change. */
async function plantDriftCheck(settings: ProjectSettings): Promise<void> {
  const log = openAuditLog(settings);
  try {
    await log.append({
      ...driftCheckEntry({ id: PLANTED_DRIFT, drift: true, counts: { add: 0, change: 1, destroy: 0 } }),
      actor: "test@karma",
      source: "cli",
    });
  } finally {
    await log.close();
  }
}

function karmaOk(args: string[], cwd?: string): string {
  const run = runKarma(args, cwd ? { cwd } : {});
  if (run.code !== 0)
    throw new Error(`karma ${args.join(" ")} failed (${run.code}):\n${run.stderr}\n${run.stdout}`);
  return run.stdout;
}

async function plantCanaries(settings: ProjectSettings): Promise<void> {
  const session = openSession({ settings, source: "cli" });
  try {
    const dev = await session.store("dev");
    // a config someone stored as a SecureString (store-only: not in Git)
    await dev.putParameter({
      name: "/iac/vault/main/config",
      type: "SecureString",
      value: JSON.stringify({ root_token: CANARIES.secureConfig, url: "https://vault.dev.example" }),
    });
    // a deployed runtime with sensitive outputs (Karma stores those as SecureStrings)
    await dev.putParameter({
      name: "/iac/vault/main/runtime",
      type: "SecureString",
      value: JSON.stringify({ unseal_key: CANARIES.secureRuntime }),
    });
    // a plain runtime whose key names a secret: redacted on the way out
    await dev.putParameter({
      name: "/iac/legacy/app/runtime",
      type: "String",
      value: JSON.stringify({
        url: "http://legacy.dev.example",
        db_password: CANARIES.plainRuntimeSecretKey,
      }),
    });
  } finally {
    await session.close();
  }
}

/**
 * Writes and deploys the demo estate, plants the canaries, builds graph v1, then adds
 * `dev:service/billing` (consuming the network's id), commits and publishes it, and builds v2.
 */
export async function demoEstateWithCanaries(): Promise<{ dir: string; settings: ProjectSettings }> {
  const dir = join(tempDir("served"), "estate");
  karmaOk(["-C", dir, "demo"]);
  const settings = readProjectSettings(dir);
  await plantCanaries(settings);
  karmaOk(["-C", dir, "graph", "build"]);
  // policies a change request is judged by: prod is protected (approvable), sites need a title
  const karmaJson = JSON.parse(readFileSync(join(dir, "karma.json"), "utf8")) as Record<string, unknown>;
  karmaJson.policies = { protected: ["prod:*/*"], requiredKeys: { site: ["title"] } };
  writeFiles(dir, {
    "karma.json": `${JSON.stringify(karmaJson, null, 2)}\n`,
    "iac/dev/service/billing/config.json": `${JSON.stringify(
      {
        network_id: { $ref: "network/main#/network_id" },
        database_nickname: "orders",
        port: 8090,
        replicas: 1,
      },
      null,
      2,
    )}\n`,
  });
  git(dir, "add", "-A");
  git(dir, "commit", "-qm", "add service/billing");
  karmaOk(["-C", dir, "publish"]);
  karmaOk(["-C", dir, "graph", "build"]);
  await plantDriftCheck(settings);
  // a candidate runtime (of a new config) beside the live one, waiting for `karma promote`
  const content = "iac/dev/site-content/www/config.json";
  const pages = JSON.parse(readFileSync(join(dir, content), "utf8")) as Record<string, unknown>;
  writeFiles(dir, {
    [content]: `${JSON.stringify({ ...pages, pages: { "about.html": "<h1>About v2</h1>" } }, null, 2)}\n`,
  });
  git(dir, "commit", "-qam", "site-content: new about page");
  karmaOk(["-C", dir, "publish"]);
  karmaOk(["-C", dir, "deploy", "site-content", "www", "--env", "dev", "--candidate", "--auto-approve"]);
  return { dir, settings: readProjectSettings(dir) };
}

export interface Served {
  url: string;
  /** Everything the server printed (stdout and stderr). */
  output(): string;
  stop(): Promise<number | null>;
}

/**
 * `karma serve --port 0` (plus `args`) on the estate, as a user starts it; resolves once it
 * prints its URL.
 */
export function serveEstate(
  dir: string,
  env: Record<string, string> = {},
  args: readonly string[] = [],
): Promise<Served> {
  const child = spawn(process.execPath, [KARMA_BIN, "-C", dir, "serve", "--port", "0", ...args], {
    env: { ...process.env, NO_COLOR: "1", KARMA_ACTOR: "test@karma", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout.on("data", collect);
  child.stderr.on("data", collect);
  return new Promise((resolve, reject) => {
    const check = () => {
      const match = /explorer at (http:\/\/127\.0\.0\.1:\d+)\//.exec(output);
      if (!match) return;
      child.stdout.off("data", check);
      child.off("exit", early);
      resolve({
        url: match[1]!,
        output: () => output,
        stop: () =>
          new Promise((done) => {
            if (child.exitCode !== null) return done(child.exitCode);
            child.once("exit", (code) => done(code));
            child.kill("SIGTERM");
          }),
      });
    };
    const early = (code: number | null) => reject(new Error(`karma serve exited with ${code}:\n${output}`));
    child.stdout.on("data", check);
    child.once("exit", early);
  });
}
