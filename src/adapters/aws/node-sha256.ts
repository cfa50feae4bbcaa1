/**
 * SHA-256 / HMAC-SHA256 from node:crypto behind the hash interface `@smithy/signature-v4` expects,
 * so signing and verifying SigV4 need no extra crypto package.
 */
import { createHash, createHmac, type Hash, type Hmac } from "node:crypto";

export class NodeSha256 {
  private hash: Hash | Hmac;
  constructor(private readonly secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = this.fresh();
  }
  private fresh(): Hash | Hmac {
    if (this.secret === undefined) return createHash("sha256");
    const key =
      typeof this.secret === "string"
        ? this.secret
        : ArrayBuffer.isView(this.secret)
          ? Buffer.from(this.secret.buffer, this.secret.byteOffset, this.secret.byteLength)
          : Buffer.from(this.secret);
    return createHmac("sha256", key);
  }
  update(data: string | Uint8Array): void {
    this.hash.update(data);
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {
    this.hash = this.fresh();
  }
}
