/** `karma init` as a user runs it: the built CLI in a temp directory. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runKarma, tempDir } from "../../testing/cli.js";

describe("karma init", () => {
  it("scaffolds an estate that validates, publishes and refuses to be scaffolded twice", () => {
    const dir = join(tempDir("init"), "estate");
    const init = runKarma(["init", dir, "--env", "dev", "prod"]);
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toMatch(/created karma\.json/);
    expect(JSON.parse(readFileSync(join(dir, "karma.json"), "utf8"))).toMatchObject({
      prefix: "/iac",
      environments: ["dev", "prod"],
    });
    expect(existsSync(join(dir, "iac/prod"))).toBe(true);
    expect(readFileSync(join(dir, ".gitignore"), "utf8")).toContain(".karma/");

    mkdirSync(join(dir, "iac/dev/vpc/main"), { recursive: true });
    writeFileSync(join(dir, "iac/dev/vpc/main/config.json"), JSON.stringify({ cidr: "10.0.0.0/16" }));
    const validate = runKarma(["-C", dir, "validate", "--json"]);
    expect(validate.code, validate.stderr).toBe(0);
    expect(JSON.parse(validate.stdout)).toMatchObject({ valid: true, components: ["dev:vpc/main"] });
    expect(JSON.parse(runKarma(["-C", dir, "publish", "--json"]).stdout).published).toEqual(["dev:vpc/main"]);

    const again = runKarma(["init", dir]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/karma\.json already exists/);
    expect(again.stderr).not.toMatch(/\n\s+at /);
  });

  it("tells a user outside any estate how to make one", () => {
    const run = runKarma(["status"], { cwd: tempDir("no-estate") });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/no karma\.json found/);
    expect(run.stderr).toMatch(/karma init/);
  });
});
