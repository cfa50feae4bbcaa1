import { describe, expect, it } from "vitest";
import type { JsonObject, JsonValue } from "../estate/model.js";
import { extractReferences, indexTypes } from "../references/extract.js";
import { type BuildComponentInput, type BuildRuntimeInput, buildGraph, fingerprint } from "./builder.js";
import type { GraphEdge } from "./model.js";

const TYPES = indexTypes(["vpc", "s3-bucket", "grafana", "eks", "service", "dns-zone", "db", "site"]);

function component(id: string, config: JsonObject, configVersion?: number): BuildComponentInput {
  const [env, rest] = id.split(":") as [string, string];
  const [type, nickname] = rest.split("/") as [string, string];
  const { references, problems } = extractReferences(config, { env, prefix: "/iac", types: TYPES });
  expect(problems).toEqual([]);
  return {
    env,
    type,
    nickname,
    config,
    references,
    ...(configVersion !== undefined ? { configVersion } : {}),
  };
}

function runtime(id: string, values: JsonValue, extra: Partial<BuildRuntimeInput> = {}): BuildRuntimeInput {
  const [env, rest] = id.split(":") as [string, string];
  const external = rest.startsWith("/external/");
  const [type, nickname] = (external ? rest.slice("/external/".length) : rest).split("/") as [string, string];
  return { env, type, nickname, external, secure: false, values, version: 1, ...extra };
}

const edgesOf = (edges: GraphEdge[], kind?: string) =>
  edges
    .filter((e) => kind === undefined || e.kind === kind)
    .map((e) => `${e.from} -> ${e.to} ${e.evidence.pointer}`);

describe("buildGraph: declared reference forms", () => {
  const vpc = component("dev:vpc/main", { cidr: "10.1.0.0/16" }, 3);
  const bucket = component("dev:s3-bucket/assets", {}, 1);
  const grafana = component("dev:grafana/ops", {}, 1);

  it("$ref gives depends_on plus key-level consumes with the producer key and config version", () => {
    const eks = component("dev:eks/main", { vpc_id: { $ref: "vpc/main#/vpc_id" } }, 7);
    const g = buildGraph({
      source: { kind: "store" },
      components: [vpc, eks],
      runtimes: [runtime("dev:vpc/main", { vpc_id: "vpc-0abc1234def567890" })],
    });
    expect(g.edges).toEqual([
      {
        from: "dev:eks/main",
        to: "dev:vpc/main",
        kind: "consumes",
        evidence: { form: "ref", pointer: "/vpc_id", producerKey: "/vpc_id" },
        configVersion: 7,
      },
      {
        from: "dev:eks/main",
        to: "dev:vpc/main",
        kind: "depends_on",
        evidence: { form: "ref", pointer: "/vpc_id" },
        configVersion: 7,
      },
    ]);
    expect(g.findings).toEqual([]);
  });

  it("<type>_nickname resolves hyphenated types (s3_bucket_nickname → s3-bucket)", () => {
    const site = component("dev:site/www", { s3_bucket_nickname: "assets", vpc_nickname: "main" });
    const g = buildGraph({ source: { kind: "store" }, components: [vpc, bucket, site], runtimes: [] });
    expect(g.edges.map((e) => [e.to, e.kind, e.evidence.form, e.evidence.pointer])).toEqual([
      ["dev:s3-bucket/assets", "depends_on", "nickname-field", "/s3_bucket_nickname"],
      ["dev:vpc/main", "depends_on", "nickname-field", "/vpc_nickname"],
    ]);
  });

  it("src_type + src_nickname pair", () => {
    const site = component("dev:site/www", { origin: { src_type: "s3-bucket", src_nickname: "assets" } });
    const g = buildGraph({ source: { kind: "store" }, components: [bucket, site], runtimes: [] });
    expect(g.edges.map((e) => [e.to, e.evidence.form, e.evidence.pointer])).toEqual([
      ["dev:s3-bucket/assets", "src-pair", "/origin"],
    ]);
  });

  it("*_runtime_path, including /external systems", () => {
    const svc = component("dev:service/api", {
      grafana_runtime_path: "/iac/grafana/ops/runtime",
      dns_runtime_path: "/external/dns-zone/corp/runtime",
    });
    const g = buildGraph({
      source: { kind: "store" },
      components: [grafana, svc],
      runtimes: [runtime("dev:/external/dns-zone/corp", { zone_id: "Z0123456789ABCDEFGHIJ" })],
    });
    expect(edgesOf(g.edges)).toEqual([
      "dev:service/api -> dev:/external/dns-zone/corp /dns_runtime_path",
      "dev:service/api -> dev:grafana/ops /grafana_runtime_path",
    ]);
    expect(g.nodes.find((n) => n.id === "dev:/external/dns-zone/corp")?.kind).toBe("external");
  });

  it("depends_on list is ordering only (no consumes)", () => {
    const svc = component("dev:service/api", { depends_on: ["vpc/main", "grafana/ops"] });
    const g = buildGraph({ source: { kind: "store" }, components: [vpc, grafana, svc], runtimes: [] });
    expect(g.edges.every((e) => e.kind === "depends_on" && e.evidence.form === "depends-on")).toBe(true);
    expect(g.edges.map((e) => e.to)).toEqual(["dev:grafana/ops", "dev:vpc/main"]);
  });

  it("is deterministic: the same input in another order gives the same graph", () => {
    const a = component("dev:service/a", { depends_on: ["vpc/main"], vpc_nickname: "main" });
    const b = component("dev:service/b", { vpc_id: { $ref: "vpc/main#/vpc_id" } });
    const rt = [runtime("dev:vpc/main", { vpc_id: "vpc-0abc1234def567890" })];
    const one = buildGraph({ source: { kind: "store" }, components: [vpc, a, b], runtimes: rt });
    const two = buildGraph({ source: { kind: "store" }, components: [b, a, vpc], runtimes: rt });
    expect(JSON.stringify(two)).toBe(JSON.stringify(one));
  });
});

