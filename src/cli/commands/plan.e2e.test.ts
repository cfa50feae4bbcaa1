/**
 * `karma plan` (change plans) and `karma propose-change` as a user runs them: the built CLI on a
 * copy of the demo estate in a fresh git repository, the embedded store, no Terraform needed.
 */
import { cpSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { DEMO_TEMPLATE } from "../../adapters/fs/demo-estate.js";
import { git, gitCommitAll, runKarma, tempDir } from "../../testing/cli.js";

function demoRepo(label: string): string {
  const dir = join(tempDir(label), "estate");
  cpSync(DEMO_TEMPLATE, dir, { recursive: true });
  gitCommitAll(dir, "demo estate");
  return dir;
}

function edit(dir: string, file: string, change: (config: Record<string, unknown>) => void): void {
  const path = join(dir, file);
  const config = JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
  change(config);
  writeFileSync(path, `${JSON.stringify(config, null, 2)}\n`);
}

const NETWORK = "iac/dev/network/main/config.json";
const AFFECTED = [
  "dev:database/orders",
  "dev:monitoring/ops",
  "dev:network/main",
  "dev:service/api",
  "dev:service/worker",
  "dev:site-content/www",
  "dev:site/www",
];
const WAVES = [
  ["dev:network/main"],
  ["dev:database/orders"],
  ["dev:service/api"],
  ["dev:monitoring/ops", "dev:service/worker", "dev:site/www"],
  ["dev:site-content/www"],
];

describe("karma plan on the demo estate", () => {
  let dir: string;
  const karma = (...args: string[]) => runKarma(["-C", dir, ...args]);
  beforeAll(() => {
    dir = demoRepo("plan");
    expect(karma("publish").code).toBe(0);
    edit(dir, NETWORK, (c) => {
      c.cidr = "10.99.0.0/16";
    });
  });

  it("--since: changed network, every transitive dependent with path and consumed keys, waves", () => {
    const run = karma("plan", "--since", "HEAD", "--format", "json");
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout);
    expect(doc.version).toBe(1);
    expect(doc.changed).toEqual(["dev:network/main"]);
    expect(doc.affected.map((e: { id: string }) => e.id)).toEqual(AFFECTED);
    expect(doc.waves).toEqual(WAVES);
    const network = doc.affected.find((e: { id: string }) => e.id === "dev:network/main");
    expect(network.reasons).toEqual([
      {
        kind: "config",
        id: "dev:network/main",
        file: NETWORK,
        status: "modified",
        keys: { added: [], removed: [], changed: ["/cidr"] },
      },
    ]);
    // waves are numbered from 1 in every format: JSON entries, the text list and Markdown agree
    expect(network.wave).toBe(1);
    expect(karma("plan", "--since", "HEAD").stdout).toContain("  1. dev:network/main");
    expect(karma("plan", "--since", "HEAD", "--format", "markdown").stdout).toContain(
      "| 1 | `dev:network/main` |",
    );
    const api = doc.affected.find((e: { id: string }) => e.id === "dev:service/api");
    expect(api).toMatchObject({ kind: "dependent", depth: 1, path: ["dev:network/main", "dev:service/api"] });
    expect(api.consumes).toContainEqual({
      producer: "dev:network/main",
      keys: [{ pointer: "/network_id", producerKey: "/network_id" }],
      orderingOnly: false,
    });
    const content = doc.affected.find((e: { id: string }) => e.id === "dev:site-content/www");
    expect(content.path).toEqual([
      "dev:network/main",
      "dev:service/api",
      "dev:site/www",
      "dev:site-content/www",
    ]);
    expect(JSON.stringify(doc)).not.toContain("10.99.0.0");
  });

  it("--format markdown: summary on top, waves, one collapsible block per component", () => {
    const run = karma("plan", "--since", "HEAD", "--format", "markdown");
    expect(run.code).toBe(0);
    const md = run.stdout;
    expect(md.split("\n")[0]).toBe("### ✅ Karma plan: 1 changed, 7 affected, 5 waves");
    expect(md).toContain("**Policies:** no violations");
    expect(md).toContain("| 1 | `dev:network/main` |");
    expect(md).toContain("| 4 | `dev:monitoring/ops`, `dev:service/worker`, `dev:site/www` |");
    expect(md.match(/<details>/g)).toHaveLength(7);
    expect(md).toContain("<summary><code>dev:network/main</code> — wave 1, changed (config)</summary>");
    expect(md).toContain("- config changed: ~/cidr");
    expect(md).toContain("- consumes dev:network/main: /network_id → /network_id");
    expect(md.indexOf("| wave |")).toBeLessThan(md.indexOf("<details>"));
  });

  it("the stored graph gives the same plan as a working-tree build", () => {
    expect(karma("graph", "build").code).toBe(0);
    const stored = JSON.parse(karma("plan", "--since", "HEAD", "--graph", "stored", "--json").stdout);
    expect(stored.graph).toMatchObject({ kind: "stored" });
    expect(stored.affected.map((e: { id: string }) => e.id)).toEqual(AFFECTED);
    expect(stored.waves).toEqual(WAVES);
    const tree = JSON.parse(karma("plan", "--since", "HEAD", "--graph", "working-tree", "--json").stdout);
    expect(tree.graph).toEqual({ kind: "working-tree" });
    expect(tree.affected).toEqual(stored.affected);
  });

  it("a selector limits the changed set; --env too", () => {
    const prod = JSON.parse(karma("plan", "env=prod", "--since", "HEAD", "--json").stdout);
    expect(prod.affected).toEqual([]);
    const dev = JSON.parse(karma("plan", "--since", "HEAD", "--env", "dev", "--json").stdout);
    expect(dev.changed).toEqual(["dev:network/main"]);
  });

  it("default: working tree against published, plus published-but-undeployed", () => {
    const doc = JSON.parse(karma("plan", "--json").stdout);
    const network = doc.affected.find((e: { id: string }) => e.id === "dev:network/main");
    // unpublished wins over undeployed: what is published is not what will be deployed
    expect(network.reasons.map((r: { kind: string }) => r.kind)).toEqual(["config"]);
    const api = doc.affected.find((e: { id: string }) => e.id === "dev:service/api");
    expect(api.reasons).toEqual([
      { kind: "undeployed", id: "dev:service/api", configVersion: 1, detail: "no runtime" },
    ]);
    expect(doc.base).toEqual({ kind: "published" });
    // nothing is deployed yet, so every component is undeployed
    expect(doc.changed).toHaveLength(15);
  });

  it("two arguments still plan one component with its runner (karma plan <type> <nickname>)", () => {
    const run = karma("plan", "network", "nope", "--env", "dev");
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("no component network/nope");
  });

  it("--terraform plans each affected component with its runner; unpublished ones say why", () => {
    const tf = demoRepo("plan-runner");
    expect(runKarma(["-C", tf, "publish"]).code).toBe(0);
    edit(tf, "iac/dev/monitoring/ops/config.json", (c) => {
      c.alert_threshold_ms = 900;
    });
    const unpublished = JSON.parse(
      runKarma(["-C", tf, "plan", "monitoring/*", "--since", "HEAD", "--terraform", "--json"]).stdout,
    );
    expect(unpublished.terraform).toEqual([
      expect.objectContaining({
        id: "dev:monitoring/ops",
        status: "failed",
        message: expect.stringContaining("publish"),
      }),
    ]);
    expect(runKarma(["-C", tf, "publish"]).code).toBe(0);
    const planned = JSON.parse(runKarma(["-C", tf, "plan", "monitoring/*", "--terraform", "--json"]).stdout);
    expect(planned.affected.map((e: { id: string }) => e.id)).toEqual(["dev:monitoring/ops"]);
    expect(planned.terraform).toEqual([
      expect.objectContaining({ id: "dev:monitoring/ops", status: "planned" }),
    ]);
  });

  it("a cycle in the affected set stops the plan and shows it", () => {
    const cyclic = demoRepo("plan-cycle");
    edit(cyclic, NETWORK, (c) => {
      c.depends_on = ["service/api"];
    });
    const run = runKarma(["-C", cyclic, "plan", "--since", "HEAD"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("dependency cycle");
    expect(run.stderr).toMatch(/dev:network\/main → dev:service\/api → (dev:\S+ → )*dev:\S+\n/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it("policies: an error verdict blocks (exit 1) until --approve; a warning does not", () => {
    const guarded = demoRepo("plan-policy");
    edit(guarded, "karma.json", (c) => {
      c.policies = {
        protected: [{ match: "dev:network/*", reason: "shared by every service" }],
        maxBlastRadius: { limit: 3, severity: "warning" },
      };
    });
    git(guarded, "commit", "-qam", "policies");
    edit(guarded, NETWORK, (c) => {
      c.cidr = "10.98.0.0/16";
    });
    const blocked = runKarma(["-C", guarded, "plan", "--since", "HEAD", "--format", "markdown"]);
    expect(blocked.code).toBe(1);
    expect(blocked.stdout.split("\n")[0]).toContain("❌");
    expect(blocked.stdout).toContain("❌ error | `protected` | `dev:network/main`");
    expect(blocked.stdout).toContain("⚠️ warning | `maxBlastRadius`");
    expect(blocked.stderr).toContain("--approve");
    const approved = runKarma(["-C", guarded, "plan", "--since", "HEAD", "--approve", "--json"]);
    expect(approved.code).toBe(0);
    const doc = JSON.parse(approved.stdout);
    expect(
      doc.verdicts.map((v: { rule: string; approved?: boolean }) => [v.rule, v.approved === true]),
    ).toEqual([
      ["protected", true],
      ["maxBlastRadius", true],
    ]);
  });

  it("a bad policies setting is reported with its pointer and a fix", () => {
    const bad = demoRepo("plan-bad-policy");
    edit(bad, "karma.json", (c) => {
      c.policies = { maxBlastRadius: { limit: "many" } };
    });
    const run = runKarma(["-C", bad, "plan"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("/policies/maxBlastRadius");
  });
});

describe("karma propose-change on the demo estate", () => {
  let dir: string;
  const karma = (...args: string[]) => runKarma(["-C", dir, ...args]);
  const patchFile = (patch: unknown) => {
    const file = join(tempDir("patch"), "patch.json");
    writeFileSync(file, JSON.stringify(patch));
    return file;
  };
  beforeAll(() => {
    dir = demoRepo("propose");
    expect(karma("publish").code).toBe(0);
  });

  it("dry run: {status, affected_components, warnings, log_entry_id}, audited, nothing written", () => {
    const run = karma(
      "propose-change",
      "service",
      "api",
      "--env",
      "dev",
      "--input",
      patchFile({ replicas: 5 }),
      "--requested-by",
      "alice",
      "--json",
    );
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({
      status: "accepted",
      affected_components: [
        "dev:monitoring/ops",
        "dev:service/api",
        "dev:service/worker",
        "dev:site-content/www",
        "dev:site/www",
      ],
      warnings: [],
      changed_keys: { changed: ["/replicas"], added: [], removed: [] },
    });
    expect(typeof result.log_entry_id).toBe("number");
    expect(git(dir, "status", "--porcelain")).toBe("");
    const log = JSON.parse(karma("log", "list", "--action", "change_request", "--json").stdout);
    const entry = log.entries.find((e: { id: number }) => e.id === result.log_entry_id);
    expect(entry).toMatchObject({
      action: "change_request",
      actor: "alice",
      component: "dev:service/api",
      status: "ok",
    });
  });

  it("graph patch: edges added and removed by the change", () => {
    const run = karma(
      "propose-change",
      "service",
      "worker",
      "--env",
      "dev",
      "--input",
      patchFile({ depends_on: null, dns_zone_nickname: "main" }),
      "--json",
    );
    const result = JSON.parse(run.stdout);
    expect(result.graph_patch.added).toContainEqual({
      to: "dev:dns-zone/main",
      kind: "depends_on",
      pointer: "/dns_zone_nickname",
    });
    expect(result.graph_patch.removed).toContainEqual({
      to: "dev:service/api",
      kind: "depends_on",
      pointer: "/depends_on/0",
    });
  });

  it("an invalid patch is a clear error naming the key and fix; nothing written", () => {
    const run = karma(
      "propose-change",
      "service",
      "api",
      "--env",
      "dev",
      "--input",
      patchFile({ port: "eighty" }),
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("/port");
    expect(run.stderr).toContain("fix:");
    expect(run.stderr).toContain("nothing was written");
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(git(dir, "status", "--porcelain")).toBe("");
    const missing = karma("propose-change", "service", "nope", "--env", "dev", "--input", patchFile({}));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("no component");
  });

  it("policy errors reject the request (exit 1) and are audited as policy_verdict", () => {
    const guarded = demoRepo("propose-policy");
    edit(guarded, "karma.json", (c) => {
      c.policies = { requiredKeys: { "dns-zone": ["ttl"] } };
    });
    git(guarded, "commit", "-qam", "policies");
    const run = runKarma([
      "-C",
      guarded,
      "propose-change",
      "dns-zone",
      "main",
      "--env",
      "dev",
      "--input",
      patchFile({ ttl: null }),
      "--json",
    ]);
    expect(run.code).toBe(1);
    const result = JSON.parse(run.stdout);
    expect(result.status).toBe("rejected");
    expect(result.errors[0]).toContain("requiredKeys");
    const verdicts = JSON.parse(
      runKarma(["-C", guarded, "log", "list", "--action", "policy_verdict", "--json"]).stdout,
    );
    expect(verdicts.entries[0]).toMatchObject({ status: "refused", component: "dev:dns-zone/main" });
  });

  it("--apply --commit writes config.json, commits it, publishes and deploys the affected set", () => {
    // the file's own formatting (4 spaces, a compact array, its key order) must survive the edit
    const config = join(dir, "iac/dev/monitoring/ops/config.json");
    const formatted = readFileSync(config, "utf8")
      .replaceAll('\n  "', '\n    "')
      .replace(/\n}/, ',\n    "tags": ["a", "b"]\n}');
    writeFileSync(config, formatted);
    git(dir, "commit", "-qam", "reformat monitoring/ops");
    expect(karma("publish").code).toBe(0);
    const run = karma(
      "propose-change",
      "monitoring",
      "ops",
      "--env",
      "dev",
      "--input",
      patchFile({ alert_threshold_ms: 250 }),
      "--apply",
      "--commit",
      "--json",
    );
    expect(run.stderr).toBe("");
    const result = JSON.parse(run.stdout);
    expect(result.status).toBe("applied");
    expect(result.applied.published).toEqual(["dev:monitoring/ops"]);
    expect(result.applied.deploys).toEqual([
      expect.objectContaining({ component: "dev:monitoring/ops", status: "deployed" }),
    ]);
    expect(
      JSON.parse(readFileSync(join(dir, "iac/dev/monitoring/ops/config.json"), "utf8")).alert_threshold_ms,
    ).toBe(250);
    expect(readFileSync(config, "utf8")).toBe(
      formatted.replace('"alert_threshold_ms": 500', '"alert_threshold_ms": 250'),
    );
    expect(git(dir, "log", "-1", "--format=%s")).toContain("karma propose-change: dev:monitoring/ops");
    expect(git(dir, "status", "--porcelain")).toBe("");
    expect(existsSync(join(dir, ".karma/demo-infra/dev/monitoring/ops/dashboard.json"))).toBe(true);
  });
});
