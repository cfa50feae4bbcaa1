/**
 * SecureString values at rest: encrypted per parameter (the namespace and name are the cipher's
 * context, so a ciphertext copied onto another parameter does not decrypt), with one key per file.
 */
import { UserError } from "../../../core/errors.js";
import type { SecretCipher } from "../secrets.js";
import type { Statements } from "./statements.js";
import { KEY_CHECK } from "./validation.js";

export class SecureValues {
  private keyChecked = false;
  private readonly cipher: SecretCipher;
  private readonly sql: Statements;
  private readonly ns: string;

  constructor(cipher: SecretCipher, sql: Statements, ns: string) {
    this.cipher = cipher;
    this.sql = sql;
    this.ns = ns;
  }

  encrypt(name: string, value: string): Buffer {
    this.checkKey();
    return this.cipher.encrypt(value, this.context(name));
  }

  decrypt(name: string, secret: Buffer): string {
    this.checkKey();
    return this.cipher.decrypt(secret, this.context(name));
  }

  private context(name: string): string {
    return `karma/parameter-store\0${this.ns}\0${name}`;
  }

  /** Refuses to mix keys in one file: the first SecureString pins the key's fingerprint. */
  private checkKey(): void {
    if (this.keyChecked) return;
    const check = this.cipher.keyCheck();
    const stored = this.sql.getMeta.get(KEY_CHECK)?.value;
    if (stored === undefined) this.sql.setMeta.run(KEY_CHECK, check);
    else if (stored !== check) {
      throw new UserError(
        `The secret key in use is not the one this store's SecureStrings were encrypted with (key check ${check}, store expects ${stored}).`,
        "Point KARMA_SECRET_KEY_FILE at the original key file (or set KARMA_SECRET_KEY, or restore secret.key in the state directory).",
      );
    }
    this.keyChecked = true;
  }
}
