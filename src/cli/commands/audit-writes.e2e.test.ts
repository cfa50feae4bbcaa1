/**
 * Every write is audited, whoever makes it: `karma param put|label|rm`, publish (with its lock),
 * forced lock releases, and writes through `karma serve`'s SSM API (as the access key id that
 * signed them). `karma log list` shows them all. Runs the built CLI (`npm run build` first).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SsmParameterStore } from "../../adapters/parameter-store/ssm/ssm-parameter-store.js";
import { type CliRun, runKarma, tempDir, writeFiles } from "../../testing/cli.js";
import { type Served, serve } from "../../testing/serve.js";

interface Entry {
  action: string;
  status: string;
  actor: string;
  id: number;
  source: string;
  env: string | null;
  component: string | null;
  message: string;
  details: Record<string, unknown>;
}

describe("audited writes", () => {
  let dir: string;
  const karma = (...args: string[]): CliRun => runKarma(["-C", dir, ...args]);
  const log = (...filters: string[]): Entry[] => {
    const run = karma("log", "list", "--json", ...filters);
    expect(run.code, run.stderr).toBe(0);
    return (JSON.parse(run.stdout) as { entries: Entry[] }).entries;
  };
  beforeAll(() => {
    dir = writeFiles(tempDir("audit-writes"), {
      "karma.json": JSON.stringify({ environments: ["dev", "prod"] }),
      "iac/dev/vpc/main/config.json": '{"cidr": "10.0.0.0/16"}\n',
    });
  });

  it("karma param put, label and rm: one entry each, actor and source of the CLI, no values", () => {
    expect(
      karma("param", "put", "/app/token", "s3cr3t-value", "--type", "SecureString", "--env", "dev").code,
    ).toBe(0);
    expect(karma("param", "label", "/app/token", "stable", "--env", "dev").code).toBe(0);
    expect(karma("param", "rm", "/app/token", "/app/none", "--env", "dev").code).toBe(1);
    const entries = log("--action", "param_put").concat(
      log("--action", "param_label"),
      log("--action", "param_delete"),
    );
    expect(entries.map((e) => [e.action, e.actor, e.source, e.env, e.message])).toEqual([
      ["param_put", "test@karma", "cli", "dev", "put /app/token v1 (SecureString)"],
      ["param_label", "test@karma", "cli", "dev", "labelled /app/token v1: stable"],
      ["param_delete", "test@karma", "cli", "dev", "deleted /app/token"],
    ]);
    expect(JSON.stringify(log())).not.toContain("s3cr3t-value");
  });

  it("publish: the lock taken and released around the publish entries", () => {
    expect(karma("publish").code).toBe(0);
    const entries = log("--env", "dev").filter((e) =>
      ["lock_acquire", "publish", "lock_release"].includes(e.action),
    );
    // newest first: the component's entry, then the batch announced before the store write
    expect(entries.map((e) => [e.action, e.status])).toEqual([
      ["lock_release", "ok"],
      ["publish", "ok"],
      ["publish", "started"],
      ["lock_acquire", "ok"],
    ]);
    expect(entries[1]?.details.batch).toBe(entries[2]?.id);
    expect(entries[3]).toMatchObject({ actor: "test@karma", source: "cli", message: 'locked for "publish"' });
    expect(entries[3]?.details).toMatchObject({ owner: "test@karma", operation: "publish", env: "dev" });
  });

  it("a forced lock release", () => {
    expect(karma("lock", "release", "--force", "--env", "prod").code).toBe(0);
    expect(log("--action", "lock_release", "--env", "prod")[0]).toMatchObject({
      source: "cli",
      message: "force release: the environment was not locked",
    });
  });

  describe("through karma serve's SSM API", () => {
    let served: Served;
    beforeAll(async () => {
      served = await serve(["-C", dir, "serve", "--port", "0", "--env", "dev"]);
    });
    afterAll(async () => {
      if (served.child.exitCode === null) await served.stop();
    });

    it("records put, label, delete and tag as the access key id, source ssm-api; reads are not recorded", async () => {
      const client = new SsmParameterStore({
        endpoint: served.url,
        region: "us-east-1",
        credentials: { accessKeyId: "prod", secretAccessKey: "anything" },
      });
      try {
        await client.putParameter({ name: "/svc/url", value: "https://x.test", type: "String" });
        await client.putParameter({ name: "/svc/url", value: "https://y.test", overwrite: true });
        await client.getParameter("/svc/url");
        await client.labelParameterVersion({ name: "/svc/url", labels: ["live"], version: 2 });
        await client.addTagsToResource("/svc/url", [{ key: "team", value: "web" }]);
        await client.deleteParameters(["/svc/url", "/svc/none"]);
      } finally {
        await client.close();
      }
      const entries = log("--env", "prod").filter((e) => e.source === "ssm-api");
      expect(entries.map((e) => [e.action, e.actor, e.message]).reverse()).toEqual([
        ["param_put", "prod", "put /svc/url v1 (String)"],
        ["param_put", "prod", "put /svc/url v2"],
        ["param_label", "prod", "labelled /svc/url v2: live"],
        ["param_tag", "prod", "tagged /svc/url: team"],
        ["param_delete", "prod", "deleted /svc/url"],
      ]);
    });
  });
});
