import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { describeParameterStoreContract } from "../contract.js";
import { createSecretCipher } from "../secrets.js";
import { SqliteParameterStore } from "./sqlite-store.js";

const tempDirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "karma-ps-"));
  tempDirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of tempDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describeParameterStoreContract("sqlite", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "karma-contract-"));
  const store = new SqliteParameterStore({
    file: path.join(dir, "karma.db"),
    namespace: "dev",
    secrets: createSecretCipher(crypto.randomBytes(32)),
  });
  return {
    store,
    async cleanup() {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
});

function openStore(file: string, namespace = "dev", key = crypto.randomBytes(32)) {
  return new SqliteParameterStore({ file, namespace, secrets: createSecretCipher(key) });
}

describe("SqliteParameterStore (embedded specifics)", () => {
  it("never writes a SecureString plaintext to the database files", async () => {
    const dir = tempDir();
    const file = path.join(dir, "karma.db");
    const canary = `canary-${crypto.randomBytes(12).toString("hex")}`;
    const store = openStore(file);
    await store.putParameter({ name: "/iac/db/password", value: canary, type: "SecureString" });
    await store.putParameter({ name: "/iac/db/password", value: `${canary}-v2`, overwrite: true });
    await store.putParameter({ name: "/iac/plain", value: "visible-plaintext", type: "String" });
    expect((await store.getParameter("/iac/db/password", { withDecryption: true })).value).toBe(
      `${canary}-v2`,
    );
    // Check the main file and the WAL while the connection is open, and after a checkpoint.
    const contents = () =>
      fs
        .readdirSync(dir)
        .map((f) => fs.readFileSync(path.join(dir, f)))
        .reduce((a, b) => Buffer.concat([a, b]), Buffer.alloc(0));
    expect(contents().includes("visible-plaintext")).toBe(true); // the grep itself works
    expect(contents().includes(canary)).toBe(false);
    await store.close();
    expect(contents().includes(canary)).toBe(false);
  });

  it("keeps environments (namespaces) apart in one file", async () => {
    const file = path.join(tempDir(), "karma.db");
    const key = crypto.randomBytes(32);
    const dev = openStore(file, "dev", key);
    const prod = openStore(file, "prod", key);
    await dev.putParameter({ name: "/iac/vpc/main/config", value: "dev", type: "String" });
    await prod.putParameter({ name: "/iac/vpc/main/config", value: "prod", type: "String" });
    await prod.putParameter({
      name: "/iac/vpc/main/config",
      value: "prod2",
      type: "String",
      overwrite: true,
    });
    await dev.labelParameterVersion({ name: "/iac/vpc/main/config", labels: ["live"] });
    expect(await dev.getParameter("/iac/vpc/main/config")).toMatchObject({ value: "dev", version: 1 });
    expect(await prod.getParameter("/iac/vpc/main/config")).toMatchObject({ value: "prod2", version: 2 });
    await expectStoreErrorName(prod.getParameter("/iac/vpc/main/config:live"), "ParameterVersionNotFound");
    await dev.deleteParameter("/iac/vpc/main/config");
    expect((await prod.readTree("/iac")).map((p) => p.value)).toEqual(["prod2"]);
    expect(await dev.readTree("/iac")).toEqual([]);
    await dev.close();
    await prod.close();
  });

  it("persists across reopen, in WAL mode", async () => {
    const file = path.join(tempDir(), "karma.db");
    const key = crypto.randomBytes(32);
    const first = openStore(file, "dev", key);
    await first.putParameter({ name: "/iac/s", value: "secret-value", type: "SecureString" });
    await first.putParameter({ name: "/iac/p", value: "plain", type: "String" });
    await first.close();
    const second = openStore(file, "dev", key);
    expect((await second.getParameter("/iac/s", { withDecryption: true })).value).toBe("secret-value");
    expect((await second.getParameter("/iac/p")).value).toBe("plain");
    await second.close();
    const { default: Database } = await import("better-sqlite3");
    const raw = new Database(file, { readonly: true });
    expect(raw.pragma("journal_mode", { simple: true })).toBe("wal");
    raw.close();
  });

  it("refuses to decrypt or write SecureStrings with a different key", async () => {
    const file = path.join(tempDir(), "karma.db");
    const first = openStore(file, "dev", crypto.randomBytes(32));
    await first.putParameter({ name: "/iac/s", value: "secret-value", type: "SecureString" });
    await first.close();
    const wrong = openStore(file, "dev", crypto.randomBytes(32));
    await expect(wrong.getParameter("/iac/s", { withDecryption: true })).rejects.toThrow(/not the one/);
    await expect(wrong.putParameter({ name: "/iac/t", value: "x", type: "SecureString" })).rejects.toThrow(
      /not the one/,
    );
    // Values stay readable as ciphertext, and plain parameters are unaffected.
    expect((await wrong.getParameter("/iac/s")).value).not.toContain("secret-value");
    await wrong.putParameter({ name: "/iac/p", value: "plain", type: "String" });
    await wrong.close();
  });

  // how fast is the benchmark's question (npm run bench publish): a test asserts only what is read
  it("writes a 10k-parameter batch and reads the whole tree back unchanged", async () => {
    const file = path.join(tempDir(), "karma.db");
    const store = openStore(file);
    const inputs = Array.from({ length: 10_000 }, (_, i) => ({
      name: `/iac/type${i % 50}/nick${i}/config`,
      value: JSON.stringify({ index: i, name: `component-${i}`, tags: { team: "core" } }),
      type: "String" as const,
    }));
    await store.putParameters(inputs);
    const tree = await store.readTree("/iac");
    const byName = new Map(tree.map((p) => [p.name, p.value]));
    expect(tree).toHaveLength(10_000);
    expect(inputs.every((input) => byName.get(input.name) === input.value)).toBe(true);
    await store.close();
  });

  it("shares one connection per file between stores and closes it with the last one", async () => {
    const file = path.join(tempDir(), "karma.db");
    const a = openStore(file, "a");
    const b = openStore(file, "b");
    await a.close();
    await b.putParameter({ name: "/x", value: "still open", type: "String" });
    await b.close();
    await expect(b.getParameter("/x")).rejects.toThrow(/closed/);
  });
});

async function expectStoreErrorName(promise: Promise<unknown>, name: string): Promise<void> {
  await expect(promise).rejects.toMatchObject({ name });
}
