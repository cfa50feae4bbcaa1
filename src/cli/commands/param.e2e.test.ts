/**
 * `karma param` as a user runs it: the built CLI (`npm run build` first) on a temp estate with the
 * embedded store. A canary SecureString must never show up in any output or in any file other
 * than the encrypted database — and not even there in clear.
 */
import { spawn } from "node:child_process";
import crypto from "node:crypto";
import { statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { type CliRun, filesContaining, KARMA_BIN, runKarma, tempDir } from "../../testing/cli.js";

function estate(settings: object = {}): string {
  const dir = tempDir("param");
  writeFileSync(join(dir, "karma.json"), JSON.stringify(settings));
  return dir;
}

const ok = (run: CliRun) => {
  expect(run.stderr).toBe("");
  expect(run.code).toBe(0);
  return run;
};

describe("karma param", () => {
  let dir: string;
  const karma = (...args: string[]) => runKarma(["-C", dir, "param", ...args]);
  beforeAll(() => {
    dir = estate();
  });

  it("puts, gets, lists, labels and shows history", () => {
    expect(
      ok(karma("put", "/iac/vpc/main/config", '{"cidr":"10.0.0.0/16"}', "--type", "String")).stdout,
    ).toBe("/iac/vpc/main/config: version 1 (Standard)\n");
    ok(
      karma(
        "put",
        "/iac/vpc/main/config",
        '{"cidr":"10.1.0.0/16"}',
        "--overwrite",
        "--description",
        "second",
      ),
    );
    expect(ok(karma("get", "/iac/vpc/main/config")).stdout).toBe('{"cidr":"10.1.0.0/16"}\n');
    expect(ok(karma("get", "/iac/vpc/main/config:1")).stdout).toBe('{"cidr":"10.0.0.0/16"}\n');

    const got = JSON.parse(ok(karma("get", "/iac/vpc/main/config", "--json")).stdout);
    expect(got).toMatchObject({
      version: 1,
      parameter: { name: "/iac/vpc/main/config", version: 2, type: "String" },
    });

    ok(karma("put", "/iac/vpc/other/config", "x", "--type", "String"));
    const listed = JSON.parse(ok(karma("ls", "/iac/vpc", "--recursive", "--json")).stdout);
    expect(listed.parameters.map((p: { name: string }) => p.name)).toEqual([
      "/iac/vpc/main/config",
      "/iac/vpc/other/config",
    ]);
    // One level by default: nothing directly under /iac/vpc.
    expect(ok(karma("ls", "/iac/vpc", "--json")).stdout).toContain('"parameters": []');
    // Default path is the environment's prefix (/iac).
    expect(ok(karma("ls", "-r")).stdout).toMatch(/\/iac\/vpc\/main\/config\s+String\s+2/);

    expect(ok(karma("label", "/iac/vpc/main/config", "prod", "--version", "1")).stdout).toBe(
      "/iac/vpc/main/config: version 1 labelled prod\n",
    );
    expect(ok(karma("get", "/iac/vpc/main/config:prod")).stdout).toBe('{"cidr":"10.0.0.0/16"}\n');
    const history = JSON.parse(ok(karma("history", "/iac/vpc/main/config", "--json")).stdout);
    expect(history.versions.map((v: { version: number; labels: string[] }) => [v.version, v.labels])).toEqual(
      [
        [1, ["prod"]],
        [2, []],
      ],
    );
    expect(history.versions[1].description).toBe("second");

    // the version may come first, as in `param label NAME 2 stable`: version 2, nothing else
    expect(ok(karma("label", "/iac/vpc/main/config", "1", "stable", "blue")).stdout).toBe(
      "/iac/vpc/main/config: version 1 labelled stable, blue\n",
    );
    const labelled = JSON.parse(ok(karma("history", "/iac/vpc/main/config", "--json")).stdout);
    expect(labelled.versions.map((v: { labels: string[] }) => v.labels)).toEqual([
      ["blue", "prod", "stable"],
      [],
    ]);
    const twice = karma("label", "/iac/vpc/main/config", "2", "x", "--version", "1");
    expect([twice.code, twice.stderr.split("\n")[0]]).toEqual([
      1,
      "karma: two versions to label: 2 and --version 1",
    ]);
    const none = karma("label", "/iac/vpc/main/config", "2");
    expect([none.code, none.stderr.split("\n")[0]]).toEqual([1, "karma: no label to attach to version 2"]);

    expect(ok(karma("rm", "/iac/vpc/other/config")).stdout).toBe("deleted /iac/vpc/other/config\n");
  });

  it("reports store errors with SSM's names, exit 1 and no stack trace", () => {
    const missing = karma("get", "/iac/none");
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^karma: ParameterNotFound: /);
    expect(missing.stderr).not.toMatch(/\n\s+at /);

    ok(karma("put", "/iac/once", "v", "--type", "String"));
    const again = karma("put", "/iac/once", "v2");
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^karma: ParameterAlreadyExists: /);

    const badName = karma("put", "/iac/bad name", "v", "--type", "String");
    expect(badName.code).toBe(1);
    expect(badName.stderr).toMatch(/^karma: ValidationException: /);

    const badVersion = karma("get", "/iac/once:9");
    expect(badVersion.stderr).toMatch(/^karma: ParameterVersionNotFound: /);

    const rm = karma("rm", "/iac/once", "/iac/never");
    expect(rm.code).toBe(1);
    expect(rm.stdout).toBe("deleted /iac/once\n");
    expect(rm.stderr).toBe("karma: ParameterNotFound: /iac/never\n");

    const label = karma("label", "/iac/vpc/main/config", "1bad");
    expect(label.code).toBe(1);
    expect(label.stderr).toMatch(/invalid labels.*1bad/);
  });

  it("never shows or stores a SecureString canary in clear", () => {
    const dir2 = estate();
    const run = (...args: string[]) => runKarma(["-C", dir2, "param", ...args]);
    const canary = `canary-${crypto.randomBytes(12).toString("hex")}`;
    const outputs: CliRun[] = [];
    const record = (r: CliRun) => {
      outputs.push(r);
      return r;
    };
    ok(
      record(
        runKarma(
          ["-C", dir2, "param", "put", "/iac/db/password", "--type", "SecureString", "--value-file", "-"],
          { input: canary },
        ),
      ),
    );
    ok(record(run("put", "/iac/db/password", `${canary}-2`, "--overwrite")));
    ok(record(run("put", "/iac/db/user", "admin", "--type", "String")));
    const plain = [
      ok(record(run("get", "/iac/db/password"))),
      ok(record(run("get", "/iac/db/password", "--json"))),
      ok(record(run("get", "/iac/db/password:1", "--json"))),
      ok(record(run("ls", "/iac/db"))),
      ok(record(run("ls", "/iac", "--recursive", "--json"))),
      ok(record(run("history", "/iac/db/password"))),
      ok(record(run("history", "/iac/db/password", "--json"))),
      ok(record(run("label", "/iac/db/password", "current"))),
    ];
    expect(plain[0]?.stdout).toBe("(secure)\n");
    expect(JSON.parse(plain[1]!.stdout).parameter.value).toBe("(secure)");
    record(run("get", "/iac/db/nope"));
    for (const out of outputs) {
      expect(out.stdout).not.toContain(canary);
      expect(out.stderr).not.toContain(canary);
    }
    // Asked for explicitly, it is shown.
    expect(ok(run("get", "/iac/db/password:1", "--decrypt")).stdout).toBe(`${canary}\n`);
    expect(
      JSON.parse(ok(run("history", "/iac/db/password", "--decrypt", "--json")).stdout).versions.map(
        (v: { value: string }) => v.value,
      ),
    ).toEqual([canary, `${canary}-2`]);
    // No file in the estate holds it in clear (database, WAL, key file, anything else).
    expect(filesContaining(dir2, canary)).toEqual([]);
    expect(statSync(join(dir2, ".karma", "secret.key")).mode & 0o777).toBe(0o600);
  });

  it("picks the environment's store with --env", () => {
    const dir3 = estate({ environments: ["dev", "prod"] });
    const run = (...args: string[]) => runKarma(["-C", dir3, "param", ...args]);
    ok(run("put", "/iac/app/config", "dev-value", "--type", "String", "--env", "dev"));
    ok(run("put", "/iac/app/config", "prod-value", "--type", "String", "--env", "prod"));
    expect(ok(run("get", "/iac/app/config", "--env", "dev")).stdout).toBe("dev-value\n");
    expect(ok(run("get", "/iac/app/config", "--env", "prod")).stdout).toBe("prod-value\n");
    const ambiguous = run("get", "/iac/app/config");
    expect(ambiguous.code).toBe(1);
    expect(ambiguous.stderr).toMatch(/several environments/);
    expect(ambiguous.stderr).toMatch(/--env/);
  });

  it("lets concurrent processes write the same store without losing a version", async () => {
    const dir4 = estate();
    const writers = 6;
    const exits = await Promise.all(
      Array.from(
        { length: writers },
        (_, i) =>
          new Promise<{ code: number | null; stderr: string }>((resolve) => {
            const child = spawn(
              process.execPath,
              [
                KARMA_BIN,
                "-C",
                dir4,
                "param",
                "put",
                "/iac/race",
                `writer-${i}`,
                "--type",
                "String",
                "--overwrite",
              ],
              { env: { ...process.env, NO_COLOR: "1" } },
            );
            let stderr = "";
            child.stderr.on("data", (chunk) => {
              stderr += chunk;
            });
            child.on("close", (code) => resolve({ code, stderr }));
          }),
      ),
    );
    expect(exits).toEqual(Array.from({ length: writers }, () => ({ code: 0, stderr: "" })));
    const history = JSON.parse(ok(runKarma(["-C", dir4, "param", "history", "/iac/race", "--json"])).stdout);
    expect(history.versions.map((v: { version: number }) => v.version)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(new Set(history.versions.map((v: { value: string }) => v.value)).size).toBe(writers);
  });
});
