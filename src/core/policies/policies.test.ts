import { describe, expect, it } from "vitest";
import type { JsonObject, Reference } from "../estate/model.js";
import { parseProjectSettings } from "../estate/settings.js";
import { blockingVerdicts, evaluatePolicies } from "./evaluate.js";
import type { PolicyMode } from "./model.js";
import type { PolicyContext, PolicySubject } from "./rules.js";
import { readPolicies } from "./settings.js";

const subject = (id: string, config: JsonObject = {}, extra: Partial<PolicySubject> = {}): PolicySubject => {
  const [env, rest] = id.split(":") as [string, string];
  const [type, nickname] = rest.split("/") as [string, string];
  return { id, env, type, nickname, config, references: [], hasSchema: true, ...extra };
};

const context = (over: Partial<PolicyContext> = {}, mode: PolicyMode = "plan"): PolicyContext => ({
  mode,
  approved: false,
  changed: [subject("prod:service/api", { port: 1 })],
  affected: ["prod:service/api", "prod:site/www"],
  removed: [],
  ...over,
});

const evaluate = (raw: JsonObject, over: Partial<PolicyContext> = {}, mode: PolicyMode = "plan") =>
  evaluatePolicies(readPolicies(raw), context(over, mode));

describe("policy rules", () => {
  it("no policies, no verdicts", () => {
    expect(evaluate({})).toEqual([]);
  });

  describe("protected", () => {
    const raw = { protected: [{ match: "prod:*/*", severity: "warning", reason: "production" }] };

    it("plan: the rule's severity, naming every touched protected component", () => {
      const [v] = evaluate(raw);
      expect(v).toMatchObject({
        rule: "protected",
        severity: "warning",
        components: ["prod:service/api", "prod:site/www"],
      });
      expect(v!.message).toContain("production");
      expect(v!.fix).toContain("--approve");
      expect(blockingVerdicts([v!])).toEqual([]);
    });

    it("plan with severity error blocks; apply always errors; --approve lets it pass", () => {
      expect(blockingVerdicts(evaluate({ protected: ["prod:*/*"] }))).toHaveLength(1);
      const applied = evaluate(raw, {}, "apply");
      expect(applied[0]!.severity).toBe("error");
      expect(blockingVerdicts(applied)).toHaveLength(1);
      const approved = evaluate(raw, { approved: true }, "apply");
      expect(approved[0]).toMatchObject({ severity: "error", approved: true });
      expect(blockingVerdicts(approved)).toEqual([]);
    });

    it("a pattern without environment matches type/nickname in any environment; non-matches are silent", () => {
      expect(evaluate({ protected: ["site/*"] })[0]!.components).toEqual(["prod:site/www"]);
      expect(evaluate({ protected: ["dev:*/*"] })).toEqual([]);
    });
  });

  describe("maxBlastRadius", () => {
    it("over the limit: a verdict listing the affected set; at the limit: none", () => {
      expect(evaluate({ maxBlastRadius: 2 })).toEqual([]);
      const [v] = evaluate({ maxBlastRadius: { limit: 1, severity: "warning" } });
      expect(v).toMatchObject({ rule: "maxBlastRadius", severity: "warning" });
      expect(v!.message).toContain("affects 2 components, more than the limit of 1");
      expect(evaluate({ maxBlastRadius: 1 }, {}, "apply")[0]!.severity).toBe("error");
      expect(blockingVerdicts(evaluate({ maxBlastRadius: 1 }, { approved: true }))).toEqual([]);
    });
  });

  describe("crossEnvironmentReferences", () => {
    const crossRef = (env: string, type: string, nickname: string): Reference => ({
      form: "ref",
      pointer: "/zone_id",
      target: { env, type, nickname },
      external: false,
      key: "/id",
    });
    const changed = [
      subject(
        "dev:service/api",
        {},
        { references: [crossRef("prod", "dns-zone", "main"), crossRef("dev", "network", "main")] },
      ),
    ];

    it("flags references into another environment, naming both components", () => {
      const [v, ...rest] = evaluate({ crossEnvironmentReferences: true }, { changed });
      expect(rest).toEqual([]);
      expect(v).toMatchObject({
        rule: "crossEnvironmentReferences",
        severity: "error",
        components: ["dev:service/api", "prod:dns-zone/main"],
      });
      expect(v!.message).toContain("/zone_id");
    });

    it("allowed targets pass; warning severity does not block; apply makes it an error", () => {
      expect(evaluate({ crossEnvironmentReferences: { allow: ["prod:dns-zone/*"] } }, { changed })).toEqual(
        [],
      );
      const warned = evaluate({ crossEnvironmentReferences: { severity: "warning" } }, { changed });
      expect(blockingVerdicts(warned)).toEqual([]);
      const applied = evaluate({ crossEnvironmentReferences: { severity: "warning" } }, { changed }, "apply");
      expect(blockingVerdicts(applied)).toHaveLength(1);
    });

    it("external references never count", () => {
      const external = [
        subject(
          "dev:service/api",
          {},
          { references: [{ ...crossRef("prod", "datadog", "main"), external: true }] },
        ),
      ];
      expect(evaluate({ crossEnvironmentReferences: true }, { changed: external })).toEqual([]);
    });
  });

  describe("noDestroyWithConsumers", () => {
    it("a removed component with consumers is refused; without consumers it passes", () => {
      const removed = [
        { id: "prod:database/orders", consumers: ["prod:service/api"] },
        { id: "prod:s3-bucket/old", consumers: [] },
      ];
      const verdicts = evaluate({ noDestroyWithConsumers: true }, { removed });
      expect(verdicts).toHaveLength(1);
      expect(verdicts[0]).toMatchObject({
        rule: "noDestroyWithConsumers",
        severity: "error",
        components: ["prod:database/orders", "prod:service/api"],
      });
      expect(verdicts[0]!.message).toContain("still depends on it");
      // not approvable
      expect(
        blockingVerdicts(evaluate({ noDestroyWithConsumers: true }, { removed, approved: true })),
      ).toHaveLength(1);
      expect(evaluate({ noDestroyWithConsumers: { severity: "warning" } }, { removed })[0]!.severity).toBe(
        "warning",
      );
    });
  });

  describe("requiredKeys", () => {
    it("names the missing keys (names or pointers) per component of the type", () => {
      const changed = [subject("prod:service/api", { port: 1, health: {} }), subject("prod:service/b", {})];
      const verdicts = evaluate({ requiredKeys: { service: ["port", "/health/path"] } }, { changed });
      expect(verdicts.map((v) => [v.components, v.message])).toEqual([
        [["prod:service/api"], expect.stringContaining("/health/path")],
        [["prod:service/b"], expect.stringContaining("/port, /health/path")],
      ]);
      expect(evaluate({ requiredKeys: { site: ["title"] } }, { changed })).toEqual([]);
      expect(
        evaluate({ requiredKeys: { service: { keys: ["port"], severity: "warning" } } }, { changed })[0]!
          .severity,
      ).toBe("warning");
    });
  });

  describe("requireSchema", () => {
    it("types without a schema are flagged once per type", () => {
      const changed = [
        subject("prod:service/a", {}, { hasSchema: false }),
        subject("prod:service/b", {}, { hasSchema: false }),
        subject("prod:network/main", {}, { hasSchema: true }),
      ];
      const [v, ...rest] = evaluate({ requireSchema: true }, { changed });
      expect(rest).toEqual([]);
      expect(v).toMatchObject({ rule: "requireSchema", components: ["prod:service/a", "prod:service/b"] });
      expect(evaluate({ requireSchema: ["network"] }, { changed })).toEqual([]);
    });
  });
});

