/**
 * Blue-green promotion end to end with the built CLI (command-runner types, so no Terraform):
 * a shared producer deploys a candidate beside its live runtime, consumers keep resolving the live
 * one, promote moves them (through apply) to the candidate, rollback moves them back. Each step
 * asserts the value the consumer actually resolved, read back from the store. A candidate that
 * breaks the producer's output contract is reported and cannot be promoted.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { type CliRun, gitCommitAll, runKarma, tempDir, writeFiles } from "../../testing/cli.js";

const SCRIPT = (outputs: string) => `
let input = "";
for await (const chunk of process.stdin) input += chunk;
const { config } = JSON.parse(input);
process.stdout.write(JSON.stringify(${outputs}));
`;

let dir: string;
const karma = (...args: string[]): CliRun => runKarma(["-C", dir, ...args]);
const ok = (...args: string[]): CliRun => {
  const run = karma(...args);
  expect(run.code, `${args.join(" ")}\n${run.stdout}\n${run.stderr}`).toBe(0);
  return run;
};
/** The value the consumer resolved for its $ref at its last deploy (it publishes its input back). */
const appSaw = (): string =>
  JSON.parse(JSON.parse(ok("param", "get", "/iac/app/main/runtime", "--json").stdout).parameter.value).saw;

beforeAll(() => {
  dir = tempDir("bluegreen");
  writeFiles(dir, {
    "karma.json": JSON.stringify({
      environments: ["dev"],
      types: {
        net: { runner: "command", command: ["node", "types/net/deploy.mjs"] },
        app: { runner: "command", command: ["node", "types/app/deploy.mjs"] },
      },
    }),
    "types/net/deploy.mjs": SCRIPT("{ net_id: config.id }"),
    "types/net/outputs.schema.json": JSON.stringify({
      type: "object",
      required: ["net_id"],
      properties: { net_id: { type: "string", pattern: "^net-" } },
      examples: [{ net_id: "net-example" }],
    }),
    "types/app/deploy.mjs": SCRIPT("{ saw: config.net }"),
    "iac/dev/net/main/config.json": JSON.stringify({ id: "net-blue" }),
    "iac/dev/app/main/config.json": JSON.stringify({ net: { $ref: "net/main#/net_id" } }),
  });
  gitCommitAll(dir);
  ok("publish");
  ok("deploy", "net", "main", "--auto-approve");
  ok("deploy", "app", "main", "--auto-approve");
}, 300_000);

const setNet = (id: string) => {
  writeFileSync(join(dir, "iac/dev/net/main/config.json"), JSON.stringify({ id }));
  ok("publish");
};

// each step is a CLI process; the machine running the suite may be busy
describe("deploy --candidate, promote, rollback", { timeout: 300_000 }, () => {
  it("walks a shared producer through candidate → promote → rollback with consumers resolving the right version", () => {
    expect(appSaw()).toBe("net-blue");

    setNet("net-green");
    const candidate = ok("deploy", "net", "main", "--candidate", "--auto-approve", "--json");
    expect(JSON.parse(candidate.stdout)).toMatchObject({
      label: "candidate",
      slot: "green",
      runtime: { version: 2 },
    });
    // consumers keep the live version: a redeploy of app still resolves net-blue
    ok("deploy", "app", "main", "--auto-approve");
    expect(appSaw()).toBe("net-blue");
    const before = JSON.parse(ok("status", "--json").stdout).bluegreen;
    expect(before).toEqual([
      expect.objectContaining({
        component: "dev:net/main",
        live: 1,
        candidate: 2,
        consumers: [{ id: "dev:app/main", consumedVersion: 1, took: "live" }],
      }),
    ]);

    const promoted = JSON.parse(ok("promote", "net", "main", "--apply", "--json").stdout);
    expect(promoted).toMatchObject({ action: "promote", liveBefore: 1, live: 2 });
    expect(promoted.applied.results).toEqual([
      expect.objectContaining({ id: "dev:app/main", status: "deployed" }),
    ]);
    expect(appSaw()).toBe("net-green");
    expect(promoted.consumers).toEqual([{ id: "dev:app/main", consumedVersion: 2, took: "live" }]);

    const rolledBack = JSON.parse(ok("rollback", "net", "main", "--json").stdout);
    expect(rolledBack).toMatchObject({ live: 1, candidate: 2 });
    expect(rolledBack).not.toHaveProperty("previous");
    // the consumer still holds the rolled-back value until it is redeployed: status says so
    const stale = JSON.parse(ok("status", "--json").stdout);
    expect(stale.components.find((c: { id: string }) => c.id === "dev:app/main").state).toBe("stale");
    ok("apply", "dev:app/main", "--auto-approve");
    expect(appSaw()).toBe("net-blue");

    const log = ok("log", "list", "--component", "net/main", "--json").stdout;
    const actions = JSON.parse(log).entries.map(
      (e: { action: string; status: string }) => `${e.action}:${e.status}`,
    );
    expect(actions).toEqual(expect.arrayContaining(["promote:ok", "rollback:ok"]));
  });

  it("reports a candidate that breaks the output contract and refuses to promote it", () => {
    setNet("bad-id");
    const run = karma("deploy", "net", "main", "--candidate", "--auto-approve");
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('/net_id must match pattern "^net-"');
    const refused = karma("promote", "net", "main");
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("breaks the output contract types/net/outputs.schema.json (/net_id)");
    expect(appSaw()).toBe("net-blue");
    const log = JSON.parse(ok("log", "list", "--component", "net/main", "--json").stdout);
    expect(log.entries.map((e: { action: string }) => e.action)).toContain("contract_violation");
    expect(readFileSync(join(dir, "types/net/outputs.schema.json"), "utf8")).toContain("net-example");
  });
});
