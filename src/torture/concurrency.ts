/**
 * Concurrency: 8 writers through `karma serve` with the AWS SDK, overwriting one name and many
 * names (every acknowledged version is contiguous, none lost, each holds the value written); and
 * two `karma publish`/`apply` processes on one estate, the second waiting for the lock
 * (`--lock-timeout`), nothing lost.
 */
import fs from "node:fs";
import path from "node:path";
import {
  GetParameterCommand,
  GetParameterHistoryCommand,
  PutParameterCommand,
  SSMClient,
} from "@aws-sdk/client-ssm";
import { openAuditLog } from "../adapters/audit/factory.js";
import { readProjectSettings } from "../adapters/fs/settings-reader.js";
import { commandEstate, commitChanges } from "./estates.js";
import {
  dumpStore,
  hasStackTrace,
  printed,
  runKarmaAsync,
  startKarma,
  type Table,
  writeJson,
} from "./harness.js";

const SECTION = "concurrency";
export const WRITERS = 8;
const WRITES_EACH = 100;

export interface Ack {
  name: string;
  version: number;
  value: string;
}

export function client(url: string): SSMClient {
  return new SSMClient({
    endpoint: url,
    region: "us-east-1",
    credentials: { accessKeyId: "dev", secretAccessKey: "torture" },
    // one attempt: a retried write could land twice and hide or fake a lost version
    maxAttempts: 1,
  });
}

export async function history(ssm: SSMClient, name: string): Promise<Map<number, string>> {
  const versions = new Map<number, string>();
  let token: string | undefined;
  do {
    const page = await ssm.send(
      new GetParameterHistoryCommand({ Name: name, MaxResults: 50, NextToken: token }),
    );
    for (const p of page.Parameters ?? []) versions.set(p.Version!, p.Value!);
    token = page.NextToken;
  } while (token);
  return versions;
}

/** Contiguous 1..n, the latest is n with its value, and every kept version holds what was acknowledged. */
async function verify(ssm: SSMClient, acks: Ack[]): Promise<string | undefined> {
  const byName = new Map<string, Ack[]>();
  for (const a of acks) byName.set(a.name, [...(byName.get(a.name) ?? []), a]);
  for (const [name, list] of byName) {
    const versions = list.map((a) => a.version).sort((a, b) => a - b);
    for (let i = 0; i < versions.length; i++)
      if (versions[i] !== i + 1)
        return `${name}: acknowledged versions are not 1..${versions.length} (at ${i + 1}: ${versions[i]})`;
    const latest = (await ssm.send(new GetParameterCommand({ Name: name }))).Parameter!;
    const last = list.find((a) => a.version === versions.length)!;
    if (latest.Version !== last.version || latest.Value !== last.value)
      return `${name}: latest is v${latest.Version} "${latest.Value}", expected v${last.version} "${last.value}"`;
    const kept = await history(ssm, name);
    for (const a of list) {
      const value = kept.get(a.version);
      if (value !== undefined && value !== a.value)
        return `${name} v${a.version} holds "${value}", acknowledged "${a.value}"`;
    }
    if (kept.size !== Math.min(100, list.length)) return `${name}: history keeps ${kept.size} versions`;
  }
  return undefined;
}

export async function writers(
  url: string,
  nameOf: (writer: number, i: number) => string,
): Promise<{ acks: Ack[]; errors: string[] }> {
  const acks: Ack[] = [];
  const errors: string[] = [];
  await Promise.all(
    Array.from({ length: WRITERS }, async (_, w) => {
      const ssm = client(url);
      for (let i = 0; i < WRITES_EACH; i++) {
        const name = nameOf(w, i);
        const value = `writer ${w} write ${i}`;
        try {
          const out = await ssm.send(
            new PutParameterCommand({ Name: name, Value: value, Type: "String", Overwrite: true }),
          );
          acks.push({ name, version: out.Version!, value });
        } catch (error) {
          errors.push(`${name}: ${(error as Error).name}: ${(error as Error).message}`);
        }
      }
      ssm.destroy();
    }),
  );
  return { acks, errors };
}

