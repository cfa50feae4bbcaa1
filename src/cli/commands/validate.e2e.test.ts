/**
 * `karma validate` as a user runs it: the built CLI (`npm run build` first) on estates in temp dirs.
 */
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runKarma, tempDir, writeFiles } from "../../testing/cli.js";

const karma = (args: string[], cwd?: string) => runKarma(args, { cwd, env: { IAC_PREFIX: "" } });

const estate = (files: Record<string, string>): string => writeFiles(tempDir("validate"), files);

/** Every path under `dir` with its size and mtime: proof that a command wrote nothing. */
function snapshot(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      const s = statSync(path);
      out.push(`${path} ${s.size} ${s.mtimeMs}`);
      if (s.isDirectory()) walk(path);
    }
  };
  walk(dir);
  return out;
}

const good = {
  "karma.json": '{"environments": ["dev", "prod"]}',
  "iac/dev/vpc/main/config.json": '{"cidr": "10.0.0.0/16"}',
  "iac/dev/app/web/config.json": '{"vpc_nickname": "main", "port": 80}',
  "types/app/schema.json":
    '{"type": "object", "properties": {"port": {"type": "integer"}}, "required": ["port"]}',
};

const broken = {
  ...good,
  "iac/dev/app/web/config.json": '{\n  "vpc_nickname": "mian",\n  "port": "80"\n}',
  "iac/dev/app/api/config.json": '{\n  "port": 1,\n  "depends_on": ["app/api"],\n}',
  "iac/dev/app/worker/config.json": '{"port": 1, "password": "hunter2", "x": {"$ref": "vpc"}}',
  "iac/dev/db/Main/config.json": "{}",
  "iac/qa/vpc/main/config.json": "{}",
};

describe("karma validate", () => {
  it("passes a valid estate with exit 0", () => {
    const root = estate(good);
    const run = karma(["-C", root, "validate"]);
    expect(run.stderr).toBe("");
    expect(run.stdout).toBe("valid: 2 component(s) checked\n");
    expect(run.code).toBe(0);
  });

  it("finds the estate by walking up from the current directory", () => {
    const root = estate(good);
    const run = karma(["validate", "--json"], join(root, "iac/dev/app"));
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      version: 1,
      valid: true,
      components: ["dev:app/web", "dev:vpc/main"],
      problems: [],
    });
  });

  it("prints every problem with file, position, pointer and fix, exits 1, writes nothing", () => {
    const root = estate(broken);
    const before = snapshot(root);
    const run = karma(["-C", root, "validate"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe("");
    expect(snapshot(root)).toEqual(before);
    const expected = [
      "error iac/dev/app/api/config.json:3:28 at /depends_on: malformed JSON: trailing comma",
      'error iac/dev/app/web/config.json:2:3 at /vpc_nickname: nickname field "vpc/mian" refers to a component that does not exist in environment dev\n  fix: did you mean "vpc/main"?',
      "error iac/dev/app/web/config.json:3:3 at /port: must be integer, not a string\n  fix: change the value at /port to an integer",
      'error iac/dev/app/worker/config.json:1:36 at /x: "$ref": "vpc" is not of the form type/nickname',
      'error iac/dev/db/Main: nickname folder name "Main" is not a valid name',
      '  fix: rename the folder to "main"',
      'error iac/qa: environment "qa" is not declared in karma.json',
      "invalid: 6 error(s), 0 warning(s) in 5 file(s); 3 component(s) checked",
    ];
    for (const line of expected) expect(run.stdout).toContain(line);
    expect(run.stdout).not.toMatch(/\bat .*\.js:\d+/); // no stack trace
    expect(run.stdout).not.toContain("hunter2");
  });

  it("answers --json with every problem", () => {
    const root = estate(broken);
    const run = karma(["-C", root, "validate", "--json"]);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as { valid: boolean; problems: Array<Record<string, unknown>> };
    expect(report.valid).toBe(false);
    expect(report.problems.map((p) => p.code)).toEqual([
      "json.malformed",
      "ref.unknown-component",
      "schema.violation",
      "ref.malformed",
      "layout.invalid-name",
      "layout.unknown-environment",
    ]);
    for (const p of report.problems) {
      expect(p.file).toEqual(expect.any(String));
      expect(p.fix).toEqual(expect.any(String));
    }
  });

  it("limits the report to the selected components", () => {
    const root = estate(broken);
    const one = JSON.parse(karma(["-C", root, "validate", "dev:app/api", "--json"]).stdout);
    expect(one.problems.map((p: { component?: string }) => p.component)).toEqual(["dev:app/api"]);
    const vpc = karma(["-C", root, "validate", "vpc/*"]);
    expect(vpc.code).toBe(0);
    expect(vpc.stdout).toContain("valid: 1 component(s) checked");
    const none = karma(["-C", root, "validate", "nope/x"]);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('karma: no component matches "nope/x"');
    expect(none.stderr).toContain("fix:");
  });

  it("reports an invalid karma.json as a problem list, also with --json", () => {
    const root = estate({ ...good, "karma.json": '{"environments": ["dev"], "prefx": "/x"}' });
    const human = karma(["-C", root, "validate"]);
    expect(human.code).toBe(1);
    expect(human.stderr).toContain('karma.json at /prefx: unknown setting "prefx"');
    const json = karma(["-C", root, "validate", "--json"]);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout).problems[0]).toMatchObject({ file: "karma.json", pointer: "/prefx" });
  });

  it("reports a dependency cycle among the configs (not only `graph` does), exit 1", () => {
    const root = estate({
      ...good,
      "iac/dev/app/a/config.json": '{"port": 1, "depends_on": ["app/b"]}',
      "iac/dev/app/b/config.json": '{"port": 2, "depends_on": ["app/a"]}',
    });
    const run = karma(["-C", root, "validate"]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      "error iac/dev/app/a/config.json: dependency cycle: dev:app/a → dev:app/b → dev:app/a",
    );
    const doc = JSON.parse(karma(["-C", root, "validate", "--json"]).stdout);
    expect(doc.problems.map((p: { code: string }) => p.code)).toEqual(["ref.cycle"]);
  });

  it("tells the user to run karma init outside an estate", () => {
    const run = karma(["validate"], tempDir("none"));
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/karma: no karma.json found in .*\n {2}fix: run `karma init`/);
  });
});
