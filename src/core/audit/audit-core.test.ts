import { describe, expect, it } from "vitest";
import { UserError } from "../errors.js";
import { digestInputs } from "./digest.js";
import type { AuditEntry } from "./entry.js";
import { diffJsonKeys } from "./json-changes.js";
import { computeLogDiff, graphVersionAt, type ParameterTimeline } from "./log-diff.js";
import { prepareEntry, searchableFields, textMatcher } from "./prepare-entry.js";
import { REDACTED, redactSecrets } from "./redact.js";
import { parseTimeSpec } from "./time-spec.js";

const now = new Date("2026-11-28T12:00:00.000Z");

describe("parseTimeSpec", () => {
  const at = (text: string, dateOnly?: "start" | "end") =>
    parseTimeSpec(text, { now, dateOnly }).toISOString();

  it("reads ISO timestamps, with or without a zone (no zone = UTC)", () => {
    expect(at("2026-11-28T14:30:00Z")).toBe("2026-11-28T14:30:00.000Z");
    expect(at("2026-11-28T14:30:00+01:00")).toBe("2026-11-28T13:30:00.000Z");
    expect(at("2026-11-28T14:30:00-0230")).toBe("2026-11-28T17:00:00.000Z");
    expect(at("2026-11-28T14:30")).toBe("2026-11-28T14:30:00.000Z");
    expect(at("2026-11-28 14:30:05.5Z")).toBe("2026-11-28T14:30:05.500Z");
  });

  it("reads a bare date as the start of the day, or its end for upper bounds", () => {
    expect(at("2026-11-28")).toBe("2026-11-28T00:00:00.000Z");
    expect(at("2026-11-28", "end")).toBe("2026-11-29T00:00:00.000Z");
    expect(at("2024-02-29")).toBe("2024-02-29T00:00:00.000Z");
  });

  it("reads durations ago and now", () => {
    expect(at("2h")).toBe("2026-11-28T10:00:00.000Z");
    expect(at("3d")).toBe("2026-11-25T12:00:00.000Z");
    expect(at("30m")).toBe("2026-11-28T11:30:00.000Z");
    expect(at("90s")).toBe("2026-11-28T11:58:30.000Z");
    expect(at("1w")).toBe("2026-11-21T12:00:00.000Z");
    expect(at("2 hours ago")).toBe("2026-11-28T10:00:00.000Z");
    expect(at("1.5h")).toBe("2026-11-28T10:30:00.000Z");
    expect(at("now")).toBe(now.toISOString());
  });

  it("rejects nonsense with the option name and the accepted forms", () => {
    for (const bad of ["", "yesterdayish", "2026-02-30", "3 fortnights", "2026-11-28T25:00Z", "12"]) {
      let error: unknown;
      try {
        parseTimeSpec(bad, { now, option: "--since" });
      } catch (e) {
        error = e;
      }
      expect(error, bad).toBeInstanceOf(UserError);
      expect((error as UserError).message).toContain("--since");
      expect((error as UserError).fix).toMatch(/2026-11-28T14:30:00Z.*2h/);
    }
  });
});

describe("diffJsonKeys", () => {
  it("names added, removed and changed leaves as JSON pointers", () => {
    const changes = diffJsonKeys(
      { a: 1, b: { c: 2, d: [1, 2] }, gone: { x: 1, y: 2 }, "we/ird": 1 },
      { a: 1, b: { c: 3, d: [1, 2, 3], e: true }, new: "x", "we/ird": 2 },
    );
    expect(changes).toEqual({
      added: ["/b/e", "/new"],
      removed: ["/gone/x", "/gone/y"],
      changed: ["/b/c", "/b/d", "/we~1ird"],
    });
  });

  it("treats a missing document as all-added or all-removed", () => {
    expect(diffJsonKeys(undefined, { a: { b: 1 }, c: {} })).toEqual({
      added: ["/a/b", "/c"],
      removed: [],
      changed: [],
    });
    expect(diffJsonKeys({ a: 1 }, undefined)).toEqual({ added: [], removed: ["/a"], changed: [] });
    expect(diffJsonKeys({ a: { b: 1 } }, { a: { b: 1 } })).toEqual({ added: [], removed: [], changed: [] });
  });
});

