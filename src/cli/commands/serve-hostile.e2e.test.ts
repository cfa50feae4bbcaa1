/**
 * `karma serve` against hostile clients, as a user runs it (the built CLI): a catastrophic
 * AllowedPattern neither freezes the server for other clients nor keeps it from stopping; a
 * request addressed by another host name (DNS rebinding) is refused; `--auth none` says what it
 * allows; `--auth sigv4` works with nothing but the shell's AWS credentials.
 */

import { writeFileSync } from "node:fs";
import http from "node:http";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SsmParameterStore } from "../../adapters/parameter-store/ssm/ssm-parameter-store.js";
import { runKarma, tempDir } from "../../testing/cli.js";
import { type Served, serve } from "../../testing/serve.js";

function client(url: string, accessKeyId = "dev", secretAccessKey = "anything"): SsmParameterStore {
  return new SsmParameterStore({
    endpoint: url,
    region: "us-east-1",
    credentials: { accessKeyId, secretAccessKey },
  });
}

/** A raw SSM call with the Host header a browser tricked by DNS rebinding would send. */
function postWithHost(url: string, host: string): Promise<{ status: number; body: string }> {
  const target = new URL(url);
  const body = JSON.stringify({ Path: "/", Recursive: true });
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: target.hostname,
        port: target.port,
        method: "POST",
        path: "/",
        agent: false,
        headers: {
          host,
          "content-length": Buffer.byteLength(body),
          "content-type": "application/x-amz-json-1.1",
          "x-amz-target": "AmazonSSM.GetParametersByPath",
        },
      },
      (response) => {
        let text = "";
        response.on("data", (c: Buffer) => {
          text += c.toString();
        });
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body: text }));
      },
    );
    request.on("error", reject);
    request.end(body);
  });
}

describe("karma serve against hostile clients", () => {
  let dir: string;
  let served: Served;
  beforeAll(async () => {
    dir = tempDir("serve-hostile");
    writeFileSync(join(dir, "karma.json"), JSON.stringify({ environments: ["dev"] }));
    served = await serve(["-C", dir, "serve", "--port", "0"]);
  });
  afterAll(async () => {
    if (served.child.exitCode === null) await served.stop();
  });

  it("says at start that with --auth none any local process can read and write", () => {
    expect(served.output()).toContain(
      "--auth none: any process on this machine can read and change these parameters",
    );
    expect(served.output()).toContain("--auth sigv4");
  });

  it("answers a catastrophic AllowedPattern at once, and other clients meanwhile", async () => {
    const hostile = client(served.url);
    const bystander = client(served.url);
    const attack = hostile
      .putParameter({
        name: "/hostile/value",
        value: `${"a".repeat(4000)}!`,
        type: "String",
        allowedPattern: "^(a+)+$",
      })
      .catch((e: unknown) => e);
    const [attacked] = await Promise.all([
      attack,
      bystander.putParameter({ name: "/hostile/bystander", value: "fine", type: "String" }),
    ]);
    expect((attacked as Error).name).toBe("ParameterPatternMismatchException");
    expect((await bystander.getParameter("/hostile/bystander")).value).toBe("fine");
    await hostile.close();
    await bystander.close();
  });

  it("refuses requests addressed to another host name (DNS rebinding), serves loopback names", async () => {
    const port = new URL(served.url).port;
    const rebound = await postWithHost(served.url, `evil.example:${port}`);
    expect(rebound.status).toBe(403);
    expect(JSON.parse(rebound.body)).toMatchObject({ __type: "AccessDeniedException" });
    expect(JSON.parse(rebound.body).message).toContain("DNS rebinding");
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`]) {
      const answer = await postWithHost(served.url, host);
      expect(JSON.parse(answer.body)).toHaveProperty("Parameters");
      expect(answer.status).toBe(200);
    }
  });

  it("still stops at once on SIGTERM", async () => {
    expect(await served.stop()).toBe(0);
  });

  it("--auth sigv4 needs nothing but the AWS credentials the shell exports", async () => {
    const env = {
      AWS_ACCESS_KEY_ID: "dev",
      AWS_SECRET_ACCESS_KEY: "shell-secret",
      KARMA_SERVE_CREDENTIALS: "",
    };
    const secure = await serve(["-C", dir, "serve", "--port", "0", "--auth", "sigv4"], env);
    try {
      expect(secure.output()).not.toContain("--auth none:");
      const mine = client(secure.url, "dev", "shell-secret");
      await mine.putParameter({ name: "/sigv4/ok", value: "signed", type: "String" });
      expect((await mine.getParameter("/sigv4/ok")).value).toBe("signed");
      const other = client(secure.url, "dev", "guessed");
      const refused = await other.getParameter("/sigv4/ok").catch((e: unknown) => e);
      expect(String((refused as Error).message)).toContain("InvalidSignatureException");
      expect(secure.output()).not.toContain("shell-secret");
      await mine.close();
      await other.close();
    } finally {
      await secure.stop();
    }
  });
});

it("karma param put answers a catastrophic AllowedPattern with one line and exit 1", () => {
  const dir = tempDir("param-redos");
  writeFileSync(join(dir, "karma.json"), "{}");
  const run = runKarma([
    "-C",
    dir,
    "param",
    "put",
    "/hostile/cli",
    `${"a".repeat(4000)}!`,
    "--type",
    "String",
    "--allowed-pattern",
    "^(a+)+$",
  ]);
  expect(run.code).toBe(1);
  expect(run.stderr).toContain("ParameterPatternMismatchException");
  expect(run.stderr.trim().split("\n")).toHaveLength(1);
});