async function serveWriters(table: Table, work: string, runs: number): Promise<void> {
  const dir = commandEstate(path.join(work, "serve"), 1);
  const serve = startKarma(["-C", dir, "serve", "--port", "0"], { timeoutMs: 30 * 60_000 });
  let url = "";
  serve.child.stdout!.on("data", (d: Buffer) => {
    url ||= /SSM API at (http:\/\/[^\s]+)/.exec(d.toString())?.[1] ?? "";
  });
  try {
    await printed(serve, "SSM API at");
    const ssm = client(url);
    for (let run = 0; run < runs; run++) {
      await table.trial(SECTION, `${WRITERS} SDK writers × ${WRITES_EACH} on one name`, async () => {
        const { acks, errors } = await writers(url, () => `/torture/one-${run}`);
        if (errors.length) return `${errors.length} writes failed: ${errors[0]}`;
        return verify(ssm, acks);
      });
      await table.trial(SECTION, `${WRITERS} SDK writers × ${WRITES_EACH} over 25 names`, async () => {
        const { acks, errors } = await writers(
          url,
          (w, i) => `/torture/many-${run}/p${(w * 13 + i * 7) % 25}`,
        );
        if (errors.length) return `${errors.length} writes failed: ${errors[0]}`;
        return verify(ssm, acks);
      });
    }
    ssm.destroy();
  } finally {
    serve.child.kill("SIGTERM");
    await serve.done;
  }
}

async function unfinishedApplies(dir: string): Promise<number> {
  const audit = openAuditLog(readProjectSettings(dir));
  try {
    const entries = await audit.query({ action: "apply" });
    const ended = new Set(entries.map((e) => e.details.started));
    return entries.filter((e) => e.status === "started" && !ended.has(e.id)).length;
  } finally {
    await audit.close();
  }
}

/** Two writers on one estate at once: both succeed (one waits), and the store matches Git. */
async function twoProcesses(table: Table, work: string, runs: number): Promise<void> {
  const dir = commandEstate(path.join(work, "two"), 6);
  for (let run = 0; run < runs; run++) {
    for (const [label, second] of [
      ["publish + apply", ["publish", "--lock-timeout", "5m"]],
      ["apply + apply", ["apply", "--auto-approve", "--lock-timeout", "5m"]],
    ] as const) {
      await table.trial(SECTION, `two processes on one estate: ${label} (--lock-timeout)`, async () => {
        // a change for both to carry out
        for (const nick of ["s000", "s003"]) {
          const file = path.join(dir, "iac/dev/step", nick, "config.json");
          const config = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
          writeJson(file, { ...config, n: Number(config.n) + 1 });
        }
        commitChanges(dir, `${label} run ${run}`);
        const [a, b] = await Promise.all([
          runKarmaAsync(["-C", dir, "apply", "--auto-approve", "--lock-timeout", "5m"]),
          runKarmaAsync(["-C", dir, ...second], { env: { KARMA_ACTOR: "second@karma" } }),
        ]);
        for (const [which, r] of [
          ["first", a],
          ["second", b],
        ] as const) {
          if (r.timedOut) return `${which} hung`;
          if (hasStackTrace(r.stderr)) return `${which} printed a stack trace`;
          if (r.code !== 0) return `${which} exited ${r.code}: ${r.stderr.trim().split("\n")[0]}`;
        }
        // whichever ran first, the other saw its writes: everything is published and deployed
        const status = await runKarmaAsync(["-C", dir, "status", "--json"]);
        const summary = (JSON.parse(status.stdout) as { summary: Record<string, number> }).summary;
        if (summary["in-sync"] !== 6) return `status after both: ${JSON.stringify(summary)}`;
        const store = await dumpStore(dir, "dev");
        for (const nick of ["s000", "s003"]) {
          const file = JSON.parse(
            fs.readFileSync(path.join(dir, "iac/dev/step", nick, "config.json"), "utf8"),
          ) as { n: number };
          const runtime = store.get(`/iac/step/${nick}/runtime`) ?? "";
          if (!runtime.includes(`"${nick}-${file.n}"`))
            return `${nick}: runtime ${runtime} does not reflect n=${file.n}`;
        }
        const open = await unfinishedApplies(dir);
        return open === 0 ? undefined : `${open} apply entries started and never ended`;
      });
    }
  }
}

export async function concurrencySection(
  table: Table,
  options: { work: string; runs: number },
): Promise<void> {
  await serveWriters(table, options.work, options.runs);
  await twoProcesses(table, options.work, options.runs);
}
