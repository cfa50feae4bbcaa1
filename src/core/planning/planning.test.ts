import { describe, expect, it } from "vitest";
import type { JsonObject } from "../estate/model.js";
import { readPolicies } from "../policies/settings.js";
import { computeChangePlan, type PlanEdge } from "./compute-plan.js";
import {
  type ConfigSnapshot,
  detectConfigChanges,
  detectModuleChanges,
  detectSchemaChanges,
  detectUndeployed,
} from "./detect.js";
import { PlanCycleError } from "./errors.js";
import { applyMergePatch } from "./merge-patch.js";
import type { ChangeReason, PlanReport } from "./model.js";
import { planDocument } from "./render/json.js";
import { renderPlanMarkdown } from "./render/markdown.js";
import { renderPlanText } from "./render/text.js";

const dep = (from: string, to: string, pointer = "/x"): PlanEdge => ({
  from,
  to,
  kind: "depends_on",
  evidence: { form: "nickname-field", pointer },
});
const ref = (from: string, to: string, pointer: string, producerKey: string): PlanEdge[] => [
  { from, to, kind: "depends_on", evidence: { form: "ref", pointer } },
  { from, to, kind: "consumes", evidence: { form: "ref", pointer, producerKey } },
];
const snap = (id: string, config: JsonObject): ConfigSnapshot => ({
  id,
  file: `iac/${id.replace(":", "/")}/config.json`,
  config,
});
const configChange = (id: string): ChangeReason => ({
  kind: "config",
  id,
  file: `iac/${id}/config.json`,
  status: "modified",
  keys: { added: [], removed: [], changed: ["/cidr"] },
});

// network ← api ← site ; network ← worker (ordering only) ; db unrelated
const NET = "dev:network/main";
const API = "dev:service/api";
const WORKER = "dev:service/worker";
const SITE = "dev:site/www";
const DB = "dev:database/orders";
const edges: PlanEdge[] = [
  ...ref(API, NET, "/network_id", "/network_id"),
  ...ref(SITE, API, "/api_url", "/url"),
  dep(WORKER, NET, "/network_nickname"),
  dep(SITE, DB, "/database_nickname"),
];

const plan = (reasons: ChangeReason[], extra: Partial<Parameters<typeof computeChangePlan>[0]> = {}) =>
  computeChangePlan({
    base: { kind: "published" },
    graph: { kind: "working-tree" },
    reasons,
    edges,
    nodes: [NET, API, WORKER, SITE, DB],
    policies: readPolicies({}),
    mode: "plan",
    ...extra,
  });

