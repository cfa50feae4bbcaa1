/**
 * SSM fidelity with clients Karma did not write: every case in cases.ts goes through boto3 and
 * through aws-sdk-go-v2 (a Go program built with `go build`), against `karma serve` (the built
 * CLI) and against moto's SSM server. Karma must give the outcome AWS documents; where moto
 * agrees with AWS, both answers must match field by field.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDir } from "../../../../testing/cli.js";
import { type Served, serve } from "../../../../testing/serve.js";
import {
  boto3Missing,
  describeWithEngine,
  goClientMissing,
  type MotoServer,
  motoMissing,
  startMotoServer,
} from "../../../parameter-store/ssm/testing/engines.js";
import { CASES, type Call, type DifferentialCase } from "./cases.js";
import { buildGoClient, type Reply, type SdkClient, type SdkName, startSdkClient } from "./sdk-client.js";

interface Target {
  name: "karma" | "moto";
  client: SdkClient;
  arnPrefix: string;
}

/** Replaces `{p}` and `{arn}` in every string of `value`. */
function substitute<T>(value: T, prefix: string, arnPrefix: string): T {
  return JSON.parse(
    JSON.stringify(value, (_key, v: unknown) =>
      typeof v === "string" ? v.replaceAll("{arn}", arnPrefix).replaceAll("{p}", prefix) : v,
    ),
  ) as T;
}

/**
 * What may differ between two faithful servers: dates, account ids in ARNs, the modifying user,
 * SecureString ciphertexts; and how one SDK renders absence (null, empty lists) versus another.
 */
function normalize(value: unknown, decrypted: boolean, omit: readonly string[] = []): unknown {
  if (Array.isArray(value)) return value.map((v) => normalize(v, decrypted, omit));
  if (value === null || typeof value !== "object") {
    return typeof value === "string"
      ? value.replace(/^(arn:aws:ssm:[a-z0-9-]+:)\d{12}:/, "$1<account>:")
      : value;
  }
  const record = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(record).sort()) {
    const v = record[key];
    if (v === null || v === undefined || (Array.isArray(v) && v.length === 0) || omit.includes(key)) continue;
    if (key === "LastModifiedDate") out[key] = "<date>";
    else if (key === "LastModifiedUser") out[key] = "<user>";
    else if (key === "Value" && record.Type === "SecureString" && !decrypted) out[key] = "<ciphertext>";
    else out[key] = normalize(v, decrypted, omit);
  }
  return out;
}

type Outcome = { ok: unknown } | { error: { code: string; message: string } };

function outcome(reply: Reply, where: string): Outcome {
  if ("fault" in reply) throw new Error(`${where}: the client failed: ${reply.fault}`);
  return "ok" in reply ? { ok: reply.ok } : { error: reply.error };
}

async function run(target: Target, c: DifferentialCase, index: number): Promise<Outcome> {
  const prefix = `/diff/c${index}`;
  const resolve = (call: Call) => substitute(call, prefix, target.arnPrefix);
  for (const step of c.setup ?? []) {
    const call = resolve(step);
    const reply = await target.client.call(call.op, call.params);
    if (!step.mayFail && !("ok" in reply))
      throw new Error(`${target.name}: setup ${call.op} failed: ${JSON.stringify(reply)}`);
  }
  const call = resolve(c.call);
  return outcome(await target.client.call(call.op, call.params), target.name);
}

function checkExpected(c: DifferentialCase, got: Outcome, index: number, arnPrefix: string): void {
  const expected = substitute(c.expect, `/diff/c${index}`, arnPrefix);
  if ("error" in expected) {
    expect(got, `expected ${expected.error}`).toHaveProperty("error");
    const error = (got as { error: { code: string; message: string } }).error;
    expect(error.code).toBe(expected.error);
    if (expected.message !== undefined) expect(error.message).toBe(expected.message);
    return;
  }
  expect(got, "expected success").toHaveProperty("ok");
  if (expected.output) expect((got as { ok: unknown }).ok).toMatchObject(expected.output);
}

function differentialSuite(sdk: SdkName, missing: string | undefined): void {
  describeWithEngine(`SSM differential through ${sdk}: karma serve vs moto`, missing, () => {
    let served: Served;
    let moto: MotoServer;
    let karma: Target;
    let reference: Target;
    beforeAll(async () => {
      if (sdk === "go") buildGoClient();
      const dir = tempDir(`diff-${sdk}`);
      writeFileSync(join(dir, "karma.json"), JSON.stringify({ environments: ["dev"] }));
      [served, moto] = await Promise.all([serve(["-C", dir, "serve", "--port", "0"]), startMotoServer()]);
      const credentials = { accessKeyId: "dev", secretAccessKey: "differential" };
      karma = {
        name: "karma",
        client: startSdkClient(sdk, served.url, credentials),
        arnPrefix: "arn:aws:ssm:us-east-1:000000000000:parameter",
      };
      reference = {
        name: "moto",
        client: startSdkClient(sdk, moto.url, credentials),
        arnPrefix: "arn:aws:ssm:us-east-1:123456789012:parameter",
      };
    }, 900_000);
    afterAll(async () => {
      await Promise.all([karma?.client.close(), reference?.client.close()]);
      await Promise.all([served?.stop(), moto?.stop()]);
    });

    CASES.forEach((c, index) => {
      it(c.name, async () => {
        const [mine, theirs] = await Promise.all([run(karma, c, index), run(reference, c, index)]);
        checkExpected(c, mine, index, karma.arnPrefix);
        if (c.motoDiffers !== undefined) return;
        checkExpected(c, theirs, index, reference.arnPrefix);
        const decrypted = c.call.params.WithDecryption === true;
        const omit = c.motoOmits?.fields ?? [];
        if ("ok" in mine && "ok" in theirs)
          expect(normalize(mine.ok, decrypted, omit)).toEqual(normalize(theirs.ok, decrypted, omit));
        else if ("error" in mine && "error" in theirs) expect(mine.error.code).toBe(theirs.error.code);
      });
    });
  });
}

const moto = motoMissing();
differentialSuite("boto3", moto ?? boto3Missing());
differentialSuite("go", moto ?? goClientMissing());

describe("differential cases", () => {
  it("cover every operation karma serve implements", async () => {
    const { operationNames } = await import("../operations.js");
    const exercised = new Set(CASES.flatMap((c) => [c.call, ...(c.setup ?? [])].map((call) => call.op)));
    expect(operationNames.filter((op) => !exercised.has(op))).toEqual([]);
  });
});
