import { describe, expect, it } from "vitest";
import { parseProjectSettings } from "./settings.js";

const parse = (text: string, extra: Partial<Parameters<typeof parseProjectSettings>[0]> = {}) =>
  parseProjectSettings({ root: "/estate", text, ...extra });

describe("parseProjectSettings", () => {
  it("gives the documented defaults for an empty object", () => {
    const { settings, problems } = parse("{}", { discoveredEnvironments: ["prod", "dev"] });
    expect(problems).toEqual([]);
    expect(settings.prefix).toBe("/iac");
    expect(settings.paths).toEqual({ components: "iac", types: "types", state: ".karma" });
    expect(settings.environments.map((e) => [e.name, e.prefix, e.store])).toEqual([
      ["dev", "/iac", { kind: "sqlite", path: ".karma/karma.db" }],
      ["prod", "/iac", { kind: "sqlite", path: ".karma/karma.db" }],
    ]);
    expect(settings.graph).toEqual({ kind: "sqlite" });
    expect(settings.audit).toEqual({ kind: "sqlite" });
  });

  it("reads team mode: the graph and the audit log in a Gremlin server (Neptune with IAM)", () => {
    const graph = {
      kind: "gremlin",
      endpoint: "wss://db.cluster-abc.eu-west-1.neptune.amazonaws.com:8182/gremlin",
      iam: true,
      timeout: 10,
    };
    const { settings, problems } = parse(JSON.stringify({ graph, audit: { kind: "gremlin" } }));
    expect(problems).toEqual([]);
    expect(settings.graph).toEqual(graph);
    expect(settings.audit).toEqual({ kind: "gremlin" });
  });

  it("says what a gremlin graph or audit log is missing, with the key", () => {
    const noEndpoint = parse(JSON.stringify({ graph: { kind: "gremlin" } })).problems;
    expect(noEndpoint.map((p) => [p.pointer, p.message])).toEqual([
      ["/graph/endpoint", 'a "gremlin" graph needs the server\'s WebSocket endpoint'],
    ]);
    const auditAlone = parse(JSON.stringify({ audit: { kind: "gremlin" } })).problems;
    expect(auditAlone.map((p) => p.pointer)).toEqual(["/audit/kind"]);
    const badEndpoint = parse(
      JSON.stringify({ graph: { kind: "gremlin", endpoint: "http://x/gremlin" } }),
    ).problems;
    expect(badEndpoint.map((p) => p.pointer)).toEqual(["/graph/endpoint"]);
  });

  it("lets environments override prefix and store, and IAC_PREFIX override every prefix", () => {
    const text = JSON.stringify({
      prefix: "/platform/",
      environments: { prod: { store: { kind: "ssm", region: "eu-west-1" } }, dev: { prefix: "/dev-iac" } },
    });
    const plain = parse(text).settings;
    expect(plain.environments.map((e) => [e.name, e.prefix, e.store.kind])).toEqual([
      ["dev", "/dev-iac", "sqlite"],
      ["prod", "/platform", "ssm"],
    ]);
    const overridden = parse(text, { env: { IAC_PREFIX: "/ci" } }).settings;
    expect(overridden.environments.map((e) => e.prefix)).toEqual(["/ci", "/ci"]);
  });

  it("reports every problem with pointer and fix, not just the first", () => {
    const { problems } = parse(
      JSON.stringify({
        prefix: "iac",
        colour: "blue",
        environments: ["Prod"],
        types: { vpc: { runner: "pulumi" } },
      }),
    );
    const pointers = problems.map((p) => p.pointer).sort();
    expect(pointers).toEqual(["/colour", "/environments/0", "/prefix", "/types/vpc/runner"]);
    for (const p of problems) {
      expect(p.file).toBe("karma.json");
      expect(p.fix).toBeTruthy();
    }
  });

  it("names the allowed kinds of an unknown store kind instead of falling back to defaults", () => {
    const { problems } = parseProjectSettings({
      root: "/estate",
      text: JSON.stringify({ environments: ["dev"], store: { kind: "mongo" } }),
      env: {},
    });
    expect(problems).toEqual([
      expect.objectContaining({
        pointer: "/store/kind",
        message: 'must be one of "sqlite", "ssm"',
        severity: "error",
      }),
    ]);
  });

  it("reports malformed JSON as a problem instead of throwing", () => {
    const { problems } = parse('{"prefix": "/iac",}');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code: "json.malformed", file: "karma.json", severity: "error" });
  });

  it("rejects a prefix that makes parameter names SSM refuses", () => {
    const { problems } = parse(JSON.stringify({ prefix: "/aws/iac", environments: ["dev"] }));
    expect(problems.map((p) => p.message).join()).toMatch(/SSM rejects/);
  });
});

describe("the generated karma.json validator", () => {
  it("checks string lengths (ajv's runtime helper, imported by the generated code)", () => {
    const { problems } = parse(JSON.stringify({ paths: { components: "" }, terraform: { binary: "tofu" } }));
    expect(problems).toMatchObject([
      { pointer: "/paths/components", message: expect.stringMatching(/fewer than 1/) },
    ]);
  });

  it("is the ajv standalone code of settingsSchema as it is now (else: npm run generate:validators)", async () => {
    const { readFileSync } = await import("node:fs");
    const { GENERATED_FILE, settingsValidatorSource } = await import(
      "./testing/settings-validator-source.js"
    );
    expect(readFileSync(GENERATED_FILE, "utf8")).toBe(`${settingsValidatorSource()}\n`);
  });

  it("runs its runtime helpers in-process too (string lengths: a protected pattern)", () => {
    const ok = parse(JSON.stringify({ environments: ["dev"], policies: { protected: ["prod:*/*"] } }));
    expect(ok.problems).toEqual([]);
    const empty = parse(JSON.stringify({ environments: ["dev"], policies: { protected: [""] } }));
    expect(empty.problems.map((p) => p.pointer)).toContain("/policies/protected/0");
  });
});