describe("detectors", () => {
  it("config: per-key pointers, added and removed components, no values", () => {
    const base = new Map([
      [NET, snap(NET, { cidr: "10.0.0.0/16", zones: ["a"] })],
      [DB, snap(DB, { size: 1 })],
      [API, snap(API, { port: 1 })],
    ]);
    const next = new Map([
      [NET, snap(NET, { cidr: "10.9.0.0/16", zones: ["a"], tags: { team: "x" } })],
      [API, snap(API, { port: 1 })],
      [SITE, snap(SITE, { title: "t" })],
    ]);
    const reasons = detectConfigChanges(base, next);
    expect(reasons.map((r) => [r.id, r.kind === "config" && r.status])).toEqual([
      [DB, "removed"],
      [NET, "modified"],
      [SITE, "added"],
    ]);
    const net = reasons.find((r) => r.id === NET);
    expect(net).toMatchObject({ keys: { changed: ["/cidr"], added: ["/tags/team"], removed: [] } });
    expect(JSON.stringify(reasons)).not.toContain("10.9.0.0");
  });

  it("config: edges added and removed when both sides carry them", () => {
    const base = new Map([
      [API, { ...snap(API, { n: "a" }), edges: [{ to: NET, kind: "depends_on" as const, pointer: "/n" }] }],
    ]);
    const next = new Map([
      [API, { ...snap(API, { n: "b" }), edges: [{ to: DB, kind: "depends_on" as const, pointer: "/n" }] }],
    ]);
    const [reason] = detectConfigChanges(base, next);
    expect(reason).toMatchObject({
      edges: { added: [{ to: DB, kind: "depends_on" }], removed: [{ to: NET, kind: "depends_on" }] },
    });
  });

  it("schema and module: every component of the type, schema file not counted as module", () => {
    const layout = {
      components: [
        { id: API, type: "service" },
        { id: WORKER, type: "service" },
        { id: NET, type: "network" },
      ],
      types: new Map([
        ["service", { schema: "types/service/schema.json", module: "types/service" }],
        ["network", { module: "types/network" }],
      ]),
    };
    expect(detectSchemaChanges(["types/service/schema.json"], layout).map((r) => r.id)).toEqual([
      API,
      WORKER,
    ]);
    expect(detectModuleChanges(["types/service/schema.json"], layout)).toEqual([]);
    expect(detectModuleChanges(["types/network/main.tf", "README.md"], layout)).toEqual([
      { kind: "module", id: NET, type: "network", files: ["types/network/main.tf"] },
    ]);
  });

  it("undeployed: never-deployed and stale runtimes, not in-sync or unpublished", () => {
    const base = { env: "dev", type: "t", nickname: "n", reason: "r" };
    const reasons = detectUndeployed([
      { ...base, id: "dev:t/a", state: "never-deployed", configVersion: 1 },
      { ...base, id: "dev:t/b", state: "undeployed", configVersion: 3, deployedConfigVersion: 2 },
      { ...base, id: "dev:t/c", state: "in-sync" },
      { ...base, id: "dev:t/d", state: "unpublished" },
    ]);
    expect(reasons).toEqual([
      { kind: "undeployed", id: "dev:t/a", configVersion: 1, detail: "r" },
      { kind: "undeployed", id: "dev:t/b", configVersion: 3, deployedConfigVersion: 2, detail: "r" },
    ]);
  });
});

describe("computeChangePlan", () => {
  it("affected = changed ∪ transitive dependents, with paths and consumed keys", () => {
    const p = plan([configChange(NET)]);
    expect(p.changed).toEqual([NET]);
    expect(p.entries.map((e) => e.id)).toEqual([API, NET, WORKER, SITE].sort());
    const site = p.entries.find((e) => e.id === SITE)!;
    expect(site).toMatchObject({ kind: "dependent", depth: 2, path: [NET, API, SITE] });
    expect(site.consumes).toEqual([
      { producer: API, keys: [{ pointer: "/api_url", producerKey: "/url" }], orderingOnly: false },
    ]);
    const worker = p.entries.find((e) => e.id === WORKER)!;
    expect(worker.consumes).toEqual([{ producer: NET, keys: [], orderingOnly: true, byName: true }]);
    expect(p.entries.some((e) => e.id === DB)).toBe(false);
  });

  it("orders the affected set in waves", () => {
    const p = plan([configChange(NET)]);
    expect(p.waves.map((w) => w.map((e) => e.id))).toEqual([[NET], [API, WORKER], [SITE]]);
    expect(p.entries.find((e) => e.id === SITE)!.wave).toBe(2);
  });

  it("merges several reasons for one component in detector order", () => {
    const p = plan([
      { kind: "undeployed", id: API, detail: "no runtime" },
      { kind: "module", id: API, type: "service", files: ["types/service/main.tf"] },
      configChange(API),
    ]);
    const api = p.entries.find((e) => e.id === API)!;
    expect(api.kind === "changed" && api.reasons.map((r) => r.kind)).toEqual([
      "config",
      "module",
      "undeployed",
    ]);
  });

  it("a cycle in the affected set stops the plan and shows the cycle", () => {
    const cyclic = [...edges, dep(NET, SITE, "/loop")];
    let error: unknown;
    try {
      plan([configChange(NET)], { edges: cyclic });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PlanCycleError);
    const cycle = (error as PlanCycleError).cycles[0]!;
    expect(cycle.path[0]).toBe(cycle.path.at(-1));
    expect(cycle.members).toEqual([NET, API, SITE].sort());
    expect((error as PlanCycleError).message).toContain(cycle.path.join(" → "));
  });

  it("a cycle elsewhere in the estate does not stop an unrelated plan", () => {
    const p = plan([configChange(DB)], {
      edges: [...edges, dep("dev:a/x", "dev:a/y"), dep("dev:a/y", "dev:a/x")],
    });
    expect(p.entries.map((e) => e.id)).toEqual([DB, SITE]);
  });

  it("a removed component is not deployed; its consumers are listed and redeployed", () => {
    const removal: ChangeReason = {
      kind: "config",
      id: DB,
      file: "iac/dev/database/orders/config.json",
      status: "removed",
      keys: { added: [], removed: ["/size"], changed: [] },
    };
    const p = plan([removal]);
    expect(p.removed).toEqual([{ id: DB, consumers: [SITE], reasons: [removal] }]);
    expect(p.changed).toEqual([]);
    expect(p.entries.map((e) => e.id)).toEqual([SITE]);
  });

  it("no change, empty plan", () => {
    const p = plan([]);
    expect(p.entries).toEqual([]);
    expect(p.waves).toEqual([]);
    expect(renderPlanText({ version: 1, plan: p, problems: [], warnings: [] })).toContain("Nothing to do");
  });
});

