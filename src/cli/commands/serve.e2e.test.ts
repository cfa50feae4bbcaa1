/**
 * `karma serve` as a user runs it: the built CLI (`npm run build` first) on a temp estate with two
 * environments. The access key id picks the environment; what is written through the SSM API is
 * what `karma param` reads from the estate's own store.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SsmParameterStore } from "../../adapters/parameter-store/ssm/ssm-parameter-store.js";
import { isParameterStoreError } from "../../ports/parameter-store.js";
import { runKarma, tempDir } from "../../testing/cli.js";
import { type Served, serve } from "../../testing/serve.js";

function client(url: string, accessKeyId: string): SsmParameterStore {
  return new SsmParameterStore({
    endpoint: url,
    region: "us-east-1",
    credentials: { accessKeyId, secretAccessKey: "anything" },
  });
}

describe("karma serve", () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir("serve");
    writeFileSync(join(dir, "karma.json"), JSON.stringify({ environments: ["dev", "prod"] }));
  });

  describe("with --env dev", () => {
    let served: Served;
    beforeAll(async () => {
      served = await serve(["-C", dir, "serve", "--port", "0", "--env", "dev"]);
    });
    afterAll(async () => {
      if (served.child.exitCode === null) await served.stop();
    });

    it("routes by access key id: an environment's name selects it, any other id the default", async () => {
      const prod = client(served.url, "prod");
      const dev = client(served.url, "dev");
      const someone = client(served.url, "AKIAEXAMPLE");
      await prod.putParameter({ name: "/iac/app/main/config", value: '{"env":"prod"}', type: "String" });
      await dev.putParameter({ name: "/iac/app/main/config", value: '{"env":"dev"}', type: "String" });
      expect((await someone.getParameter("/iac/app/main/config")).value).toBe('{"env":"dev"}');
      expect((await prod.getParameter("/iac/app/main/config")).value).toBe('{"env":"prod"}');
      for (const c of [prod, dev, someone]) await c.close();

      // The same data through the estate's own store, from another process.
      const viaParam = runKarma(["-C", dir, "param", "get", "/iac/app/main/config", "--env", "prod"]);
      expect(viaParam.stderr).toBe("");
      expect(viaParam.stdout).toBe('{"env":"prod"}\n');
    });

    it("stops cleanly on SIGTERM and reports the calls it served", async () => {
      const code = await served.stop();
      expect(code).toBe(0);
      expect(served.output()).toMatch(/karma serve: stopped after \d+ calls \(.*PutParameter 2/);
    });
  });

  it("without --env, refuses access key ids that name no environment", async () => {
    const served = await serve(["-C", dir, "serve", "--port", "0"]);
    try {
      const nobody = client(served.url, "nobody");
      const error = await nobody.getParameter("/iac/app/main/config").catch((e: unknown) => e);
      expect(String((error as Error).message)).toContain("UnrecognizedClientException");
      const prod = client(served.url, "prod");
      expect((await prod.getParameter("/iac/app/main/config")).value).toBe('{"env":"prod"}');
      const missing = await prod.getParameter("/iac/none").catch((e: unknown) => e);
      expect(isParameterStoreError(missing, "ParameterNotFound")).toBe(true);
      await nobody.close();
      await prod.close();

      const port = new URL(served.url).port;
      const busy = runKarma(["-C", dir, "serve", "--port", port, "--env", "dev"]);
      expect(busy.code).toBe(1);
      expect(busy.stderr).toContain(`port ${port} on 127.0.0.1 is already in use`);
    } finally {
      await served.stop();
    }
  });

  it("refuses a non-loopback host without --auth sigv4, and sigv4 without credentials", () => {
    const open = runKarma(["-C", dir, "serve", "--host", "0.0.0.0", "--port", "0"]);
    expect(open.code).toBe(1);
    expect(open.stderr).toContain("refusing to serve on 0.0.0.0 without authentication");
    expect(open.stderr).toContain("--auth sigv4");

    // signed SSM requests are not enough: the HTTP API beyond loopback needs its own token
    const noToken = runKarma(
      ["-C", dir, "serve", "--host", "0.0.0.0", "--auth", "sigv4", "--port", "0", "--env", "dev"],
      {
        env: { KARMA_SERVE_CREDENTIALS: "dev:secret", KARMA_API_TOKEN: "" },
      },
    );
    expect(noToken.code).toBe(1);
    expect(noToken.stderr).toContain("refusing to serve the HTTP API on 0.0.0.0 without a token");
    expect(noToken.stderr).toContain("KARMA_API_TOKEN");

    const noCredentials = runKarma(["-C", dir, "serve", "--auth", "sigv4", "--port", "0", "--env", "dev"], {
      env: { AWS_ACCESS_KEY_ID: "", AWS_SECRET_ACCESS_KEY: "", KARMA_SERVE_CREDENTIALS: "" },
    });
    expect(noCredentials.code).toBe(1);
    expect(noCredentials.stderr).toContain("--auth sigv4 needs credentials");
  });

  it("with --auth sigv4 verifies signatures against KARMA_SERVE_CREDENTIALS", async () => {
    const served = await serve(["-C", dir, "serve", "--port", "0", "--auth", "sigv4"], {
      KARMA_SERVE_CREDENTIALS: "dev:dev-secret,prod:prod-secret",
    });
    try {
      const good = new SsmParameterStore({
        endpoint: served.url,
        region: "us-east-1",
        credentials: { accessKeyId: "prod", secretAccessKey: "prod-secret" },
      });
      expect((await good.getParameter("/iac/app/main/config")).value).toBe('{"env":"prod"}');
      const bad = new SsmParameterStore({
        endpoint: served.url,
        region: "us-east-1",
        credentials: { accessKeyId: "prod", secretAccessKey: "dev-secret" },
      });
      const error = await bad.getParameter("/iac/app/main/config").catch((e: unknown) => e);
      expect(String((error as Error).message)).toContain("InvalidSignatureException");
      expect(served.output()).not.toContain("prod-secret");
      await good.close();
      await bad.close();
    } finally {
      await served.stop();
    }
  });
});
