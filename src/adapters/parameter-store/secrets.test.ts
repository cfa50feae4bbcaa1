import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { UserError } from "../../core/errors.js";
import { createSecretCipher, lazySecretCipher, loadSecretKey, parseSecretKey } from "./secrets.js";

const dirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "karma-secrets-"));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe("secret key", () => {
  it("accepts 64 hex characters or base64 of 32 bytes in KARMA_SECRET_KEY", () => {
    const key = crypto.randomBytes(32);
    expect(parseSecretKey(key.toString("hex"), "env")).toEqual(key);
    expect(parseSecretKey(key.toString("base64"), "env")).toEqual(key);
    expect(parseSecretKey(key.toString("base64url"), "env")).toEqual(key);
    expect(loadSecretKey(tempDir(), { KARMA_SECRET_KEY: key.toString("hex") })).toEqual(key);
  });

  it("rejects keys of the wrong size with a UserError naming the source", () => {
    for (const bad of [
      "short",
      "ab".repeat(31),
      crypto.randomBytes(16).toString("base64"),
      "zz".repeat(32),
    ]) {
      expect(() => parseSecretKey(bad, "KARMA_SECRET_KEY")).toThrow(UserError);
      expect(() => parseSecretKey(bad, "KARMA_SECRET_KEY")).toThrow(/KARMA_SECRET_KEY/);
    }
  });

  it("generates secret.key with mode 0600 once and reuses it", () => {
    const dir = path.join(tempDir(), ".karma");
    const key = loadSecretKey(dir, {});
    const file = path.join(dir, "secret.key");
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(loadSecretKey(dir, {})).toEqual(key);
  });

  it("keeps the key in the file KARMA_SECRET_KEY_FILE names, outside the state directory", () => {
    const stateDir = path.join(tempDir(), ".karma");
    const keyFile = path.join(tempDir(), "keys", "estate.key");
    const key = loadSecretKey(stateDir, { KARMA_SECRET_KEY_FILE: keyFile });
    expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(fs.existsSync(path.join(stateDir, "secret.key"))).toBe(false);
    expect(loadSecretKey(stateDir, { KARMA_SECRET_KEY_FILE: keyFile })).toEqual(key);
  });

  it("does not mint a second key when the estate's key is still in the state directory", () => {
    const stateDir = tempDir();
    loadSecretKey(stateDir, {});
    const keyFile = path.join(tempDir(), "moved.key");
    let error: unknown;
    try {
      loadSecretKey(stateDir, { KARMA_SECRET_KEY_FILE: keyFile });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toContain(
      `KARMA_SECRET_KEY_FILE names ${keyFile}, which does not exist`,
    );
    expect((error as UserError).fix).toContain(`mv ${path.join(stateDir, "secret.key")} ${keyFile}`);
    expect(fs.existsSync(keyFile)).toBe(false);
  });

  it("refuses a key file readable by group or others, with the chmod fix", () => {
    const dir = tempDir();
    loadSecretKey(dir, {});
    const file = path.join(dir, "secret.key");
    fs.chmodSync(file, 0o644);
    let error: unknown;
    try {
      loadSecretKey(dir, {});
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).fix).toBe(`chmod 600 ${file}`);
  });
});

describe("AES-256-GCM cipher", () => {
  it("round-trips, uses a fresh IV each time and never contains the plaintext", () => {
    const cipher = createSecretCipher(crypto.randomBytes(32));
    const a = cipher.encrypt("hunter2-hunter2", "ctx");
    const b = cipher.encrypt("hunter2-hunter2", "ctx");
    expect(a.equals(b)).toBe(false);
    expect(a.includes("hunter2")).toBe(false);
    expect(cipher.decrypt(a, "ctx")).toBe("hunter2-hunter2");
  });

  it("fails on another context, another key or tampering", () => {
    const cipher = createSecretCipher(crypto.randomBytes(32));
    const envelope = cipher.encrypt("value", "param-a");
    expect(() => cipher.decrypt(envelope, "param-b")).toThrow(UserError);
    expect(() => createSecretCipher(crypto.randomBytes(32)).decrypt(envelope, "param-a")).toThrow(UserError);
    const tampered = Buffer.from(envelope);
    tampered[tampered.length - 1]! ^= 1;
    expect(() => cipher.decrypt(tampered, "param-a")).toThrow(UserError);
  });

  it("loads the key lazily", () => {
    let loads = 0;
    const cipher = lazySecretCipher(() => {
      loads++;
      return crypto.randomBytes(32);
    });
    expect(loads).toBe(0);
    cipher.decrypt(cipher.encrypt("x", "c"), "c");
    expect(loads).toBe(1);
  });
});
