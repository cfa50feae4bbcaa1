/**
 * Conformance run 4: the Debian AWS CLI (`/usr/bin/aws`, botocore) against `karma serve`'s SSM
 * endpoint — output, error text and exit codes as the CLI shows them against AWS.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { AWS_CLI, awsCliMissing, describeWithEngine } from "../../parameter-store/ssm/testing/engines.js";
import { type LocalSsm, startLocalSsm } from "../testing/local-ssm.js";

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  // biome-ignore lint/suspicious/noExplicitAny: the CLI's JSON output, pinned down by the assertions
  json: Record<string, any>;
}

/** Runs `/usr/bin/aws … ssm <args>` against `url` with only these credentials (no user config, no pager). */
function runAws(url: string, home: string, secret: string, args: readonly string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      AWS_CLI,
      ["--endpoint-url", url, "--region", "us-east-1", "--output", "json", "ssm", ...args],
      {
        env: {
          PATH: process.env.PATH ?? "/usr/bin:/bin",
          HOME: home,
          AWS_CONFIG_FILE: path.join(home, "config"),
          AWS_SHARED_CREDENTIALS_FILE: path.join(home, "credentials"),
          AWS_ACCESS_KEY_ID: "dev",
          AWS_SECRET_ACCESS_KEY: secret,
          AWS_PAGER: "",
        },
        timeout: 60_000,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, stdout, stderr, json: stdout.trim() ? JSON.parse(stdout) : {} });
      },
    );
  });
}