describe("buildGraph: inference", () => {
  const vpc = component("dev:vpc/main", { cidr: "10.1.0.0/16" }, 2);

  it("matches a distinctive runtime value, with evidence and a fingerprint instead of the value", () => {
    const eks = component("dev:eks/main", { network: { vpc_id: "vpc-0abc1234def567890" } }, 4);
    const g = buildGraph({
      source: { kind: "store" },
      components: [vpc, eks],
      runtimes: [runtime("dev:vpc/main", { vpc_id: "vpc-0abc1234def567890", cidr: "10.1.0.0/16" })],
    });
    const evidence = {
      form: "inferred",
      pointer: "/network/vpc_id",
      producerKey: "/vpc_id",
      fingerprint: fingerprint("vpc-0abc1234def567890"),
      reason: "aws-id",
    };
    expect(g.edges).toEqual([
      { from: "dev:eks/main", to: "dev:vpc/main", kind: "consumes", evidence, configVersion: 4 },
      { from: "dev:eks/main", to: "dev:vpc/main", kind: "inferred", evidence, configVersion: 4 },
    ]);
    expect(JSON.stringify(g)).not.toContain("vpc-0abc1234def567890");
  });

  it.each([
    ["boolean", true, true],
    ["boolean-ish string", "true", "true"],
    ["small number (port)", 5432, 5432],
    ["empty string", "", ""],
    ["common word", "production", "production"],
    ["region", "eu-west-1", "eu-west-1"],
    ["version", "1.29.0", "1.29.0"],
    ["instance size", "db.r6g.large", "db.r6g.large"],
    ["well-known CIDR", "0.0.0.0/0", "0.0.0.0/0"],
    ["short name", "main", "main"],
  ])("never matches a %s", (_label, consumerValue, producerValue) => {
    const svc = component("dev:service/api", { setting: consumerValue as JsonValue });
    const g = buildGraph({
      source: { kind: "store" },
      components: [vpc, svc],
      runtimes: [runtime("dev:vpc/main", { setting: producerValue as JsonValue })],
    });
    expect(g.edges).toEqual([]);
  });

  it("ignores values published by many producers (common values)", () => {
    const producers = ["a", "b", "c", "d"].map((n) => component(`dev:vpc/${n}`, {}));
    const runtimes = ["a", "b", "c", "d"].map((n) => runtime(`dev:vpc/${n}`, { account_id: "123456789012" }));
    const svc = component("dev:service/api", { account: "123456789012" });
    const g = buildGraph({ source: { kind: "store" }, components: [...producers, svc], runtimes });
    expect(g.edges).toEqual([]);
  });

  it("never uses SecureString runtimes or sensitive outputs, and never fingerprints secret-looking keys", () => {
    const db = component("dev:db/main", {});
    const cache = component("dev:db/cache", {});
    const svc = component("dev:service/api", {
      db_password: "s3cr3t-Passw0rd-value",
      token_copy: "arn:aws:iam::123456789012:role/deployer",
      conn: "db-main.abcdefghij.eu-west-1.rds.amazonaws.com",
    });
    const g = buildGraph({
      source: { kind: "store" },
      components: [db, cache, svc],
      runtimes: [
        runtime("dev:db/main", undefined as unknown as JsonValue, { secure: true, values: undefined }),
        runtime("dev:db/cache", {
          password: "s3cr3t-Passw0rd-value",
          endpoint: { value: "db-main.abcdefghij.eu-west-1.rds.amazonaws.com", sensitive: true },
          role: "arn:aws:iam::123456789012:role/deployer",
        }),
      ],
    });
    expect(g.edges).toEqual([]);
    const dbNode = g.nodes.find((n) => n.id === "dev:db/main");
    expect(dbNode).toMatchObject({ secureRuntime: true });
    expect(dbNode?.runtimeKeys).toBeUndefined();
  });

  it("does not infer across environments or from a component's own runtime", () => {
    const prodVpc = component("prod:vpc/main", {});
    const self = component("dev:vpc/main", { vpc_id: "vpc-0abc1234def567890" });
    const svc = component("prod:service/api", { vpc_id: "vpc-0abc1234def567890" });
    const g = buildGraph({
      source: { kind: "store" },
      components: [prodVpc, self, svc],
      runtimes: [runtime("dev:vpc/main", { vpc_id: "vpc-0abc1234def567890" })],
    });
    expect(g.edges).toEqual([]);
  });

  it("prefers the originating producer over one that passes the value through", () => {
    const subnet = component("dev:vpc/subnets", {
      vpc_id: { $ref: "vpc/main#/vpc_id" },
      parent: "vpc-0abc1234def567890",
    });
    const svc = component("dev:service/api", { vpc_id: "vpc-0abc1234def567890" });
    const g = buildGraph({
      source: { kind: "store" },
      components: [vpc, subnet, svc],
      runtimes: [
        runtime("dev:vpc/main", { vpc_id: "vpc-0abc1234def567890" }),
        runtime("dev:vpc/subnets", {
          vpc_id: "vpc-0abc1234def567890",
          subnet_ids: ["subnet-0123456789abcdef0"],
        }),
      ],
    });
    expect(edgesOf(g.edges, "inferred")).toEqual(["dev:service/api -> dev:vpc/main /vpc_id"]);
  });

  it("adds consumes lineage but no inferred edge when the dependency is already declared", () => {
    const svc = component("dev:service/api", { vpc_nickname: "main", vpc_id: "vpc-0abc1234def567890" });
    const g = buildGraph({
      source: { kind: "store" },
      components: [vpc, svc],
      runtimes: [runtime("dev:vpc/main", { vpc_id: "vpc-0abc1234def567890" })],
    });
    expect(
      g.edges.map(
        (e) => `${e.kind} ${e.evidence.form} ${e.evidence.pointer}<-${e.evidence.producerKey ?? ""}`,
      ),
    ).toEqual(["consumes inferred /vpc_id<-/vpc_id", "depends_on nickname-field /vpc_nickname<-"]);
  });

  it("matches values inside arrays and ARNs, hostnames and long ids", () => {
    const svc = component("dev:service/api", {
      subnets: ["subnet-0123456789abcdef0"],
      bucket_arn: "arn:aws:s3:::karma-assets-prod",
      db_host: "db-main.abcdefghij.eu-west-1.rds.amazonaws.com",
    });
    const g = buildGraph({
      source: { kind: "store" },
      components: [vpc, svc],
      runtimes: [
        runtime("dev:vpc/main", {
          subnet_ids: ["subnet-0123456789abcdef0"],
          arn: "arn:aws:s3:::karma-assets-prod",
          host: "db-main.abcdefghij.eu-west-1.rds.amazonaws.com",
        }),
      ],
    });
    expect(
      g.edges
        .filter((e) => e.kind === "consumes")
        .map((e) => `${e.evidence.pointer}<-${e.evidence.producerKey} ${e.evidence.reason}`),
    ).toEqual(["/bucket_arn<-/arn arn", "/db_host<-/host hostname", "/subnets/0<-/subnet_ids/0 aws-id"]);
  });
});