describe("renderers", () => {
  const p = plan([configChange(NET)], {
    policies: readPolicies({ maxBlastRadius: { limit: 2, severity: "warning" } }),
  });
  const report: PlanReport = { version: 1, plan: p, problems: [], warnings: [] };

  it("markdown: summary on top, waves table, one <details> per component", () => {
    const md = renderPlanMarkdown(report);
    const lines = md.split("\n");
    expect(lines[0]).toBe("### ⚠️ Karma plan: 1 changed, 4 affected, 3 waves");
    expect(md.indexOf("**Policies**")).toBeLessThan(md.indexOf("<details>"));
    expect(md).toContain("| 1 | `dev:network/main` |");
    expect(md).toContain("| 2 | `dev:service/api`, `dev:service/worker` |");
    expect(md.match(/<details>/g)).toHaveLength(4);
    expect(md.match(/<\/details>/g)).toHaveLength(4);
    expect(md).toContain(
      "<summary><code>dev:site/www</code> — wave 3, dependent of dev:network/main</summary>",
    );
    expect(md).toContain("- path: `dev:network/main` ← `dev:service/api` ← `dev:site/www`");
    expect(md).toContain("- consumes dev:service/api: /url → /api_url");
    expect(md).toContain("⚠️ warning | `maxBlastRadius`");
  });

  it("json: waves as ids, summary counts", () => {
    const doc = planDocument(report);
    expect(doc.waves).toEqual([[NET], [API, WORKER], [SITE]]);
    expect(doc.summary).toMatchObject({
      changed: 1,
      affected: 4,
      dependents: 3,
      waves: 3,
      warnings: 1,
      errors: 0,
    });
  });

  it("text: changed keys and consumed keys, never values", () => {
    const text = renderPlanText(report);
    expect(text).toContain("config changed: ~/cidr");
    expect(text).toContain("consumes dev:network/main: /network_id → /network_id");
    expect(text).toContain(
      "1. dev:network/main\n  2. dev:service/api, dev:service/worker\n  3. dev:site/www",
    );
  });
});

describe("applyMergePatch (RFC 7396)", () => {
  it("merges objects, deletes with null, replaces arrays and scalars", () => {
    const target: JsonObject = { a: 1, b: { c: 2, d: 3 }, list: [1, 2] };
    const patched = applyMergePatch(target, { a: null, b: { c: 5, e: { f: 1 } }, list: [9] });
    expect(patched).toEqual({ b: { c: 5, d: 3, e: { f: 1 } }, list: [9] });
    expect(target).toEqual({ a: 1, b: { c: 2, d: 3 }, list: [1, 2] });
    expect(applyMergePatch({ a: 1 }, ["x"])).toEqual(["x"]);
  });
});