describe("policies in karma.json", () => {
  const parse = (policies: unknown) =>
    parseProjectSettings({ root: "/x", text: JSON.stringify({ environments: ["dev"], policies }) });

  it("accepts the documented shapes", () => {
    const { problems, settings } = parse({
      protected: ["prod:*/*", { match: ["a/*", "b/*"], severity: "warning", reason: "r" }],
      maxBlastRadius: { limit: 25, severity: "warning" },
      crossEnvironmentReferences: { allow: ["prod:dns-zone/*"], severity: "error" },
      noDestroyWithConsumers: true,
      requiredKeys: { service: ["port"] },
      requireSchema: { types: "*", severity: "warning" },
    });
    expect(problems).toEqual([]);
    const policies = readPolicies(settings.policies);
    expect(policies.protected).toHaveLength(2);
    expect(policies.requiredKeys.service).toEqual({ keys: ["/port"], severity: "error" });
  });

  it("reports mistakes with a pointer into policies and a fix", () => {
    const { problems } = parse({
      maxBlastRadius: { limit: 0 },
      protectd: ["x"],
      protected: [{ severity: "fatal" }],
    });
    const pointers = problems.map((p) => p.pointer);
    expect(pointers).toContain("/policies/protectd");
    expect(pointers).toContain("/policies/maxBlastRadius/limit");
    expect(pointers.some((p) => p?.startsWith("/policies/protected/0"))).toBe(true);
    for (const p of problems) expect(p.fix).toBeTruthy();
  });
});
