/**
 * One change pipeline (issue 10): a producer with one `$ref` consumer, one by-name consumer and
 * one consumer holding a pasted copy of its value. `plan --json`, `apply --dry-run`, a saved plan
 * and `propose-change --json` give the same affected set and waves; apply executes the saved plan
 * and reports the pasted copy as needing attention; a saved plan whose inputs moved is refused
 * naming what moved; after the producer's runtime changes, status and drift flag all three
 * consumers stale and destroy counts all three; requireSchema is refused by plan and apply with
 * the same message. Real CLI, command runner, embedded store, a real git repository.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { git, gitCommitAll, runKarma, tempDir, writeFiles } from "../../testing/cli.js";

const NET = `
let input = "";
for await (const chunk of process.stdin) input += chunk;
const { config } = JSON.parse(input);
process.stdout.write(JSON.stringify({ net_id: "vpc-" + config.suffix, cidr: config.cidr }));
`;
const APP = `
let input = "";
for await (const chunk of process.stdin) input += chunk;
const { nickname } = JSON.parse(input);
process.stdout.write(JSON.stringify({ name: "app-" + nickname }));
`;
const OLD = "0a1b2c3d4e5f60718";
const NEW = "0fedcba9876543210";
const CONSUMERS = ["dev:app/byname", "dev:app/pasted", "dev:app/ref"];

function estate(): string {
  const dir = tempDir("pipeline");
  writeFiles(dir, {
    "karma.json": JSON.stringify({
      environments: ["dev"],
      types: {
        net: { runner: "command", command: ["node", "types/net/deploy.mjs"], timeout: 60 },
        app: { runner: "command", command: ["node", "types/app/deploy.mjs"], timeout: 60 },
      },
    }),
    "types/net/deploy.mjs": NET,
    "types/app/deploy.mjs": APP,
    "iac/dev/net/main/config.json": `${JSON.stringify({ cidr: "10.0.0.0/16", suffix: OLD }, null, 2)}\n`,
    "iac/dev/app/ref/config.json": `${JSON.stringify({ net: { $ref: "net/main#/net_id" } }, null, 2)}\n`,
    "iac/dev/app/byname/config.json": `${JSON.stringify({ net_nickname: "main" }, null, 2)}\n`,
    "iac/dev/app/pasted/config.json": `{\n    "vpc":  "vpc-${OLD}",\n    "size": 2\n}\n`,
  });
  gitCommitAll(dir);
  return dir;
}

interface PlanJson {
  affected: Array<{ id: string }>;
  waves: string[][];
  warnings: string[];
}

describe("one change pipeline: every command gives the same answer", () => {
  let dir: string;
  const karma = (...args: string[]) => runKarma(["-C", dir, ...args]);
  const json = <T>(args: string[]): T => {
    const run = karma(...args);
    expect(run.code, `${args.join(" ")}: ${run.stderr}`).toBe(0);
    return JSON.parse(run.stdout) as T;
  };

  beforeAll(() => {
    dir = estate();
    expect(karma("apply", "--auto-approve").code).toBe(0);
    // the stored graph records the pasted copy (value inference over the deployed runtimes)
    expect(karma("graph", "build").code).toBe(0);
  }, 120_000);

  it("plan, apply --dry-run, a saved plan and propose-change agree; apply executes the saved plan", () => {
    writeFileSync(join(dir, "patch.json"), JSON.stringify({ suffix: NEW }));
    const proposed = json<{ affected_components: string[]; waves: string[][]; warnings: string[] }>([
      "propose-change",
      "net",
      "main",
      "--input",
      join(dir, "patch.json"),
      "--json",
    ]);

    const file = join(dir, "iac/dev/net/main/config.json");
    writeFileSync(file, readFileSync(file, "utf8").replace(OLD, NEW));
    git(dir, "commit", "-qam", "new network");

    const planned = json<PlanJson>(["plan", "--json"]);
    const affected = [...CONSUMERS, "dev:net/main"]; // sorted by id
    const waves = [["dev:net/main"], CONSUMERS];
    expect(planned.affected.map((e) => e.id)).toEqual(affected);
    expect(planned.waves).toEqual(waves);
    expect(planned.warnings).toEqual([
      expect.stringMatching(/^dev:app\/pasted holds the old \/net_id of dev:net\/main/),
    ]);

    expect(proposed.affected_components).toEqual(affected);
    expect(proposed.waves).toEqual(waves);
    expect(
      proposed.warnings.some((w) => w.startsWith("dev:app/pasted holds the old /net_id of dev:net/main")),
    ).toBe(true);

    const dry = json<{
      plan: { affected: string[]; planWaves: string[][]; waves: string[][]; warnings: string[] };
    }>(["apply", "--dry-run", "--json"]);
    expect(dry.plan.affected).toEqual(affected);
    expect(dry.plan.planWaves).toEqual(waves);
    expect(dry.plan.waves).toEqual(waves);
    expect(dry.plan.warnings).toEqual(planned.warnings);

    const save = karma("plan", "--out", join(dir, "plan.json"));
    expect(save.code, save.stderr).toBe(0);
    expect(save.stderr).toMatch(/saved the plan to .*plan\.json/);
    const saved = JSON.parse(readFileSync(join(dir, "plan.json"), "utf8")) as {
      report: { plan: { entries: Array<{ id: string }> } };
    };
    expect(saved.report.plan.entries.map((e) => e.id)).toEqual(affected);
    writeFileSync(join(dir, "stale-plan.json"), readFileSync(join(dir, "plan.json")));

    const applied = json<{
      plan: { affected: string[] };
      results: Array<{ id: string; status: string; reason?: string }>;
    }>(["apply", join(dir, "plan.json"), "--json"]);
    expect(applied.plan.affected).toEqual(affected);
    const status = Object.fromEntries(applied.results.map((r) => [r.id, r.status]));
    expect(status).toEqual({
      "dev:net/main": "deployed",
      "dev:app/ref": "deployed",
      // ran (it names the producer, whose runtime changed); its own outputs stayed the same
      "dev:app/byname": "unchanged",
      "dev:app/pasted": "attention",
    });
    expect(applied.results.find((r) => r.id === "dev:app/pasted")?.reason).toMatch(
      /^needs attention: holds the old \/net_id of dev:net\/main \(pasted at \/vpc\)/,
    );

    // the same plan again: what it was made from has moved, and it says what
    const refused = karma("apply", join(dir, "stale-plan.json"));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /the saved plan .* is out of date: published config moved: dev:net\/main v1 → v2/,
    );
    expect(refused.stderr).toMatch(/runtime moved: .*dev:net\/main v1 → v2/);
    expect(refused.stderr).not.toMatch(/at .*\.js:\d+/);
  }, 240_000);

  it("after the producer's runtime changes, status and drift flag every consumer stale and destroy counts them", () => {
    const put = karma(
      "param",
      "put",
      "/iac/net/main/runtime",
      JSON.stringify({ net_id: "vpc-0999999999999999a", cidr: "10.9.0.0/16" }),
      "--overwrite",
      "--env",
      "dev",
    );
    expect(put.code, put.stderr).toBe(0);

    const status = json<{ components: Array<{ id: string; state: string; reason: string }> }>([
      "status",
      "--json",
    ]);
    const byId = new Map(status.components.map((c) => [c.id, c]));
    for (const id of CONSUMERS) expect(byId.get(id)?.state, id).toBe("stale");
    expect(byId.get("dev:app/ref")?.reason).toMatch(
      /consumed dev:net\/main v2, now v3 \(#\/net_id changed\)/,
    );
    expect(byId.get("dev:app/byname")?.reason).toMatch(
      /consumed dev:net\/main v2, now v3 \(whole runtime changed\)/,
    );
    expect(byId.get("dev:app/pasted")?.reason).toMatch(
      /holds the old \/net_id of dev:net\/main \(pasted at \/vpc/,
    );

    const drift = karma("drift", "--check");
    expect(drift.code).toBe(2);
    for (const id of CONSUMERS)
      expect(drift.stdout).toMatch(new RegExp(`${id.replace("/", "\\/")}\\s+stale`));

    const destroy = karma("destroy", "net", "main", "--env", "dev");
    expect(destroy.code).toBe(1);
    expect(destroy.stderr).toMatch(
      /refusing to destroy dev:net\/main: 3 deployed component\(s\) depend on it/,
    );
    for (const id of CONSUMERS) expect(destroy.stderr).toContain(id);
    expect(destroy.stderr).toMatch(/dev:app\/pasted \(inferred at \/vpc\)/);
  }, 120_000);

  it("requireSchema: plan and apply refuse with the same message", () => {
    const settings = JSON.parse(readFileSync(join(dir, "karma.json"), "utf8")) as Record<string, unknown>;
    writeFileSync(
      join(dir, "karma.json"),
      JSON.stringify({ ...settings, policies: { requireSchema: ["app"] } }),
    );
    writeFileSync(
      join(dir, "iac/dev/app/byname/config.json"),
      JSON.stringify({ net_nickname: "main", replicas: 2 }),
    );

    const plan = karma("plan");
    expect(plan.code).toBe(1);
    const apply = karma("apply", "--auto-approve");
    expect(apply.code).toBe(1);
    const refusal = (text: string) =>
      text
        .split("\n")
        .find((l) => l.trim().startsWith("requireSchema:"))
        ?.trim();
    const planned = refusal(plan.stderr);
    expect(planned).toMatch(/^requireSchema: type app has no JSON Schema.*\(.*dev:app\/byname.*\)$/);
    expect(refusal(apply.stderr)).toBe(planned);
    expect(apply.stderr).toMatch(/^karma: apply refused by policy:/m);
    expect(plan.stderr).toMatch(/^plan refused by policy:/m);
  }, 120_000);

  it("refs adopt turns the pasted copy into a $ref, keeping the file's formatting", () => {
    const file = join(dir, "iac/dev/app/pasted/config.json");
    const before = readFileSync(file, "utf8");
    const dry = karma("refs", "adopt", "dev:app/pasted", "--dry-run");
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/would adopt dev:app\/pasted \/vpc → \{"\$ref": "net\/main#\/net_id"\}/);
    expect(readFileSync(file, "utf8")).toBe(before);

    const run = karma("refs", "adopt", "dev:app/pasted");
    expect(run.code, run.stderr).toBe(0);
    const after = readFileSync(file, "utf8");
    expect(JSON.parse(after)).toEqual({ vpc: { $ref: "net/main#/net_id" }, size: 2 });
    // only the value changed: the other lines keep their 4-space indentation
    expect(after).toMatch(/^ {4}"size": 2$/m);
    expect(after.startsWith('{\n    "vpc":')).toBe(true);
    // a declared reference now: nothing pasted is left to adopt
    expect(karma("refs", "adopt", "--dry-run").stdout).not.toMatch(/dev:app\/pasted/);
  }, 120_000);
});