describe("buildGraph: findings", () => {
  it("reports a reference to a missing component as dangling, without an edge", () => {
    const svc = component("dev:service/api", { vpc_nickname: "gone" });
    const g = buildGraph({ source: { kind: "store" }, components: [svc], runtimes: [] });
    expect(g.edges).toEqual([]);
    expect(g.findings).toEqual([
      {
        kind: "dangling-component",
        severity: "error",
        from: "dev:service/api",
        to: "dev:vpc/gone",
        pointer: "/vpc_nickname",
        form: "nickname-field",
      },
    ]);
  });

  it("reports a $ref to a runtime key the producer does not publish", () => {
    const vpc = component("dev:vpc/main", {});
    const svc = component("dev:service/api", {
      a: { $ref: "vpc/main#/vpc_id" },
      b: { $ref: "vpc/main#/nope" },
    });
    const g = buildGraph({
      source: { kind: "store" },
      components: [vpc, svc],
      runtimes: [runtime("dev:vpc/main", { vpc_id: "vpc-0abc1234def567890" })],
    });
    expect(g.findings).toEqual([
      {
        kind: "dangling-key",
        severity: "error",
        from: "dev:service/api",
        to: "dev:vpc/main",
        pointer: "/b",
        producerKey: "/nope",
      },
    ]);
  });

  it("does not call a key dangling when the producer is not deployed yet or its runtime is secret", () => {
    const vpc = component("dev:vpc/main", {});
    const db = component("dev:db/main", {});
    const svc = component("dev:service/api", {
      a: { $ref: "vpc/main#/vpc_id" },
      b: { $ref: "db/main#/password" },
    });
    const g = buildGraph({
      source: { kind: "store" },
      components: [vpc, db, svc],
      runtimes: [{ env: "dev", type: "db", nickname: "main", external: false, secure: true }],
    });
    expect(g.findings).toEqual([]);
  });

  it("reports every cycle as its full path rotated to the smallest id", () => {
    const g = buildGraph({
      source: { kind: "store" },
      components: [
        component("dev:service/c", { depends_on: ["service/a"] }),
        component("dev:service/a", { depends_on: ["service/b"] }),
        component("dev:service/b", { depends_on: ["service/c"] }),
        component("dev:site/x", { depends_on: ["site/y"] }),
        component("dev:site/y", { depends_on: ["site/x"] }),
        component("dev:db/self", { depends_on: ["db/self"] }),
      ],
      runtimes: [],
    });
    expect(g.findings.filter((f) => f.kind === "cycle")).toEqual([
      { kind: "cycle", severity: "error", path: ["dev:db/self", "dev:db/self"], members: ["dev:db/self"] },
      {
        kind: "cycle",
        severity: "error",
        path: ["dev:service/a", "dev:service/b", "dev:service/c", "dev:service/a"],
        members: ["dev:service/a", "dev:service/b", "dev:service/c"],
      },
      {
        kind: "cycle",
        severity: "error",
        path: ["dev:site/x", "dev:site/y", "dev:site/x"],
        members: ["dev:site/x", "dev:site/y"],
      },
    ]);
  });

  it("reports a runtime without config as an orphan node, listing who still consumes it", () => {
    const svc = component("dev:service/api", { vpc_nickname: "old" });
    const g = buildGraph({
      source: { kind: "store" },
      components: [svc],
      runtimes: [runtime("dev:vpc/old", { vpc_id: "vpc-0abc1234def567890" })],
    });
    expect(g.nodes.find((n) => n.id === "dev:vpc/old")?.kind).toBe("runtime-only");
    expect(g.findings).toEqual([
      {
        kind: "orphan",
        severity: "warning",
        node: "dev:vpc/old",
        reason: "runtime-without-config",
        consumers: ["dev:service/api"],
      },
    ]);
  });

  it("reports references across environments and still draws the edge", () => {
    const zone = component("prod:dns-zone/corp", {});
    const svc = component("dev:service/api", { depends_on: ["prod:dns-zone/corp"] });
    const g = buildGraph({ source: { kind: "store" }, components: [zone, svc], runtimes: [] });
    expect(edgesOf(g.edges)).toEqual(["dev:service/api -> prod:dns-zone/corp /depends_on/0"]);
    expect(g.findings).toEqual([
      {
        kind: "cross-environment",
        severity: "warning",
        from: "dev:service/api",
        to: "prod:dns-zone/corp",
        pointer: "/depends_on/0",
        form: "depends-on",
      },
    ]);
  });
});
