/**
 * The HTTP API against a running server on a free port, driven by a real HTTP client (fetch), over
 * the deployed demo estate with canary secrets planted. Answers are compared with the CLI's for
 * the same question where the CLI has one, and no answer may contain a canary.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runKarma, tempDir } from "../../../testing/cli.js";
import {
  CANARIES,
  demoEstateWithCanaries,
  PLANTED_DRIFT,
  type Served,
  serveEstate,
} from "../../../testing/served-estate.js";
import { readProjectSettings } from "../../fs/settings-reader.js";
import { startServer } from "../server.js";
import { mountKarma } from "./app.js";

const TOKEN = "test-token-0123456789";

describe("Karma HTTP API", () => {
  let dir: string;
  let served: Served;
  const bodies: string[] = [];

  async function call(
    path: string,
    init: RequestInit & { token?: string } = {},
  ): Promise<{ status: number; body: Record<string, unknown>; text: string; headers: Headers }> {
    const headers = new Headers(init.headers);
    // runKarma blocks this process for seconds at a time: an idle keep-alive socket may be closed
    // by the server meanwhile, so every request takes a fresh connection
    headers.set("Connection", "close");
    if (init.token) headers.set("Authorization", `Bearer ${init.token}`);
    if (init.body !== undefined && !headers.has("Content-Type"))
      headers.set("Content-Type", "application/json");
    const response = await fetch(`${served.url}${path}`, { ...init, headers });
    const text = await response.text();
    bodies.push(text);
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      // /metrics and the page are not JSON
    }
    return { status: response.status, body, text, headers: response.headers };
  }

  const post = (path: string, body: unknown, token?: string) =>
    call(path, { method: "POST", body: JSON.stringify(body), ...(token ? { token } : {}) });

  function cliJson(...args: string[]): unknown {
    const run = runKarma(["-C", dir, ...args]);
    expect(run.stderr).toBe("");
    return JSON.parse(run.stdout);
  }

  beforeAll(async () => {
    const estate = await demoEstateWithCanaries();
    dir = estate.dir;
    served = await serveEstate(dir, { KARMA_API_TOKEN: TOKEN });
  }, 180_000);

  afterAll(async () => {
    expect(await served?.stop()).toBe(0);
  });

  it("GET /api/graph: the latest version, an older one with ?at, and a selection", async () => {
    const latest = await call("/api/graph");
    expect(latest.status).toBe(200);
    const ids = (latest.body.nodes as Array<{ id: string }>).map((n) => n.id);
    expect(latest.body.version).toBe(3);
    expect(ids).toContain("dev:service/billing");
    expect(ids).toContain("prod:service/api");

    const v2 = await call("/api/graph?at=2");
    expect((v2.body.nodes as Array<{ id: string }>).map((n) => n.id)).not.toContain("dev:service/billing");

    const selected = await call(
      `/api/graph?select=${encodeURIComponent("...dev:network/main & type=service")}`,
    );
    expect((selected.body.nodes as Array<{ id: string }>).map((n) => n.id).sort()).toEqual([
      "dev:service/api",
      "dev:service/billing",
      "dev:service/worker",
    ]);
    // the same answer as the CLI's export of that selection
    const cli = cliJson("graph", "export", "...dev:network/main & type=service") as { nodes: unknown[] };
    expect(selected.body.nodes).toEqual(cli.nodes);
  });

  it("a bad selector answers 400 with the CLI's own message and fix", async () => {
    const api = await call(`/api/graph?select=${encodeURIComponent("type=vpc &")}`);
    expect(api.status).toBe(400);
    const cli = runKarma(["-C", dir, "graph", "export", "type=vpc &"]);
    expect(cli.code).toBe(1);
    expect(cli.stderr).toContain(String(api.body.error));
    expect(cli.stderr).toContain(String(api.body.fix));

    const none = await call("/api/graph?select=nothing/here");
    expect(none.status).toBe(400);
    expect(none.body.error).toBe('no component matches "nothing/here"');
  });

  it("GET /api/graph/versions and /api/graph/diff", async () => {
    const versions = await call("/api/graph/versions");
    expect((versions.body.versions as Array<{ version: number }>).map((v) => v.version)).toEqual([1, 2, 3]);
    const diff = await call("/api/graph/diff?from=2&to=3");
    expect(diff.status).toBe(200);
    const d = diff.body.diff as {
      nodes: { added: Array<{ id: string }> };
      edges: { added: Array<{ from: string }> };
    };
    expect(d.nodes.added.map((n) => n.id)).toEqual(["dev:service/billing"]);
    expect(d.edges.added.every((e) => e.from === "dev:service/billing")).toBe(true);
    expect(d.edges.added.length).toBeGreaterThan(0);
    expect(diff.body).toEqual(cliJson("graph", "diff", "2", "3", "--json"));

    expect((await call("/api/graph/diff?from=1&to=99")).status).toBe(404);
    const bad = await call("/api/graph/diff?from=0&to=x");
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe("from");
  });

  it("GET /api/components/…: status, versions, producers with key-level evidence, consumers", async () => {
    const { status, body } = await call("/api/components/dev/service/api");
    expect(status).toBe(200);
    expect((body.status as { state: string }).state).toBe("in-sync");
    const producers = body.producers as Array<{
      to: string;
      kind: string;
      evidence: { pointer: string; producerKey?: string };
    }>;
    expect(producers).toContainEqual(
      expect.objectContaining({
        to: "dev:network/main",
        kind: "consumes",
        evidence: expect.objectContaining({ pointer: "/network_id", producerKey: "/network_id" }),
      }),
    );
    const consumers = (body.consumers as Array<{ from: string }>).map((e) => e.from);
    expect(consumers).toEqual(expect.arrayContaining(["dev:site/www", "dev:monitoring/ops"]));
    const config = body.config as { value: Record<string, unknown>; versions: Array<{ version: number }> };
    expect(config.value.replicas).toBe(2);
    expect(config.versions[0]?.version).toBe(1);
    const runtime = body.runtime as { value: Record<string, unknown>; secure: boolean };
    expect(runtime.secure).toBe(false);
    expect(runtime.value.url).toBe("http://127.0.0.1:8080");
    // the same edges as `karma graph show`
    const show = cliJson("graph", "show", "dev:service/api", "--json") as { dependencies: unknown[] };
    expect(body.producers).toEqual(show.dependencies);
  });

  it("GET /api/components/…: a blue-green component's live and candidate runtimes, as `karma status` has them", async () => {
    const { body } = await call("/api/components/dev/site-content/www");
    expect(body.bluegreen).toMatchObject({ component: "dev:site-content/www", live: 1, candidate: 2 });
    const cli = cliJson("status", "--json") as { bluegreen: Array<{ component: string }> };
    expect(body.bluegreen).toEqual(cli.bluegreen.find((b) => b.component === "dev:site-content/www"));
    const versions = (body.runtime as { versions: Array<{ version: number; labels?: string[] }> }).versions;
    expect(versions.map((v) => [v.version, v.labels])).toEqual([
      [2, ["candidate"]],
      [1, ["live"]],
    ]);
    // components never deployed blue-green carry no such section
    expect((await call("/api/components/dev/service/api")).body.bluegreen).toBeUndefined();
  });

  it("never shows secrets: SecureString config and runtime hidden, secret-looking keys redacted", async () => {
    const vault = await call("/api/components/dev/vault/main");
    expect(vault.status).toBe(200);
    expect(vault.body.config).toMatchObject({ present: true, secure: true, value: null });
    expect(vault.body.runtime).toMatchObject({ present: true, secure: true, value: null });
    const legacy = await call("/api/components/dev/legacy/app");
    expect(legacy.body.runtime).toMatchObject({
      secure: false,
      value: { url: "http://legacy.dev.example", db_password: "[redacted]" },
      redacted: ["/db_password"],
    });
    const orders = await call("/api/components/dev/database/orders");
    expect(orders.body.runtime).toMatchObject({ secure: true, value: null });

    const missing = await call("/api/components/dev/service/nope");
    expect(missing.status).toBe(404);
    const badName = await call("/api/components/dev/Service/api");
    expect(badName.status).toBe(400);
    expect(badName.body.field).toBe("type");
  });

  it("GET /api/impact: dependents by environment and deploy waves", async () => {
    const { status, body } = await call("/api/impact?select=dev:network/main");
    expect(status).toBe(200);
    expect(body.selected).toEqual(["dev:network/main"]);
    const dependents = (body.dependents as Array<{ id: string }>).map((r) => r.id);
    expect(dependents).toEqual(
      expect.arrayContaining(["dev:service/api", "dev:service/billing", "dev:site/www"]),
    );
    expect(Object.keys(body.byEnvironment as object)).toEqual(["dev"]);
    const waves = body.waves as string[][];
    expect(waves[0]).toEqual(["dev:network/main"]);
    expect(waves.flat().sort()).toEqual(["dev:network/main", ...dependents].sort());
    const cli = cliJson("graph", "impact", "dev:network/main", "--json") as { total: number };
    expect(body.total).toBe(cli.total);
  });

  it("POST /api/plan answers the document `karma plan --json` prints", async () => {
    const api = await post("/api/plan", {});
    expect(api.status).toBe(200);
    expect(api.body).toEqual(cliJson("plan", "--json"));
    const bad = await post("/api/plan", { since: 3 });
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe("since");
    const unknown = await post("/api/plan", { bogus: true });
    expect(unknown.status).toBe(400);
    expect(String(unknown.body.error)).toContain("bogus");
    const notBoolean = await post("/api/plan", { apply: "yes" });
    expect(notBoolean.status).toBe(400);
    expect(notBoolean.body.field).toBe("apply");
    const notJson = await call("/api/plan", {
      method: "POST",
      body: "{",
      headers: { "Content-Type": "application/json" },
    });
    expect(notJson.status).toBe(400);
    expect(notJson.body.error).toBe("Malformed JSON in request body");
    const text = await call("/api/plan", {
      method: "POST",
      body: "{}",
      headers: { "Content-Type": "text/plain" },
    });
    expect(text.status).toBe(415);
  });

  it("POST /api/plan {changes}: the plan of proposed changes, as `karma plan --changes` prints it; nothing written", async () => {
    const changes = { "dev:service/api": { replicas: 4 }, "dev:s3-bucket/assets": { versioning: false } };
    const api = await post("/api/plan", { changes });
    expect(api.status, api.text).toBe(200);
    const plan = api.body as { changed: string[]; affected: Array<{ id: string }> };
    expect(plan.changed).toEqual(["dev:s3-bucket/assets", "dev:service/api"]);
    // the proposed change reaches the api's consumers, found by the one planner
    expect(plan.affected.map((e) => e.id)).toEqual(
      expect.arrayContaining(["dev:site/www", "dev:monitoring/ops"]),
    );
    const file = join(tempDir("changes"), "changes.json");
    writeFileSync(file, JSON.stringify(changes));
    expect(api.body).toEqual(cliJson("plan", "--changes", file, "--json"));
    expect(JSON.parse(readFileSync(join(dir, "iac/dev/service/api/config.json"), "utf8")).replicas).toBe(2);

    const both = await post("/api/plan", { since: "HEAD", changes });
    expect(both.status).toBe(400);
    expect(both.body.field).toBe("changes");
    const invalid = await post("/api/plan", { changes: { "dev:service/api": { replicas: "many" } } });
    expect(invalid.status).toBe(400);
    expect(JSON.stringify(invalid.body.problems)).toContain("/replicas");
    const notPatch = await post("/api/plan", { changes: { "dev:service/api": 3 } });
    expect(notPatch.status).toBe(400);
    expect(notPatch.body.field).toBe("changes.dev:service/api");
    expect((await post("/api/plan", { changes: { "dev:service/nope": {} } })).status).toBe(404);
  });

  it("POST /api/request-change needs the bearer token", async () => {
    const body = { component: "dev:service/api", proposed_change: { replicas: 3 } };
    const none = await post("/api/request-change", body);
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toContain("Bearer");
    expect((await post("/api/request-change", body, "wrong-token-0123456789")).status).toBe(401);
  });

  it("POST /api/request-change: approved, with waves, audited and visible in `karma log`", async () => {
    const { status, body } = await post(
      "/api/request-change",
      { component: "dev:service/api", proposed_change: { replicas: 3 }, requested_by: "alice" },
      TOKEN,
    );
    expect(status).toBe(200);
    expect(body).toMatchObject({
      status: "approved",
      outcome: "accepted",
      component: "dev:service/api",
      changed_keys: { changed: ["/replicas"], added: [], removed: [] },
      verdicts: [],
    });
    expect((body.waves as string[][])[0]).toEqual(["dev:service/api"]);
    expect(body.affected_components).toEqual(expect.arrayContaining(["dev:site/www", "dev:monitoring/ops"]));
    const log = cliJson("log", "list", "--action", "change_request", "--json") as {
      entries: Array<{ id: number; actor: string; source: string; component: string }>;
    };
    expect(log.entries.find((e) => e.id === body.log_entry_id)).toMatchObject({
      actor: "alice",
      source: "http-api",
      component: "dev:service/api",
    });
    // a dry run changes nothing else: the config file and the published config keep the old value
    expect(JSON.parse(readFileSync(join(dir, "iac/dev/service/api/config.json"), "utf8")).replicas).toBe(2);
    const detail = await call("/api/components/dev/service/api");
    expect(detail.body.config).toMatchObject({ value: { replicas: 2 }, versions: [{ version: 1 }] });
  });

  it("POST /api/request-change: needs-review for approvable policies, rejected otherwise, 400 for invalid patches", async () => {
    const prod = await post(
      "/api/request-change",
      { component: "prod:service/api", proposed_change: { replicas: 7 } },
      TOKEN,
    );
    expect(prod.body.status).toBe("needs-review");
    expect((prod.body.verdicts as Array<{ rule: string }>).map((v) => v.rule)).toContain("protected");
    const approved = await post(
      "/api/request-change",
      { component: "prod:service/api", proposed_change: { replicas: 7 }, approve: true },
      TOKEN,
    );
    expect(approved.body.status).toBe("approved");

    const untitled = await post(
      "/api/request-change",
      { component: "dev:site/www", proposed_change: { title: null } },
      TOKEN,
    );
    expect(untitled.body.status).toBe("rejected");
    expect((untitled.body.verdicts as Array<{ rule: string }>).map((v) => v.rule)).toEqual(["requiredKeys"]);

    const invalid = await post(
      "/api/request-change",
      { component: "dev:service/api", proposed_change: { replicas: "many" } },
      TOKEN,
    );
    expect(invalid.status).toBe(400);
    expect(String(invalid.body.error)).toContain("dev:service/api");
    expect(JSON.stringify(invalid.body.problems)).toContain("/replicas");

    const apply = await post(
      "/api/request-change",
      { component: "dev:service/api", proposed_change: { replicas: 3 }, dry_run: false },
      TOKEN,
    );
    expect(apply.status).toBe(403);
    expect(apply.body.fix).toContain("--allow-apply");

    const noField = await post("/api/request-change", { proposed_change: {} }, TOKEN);
    expect(noField.status).toBe(400);
    expect(noField.body.field).toBe("component");
    const unknown = await post(
      "/api/request-change",
      { component: "dev:service/nope", proposed_change: {} },
      TOKEN,
    );
    expect(unknown.status).toBe(404);
  });

  it("GET /api/log takes the filters of `karma log list`, with its messages", async () => {
    const { body } = await call("/api/log?action=change_request&limit=2");
    const entries = body.entries as Array<{ action: string }>;
    expect(entries).toHaveLength(2);
    expect(entries.every((e) => e.action === "change_request")).toBe(true);
    expect(body.truncated).toBe(true);
    const bad = await call("/api/log?since=yesterday-ish");
    expect(bad.status).toBe(400);
    expect(String(bad.body.error)).toMatch(/^since "yesterday-ish"/);
    const cli = runKarma(["-C", dir, "log", "list", "--since", "yesterday-ish"]);
    expect(cli.stderr).toContain(String(bad.body.fix));
  });

  it("GET /api/status and /api/drift answer what `karma status` and `karma drift` do", async () => {
    const status = await call("/api/status");
    expect(status.body.summary).toEqual((cliJson("status", "--json") as { summary: unknown }).summary);
    const selected = await call("/api/status?select=prod:*/*");
    expect((selected.body.components as unknown[]).length).toBe(6);
    const drift = await call("/api/drift");
    expect(drift.status).toBe(200);
    expect(drift.body).toEqual(cliJson("drift", "--json"));
    // the Terraform check recorded in the audit log (planted as `karma drift --terraform` records it)
    const resources = await call("/api/drift/resources");
    expect(resources.body.components).toEqual([
      expect.objectContaining({ id: PLANTED_DRIFT, counts: { add: 0, change: 1, destroy: 0 } }),
    ]);
  });

  it("GET /api/openapi.json is OpenAPI 3.1 generated from the validating schemas", async () => {
    const { body } = await call("/api/openapi.json");
    expect(body.openapi).toBe("3.1.0");
    const paths = body.paths as Record<string, Record<string, { requestBody?: unknown; security?: unknown }>>;
    expect(Object.keys(paths).sort()).toEqual([
      "/api/components/{env}/{type}/{nick}",
      "/api/drift",
      "/api/drift/resources",
      "/api/graph",
      "/api/graph/diff",
      "/api/graph/versions",
      "/api/impact",
      "/api/log",
      "/api/plan",
      "/api/request-change",
      "/api/status",
    ]);
    expect(paths["/api/request-change"]?.post?.security).toEqual([{ bearer: [] }]);
    const schemas = (body.components as { schemas: Record<string, { required?: string[] }> }).schemas;
    expect(schemas.ChangeRequest?.required).toEqual(["component", "proposed_change"]);
  });

  it("GET /metrics exports components by status, apply results and graph age", async () => {
    const { text, headers } = await call("/metrics");
    expect(headers.get("content-type")).toContain("text/plain");
    expect(text).toContain('karma_components{env="prod",status="in-sync"} 6');
    expect(text).toMatch(/karma_last_apply_success\{env="dev"\} 1/);
    expect(text).toMatch(/karma_graph_version 3/);
    expect(text).toMatch(/karma_graph_version_age_seconds \d/);
    expect(text).toMatch(/karma_drifted_components\{env="dev"\} \d/);
    // the planted Terraform check's finding, read from the audit log at each scrape
    expect(text).toContain('karma_resource_drifted_components{env="dev"} 1');
    expect(text).toContain('karma_resource_drifted_components{env="prod"} 0');
  });

  it("sends no CORS headers", async () => {
    const preflight = await call("/api/request-change", {
      method: "OPTIONS",
      headers: { Origin: "https://evil.example", "Access-Control-Request-Method": "POST" },
    });
    expect(preflight.headers.get("access-control-allow-origin")).toBeNull();
    const read = await call("/api/graph/versions", { headers: { Origin: "https://evil.example" } });
    expect(read.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("beyond loopback every API request needs the token", async () => {
    const settings = readProjectSettings(dir);
    const guarded = await startServer({
      port: 0,
      configure: (app) => mountKarma(app, { settings, token: TOKEN, readToken: true }),
    });
    try {
      expect((await fetch(`${guarded.url}/api/graph/versions`)).status).toBe(401);
      const ok = await fetch(`${guarded.url}/api/graph/versions`, {
        headers: { Authorization: `Bearer ${TOKEN}` },
      });
      expect(ok.status).toBe(200);
    } finally {
      await guarded.close();
    }
  });

  it("POST /api/plan {apply: true}: the bearer token and --allow-apply, then `karma apply` through the API, audited", async () => {
    const file = join(dir, "iac/dev/monitoring/ops/config.json");
    const config = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
    writeFileSync(file, `${JSON.stringify({ ...config, alert_threshold_ms: 750 }, null, 2)}\n`);
    const ask = { apply: true, select: "dev:monitoring/ops", requested_by: "bob" };
    expect((await post("/api/plan", ask)).status).toBe(401);
    const notAllowed = await post("/api/plan", ask, TOKEN);
    expect(notAllowed.status).toBe(403);
    expect(notAllowed.body.field).toBe("apply");
    const since = await post("/api/plan", { ...ask, since: "HEAD" }, TOKEN);
    expect(since.status).toBe(400);
    expect(since.body.field).toBe("since");
    const changes = await post("/api/plan", { apply: true, changes: { "dev:service/api": {} } }, TOKEN);
    expect(changes.body.field).toBe("changes");
    expect(String(changes.body.error)).toContain("/api/request-change");
    // nothing was applied by the refused requests
    const before = cliJson("status", "--json") as { components: Array<{ id: string; state: string }> };
    expect(before.components.find((c) => c.id === "dev:monitoring/ops")?.state).toBe("unpublished");

    const writer = await serveEstate(dir, { KARMA_API_TOKEN: TOKEN }, ["--allow-apply"]);
    try {
      const response = await fetch(`${writer.url}/api/plan`, {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          Authorization: `Bearer ${TOKEN}`,
          Connection: "close",
        },
        body: JSON.stringify(ask),
      });
      const text = await response.text();
      bodies.push(text);
      expect(response.status, text).toBe(200);
      const body = JSON.parse(text) as {
        confirmed: boolean;
        published: string[];
        results: Array<{ id: string; status: string }>;
        auditEntry: number;
      };
      expect(body.confirmed).toBe(true);
      expect(body.published).toEqual(["dev:monitoring/ops"]);
      expect(body.results).toContainEqual(
        expect.objectContaining({ id: "dev:monitoring/ops", status: "deployed" }),
      );
      const after = cliJson("status", "--json") as { components: Array<{ id: string; state: string }> };
      expect(after.components.find((c) => c.id === "dev:monitoring/ops")?.state).toBe("in-sync");
      const log = cliJson("log", "list", "--action", "apply", "--json") as {
        entries: Array<{ id: number; actor: string; source: string }>;
      };
      expect(log.entries.find((e) => e.id === body.auditEntry)).toMatchObject({
        actor: "bob",
        source: "http-api",
      });
      expect(writer.output()).not.toContain("internal error");
    } finally {
      await writer.stop();
    }
  });

  it("no answer carried a canary secret, and nothing failed inside the server", () => {
    expect(bodies.length).toBeGreaterThan(30);
    for (const canary of Object.values(CANARIES))
      for (const body of bodies) expect(body).not.toContain(canary);
    expect(served.output()).not.toContain("internal error");
  });
});
