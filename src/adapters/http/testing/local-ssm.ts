/**
 * Test fixture: `karma serve`'s server over a real embedded store in a temp directory, on an
 * ephemeral port, with the SDK-backed `SsmParameterStore` as a client.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createSecretCipher } from "../../parameter-store/secrets.js";
import { SqliteParameterStore } from "../../parameter-store/sqlite/sqlite-store.js";
import {
  SsmParameterStore,
  type SsmParameterStoreOptions,
} from "../../parameter-store/ssm/ssm-parameter-store.js";
import { type RunningServer, startServer } from "../server.js";
import { CallCounter } from "../ssm-protocol/call-counter.js";
import type { SsmProtocolOptions } from "../ssm-protocol/handler.js";

export interface LocalSsm {
  server: RunningServer;
  /** The embedded store the server serves (namespace "dev"). */
  embedded: SqliteParameterStore;
  counter: CallCounter;
  dir: string;
  /** An SDK client of the server. */
  client(options?: Partial<SsmParameterStoreOptions>): SsmParameterStore;
  close(): Promise<void>;
}

export async function startLocalSsm(
  protocol: Partial<Omit<SsmProtocolOptions, "storeFor" | "counter">> = {},
): Promise<LocalSsm> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "karma-serve-"));
  const embedded = new SqliteParameterStore({
    file: path.join(dir, "karma.db"),
    namespace: "dev",
    secrets: createSecretCipher(crypto.randomBytes(32)),
  });
  const counter = new CallCounter();
  const server = await startServer({
    port: 0,
    ssm: { ...protocol, storeFor: () => embedded, counter },
  });
  const clients: SsmParameterStore[] = [];
  return {
    server,
    embedded,
    counter,
    dir,
    client(options = {}) {
      const client = new SsmParameterStore({
        endpoint: server.url,
        region: "us-east-1",
        credentials: { accessKeyId: "dev", secretAccessKey: "local" },
        ...options,
      });
      clients.push(client);
      return client;
    },
    async close() {
      for (const c of clients) await c.close();
      await server.close();
      await embedded.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
