/**
 * Incremental sync through the real stack: the ssm backend (AWS SDK) against `karma serve` over
 * the embedded store. Every sync is checked against a naive full read (GetParametersByPath), and
 * the server's call counter proves how little was fetched.
 */
import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Parameter, ParameterStore, PutParameterInput } from "../../../ports/parameter-store.js";
import { type LocalSsm, startLocalSsm } from "../../http/testing/local-ssm.js";
import type { SsmParameterStore } from "./ssm-parameter-store.js";

async function naiveRead(store: ParameterStore, root: string, withDecryption = false): Promise<Parameter[]> {
  const all: Parameter[] = [];
  let nextToken: string | undefined;
  do {
    const page = await store.getParametersByPath({ path: root, recursive: true, withDecryption, nextToken });
    all.push(...page.items);
    nextToken = page.nextToken;
  } while (nextToken);
  return all.sort((a, b) => (a.name < b.name ? -1 : 1));
}

const essentials = (ps: readonly Parameter[]) => ps.map((p) => [p.name, p.type, p.value, p.version]);

describe("readTree incremental sync (ssm backend → karma serve)", () => {
  let local: LocalSsm;
  let client: SsmParameterStore;
  let cacheFile: string;

  beforeEach(async () => {
    local = await startLocalSsm();
    cacheFile = path.join(local.dir, "client-cache.db");
    client = local.client({ cacheDatabase: cacheFile, cacheScope: "test" });
    const seed: PutParameterInput[] = [];
    for (let i = 0; i < 120; i++)
      seed.push({
        name: `/sync/app${i % 7}/p${i}`,
        value: `value-${i}`,
        type: "String",
        description: `d${i}`,
      });
    seed.push({ name: "/sync/list", value: "a,b,c", type: "StringList" });
    for (let i = 0; i < 3; i++)
      seed.push({ name: `/sync/secret${i}`, value: `plaintext-canary-${i}`, type: "SecureString" });
    seed.push({ name: "/elsewhere/x", value: "not under /sync", type: "String" });
    await local.embedded.putParameters(seed);
  });
  afterEach(async () => {
    await local?.close();
  });

  it("reads everything the first time, then only what changed; always equal to a naive read", async () => {
    local.counter.reset();
    const first = await client.readTree("/sync");
    expect(essentials(first)).toEqual(essentials(await naiveRead(local.embedded, "/sync")));
    expect(first).toHaveLength(124);
    expect(client.lastSyncStats).toEqual({ listed: 124, fromCache: 0, fetched: 124 });
    expect(local.counter.snapshot()).toEqual({ DescribeParameters: 3, GetParameters: 13 });
    expect(first.find((p) => p.name === "/sync/app0/p0")?.description).toBe("d0");

    // Changes: 5 overwritten, 3 deleted, 4 new, 1 deleted and re-created (version 1 again).
    for (const i of [1, 2, 3, 4, 5])
      await local.embedded.putParameter({
        name: `/sync/app${i % 7}/p${i}`,
        value: `changed-${i}`,
        overwrite: true,
      });
    await local.embedded.deleteParameters(["/sync/app6/p6", "/sync/app0/p7", "/sync/app1/p8"]);
    for (let i = 0; i < 4; i++)
      await local.embedded.putParameter({ name: `/sync/new/n${i}`, value: `new-${i}`, type: "String" });
    await local.embedded.deleteParameter("/sync/app2/p9");
    // recreated at a later millisecond than its deletion: spin until the clock has moved
    for (const now = Date.now(); Date.now() <= now; );
    await local.embedded.putParameter({ name: "/sync/app2/p9", value: "recreated", type: "String" });

    local.counter.reset();
    const second = await client.readTree("/sync");
    expect(essentials(second)).toEqual(essentials(await naiveRead(local.embedded, "/sync")));
    expect(second.find((p) => p.name === "/sync/app2/p9")).toMatchObject({ value: "recreated", version: 1 });
    expect(second.some((p) => p.name === "/sync/app6/p6")).toBe(false);
    // 5 changed + 4 new + 1 re-created + 3 SecureStrings (never cached) = 13 values → 2 batches.
    expect(client.lastSyncStats).toEqual({ listed: 125, fromCache: 112, fetched: 13 });
    expect(local.counter.snapshot()).toEqual({ DescribeParameters: 3, GetParameters: 2 });

    // Nothing changed: metadata only, plus the SecureStrings.
    local.counter.reset();
    const third = await client.readTree("/sync");
    expect(essentials(third)).toEqual(essentials(second));
    expect(local.counter.snapshot()).toEqual({ DescribeParameters: 3, GetParameters: 1 });
  });

  it("decrypts SecureStrings only when asked and never caches their plaintext", async () => {
    const encrypted = await client.readTree("/sync");
    expect(encrypted.find((p) => p.name === "/sync/secret0")?.value).not.toContain("plaintext-canary");
    const decrypted = await client.readTree("/sync", { withDecryption: true });
    expect(essentials(decrypted)).toEqual(essentials(await naiveRead(local.embedded, "/sync", true)));
    expect(decrypted.find((p) => p.name === "/sync/secret0")?.value).toBe("plaintext-canary-0");
    await client.close();
    for (const suffix of ["", "-wal"]) {
      const file = cacheFile + suffix;
      if (fs.existsSync(file)) expect(fs.readFileSync(file).includes("plaintext-canary")).toBe(false);
    }
  });

  it("keeps caches of different scopes apart and syncs sub-paths independently", async () => {
    await client.readTree("/sync");
    const other = local.client({ cacheDatabase: cacheFile, cacheScope: "another-environment" });
    await other.readTree("/sync");
    expect(other.lastSyncStats?.fromCache).toBe(0);

    await local.embedded.putParameter({ name: "/sync/app3/p3", value: "sub", overwrite: true });
    const sub = await client.readTree("/sync/app3");
    expect(essentials(sub)).toEqual(essentials(await naiveRead(local.embedded, "/sync/app3")));
    expect(client.lastSyncStats?.fetched).toBe(1);
    // Syncing the sub-path must not have dropped the rest of /sync from the cache.
    await client.readTree("/sync");
    expect(client.lastSyncStats?.fetched).toBe(3);
  });
});
