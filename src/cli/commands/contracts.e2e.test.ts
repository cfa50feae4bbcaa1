/**
 * Output contracts on the demo estate, through the built CLI: `karma test` runs every demo type's
 * tests with producers mocked by their contract examples and writes JUnit; breaking the shared
 * network's contract makes validate and plan name each broken consumer and key, and fails the
 * consumers' tests; `karma types contract --from-terraform` drafts a contract from the module.
 * The tests' Terraform/OpenTofu comes from KARMA_TERRAFORM_TEST (else the deploy binary) and must
 * have the native test framework (≥1.6).
 */
import { execFileSync } from "node:child_process";
import { cpSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { DEMO_TEMPLATE } from "../../adapters/fs/demo-estate.js";
import { terraformTestForTests } from "../../adapters/runners/terraform/binary-for-tests.js";
import { gitCommitAll, runKarma, tempDir } from "../../testing/cli.js";

const binary = await terraformTestForTests();
const env = binary ? { KARMA_TERRAFORM_TEST: binary.path } : undefined;

let dir: string;
const karma = (...args: string[]) => runKarma(["-C", dir, ...args], env ? { env } : {});

const CONSUMERS = ["dev:service/api", "dev:service/worker", "prod:service/api"];

function breakNetworkContract(): void {
  const file = join(dir, "types/network/outputs.schema.json");
  const contract = JSON.parse(readFileSync(file, "utf8"));
  contract.properties.network_ref = contract.properties.network_id;
  delete contract.properties.network_id;
  contract.required = ["network_ref", "cidr"];
  contract.examples = [{ network_ref: "net-0123456789ab", cidr: "10.99.0.0/16" }];
  writeFileSync(file, `${JSON.stringify(contract, null, 2)}\n`);
}

beforeAll(() => {
  dir = tempDir("contracts");
  cpSync(DEMO_TEMPLATE, dir, { recursive: true });
  rmSync(join(dir, ".karma"), { recursive: true, force: true });
  gitCommitAll(dir);
});

describe.skipIf(!binary)("karma test on the demo estate", { timeout: 600_000 }, () => {
  it("runs every component's tests with producers from contract examples and writes JUnit", () => {
    const junit = join(dir, "junit.xml");
    const run = karma("test", "--json", "--junit", junit);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.summary).toMatchObject({ total: 15, passed: 15, failed: 0 });
    const api = report.results.find((r: { component: string }) => r.component === "dev:service/api");
    expect(api).toMatchObject({ kind: "terraform", status: "passed", runtimeFrom: "contract examples" });
    expect(api.cases.map((c: { name: string }) => c.name)).toEqual([
      "service.tftest.hcl/takes_a_network_id_from_the_network_contract",
      "service.tftest.hcl/url_matches_the_contract",
    ]);
    const content = report.results.find((r: { component: string }) => r.component === "dev:site-content/www");
    expect(content).toMatchObject({ kind: "command", status: "passed" });
    const xml = readFileSync(junit, "utf8");
    expect(xml).toContain('<testsuites name="karma test" tests="15" failures="0" skipped="0">');
    expect(xml).toContain(
      '<testcase classname="dev:network/main" name="network.tftest.hcl/network_id_matches_the_contract"/>',
    );
  });

  it("a broken network contract fails validate, plan and the consumers' tests, naming each consumer and key", () => {
    breakNetworkContract();
    const validate = karma("validate", "--json");
    expect(validate.code).toBe(1);
    const problems = JSON.parse(validate.stdout).problems.filter(
      (p: { code: string }) => p.code === "contract.key-missing",
    );
    expect(problems.map((p: { component: string }) => p.component)).toEqual(CONSUMERS);
    expect(problems[0]).toMatchObject({
      file: "iac/dev/service/api/config.json",
      pointer: "/network_id",
      fix: 'did you mean "network/main#/network_ref"? otherwise add "network_id" to types/network/outputs.schema.json',
    });
    expect(problems[0].message).toContain(
      'reads "/network_id", which the output contract of network (types/network/outputs.schema.json)',
    );

    const plan = karma("plan", "--since", "main", "--graph", "working-tree", "--json");
    expect(plan.code).toBe(1);
    const doc = JSON.parse(plan.stdout);
    expect(
      doc.contractBreaks.map((b: { consumer: string; key: string; kind: string; suggestion: string }) => [
        b.consumer,
        b.key,
        b.kind,
        b.suggestion,
      ]),
    ).toEqual(CONSUMERS.map((c) => [c, "/network_id", "removed", "/network_ref"]));
    expect(doc.verdicts).toEqual([
      expect.objectContaining({ rule: "breakingChanges", severity: "error", components: CONSUMERS }),
    ]);
    // review (the default) lets an approved change through; deny does not
    expect(karma("plan", "--since", "main", "--graph", "working-tree", "--approve").code).toBe(0);
    const settings = join(dir, "karma.json");
    const original = readFileSync(settings, "utf8");
    writeFileSync(settings, original.replace('"policies": {}', '"policies": { "breakingChanges": "deny" }'));
    expect(karma("plan", "--since", "main", "--graph", "working-tree", "--approve").code).toBe(1);
    writeFileSync(settings, original);

    const junit = join(dir, "broken.xml");
    const test = karma("test", "service/*", "--json", "--junit", junit);
    expect(test.code).toBe(1);
    const results = JSON.parse(test.stdout).results;
    expect(results.map((r: { component: string; status: string }) => [r.component, r.status])).toEqual(
      CONSUMERS.map((c) => [c, "failed"]),
    );
    expect(results[0].message).toContain(
      'iac/dev/service/api/config.json#/network_id: $ref "network/main#/network_id" reads "/network_id", which the output contract of network',
    );
    expect(readFileSync(junit, "utf8")).toContain('failures="1"');
  });

  it("a contract that changes the format of network_id fails the service's own Terraform test", () => {
    const file = join(dir, "types/network/outputs.schema.json");
    execFileSync("git", ["checkout", "--", file], { cwd: dir });
    const contract = JSON.parse(readFileSync(file, "utf8"));
    contract.properties.network_id.pattern = "^vpc-";
    contract.examples = [{ network_id: "vpc-0abc", cidr: "10.99.0.0/16" }];
    writeFileSync(file, `${JSON.stringify(contract, null, 2)}\n`);
    const test = karma("test", "dev:service/api", "--json");
    expect(test.code).toBe(1);
    const [result] = JSON.parse(test.stdout).results;
    expect(result.cases).toEqual([
      {
        name: "service.tftest.hcl/takes_a_network_id_from_the_network_contract",
        status: "failed",
        message:
          "Test assertion failed: service needs network_id from network/<nickname>#/network_id (net-<12 hex>)",
      },
      { name: "service.tftest.hcl/url_matches_the_contract", status: "passed" },
    ]);
  });
});

describe("karma types contract --from-terraform", () => {
  it("drafts the outputs with their sensitive flags", () => {
    const run = karma("types", "contract", "database", "--from-terraform", "--json");
    expect(run.code, run.stderr).toBe(0);
    const { contract, file } = JSON.parse(run.stdout);
    expect(file).toBe("types/database/outputs.schema.json");
    expect(contract.required).toEqual(["endpoint", "password", "path"]);
    expect(contract.properties.password).toEqual({ "x-sensitive": true });
    expect(karma("types", "contract", "database", "--from-terraform", "--write").code).toBe(1);
    const monitoring = karma("types", "contract", "monitoring", "--from-terraform");
    expect(monitoring.stderr).toContain('type "monitoring" is deployed by a command');
  });
});