describeWithEngine("AWS CLI scenario against karma serve", awsCliMissing(), () => {
  let local: LocalSsm;
  let home: string;

  beforeAll(async () => {
    local = await startLocalSsm();
    home = path.join(local.dir, "home");
    fs.mkdirSync(home);
  });
  afterAll(async () => {
    await local?.close();
  });

  const aws = (...args: string[]) => runAws(local.server.url, home, "local-secret", args);

  it("puts String and SecureString parameters, and refuses to overwrite without --overwrite", async () => {
    const put = await aws("put-parameter", "--name", "/cli/app/host", "--value", "db-1", "--type", "String");
    expect(put.code).toBe(0);
    expect(put.json).toEqual({ Version: 1, Tier: "Standard" });

    const secret = await aws(
      "put-parameter",
      "--name",
      "/cli/app/password",
      "--value",
      "s3cret-value",
      "--type",
      "SecureString",
    );
    expect(secret.json.Version).toBe(1);

    const again = await aws(
      "put-parameter",
      "--name",
      "/cli/app/host",
      "--value",
      "db-2",
      "--type",
      "String",
    );
    expect(again.code).toBe(254);
    expect(again.stdout).toBe("");
    expect(again.stderr.trim()).toBe(
      "An error occurred (ParameterAlreadyExists) when calling the PutParameter operation: The parameter already exists. To overwrite this request value, set the overwrite option in the request to true.",
    );

    const overwrite = await aws("put-parameter", "--name", "/cli/app/host", "--value", "db-2", "--overwrite");
    expect(overwrite.code).toBe(0);
    expect(overwrite.json).toEqual({ Version: 2, Tier: "Standard" });
  });

  it("gets values: SecureString only decrypted with --with-decryption; timestamps parse", async () => {
    const plain = await aws("get-parameter", "--name", "/cli/app/host");
    expect(plain.json.Parameter).toMatchObject({
      Name: "/cli/app/host",
      Type: "String",
      Value: "db-2",
      Version: 2,
      DataType: "text",
    });
    expect(plain.json.Parameter.ARN).toMatch(/^arn:aws:ssm:us-east-1:\d{12}:parameter\/cli\/app\/host$/);
    // The CLI renders epoch-seconds timestamps as ISO dates; a wrong wire type would fail here.
    expect(Number.isNaN(Date.parse(plain.json.Parameter.LastModifiedDate))).toBe(false);

    const encrypted = await aws("get-parameter", "--name", "/cli/app/password");
    expect(encrypted.json.Parameter.Type).toBe("SecureString");
    expect(encrypted.json.Parameter.Value).not.toContain("s3cret-value");

    const decrypted = await aws("get-parameter", "--name", "/cli/app/password", "--with-decryption");
    expect(decrypted.json.Parameter.Value).toBe("s3cret-value");
  });

  it("the SecureString is encrypted at rest in the embedded database", async () => {
    const db = fs.readFileSync(path.join(local.dir, "karma.db"));
    const wal = fs.existsSync(path.join(local.dir, "karma.db-wal"))
      ? fs.readFileSync(path.join(local.dir, "karma.db-wal"))
      : Buffer.alloc(0);
    expect(db.includes("s3cret-value")).toBe(false);
    expect(wal.includes("s3cret-value")).toBe(false);
  });

  it("selects versions and labels with name:version and name:label", async () => {
    const v1 = await aws("get-parameter", "--name", "/cli/app/host:1");
    expect(v1.json.Parameter).toMatchObject({ Value: "db-1", Version: 1, Selector: ":1" });

    const label = await aws(
      "label-parameter-version",
      "--name",
      "/cli/app/host",
      "--parameter-version",
      "1",
      "--labels",
      "stable",
    );
    expect(label.json).toEqual({ InvalidLabels: [], ParameterVersion: 1 });

    const stable = await aws("get-parameter", "--name", "/cli/app/host:stable");
    expect(stable.json.Parameter).toMatchObject({ Value: "db-1", Version: 1, Selector: ":stable" });
  });

  it("get-parameters reports a missing name in InvalidParameters", async () => {
    const result = await aws("get-parameters", "--names", "/cli/app/host", "/cli/app/missing");
    expect(result.code).toBe(0);
    expect(result.json.Parameters.map((p: { Name: string }) => p.Name)).toEqual(["/cli/app/host"]);
    expect(result.json.InvalidParameters).toEqual(["/cli/app/missing"]);
  });

  it("get-parameters-by-path --recursive --page-size 1 follows NextToken across pages", async () => {
    for (const name of ["/cli/tree/a", "/cli/tree/b", "/cli/tree/deep/c", "/cli/tree/deep/er/d"])
      expect(
        (await aws("put-parameter", "--name", name, "--value", `v-${name}`, "--type", "String")).code,
      ).toBe(0);
    local.counter.reset();
    const result = await aws(
      "get-parameters-by-path",
      "--path",
      "/cli/tree",
      "--recursive",
      "--page-size",
      "1",
    );
    expect(result.code).toBe(0);
    expect(result.json.Parameters.map((p: { Name: string }) => p.Name).sort()).toEqual([
      "/cli/tree/a",
      "/cli/tree/b",
      "/cli/tree/deep/c",
      "/cli/tree/deep/er/d",
    ]);
    // One request per page of one (the last page may be empty or carry the last item).
    expect(local.counter.snapshot().GetParametersByPath).toBeGreaterThanOrEqual(4);

    const oneLevel = await aws("get-parameters-by-path", "--path", "/cli/tree");
    expect(oneLevel.json.Parameters.map((p: { Name: string }) => p.Name).sort()).toEqual([
      "/cli/tree/a",
      "/cli/tree/b",
    ]);
  });

  it("shows history with labels", async () => {
    const history = await aws("get-parameter-history", "--name", "/cli/app/host");
    expect(history.code).toBe(0);
    expect(
      history.json.Parameters.map((p: { Version: number; Value: string; Labels: string[] }) => [
        p.Version,
        p.Value,
        p.Labels,
      ]),
    ).toEqual([
      [1, "db-1", ["stable"]],
      [2, "db-2", []],
    ]);
  });

  it("describes parameters with filters", async () => {
    const described = await aws(
      "describe-parameters",
      "--parameter-filters",
      "Key=Path,Option=Recursive,Values=/cli/app",
      "Key=Type,Values=SecureString",
    );
    expect(described.code).toBe(0);
    expect(described.json.Parameters).toHaveLength(1);
    expect(described.json.Parameters[0]).toMatchObject({
      Name: "/cli/app/password",
      Type: "SecureString",
      KeyId: "alias/aws/ssm",
      Version: 1,
      Tier: "Standard",
    });
    expect(described.json.Parameters[0].Value).toBeUndefined();
  });

  it("tags a parameter", async () => {
    expect(
      (
        await aws(
          "add-tags-to-resource",
          "--resource-type",
          "Parameter",
          "--resource-id",
          "/cli/app/host",
          "--tags",
          "Key=team,Value=core",
        )
      ).code,
    ).toBe(0);
    const tags = await aws(
      "list-tags-for-resource",
      "--resource-type",
      "Parameter",
      "--resource-id",
      "/cli/app/host",
    );
    expect(tags.json).toEqual({ TagList: [{ Key: "team", Value: "core" }] });
  });

  it("deletes, then reports ParameterNotFound as AWS does (exit 254), naming the parameter", async () => {
    const deleted = await aws("delete-parameter", "--name", "/cli/app/host");
    expect(deleted.code).toBe(0);
    expect(deleted.stdout).toBe("");

    const missing = await aws("get-parameter", "--name", "/cli/app/host");
    expect(missing.code).toBe(254);
    expect(missing.stderr.trim()).toBe(
      "An error occurred (ParameterNotFound) when calling the GetParameter operation: Parameter /cli/app/host not found.",
    );

    const batch = await aws("delete-parameters", "--names", "/cli/app/password", "/cli/app/host");
    expect(batch.json).toEqual({
      DeletedParameters: ["/cli/app/password"],
      InvalidParameters: ["/cli/app/host"],
    });
  });

  it("reports AWS-style validation errors", async () => {
    const result = await aws(
      "get-parameters-by-path",
      "--path",
      "/cli",
      "--max-items",
      "5",
      "--page-size",
      "11",
    );
    expect(result.code).toBe(254);
    expect(result.stderr).toContain(
      "An error occurred (ValidationException) when calling the GetParametersByPath operation: 1 validation error detected: Value '11' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 10",
    );
  });
});

describeWithEngine("AWS CLI against karma serve --auth sigv4", awsCliMissing(), () => {
  let local: LocalSsm;
  let home: string;
  beforeAll(async () => {
    local = await startLocalSsm({ credentials: new Map([["dev", "right-secret"]]) });
    home = path.join(local.dir, "home");
    fs.mkdirSync(home);
  });
  afterAll(async () => {
    await local?.close();
  });

  it("accepts botocore's signatures with the right secret and refuses a wrong one", async () => {
    const args = ["put-parameter", "--name", "/sig/a", "--value", "v", "--type", "String"];
    const ok = await runAws(local.server.url, home, "right-secret", args);
    expect(ok.code).toBe(0);
    expect(ok.json).toEqual({ Version: 1, Tier: "Standard" });
    const wrong = await runAws(local.server.url, home, "wrong-secret", ["get-parameter", "--name", "/sig/a"]);
    expect(wrong.code).toBe(254);
    expect(wrong.stderr).toContain(
      "An error occurred (InvalidSignatureException) when calling the GetParameter operation: The request signature we calculated does not match",
    );
  });
});
