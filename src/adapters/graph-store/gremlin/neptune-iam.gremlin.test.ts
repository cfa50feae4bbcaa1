/**
 * Neptune IAM auth, proved without AWS: the driver's WebSocket handshake is signed with SigV4
 * (service neptune-db, credentials from the default chain) and checked by the project's SigV4
 * verifier in a proxy in front of a real Gremlin Server.
 */
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { contractGraph } from "../contract.js";
import { GremlinConnection } from "./connection.js";
import { GremlinGraphStore } from "./gremlin-graph-store.js";
import { regionOfNeptuneHost } from "./neptune-sigv4.js";
import { type SigV4Proxy, startSigV4Proxy } from "./testing/sigv4-proxy.js";
import { describeWithGremlin, dropNamespace, gremlinEndpoint, testNamespace } from "./testing/subject.js";

const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

describeWithGremlin("Neptune IAM auth (SigV4-signed handshake)", () => {
  let proxy: SigV4Proxy;
  const namespace = testNamespace();
  beforeAll(async () => {
    proxy = await startSigV4Proxy(gremlinEndpoint(), SECRET);
  });
  afterAll(async () => {
    await proxy.close();
    await dropNamespace(gremlinEndpoint(), namespace);
  });
  beforeEach(() => {
    // the default credential chain reads these first
    process.env.AWS_ACCESS_KEY_ID = "AKIDEXAMPLE";
    process.env.AWS_SECRET_ACCESS_KEY = SECRET;
    process.env.AWS_SESSION_TOKEN = "session-token-example";
    process.env.AWS_REGION = "eu-west-1";
  });

  it("signs with the default credential chain for neptune-db, and the verifier accepts it", async () => {
    const store = new GremlinGraphStore(new GremlinConnection({ endpoint: proxy.endpoint, iam: true }), {
      namespace,
    });
    try {
      await store.writeVersion(contractGraph("a>b"));
      expect((await store.dependents(["dev:t/b"])).map((r) => r.id)).toEqual(["dev:t/a"]);
    } finally {
      await store.close();
    }
    expect(proxy.lastVerdict()).toEqual({ ok: true, service: "neptune-db", region: "eu-west-1" });
  });

  it("reports refused credentials in one line naming the endpoint and the fix", async () => {
    process.env.AWS_SECRET_ACCESS_KEY = "not-the-secret";
    const store = new GremlinGraphStore(new GremlinConnection({ endpoint: proxy.endpoint, iam: true }), {
      namespace,
    });
    try {
      const error = await store.latestVersion().catch((e: unknown) => e as Error);
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toBe(
        `The Gremlin server at ${proxy.endpoint} refused the connection (HTTP 403: authentication).`,
      );
      expect((error as { fix?: string }).fix).toMatch(/neptune-db/);
    } finally {
      await store.close();
    }
    expect(proxy.lastVerdict()?.ok).toBe(false);
  });

  it("without iam the handshake carries no signature and Neptune's check refuses it", async () => {
    const store = new GremlinGraphStore(new GremlinConnection({ endpoint: proxy.endpoint }), { namespace });
    try {
      await expect(store.latestVersion()).rejects.toMatchObject({
        fix: expect.stringMatching(/"iam": true/),
      });
    } finally {
      await store.close();
    }
  });
});

it("finds the signing region in a Neptune host name", () => {
  expect(regionOfNeptuneHost("db.cluster-c1x2.eu-west-1.neptune.amazonaws.com")).toBe("eu-west-1");
  expect(regionOfNeptuneHost("127.0.0.1")).toBeUndefined();
});
