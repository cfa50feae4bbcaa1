/**
 * Sync benchmark: how many SSM API calls it takes to read a whole prefix, naively
 * (GetParametersByPath, 10 per call) versus with the ssm backend's incremental sync
 * (DescribeParameters 50 per call, then GetParameters ×10 for what changed), after 1% of the
 * parameters changed. The calls are counted by the server (`karma serve` over the embedded
 * store), the way AWS would bill and throttle them; the incremental result is checked against
 * the naive read.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { startServer } from "../adapters/http/server.js";
import { CallCounter } from "../adapters/http/ssm-protocol/call-counter.js";
import { createSecretCipher } from "../adapters/parameter-store/secrets.js";
import { SqliteParameterStore } from "../adapters/parameter-store/sqlite/sqlite-store.js";
import { SsmParameterStore } from "../adapters/parameter-store/ssm/ssm-parameter-store.js";
import type { Parameter, PutParameterInput } from "../ports/parameter-store.js";

export interface SsmSyncBenchOptions {
  /** Default 20,000. */
  parameters?: number;
  /** Default 0.01. */
  changedFraction?: number;
  /** Parallel calls of the ssm backend. Default 4. */
  concurrency?: number;
}

export interface CallFigures {
  calls: number;
  byOperation: Record<string, number>;
  ms: number;
}

export interface SsmSyncBenchResult {
  parameters: number;
  changed: number;
  /** First sync with an empty cache (every value fetched). */
  coldSync: CallFigures;
  /** GetParametersByPath over the whole prefix after the changes. */
  naive: CallFigures;
  /** Incremental sync after the changes. */
  incremental: CallFigures & { fetched: number; fromCache: number };
  /** incremental.calls / naive.calls */
  ratio: number;
  /** The incremental result equals the naive read (name, type, value, version of every parameter). */
  valuesMatch: boolean;
}

const PREFIX = "/bench";

function names(i: number): string {
  // A realistic shape: <prefix>/<type>/<nickname>/config|runtime, 50 types.
  return `${PREFIX}/type${i % 50}/nick${Math.floor(i / 100)}/${i % 2 === 0 ? "config" : "runtime"}-${i}`;
}

async function measure<T>(
  counter: CallCounter,
  run: () => Promise<T>,
): Promise<{ value: T; figures: CallFigures }> {
  counter.reset();
  const start = performance.now();
  const value = await run();
  return {
    value,
    figures: { calls: counter.total(), byOperation: counter.snapshot(), ms: performance.now() - start },
  };
}

const fingerprint = (ps: readonly Parameter[]) =>
  JSON.stringify(
    [...ps].sort((a, b) => (a.name < b.name ? -1 : 1)).map((p) => [p.name, p.type, p.value, p.version]),
  );

export async function benchSsmSync(options: SsmSyncBenchOptions = {}): Promise<SsmSyncBenchResult> {
  const total = options.parameters ?? 20_000;
  const changed = Math.round(total * (options.changedFraction ?? 0.01));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "karma-bench-ssm-"));
  const embedded = new SqliteParameterStore({
    file: path.join(dir, "server.db"),
    namespace: "bench",
    secrets: createSecretCipher(crypto.randomBytes(32)),
  });
  const counter = new CallCounter();
  const server = await startServer({ port: 0, ssm: { storeFor: () => embedded, counter } });
  const client = new SsmParameterStore({
    endpoint: server.url,
    region: "us-east-1",
    credentials: { accessKeyId: "bench", secretAccessKey: "bench" },
    concurrency: options.concurrency ?? 4,
    cacheDatabase: path.join(dir, "client.db"),
    cacheScope: "bench",
  });
  try {
    const seed: PutParameterInput[] = Array.from({ length: total }, (_, i) => ({
      name: names(i),
      value: JSON.stringify({ index: i, note: "x".repeat(40) }),
      type: "String",
    }));
    for (let i = 0; i < seed.length; i += 1000) await embedded.putParameters(seed.slice(i, i + 1000));

    const cold = await measure(counter, () => client.readTree(PREFIX));

    // Change an evenly spread 1%.
    const step = Math.max(1, Math.floor(total / Math.max(changed, 1)));
    const updates: PutParameterInput[] = [];
    for (let k = 0; k < changed; k++)
      updates.push({ name: names((k * step) % total), value: `changed-${k}`, overwrite: true });
    await embedded.putParameters(updates);

    const naive = await measure(counter, async () => {
      const all: Parameter[] = [];
      let nextToken: string | undefined;
      do {
        const page = await client.getParametersByPath({
          path: PREFIX,
          recursive: true,
          maxResults: 10,
          nextToken,
        });
        all.push(...page.items);
        nextToken = page.nextToken;
      } while (nextToken);
      return all;
    });
    const incremental = await measure(counter, () => client.readTree(PREFIX));
    const stats = client.lastSyncStats ?? { listed: 0, fromCache: 0, fetched: 0 };
    return {
      parameters: total,
      changed,
      coldSync: cold.figures,
      naive: naive.figures,
      incremental: { ...incremental.figures, fetched: stats.fetched, fromCache: stats.fromCache },
      ratio: incremental.figures.calls / Math.max(naive.figures.calls, 1),
      valuesMatch:
        incremental.value.length === total && fingerprint(incremental.value) === fingerprint(naive.value),
    };
  } finally {
    await client.close();
    await server.close();
    await embedded.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Human-readable summary lines. */
export function formatSsmSyncBench(r: SsmSyncBenchResult): string {
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  return [
    `ssm sync: ${r.parameters} parameters, ${r.changed} changed`,
    `  naive read (GetParametersByPath ×10):   ${r.naive.calls} calls, ${s(r.naive.ms)}`,
    `  incremental sync (Describe ×50 + Get ×10): ${r.incremental.calls} calls, ${s(r.incremental.ms)} (${r.incremental.fetched} values fetched)`,
    `  ratio incremental/naive: ${r.ratio.toFixed(3)} (${(1 / r.ratio).toFixed(1)}x fewer calls); values match: ${r.valuesMatch}`,
    `  cold sync (empty cache): ${r.coldSync.calls} calls, ${s(r.coldSync.ms)}`,
  ].join("\n");
}