describe("digest and redaction", () => {
  it("digests canonical JSON: key order does not matter", () => {
    expect(digestInputs({ b: 1, a: [1, { y: 2, x: 1 }] })).toBe(
      digestInputs({ a: [1, { x: 1, y: 2 }], b: 1 }),
    );
    expect(digestInputs({ a: 1 })).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(digestInputs({ a: 1 })).not.toBe(digestInputs({ a: 2 }));
  });

  it("redacts values under secret-looking keys, however nested", () => {
    const { details, redacted } = redactSecrets({
      db_password: "hunter2",
      nested: { list: [{ apiKey: "k-123", name: "ok" }], "private-key": { pem: "----" } },
      token_ttl: 0,
      secureRuntime: false,
      empty_secret: "",
    });
    expect(JSON.stringify(details)).not.toMatch(/hunter2|k-123|----/);
    expect(details.db_password).toBe(REDACTED);
    expect(redacted.sort()).toEqual([
      "/db_password",
      "/nested/list/0/apiKey",
      "/nested/private-key",
      "/token_ttl",
    ]);
    expect((details.nested as { list: Array<{ name: string }> }).list[0]!.name).toBe("ok");
    expect(details.secureRuntime).toBe(false);
  });
});

describe("prepareEntry", () => {
  const base = { action: "publish", status: "ok", actor: "a@h", source: "cli" } as const;

  it("fills defaults, derives env from the component and redacts details", () => {
    const entry = prepareEntry(
      { ...base, component: "dev:vpc/main", details: { token: "t0p" }, after: { config: 3 } },
      now,
    );
    expect(entry).toMatchObject({
      timestamp: now.toISOString(),
      env: "dev",
      component: "dev:vpc/main",
      inputsDigest: null,
      logPath: null,
      message: "",
      before: {},
      after: { config: 3 },
      details: { token: REDACTED },
    });
  });

  it("normalises given timestamps to UTC", () => {
    expect(prepareEntry({ ...base, timestamp: "2026-11-28T13:00:00+01:00" }, now).timestamp).toBe(
      "2026-11-28T12:00:00.000Z",
    );
  });

  it("rejects malformed entries (caller bugs)", () => {
    const bad: Array<Record<string, unknown>> = [
      { action: "Publish" },
      { status: "done" },
      { source: "web" },
      { actor: " " },
      { component: "vpc/main" },
      { timestamp: "yesterday" },
      { timestamp: "2026-11-28T12:00:00" },
      { inputsDigest: "abc" },
      { after: { config: 1.5 } },
    ];
    for (const patch of bad)
      expect(() => prepareEntry({ ...base, ...patch } as never, now), JSON.stringify(patch)).toThrow(
        TypeError,
      );
  });

  it("matches text as a case-insensitive substring or as a regular expression", () => {
    const fields = searchableFields({
      action: "deploy",
      component: "dev:vpc/main",
      actor: "alice@h",
      message: "Applied 3 resources",
      details: { plan: { add: 3 } },
    });
    const any = (text: string | RegExp) => fields.some(textMatcher(text));
    expect(any("APPLIED")).toBe(true);
    expect(any("vpc/main")).toBe(true);
    expect(any(/"add":\d/g)).toBe(true);
    expect(any(/"add":\d/g)).toBe(true); // a global regexp keeps no state between calls
    expect(any(/^alice@/)).toBe(true); // anchors apply per field
    expect(any(/^destroy$/)).toBe(false);
  });
});

