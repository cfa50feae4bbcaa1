/**
 * Encryption at rest for SecureString values in the embedded store: AES-256-GCM, a fresh random
 * 96-bit IV per value, and the parameter's identity as additional authenticated data so a
 * ciphertext copied onto another parameter fails to decrypt instead of leaking.
 *
 * The key comes from `KARMA_SECRET_KEY` (64 hex characters, or base64 of 32 bytes), else from the
 * file `KARMA_SECRET_KEY_FILE` names, else from `<stateDir>/secret.key`; a missing key file is
 * generated on first use with mode 0600. A key file readable by group or others is refused — the
 * same stance ssh takes with private keys.
 *
 * Why a path outside the state directory: `.karma/` holds karma.db, and a key beside it means
 * whoever copies the folder (a backup, a CI artifact, a laptop sync) can read every SecureString.
 * With the key elsewhere, the database alone is ciphertext. (With `"store": {"kind": "ssm"}`,
 * AWS encrypts SecureStrings with KMS and Karma holds no key at all.)
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { UserError } from "../../core/errors.js";
import { makePrivateDir } from "../fs/private-files.js";

export const SECRET_KEY_ENV = "KARMA_SECRET_KEY";
export const SECRET_KEY_FILE = "secret.key";
export const SECRET_KEY_FILE_ENV = "KARMA_SECRET_KEY_FILE";

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** First byte of every envelope; bump when the layout changes. */
const ENVELOPE_V1 = 1;

export interface SecretCipher {
  /** Returns `version(1) | iv(12) | tag(16) | ciphertext`. `context` binds the value to its owner. */
  encrypt(plaintext: string, context: string): Buffer;
  /** Throws a `UserError` when the key is wrong or the envelope was tampered with. */
  decrypt(envelope: Buffer, context: string): string;
  /** A non-secret fingerprint of the key, to detect "this database was encrypted with another key". */
  keyCheck(): string;
}

/** Parses `KARMA_SECRET_KEY`: 64 hex characters, or standard/url-safe base64 of exactly 32 bytes. */
export function parseSecretKey(text: string, source: string): Buffer {
  const trimmed = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return Buffer.from(trimmed, "hex");
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) {
    const bytes = Buffer.from(trimmed.replace(/-/g, "+").replace(/_/g, "/"), "base64");
    if (bytes.length === KEY_BYTES) return bytes;
  }
  throw new UserError(
    `${source} is not a 256-bit key: expected 64 hex characters or base64 of 32 bytes.`,
    `Generate one with: node -e "console.log(require('crypto').randomBytes(32).toString('hex'))"`,
  );
}

/**
 * Returns the secret key: `KARMA_SECRET_KEY` if set, else the file named by
 * `KARMA_SECRET_KEY_FILE`, else `<stateDir>/secret.key`, creating the file (mode 0600) with a
 * random key when it does not exist.
 */
export function loadSecretKey(stateDir: string, env: NodeJS.ProcessEnv = process.env): Buffer {
  const fromEnv = env[SECRET_KEY_ENV];
  if (fromEnv !== undefined && fromEnv !== "") return parseSecretKey(fromEnv, SECRET_KEY_ENV);
  const inStateDir = path.join(stateDir, SECRET_KEY_FILE);
  const named = env[SECRET_KEY_FILE_ENV];
  const file = named !== undefined && named !== "" ? path.resolve(named) : inStateDir;
  if (!fs.existsSync(file)) {
    // An estate that already has a key must not silently get a second one: its SecureStrings
    // would no longer decrypt. Moving the key is the user's step, and we say how.
    if (file !== inStateDir && fs.existsSync(inStateDir))
      throw new UserError(
        `${SECRET_KEY_FILE_ENV} names ${file}, which does not exist, but this estate's key is still ${inStateDir}`,
        `move it there: mkdir -p ${path.dirname(file)} && mv ${inStateDir} ${file}`,
      );
    createKeyFile(file);
  }
  return readKeyFile(file);
}

function createKeyFile(file: string): void {
  makePrivateDir(path.dirname(file));
  try {
    // "wx": never overwrite a key another process created a moment ago.
    fs.writeFileSync(file, `${crypto.randomBytes(KEY_BYTES).toString("hex")}\n`, { flag: "wx", mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
}

function readKeyFile(file: string): Buffer {
  if (process.platform !== "win32") {
    const mode = fs.statSync(file).mode & 0o777;
    if ((mode & 0o077) !== 0) {
      throw new UserError(
        `Secret key file ${file} is readable by group or others (mode ${mode.toString(8).padStart(4, "0")}); refusing to use it.`,
        `chmod 600 ${file}`,
      );
    }
  }
  return parseSecretKey(fs.readFileSync(file, "utf8"), file);
}

export function createSecretCipher(key: Buffer): SecretCipher {
  if (key.length !== KEY_BYTES) throw new Error(`secret key must be ${KEY_BYTES} bytes, got ${key.length}`);
  const check = crypto
    .createHmac("sha256", key)
    .update("karma secret key check v1")
    .digest("hex")
    .slice(0, 16);
  return {
    encrypt(plaintext, context) {
      const iv = crypto.randomBytes(IV_BYTES);
      const cipher = crypto.createCipheriv("aes-256-gcm", key, iv);
      cipher.setAAD(Buffer.from(context, "utf8"));
      const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
      return Buffer.concat([Buffer.from([ENVELOPE_V1]), iv, cipher.getAuthTag(), body]);
    },
    decrypt(envelope, context) {
      if (envelope.length < 1 + IV_BYTES + TAG_BYTES || envelope[0] !== ENVELOPE_V1) {
        throw new UserError("A SecureString value is corrupt (unknown envelope format).");
      }
      const iv = envelope.subarray(1, 1 + IV_BYTES);
      const tag = envelope.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
      const decipher = crypto.createDecipheriv("aes-256-gcm", key, iv);
      decipher.setAAD(Buffer.from(context, "utf8"));
      decipher.setAuthTag(tag);
      try {
        return Buffer.concat([
          decipher.update(envelope.subarray(1 + IV_BYTES + TAG_BYTES)),
          decipher.final(),
        ]).toString("utf8");
      } catch (error) {
        throw new UserError(
          "A SecureString value could not be decrypted: the secret key differs from the one that encrypted it, or the value was tampered with.",
          `Use the key this store was written with (${SECRET_KEY_ENV}, the file ${SECRET_KEY_FILE_ENV} names, or ${SECRET_KEY_FILE} in the state directory).`,
          { cause: error },
        );
      }
    },
    keyCheck: () => check,
  };
}

/** A cipher that loads (or generates) the key only when a SecureString is first touched. */
export function lazySecretCipher(loadKey: () => Buffer): SecretCipher {
  let cipher: SecretCipher | undefined;
  const get = () => {
    cipher ??= createSecretCipher(loadKey());
    return cipher;
  };
  return {
    encrypt: (plaintext, context) => get().encrypt(plaintext, context),
    decrypt: (envelope, context) => get().decrypt(envelope, context),
    keyCheck: () => get().keyCheck(),
  };
}
