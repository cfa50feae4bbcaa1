/**
 * Test helpers for suites that need a real external engine (moto's SSM server, the Debian AWS
 * CLI). In CI (`CI=true`) a missing engine is a failing test; elsewhere the suite is skipped with
 * the reason printed, so a laptop without moto still runs everything else.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import { describe, it } from "vitest";

/** Describes `name` when `missing` is undefined; otherwise fails (CI) or skips (elsewhere). */
export function describeWithEngine(name: string, missing: string | undefined, body: () => void): void {
  if (missing === undefined) {
    describe(name, body);
    return;
  }
  if (process.env.CI === "true") {
    describe(name, () => {
      it("has its engine installed (required in CI)", () => {
        throw new Error(`${missing} — CI must install it (see .ci/run).`);
      });
    });
    return;
  }
  process.stderr.write(`skipping "${name}": ${missing}\n`);
  describe.skip(name, body);
}

/** The moto_server executable: $MOTO_SERVER (set by .ci/run) or `moto_server` on PATH. */
export function motoServerCommand(): string {
  return process.env.MOTO_SERVER ?? "moto_server";
}

export function motoMissing(): string | undefined {
  try {
    execFileSync(motoServerCommand(), ["--help"], { stdio: "ignore", timeout: 30_000 });
    return undefined;
  } catch {
    return `moto's SSM server is not installed (pip install "moto[server]"; ${motoServerCommand()} --help failed)`;
  }
}

export const AWS_CLI = "/usr/bin/aws";

export function awsCliMissing(): string | undefined {
  if (!fs.existsSync(AWS_CLI))
    return `the Debian AWS CLI is not installed at ${AWS_CLI} (apt-get install awscli)`;
  return undefined;
}

export interface MotoServer {
  url: string;
  stop(): Promise<void>;
}

/** Starts `moto_server -p 0` (the OS picks a free port) and waits until it accepts requests. */
export async function startMotoServer(): Promise<MotoServer> {
  const child: ChildProcess = spawn(motoServerCommand(), ["-H", "127.0.0.1", "-p", "0"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let output = "";
    const timer = setTimeout(
      () => reject(new Error(`moto_server did not start in 60 s:\n${output}`)),
      60_000,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Running on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`moto_server exited with ${code}:\n${output}`));
    });
  });
  // Keep draining output so the child never blocks on a full pipe.
  child.stdout?.resume();
  child.stderr?.resume();
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

/** Python with boto3, for the differential suite's boto3 client. */
export function boto3Missing(): string | undefined {
  try {
    execFileSync("python3", ["-c", "import boto3"], { stdio: "ignore", timeout: 30_000 });
    return undefined;
  } catch {
    return "boto3 is not installed (python3 -m pip install boto3)";
  }
}

/**
 * The differential suite's Go client: `$KARMA_SSM_GO_CLIENT` (built by .ci/run), or built here
 * with `go build` when a Go toolchain is on PATH (see `buildGoClient`).
 */
export function goClientMissing(): string | undefined {
  const prebuilt = process.env.KARMA_SSM_GO_CLIENT;
  if (prebuilt !== undefined && prebuilt !== "") {
    return fs.existsSync(prebuilt) ? undefined : `KARMA_SSM_GO_CLIENT=${prebuilt} does not exist`;
  }
  try {
    execFileSync("go", ["version"], { stdio: "ignore", timeout: 30_000 });
    return undefined;
  } catch {
    return "no Go toolchain to build the aws-sdk-go-v2 client with (install Go, or set KARMA_SSM_GO_CLIENT)";
  }
}
