import { describe, expect, it } from "vitest";
import type { AuditEntry } from "../audit/entry.js";
import { driftCheckEntry, driftedComponents } from "./resource-checks.js";

let nextId = 1;
function entry(partial: Partial<AuditEntry> & Pick<AuditEntry, "action" | "component">): AuditEntry {
  const id = nextId++;
  return {
    id,
    timestamp: `2026-01-01T00:00:${String(id).padStart(2, "0")}.000Z`,
    status: "ok",
    actor: "a",
    source: "cli",
    env: "dev",
    inputsDigest: null,
    before: {},
    after: {},
    logPath: null,
    message: "",
    details: {},
    ...partial,
  };
}

const check = (component: string, drift: boolean) =>
  entry({ ...driftCheckEntry({ id: component, drift, counts: { change: 1 } }), component } as AuditEntry);

describe("drifted components from the audit log", () => {
  it("the latest check decides; a successful deploy after it clears the drift", () => {
    const a1 = check("dev:network/main", true);
    const b1 = check("dev:site/www", true);
    const c1 = check("dev:service/api", true);
    const a2 = check("dev:network/main", false);
    const deployB = entry({ action: "deploy", component: "dev:site/www" });
    const failedDeployC = entry({ action: "deploy", component: "dev:service/api", status: "failed" });
    const drifted = driftedComponents([c1, a2, b1, a1], [deployB, failedDeployC]);
    expect(drifted).toEqual([
      { id: "dev:service/api", checkedAt: c1.timestamp, logEntry: c1.id, counts: { change: 1 } },
    ]);
  });

  it("a deploy before the check does not clear it", () => {
    const deploy = entry({ action: "deploy", component: "dev:site/www" });
    const found = check("dev:site/www", true);
    expect(driftedComponents([found], [deploy]).map((d) => d.id)).toEqual(["dev:site/www"]);
  });

  it("records counts only, with a one-line message", () => {
    const e = driftCheckEntry({
      id: "prod:service/api",
      drift: true,
      counts: { add: 0, change: 2, destroy: 1 },
    });
    expect(e).toMatchObject({
      action: "drift_check",
      component: "prod:service/api",
      env: "prod",
      message: "resource drift: 2 to change, 1 to destroy",
      details: { drift: true },
    });
    expect(driftCheckEntry({ id: "dev:x/y", drift: false }).message).toBe("no resource drift");
  });
});