describe("computeLogDiff", () => {
  const t = (hhmm: string) => new Date(`2026-11-28T${hhmm}:00.000Z`);
  const entry = (id: number, hhmm: string, patch: Partial<AuditEntry> = {}): AuditEntry => ({
    id,
    timestamp: t(hhmm).toISOString(),
    action: "publish",
    status: "ok",
    actor: "a@h",
    source: "cli",
    component: null,
    env: "dev",
    inputsDigest: null,
    before: {},
    after: {},
    logPath: null,
    message: "",
    details: {},
    ...patch,
  });
  const timeline = (
    component: string,
    kind: "config" | "runtime",
    versions: ParameterTimeline["versions"],
  ): ParameterTimeline => ({
    env: "dev",
    component: `dev:${component}`,
    kind,
    name: `/iac/${component}/${kind}`,
    versions,
  });
  const v = (version: number, hhmm: string, value: unknown, secure = false) => ({
    version,
    modifiedAt: t(hhmm),
    secure,
    ...(secure ? {} : { value: JSON.stringify(value) }),
  });

  const timelines = [
    timeline("vpc/main", "config", [
      v(1, "09:00", { cidr: "10.0.0.0/16" }),
      v(2, "10:30", { cidr: "10.1.0.0/16", tags: { a: 1 } }),
      v(3, "11:30", { cidr: "10.2.0.0/16", tags: { a: 1 } }),
    ]),
    timeline("vpc/main", "runtime", [v(1, "09:30", { vpc_id: "vpc-1" })]),
    timeline("db/orders", "config", [v(1, "10:15", { size: "small" })]),
    timeline("db/orders", "runtime", [
      v(1, "10:20", { password: "s3cret" }, true),
      v(2, "10:40", { password: "n3w" }, true),
    ]),
    timeline("app/old", "config", [v(57, "10:45", { a: 1 }), v(58, "10:50", { a: 2 })]),
    timeline("app/late", "config", [v(1, "11:55", { a: 1 })]),
  ];

  const diff = computeLogDiff({
    before: t("10:00"),
    after: t("11:00"),
    timelines,
    entries: [
      entry(1, "09:59"),
      entry(2, "10:15", { action: "graph_build", after: { graph: 4 } }),
      entry(3, "11:00", { action: "deploy" }),
      entry(4, "11:01"),
    ],
  });

  it("reports parameters written within the window, with changed keys but never values", () => {
    expect(
      diff.parameters.map((p) => [
        p.component,
        p.kind,
        p.change,
        p.before?.version ?? null,
        p.after.version,
        p.versionsWritten,
      ]),
    ).toEqual([
      ["dev:app/old", "config", "updated", null, 58, 2],
      ["dev:db/orders", "config", "created", null, 1, 1],
      ["dev:db/orders", "runtime", "created", null, 2, 2],
      ["dev:vpc/main", "config", "updated", 1, 2, 1],
    ]);
    const vpc = diff.parameters.find((p) => p.component === "dev:vpc/main")!;
    expect(vpc.keys).toEqual({ added: ["/tags/a"], removed: [], changed: ["/cidr"] });
    expect(diff.parameters.find((p) => p.component === "dev:db/orders" && p.kind === "config")!.keys).toEqual(
      { added: ["/size"], removed: [], changed: [] },
    );
    const secret = diff.parameters.find((p) => p.kind === "runtime")!;
    expect(secret).toMatchObject({ secure: true, keys: null });
    expect(diff.parameters.find((p) => p.component === "dev:app/old")).toMatchObject({
      keys: null,
      note: expect.stringMatching(/no longer keeps/),
    });
    expect(JSON.stringify(diff)).not.toMatch(/10\.1\.0\.0|small|s3cret|n3w/);
  });

  it("lists the audit entries of the window (before, after], oldest first, and graph builds from them", () => {
    expect(diff.activity.map((e) => e.id)).toEqual([2, 3]);
    expect(diff.graph).toMatchObject({ source: "audit-log", builds: [{ id: 2, version: 4, status: "ok" }] });
    expect(diff.summary).toEqual({ configChanges: 3, runtimeChanges: 1, graphChanged: true, entries: 2 });
  });

  it("uses the graph store's versions and diff when given", () => {
    const versions = [
      { version: 1, createdAt: t("09:00").toISOString() },
      { version: 2, createdAt: t("10:30").toISOString() },
    ];
    expect(graphVersionAt(versions, t("08:00"))).toBeNull();
    expect(graphVersionAt(versions, t("10:00"))).toBe(1);
    expect(graphVersionAt(versions, t("10:30"))).toBe(2);
    const same = computeLogDiff({
      before: t("10:00"),
      after: t("11:00"),
      timelines: [],
      entries: [],
      graph: { beforeVersion: 1, afterVersion: 1, diff: null },
    });
    expect(same.summary.graphChanged).toBe(false);
    const empty = {
      nodes: { added: [], removed: [], changed: [] },
      edges: { added: [], removed: [], changed: [] },
    };
    const moved = computeLogDiff({
      before: t("10:00"),
      after: t("11:00"),
      timelines: [],
      entries: [],
      graph: { beforeVersion: 1, afterVersion: 2, diff: empty },
    });
    expect(moved.graph).toMatchObject({ source: "graph-store", beforeVersion: 1, afterVersion: 2 });
    expect(moved.summary.graphChanged).toBe(false);
  });

  it("refuses a window that ends before it starts", () => {
    expect(() => computeLogDiff({ before: t("11:00"), after: t("10:00"), timelines, entries: [] })).toThrow(
      /must be earlier/,
    );
  });
});
