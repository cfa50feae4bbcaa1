/**
 * The differential suite's clients: small programs on other AWS SDKs (boto3, aws-sdk-go-v2) that
 * make one SSM call per line of JSON on stdin and answer one line of JSON on stdout, so a test
 * can drive any SDK through the same cases without knowing its language.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const HERE = path.dirname(fileURLToPath(import.meta.url));
/** Sources live beside this file in src/ (the compiled copy in dist/ has none). */
const SOURCES = HERE.replace(`${path.sep}dist${path.sep}`, `${path.sep}src${path.sep}`);
export const BOTO3_CLIENT = path.join(SOURCES, "boto3_client.py");
export const GO_CLIENT_DIR = path.join(SOURCES, "go-client");

export type Reply =
  | { ok: Record<string, unknown>; retries?: number }
  | { error: { code: string; message: string }; retries?: number }
  | { fault: string };

export interface ClientCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface SdkClient {
  call(op: string, params?: Record<string, unknown>): Promise<Reply>;
  close(): Promise<void>;
}

export type SdkName = "boto3" | "go";

/**
 * The Go client's binary: `$KARMA_SSM_GO_CLIENT`, or built with `go build` into the temp
 * directory under a name that changes with its sources (so a stale build is never reused).
 */
export function buildGoClient(): string {
  const prebuilt = process.env.KARMA_SSM_GO_CLIENT;
  if (prebuilt) return prebuilt;
  const hash = crypto.createHash("sha256");
  for (const file of ["go.mod", "go.sum", "main.go"])
    hash.update(fs.readFileSync(path.join(GO_CLIENT_DIR, file)));
  const binary = path.join(os.tmpdir(), `karma-ssm-go-client-${hash.digest("hex").slice(0, 12)}`);
  if (!fs.existsSync(binary)) {
    const partial = `${binary}.${process.pid}`;
    execFileSync("go", ["build", "-buildvcs=false", "-o", partial, "."], {
      cwd: GO_CLIENT_DIR,
      stdio: ["ignore", "ignore", "pipe"],
      env: { ...process.env, CGO_ENABLED: "0" },
      timeout: 900_000,
    });
    fs.renameSync(partial, binary);
  }
  return binary;
}

/** Starts an SDK client of `endpoint`; calls are answered in order. */
export function startSdkClient(
  sdk: SdkName,
  endpoint: string,
  credentials: ClientCredentials,
  options: { maxAttempts?: number } = {},
): SdkClient {
  const [command, args] = sdk === "boto3" ? ["python3", [BOTO3_CLIENT]] : [buildGoClient(), []];
  const child: ChildProcess = spawn(command, args, {
    stdio: ["pipe", "pipe", "pipe"],
    env: {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: os.tmpdir(),
      // No user configuration, profiles or metadata-service lookups: only what the test gives.
      AWS_CONFIG_FILE: "/dev/null",
      AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
      AWS_EC2_METADATA_DISABLED: "true",
      SSM_ENDPOINT: endpoint,
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      ...(options.maxAttempts !== undefined && { SSM_MAX_ATTEMPTS: String(options.maxAttempts) }),
    },
  });
  let stderr = "";
  child.stderr?.on("data", (c: Buffer) => {
    stderr += c.toString();
  });
  const waiting: Array<{ resolve(reply: Reply): void; reject(error: Error): void }> = [];
  createInterface({ input: child.stdout! }).on("line", (line) =>
    waiting.shift()?.resolve(JSON.parse(line) as Reply),
  );
  child.once("exit", (code) => {
    for (const w of waiting.splice(0)) w.reject(new Error(`${sdk} client exited with ${code}:\n${stderr}`));
  });
  return {
    call(op, params = {}) {
      return new Promise<Reply>((resolve, reject) => {
        waiting.push({ resolve, reject });
        child.stdin!.write(`${JSON.stringify({ op, params })}\n`);
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.stdin!.end();
      }),
  };
}
