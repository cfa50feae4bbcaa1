/**
 * `karma serve --auth sigv4` and `--throttle` driven by clients Karma did not write: boto3 (and
 * aws-sdk-go-v2) sign requests the server must verify, and boto3's own retries must carry a burst
 * of writes through throttling without losing one.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { tempDir } from "../../../../testing/cli.js";
import { type Served, serve } from "../../../../testing/serve.js";
import {
  boto3Missing,
  describeWithEngine,
  goClientMissing,
} from "../../../parameter-store/ssm/testing/engines.js";
import { type Reply, type SdkName, startSdkClient } from "./sdk-client.js";

function estate(): string {
  const dir = tempDir("serve-sdk");
  writeFileSync(join(dir, "karma.json"), JSON.stringify({ environments: ["dev", "prod"] }));
  return dir;
}

const errorCode = (reply: Reply) => ("error" in reply ? reply.error.code : JSON.stringify(reply));

function sigv4Suite(sdk: SdkName, missing: string | undefined): void {
  describeWithEngine(`karma serve --auth sigv4 through ${sdk}`, missing, () => {
    let served: Served;
    beforeAll(async () => {
      served = await serve(["-C", estate(), "serve", "--port", "0", "--auth", "sigv4"], {
        KARMA_SERVE_CREDENTIALS: "dev:dev-secret,prod:prod-secret",
      });
    });
    afterAll(async () => {
      await served?.stop();
    });

    it("accepts requests signed with a configured secret; the key id picks the environment", async () => {
      const dev = startSdkClient(sdk, served.url, { accessKeyId: "dev", secretAccessKey: "dev-secret" });
      const prod = startSdkClient(sdk, served.url, { accessKeyId: "prod", secretAccessKey: "prod-secret" });
      try {
        const put = await dev.call("PutParameter", { Name: "/auth/where", Value: "dev", Type: "String" });
        expect(put).toMatchObject({ ok: { Version: 1 } });
        expect(await dev.call("GetParameter", { Name: "/auth/where" })).toMatchObject({
          ok: { Parameter: { Value: "dev" } },
        });
        expect(errorCode(await prod.call("GetParameter", { Name: "/auth/where" }))).toBe("ParameterNotFound");
      } finally {
        await Promise.all([dev.close(), prod.close()]);
      }
    });

    it("refuses a wrong secret and an unknown access key id, and never prints a secret", async () => {
      const forged = startSdkClient(sdk, served.url, { accessKeyId: "dev", secretAccessKey: "prod-secret" });
      const stranger = startSdkClient(sdk, served.url, { accessKeyId: "AKIDSTRANGER", secretAccessKey: "x" });
      try {
        expect(errorCode(await forged.call("GetParameter", { Name: "/auth/where" }))).toBe(
          "InvalidSignatureException",
        );
        expect(errorCode(await stranger.call("GetParameter", { Name: "/auth/where" }))).toBe(
          "UnrecognizedClientException",
        );
        expect(served.output()).not.toContain("dev-secret");
        expect(served.output()).not.toContain("prod-secret");
      } finally {
        await Promise.all([forged.close(), stranger.close()]);
      }
    });
  });
}

sigv4Suite("boto3", boto3Missing());
sigv4Suite("go", goClientMissing());

describeWithEngine("karma serve --throttle through boto3's retries", boto3Missing(), () => {
  it("a burst above the rate is throttled and every write still lands, once", async () => {
    const served = await serve(["-C", estate(), "serve", "--port", "0", "--env", "dev", "--throttle", "10"]);
    const writers = 4;
    const writesEach = 8;
    const clients = Array.from({ length: writers }, () =>
      startSdkClient("boto3", served.url, { accessKeyId: "dev", secretAccessKey: "x" }, { maxAttempts: 10 }),
    );
    let retries = 0;
    try {
      const replies = await Promise.all(
        clients.map((client, w) =>
          Promise.all(
            Array.from({ length: writesEach }, (_, i) =>
              client.call("PutParameter", { Name: `/burst/w${w}/p${i}`, Value: `${w}-${i}`, Type: "String" }),
            ),
          ),
        ),
      );
      const all = replies.flat();
      expect(all.filter((r) => !("ok" in r))).toEqual([]);
      retries = all.reduce((sum, r) => sum + ("retries" in r ? (r.retries ?? 0) : 0), 0);
      // More requests than the bucket holds arrived at once: some must have been throttled and retried.
      expect(retries).toBeGreaterThan(0);

      const reader = clients[0]!;
      for (let w = 0; w < writers; w++)
        for (let i = 0; i < writesEach; i++) {
          const got = await reader.call("GetParameter", { Name: `/burst/w${w}/p${i}` });
          expect(got).toMatchObject({ ok: { Parameter: { Value: `${w}-${i}`, Version: 1 } } });
        }
    } finally {
      await Promise.all(clients.map((c) => c.close()));
      await served.stop();
    }
    // Every attempt reached the server: the writes plus exactly the retries boto3 reported.
    const puts = /PutParameter (\d+)/.exec(served.output());
    expect(Number(puts?.[1])).toBe(writers * writesEach + retries);
  });
});
