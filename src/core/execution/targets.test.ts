import { describe, expect, it } from "vitest";
import type { ComponentStatus } from "../status/compute-status.js";
import { applyTargets } from "./targets.js";

const status = (id: string, state: ComponentStatus["state"], reason = ""): ComponentStatus => {
  const [env, rest] = id.split(":") as [string, string];
  const [type, nickname] = rest.split("/") as [string, string];
  return { id, env, type, nickname, state, reason };
};

const statuses = [
  status("dev:a/one", "unpublished", "Git differs from published config v2"),
  status("dev:a/two", "in-sync"),
  status("dev:b/three", "never-deployed", "no runtime"),
  status("dev:b/four", "stale", "consumed dev:a/one v1, now v2 (#/id changed)"),
  status("dev:c/five", "in-sync"),
  status("dev:c/six", "undeployed", "runtime was produced from config v1, published is v2"),
];

describe("apply targets", () => {
  it("targets what is not applied yet, with its state as the cause; in-sync components are not targets", () => {
    expect([...applyTargets({ statuses })]).toEqual([
      ["dev:a/one", "unpublished: Git differs from published config v2"],
      ["dev:b/four", "stale: consumed dev:a/one v1, now v2 (#/id changed)"],
      ["dev:b/three", "never-deployed: no runtime"],
      ["dev:c/six", "undeployed: runtime was produced from config v1, published is v2"],
    ]);
  });

  it("resumes: what the previous apply left failed or skipped is a target again, if still selected", () => {
    const targets = applyTargets({
      statuses,
      previous: { entry: 7, failed: ["dev:c/six"], skipped: ["dev:c/five", "dev:gone/x"] },
    });
    expect(targets.get("dev:c/five")).toBe("was skipped in the previous apply (audit entry 7)");
    // its own state is the better reason
    expect(targets.get("dev:c/six")).toMatch(/^undeployed/);
    expect(targets.has("dev:gone/x")).toBe(false);
    expect(targets.has("dev:a/two")).toBe(false);
  });

  it("--since limits state targets to touched components and adds module and schema changes", () => {
    const targets = applyTargets({
      statuses,
      since: {
        ref: "main",
        touched: [
          { id: "dev:a/one", reason: "config", file: "iac/dev/a/one/config.json" },
          { id: "dev:c/five", reason: "module", file: "types/c/main.tf" },
          { id: "dev:a/two", reason: "config", file: "iac/dev/a/two/notes.md" },
        ],
      },
    });
    expect([...targets]).toEqual([
      ["dev:a/one", "unpublished: Git differs from published config v2"],
      ["dev:c/five", "module changed since main (types/c/main.tf)"],
    ]);
  });
});
