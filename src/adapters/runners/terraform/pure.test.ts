import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { UserError } from "../../../core/errors.js";
import { REDACTED, RunLog } from "../run-log.js";
import { compareVersions, findTerraform, parseVersionOutput } from "./binary.js";
import { classify, summarisePlan } from "./plan-summary.js";
import { backendConfigArgs } from "./workdir.js";

describe("binary discovery", () => {
  it("parses Terraform and OpenTofu version banners", () => {
    expect(parseVersionOutput("Terraform v1.5.7\non linux_amd64\n")).toEqual({
      flavor: "terraform",
      version: "1.5.7",
    });
    expect(parseVersionOutput("OpenTofu v1.6.3\non linux_amd64")).toEqual({
      flavor: "tofu",
      version: "1.6.3",
    });
    expect(parseVersionOutput("Warning: x\nTerraform v1.10.0-beta1\n")).toEqual({
      flavor: "terraform",
      version: "1.10.0-beta1",
    });
    expect(parseVersionOutput("something else 1.2.3")).toBeUndefined();
  });

  it("compares versions numerically", () => {
    expect(compareVersions("1.10.0", "1.4.0")).toBe(1);
    expect(compareVersions("1.3.9", "1.4.0")).toBe(-1);
    expect(compareVersions("1.4.0-rc1", "1.4.0")).toBe(-1);
    expect(compareVersions("1.6.0", "1.6.0")).toBe(0);
  });

  it("says what is missing and how to install it", async () => {
    const empty = mkdtempSync(join(tmpdir(), "karma-path-"));
    try {
      const none = await findTerraform({ env: { PATH: empty } }).catch((e: unknown) => e);
      expect(none).toBeInstanceOf(UserError);
      expect((none as UserError).message).toMatch(/neither OpenTofu \(`tofu`\) nor Terraform/);
      expect((none as UserError).fix).toMatch(/go install github\.com\/hashicorp\/terraform@v1\.5\.7/);
      expect((none as UserError).fix).toMatch(/KARMA_TERRAFORM/);

      const wrong = await findTerraform({
        env: { PATH: empty, KARMA_TERRAFORM: join(empty, "terraform") },
      }).catch((e: unknown) => e);
      expect((wrong as UserError).message).toMatch(/from KARMA_TERRAFORM\): not found or not executable/);
    } finally {
      rmSync(empty, { recursive: true });
    }
  });
});

describe("plan summary", () => {
  it("matches actions by membership", () => {
    expect(classify(["delete", "create"])).toBe("replace");
    expect(classify(["create", "delete"])).toBe("replace");
    expect(classify(["create"])).toBe("create");
    expect(classify(["update"])).toBe("update");
    expect(classify(["delete"])).toBe("delete");
    expect(classify(["read"])).toBe("read");
    expect(classify(["no-op"])).toBe("noop");
    expect(classify(["forget"])).toBe("update");
  });

  it("summarises show -json without keeping any value", () => {
    const summary = summarisePlan({
      resource_changes: [
        { address: "b.x", change: { actions: ["update"], after: { secret: "hunter2" } } },
        { address: "a.x", change: { actions: ["create", "delete"] } },
        { address: "c.x", change: { actions: ["no-op"] } },
      ],
      output_changes: { url: { actions: ["update"] }, same: { actions: ["no-op"] } },
    });
    expect(summary.changes).toEqual({
      create: [],
      update: ["b.x"],
      replace: ["a.x"],
      delete: [],
      read: [],
      noop: ["c.x"],
    });
    expect(summary.outputChanges).toEqual(["url"]);
    expect(summary.hasChanges).toBe(true);
    expect(JSON.stringify(summary)).not.toContain("hunter2");
    expect(summarisePlan({}).hasChanges).toBe(false);
  });
});

describe("backend config", () => {
  it("fills placeholders and gives s3 a per-component key", () => {
    const address = { env: "prod", type: "vpc", nickname: "main" };
    expect(
      backendConfigArgs(
        { kind: "backend", type: "s3", config: { bucket: "tf-{env}", region: "eu-west-1" } },
        address,
      ),
    ).toEqual([
      "-backend-config=bucket=tf-prod",
      "-backend-config=key=vpc/main/terraform.tfstate",
      "-backend-config=region=eu-west-1",
    ]);
  });
});

describe("run log", () => {
  it("redacts secrets as written and scrubs ones learnt later, raw and JSON-escaped", () => {
    const dir = mkdtempSync(join(tmpdir(), "karma-log-"));
    try {
      const log = new RunLog(join(dir, "logs", "x.log"));
      log.hide(["early-secret"]);
      log.line("value early-secret here, no way");
      log.line(JSON.stringify({ msg: 'late "quoted" secret' }));
      log.line('late "quoted" secret raw');
      log.scrub(['late "quoted" secret', "no"]);
      log.line('again late "quoted" secret');
      log.close();
      const text = readFileSync(join(dir, "logs", "x.log"), "utf8");
      expect(text).not.toMatch(/early-secret|late/);
      expect(text.split(REDACTED).length - 1).toBe(4);
      expect(text).toContain("no way"); // "no" is too short to redact
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
});
