/**
 * The embedded store where it once differed from AWS or could be stalled by a client: AllowedPattern
 * in linear time, aws:ec2:image values, parameter ARNs as names, the reserved /aws paths.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isParameterStoreError } from "../../../ports/parameter-store.js";
import { createSecretCipher } from "../secrets.js";
import { SqliteParameterStore } from "./sqlite-store.js";

let dir: string;
let store: SqliteParameterStore;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "karma-fidelity-"));
  store = new SqliteParameterStore({
    file: path.join(dir, "karma.db"),
    namespace: "dev",
    secrets: createSecretCipher(crypto.randomBytes(32)),
    region: "eu-west-1",
    accountId: "111122223333",
  });
});
afterAll(async () => {
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function errorOf(promise: Promise<unknown>): Promise<{ name: string; message: string }> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isParameterStoreError(error)) throw new Error(`expected a store error, got ${String(error)}`);
  return error;
}

describe("AllowedPattern", () => {
  it("evaluates a catastrophic-backtracking pattern on a long value without stalling", async () => {
    // With JavaScript's RegExp this takes longer than the universe has; RE2 answers in microseconds.
    const error = await errorOf(
      store.putParameter({
        name: "/hostile/redos",
        value: `${"a".repeat(4000)}!`,
        type: "String",
        allowedPattern: "^(a+)+$",
      }),
    );
    expect(error.name).toBe("ParameterPatternMismatchException");
    await expect(store.getParameter("/hostile/redos")).rejects.toMatchObject({ name: "ParameterNotFound" });
    const ok = await store.putParameter({
      name: "/hostile/redos",
      value: "a".repeat(4000),
      type: "String",
      allowedPattern: "^(a+)+$",
    });
    expect(ok.version).toBe(1);
  });

  it("searches like AWS (anchors are the pattern's), and keeps the pattern for later versions", async () => {
    await store.putParameter({
      name: "/p/digits",
      value: "port 8080",
      type: "String",
      allowedPattern: "\\d+",
    });
    const error = await errorOf(store.putParameter({ name: "/p/digits", value: "none", overwrite: true }));
    expect(error.name).toBe("ParameterPatternMismatchException");
    expect(error.message).toBe("Parameter value, cannot be validated against allowedPattern: \\d+");
  });

  it("refuses backreferences and lookaround with a ValidationException that says why", async () => {
    for (const pattern of ["^(a)\\1$", "^(?=a)a$"]) {
      const error = await errorOf(
        store.putParameter({ name: "/p/unsupported", value: "aa", type: "String", allowedPattern: pattern }),
      );
      expect(error.name).toBe("ValidationException");
      expect(error.message).toContain("backreferences and lookaround are not supported");
    }
  });
});

describe("DataType aws:ec2:image", () => {
  it("stores an AMI id and refuses anything else without creating the parameter", async () => {
    const good = await store.putParameter({
      name: "/ami/web",
      value: "ami-0abcdef1234567890",
      type: "String",
      dataType: "aws:ec2:image",
    });
    expect(good.version).toBe(1);
    for (const value of ["not-an-ami", "ami-XYZ", "ami-0abc", " ami-0abcdef1234567890"]) {
      const error = await errorOf(
        store.putParameter({ name: "/ami/bad", value, type: "String", dataType: "aws:ec2:image" }),
      );
      expect(error.name).toBe("ValidationException");
      expect(error.message).toContain("not a valid AMI id");
    }
    await expect(store.getParameter("/ami/bad")).rejects.toMatchObject({ name: "ParameterNotFound" });
    // An update with a bad value leaves the current version alone.
    await errorOf(store.putParameter({ name: "/ami/web", value: "latest", overwrite: true }));
    expect((await store.getParameter("/ami/web")).version).toBe(1);
  });

  it("never changes a parameter to or from aws:ec2:image", async () => {
    await store.putParameter({ name: "/ami/text", value: "ami-12345678", type: "String" });
    const error = await errorOf(
      store.putParameter({
        name: "/ami/text",
        value: "ami-12345678",
        overwrite: true,
        dataType: "aws:ec2:image",
      }),
    );
    expect(error.message).toContain("can't be changed from text to aws:ec2:image");
  });
});

describe("parameter ARNs as names", () => {
  const arn = (name: string) => `arn:aws:ssm:eu-west-1:111122223333:parameter${name}`;

  it("GetParameter, GetParameters and GetParameterHistory accept the parameter's ARN", async () => {
    await store.putParameter({ name: "/arn/app/host", value: "v1", type: "String" });
    await store.putParameter({ name: "/arn/app/host", value: "v2", overwrite: true });
    await store.putParameter({ name: "flat", value: "top", type: "String" });

    const byArn = await store.getParameter(arn("/arn/app/host"));
    expect(byArn).toMatchObject({ name: "/arn/app/host", value: "v2", arn: arn("/arn/app/host") });
    expect((await store.getParameter(`${arn("/arn/app/host")}:1`)).value).toBe("v1");
    // A name without a slash has the ARN ".../parameter/flat".
    expect((await store.getParameter(arn("/flat"))).name).toBe("flat");

    const batch = await store.getParameters([arn("/arn/app/host"), arn("/arn/none")]);
    expect(batch.parameters.map((p) => p.value)).toEqual(["v2"]);
    expect(batch.invalidParameters).toEqual([arn("/arn/none")]);

    const history = await store.getParameterHistory({ name: arn("/arn/app/host") });
    expect(history.items.map((h) => h.value)).toEqual(["v1", "v2"]);
  });

  it("an ARN of another account or region names nothing here", async () => {
    for (const other of [
      "arn:aws:ssm:us-east-1:111122223333:parameter/arn/app/host",
      "arn:aws:ssm:eu-west-1:999999999999:parameter/arn/app/host",
    ]) {
      const error = await errorOf(store.getParameter(other));
      expect(error).toMatchObject({ name: "ParameterNotFound", message: `Parameter ${other} not found.` });
    }
  });
});

describe("the reserved /aws paths", () => {
  it("GetParametersByPath under /aws/service answers like a path with nothing under it", async () => {
    const page = await store.getParametersByPath({
      path: "/aws/service/ami-amazon-linux-latest",
      recursive: true,
    });
    expect(page).toEqual({ items: [] });
    await expect(
      store.getParameter("/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"),
    ).rejects.toMatchObject({ name: "ParameterNotFound" });
  });

  it("no parameter can be created there", async () => {
    const error = await errorOf(
      store.putParameter({ name: "/aws/service/mine", value: "x", type: "String" }),
    );
    expect(error).toMatchObject({
      name: "AccessDeniedException",
      message: "No access to reserved parameter name: /aws/service/mine.",
    });
  });
});
