import { chmodSync, mkdirSync, renameSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { UserError } from "../../core/errors.js";
import type { ProjectSettings } from "../../core/estate/model.js";
import { tempDir, writeFiles } from "../../testing/cli.js";
import { findEstateRoot, loadEstate, readEstateSources } from "./estate-loader.js";

const estate = (files: Record<string, string>): string => writeFiles(tempDir("loader"), files);

function settings(root: string, overrides: Partial<ProjectSettings> = {}): ProjectSettings {
  const store = { kind: "sqlite" as const, path: ".karma/karma.db" };
  return {
    root,
    prefix: "/iac",
    store,
    environments: [{ name: "dev", prefix: "/iac", store }],
    paths: { components: "iac", types: "types", state: ".karma" },
    types: {},
    graph: { kind: "sqlite" },
    audit: { kind: "sqlite" },
    policies: {},
    ...overrides,
  };
}

describe("findEstateRoot", () => {
  it("walks up to the directory holding karma.json", () => {
    const root = estate({ "karma.json": "{}", "iac/dev/vpc/main/config.json": "{}" });
    expect(findEstateRoot(join(root, "iac/dev/vpc/main"))).toBe(root);
    expect(findEstateRoot(root)).toBe(root);
  });

  it("tells the user to run karma init when there is none", () => {
    const dir = tempDir("noestate");
    const error = (() => {
      try {
        findEstateRoot(dir);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toContain(`no karma.json found in ${dir}`);
    expect((error as UserError).fix).toContain("karma init");
  });
});

describe("loadEstate", () => {
  it("reads configs, ignores dot folders and unrelated files, and applies type schemas", async () => {
    const root = estate({
      "karma.json": "{}",
      "iac/dev/vpc/main/config.json": '{"cidr": "10.0.0.0/16"}',
      "iac/dev/vpc/main/README.md": "# docs",
      "iac/dev/vpc/main/extra-data.json": "not json at all",
      "iac/dev/vpc/main/.terraform/config.json": "{",
      "iac/dev/app/web/config.json": '{"vpc_nickname": "main", "port": "80"}',
      "types/app/schema.json": '{"properties": {"port": {"type": "integer"}}}',
    });
    const loaded = await loadEstate(settings(root));
    expect(loaded.components.map((c) => c.id)).toEqual(["dev:app/web", "dev:vpc/main"]);
    expect(loaded.problems.map((p) => [p.code, p.file, p.pointer, p.line])).toEqual([
      ["schema.violation", "iac/dev/app/web/config.json", "/port", 1],
    ]);
  });

  it("uses a schema path declared in karma.json and reports one that is missing", async () => {
    const root = estate({
      "karma.json": "{}",
      "iac/dev/app/web/config.json": "{}",
      "schemas/app.json": '{"required": ["port"]}',
    });
    const declared = await loadEstate(
      settings(root, {
        types: { app: { name: "app", schema: "schemas/app.json" }, db: { name: "db", schema: "nope.json" } },
      }),
    );
    expect(declared.problems.map((p) => [p.code, p.file, p.pointer])).toEqual([
      ["schema.violation", "iac/dev/app/web/config.json", ""],
      ["schema.missing-file", "karma.json", "/types/db/schema"],
    ]);
  });

  it("hands misplaced and misnamed files to validation", async () => {
    const root = estate({
      "karma.json": "{}",
      "iac/dev/vpc/main.json": "{}",
      "iac/dev/vpc/x/CONFIG.json": "{}",
      "iac/dev/config.json": "{}",
    });
    const sources = readEstateSources(settings(root));
    expect(sources.configFiles.map((f) => f.path).sort()).toEqual([
      "iac/dev/config.json",
      "iac/dev/vpc/main.json",
      "iac/dev/vpc/x/CONFIG.json",
    ]);
    const loaded = await loadEstate(settings(root));
    expect(loaded.problems.map((p) => p.code).sort()).toEqual([
      "layout.config-file-name",
      "layout.flat-config",
      "layout.wrong-depth",
    ]);
  });

  it("follows symlinked component folders and honours a custom components path", async () => {
    const root = estate({
      "karma.json": "{}",
      "shared/vpc/config.json": "{}",
      "config/iac/dev/app/web/config.json": "{}",
    });
    mkdirSync(join(root, "config/iac/dev/vpc"), { recursive: true });
    symlinkSync(join(root, "shared/vpc"), join(root, "config/iac/dev/vpc/main"));
    const loaded = await loadEstate(
      settings(root, { paths: { components: "./config/iac/", types: "types", state: ".karma" } }),
    );
    expect(loaded.problems).toEqual([]);
    expect(loaded.components.map((c) => [c.id, c.file])).toEqual([
      ["dev:app/web", "config/iac/dev/app/web/config.json"],
      ["dev:vpc/main", "config/iac/dev/vpc/main/config.json"],
    ]);
  });

  it("refuses a config that links outside the estate, naming where it points; links inside are read", async () => {
    const outside = writeFiles(tempDir("outside"), { "secret.json": '{"password": "x"}' });
    const root = estate({ "karma.json": "{}", "shared/web.json": "{}", "iac/dev/app/web/README.md": "" });
    mkdirSync(join(root, "iac/dev/app/leak"), { recursive: true });
    symlinkSync(join(outside, "secret.json"), join(root, "iac/dev/app/leak/config.json"));
    symlinkSync(join(root, "shared/web.json"), join(root, "iac/dev/app/web/config.json"));
    // a folder linked from outside: its configs are outside too
    writeFiles(outside, { "db/config.json": "{}" });
    mkdirSync(join(root, "iac/dev/db"), { recursive: true });
    symlinkSync(join(outside, "db"), join(root, "iac/dev/db/main"));
    const loaded = await loadEstate(settings(root));
    expect(loaded.components.map((c) => c.id)).toEqual(["dev:app/web"]);
    expect(loaded.problems.map((p) => [p.code, p.file])).toEqual([
      ["fs.outside-estate", "iac/dev/app/leak/config.json"],
      ["fs.outside-estate", "iac/dev/db/main/config.json"],
    ]);
    expect(loaded.problems[0]!.message).toContain(join(outside, "secret.json"));
  });

  it("reports a symlink loop once, where it starts, instead of following it", async () => {
    const root = estate({ "karma.json": "{}", "iac/dev/app/web/config.json": "{}" });
    symlinkSync("..", join(root, "iac/dev/app/up"));
    symlinkSync("self", join(root, "iac/dev/app/self"));
    const loaded = await loadEstate(settings(root));
    expect(loaded.components.map((c) => c.id)).toEqual(["dev:app/web"]);
    expect(loaded.problems.map((p) => [p.code, p.file]).sort()).toEqual([
      ["fs.symlink-loop", "iac/dev/app/self"],
      ["fs.symlink-loop", "iac/dev/app/up"],
    ]);
  });

  it("reports a dot folder that holds a config (e.g. a nickname '...') instead of skipping it silently", async () => {
    const root = estate({
      "karma.json": "{}",
      "iac/dev/app/.../config.json": "{}",
      "iac/dev/app/web/.terraform/modules.json": "{}",
    });
    const loaded = await loadEstate(settings(root));
    expect(loaded.problems.map((p) => [p.code, p.file])).toEqual([["layout.dot-folder", "iac/dev/app/..."]]);
  });

  it("reports a config.json that is a folder instead of skipping the component silently", async () => {
    const root = estate({ "karma.json": "{}", "iac/dev/app/web/config.json/x.json": "{}" });
    const loaded = await loadEstate(settings(root));
    expect(loaded.components).toEqual([]);
    expect(loaded.problems.map((p) => [p.code, p.file, p.message])).toEqual([
      [
        "fs.unreadable",
        "iac/dev/app/web/config.json",
        "is a folder, not a file: this component's config is not read",
      ],
    ]);
  });

  it.skipIf(process.getuid?.() === 0)("reports unreadable files instead of throwing", async () => {
    const root = estate({ "karma.json": "{}", "iac/dev/vpc/main/config.json": "{}" });
    chmodSync(join(root, "iac/dev/vpc/main/config.json"), 0o000);
    const loaded = await loadEstate(settings(root));
    expect(loaded.problems.map((p) => [p.code, p.file])).toEqual([
      ["fs.unreadable", "iac/dev/vpc/main/config.json"],
    ]);
  });
});

describe("loadEstate({ digest: true })", () => {
  it("digests every byte read: equal for the same files, different for any config's text, path or schema", async () => {
    const root = estate({
      "karma.json": "{}",
      "iac/dev/vpc/main/config.json": '{"cidr": "10.0.0.0/16"}',
      "iac/dev/app/web/config.json": '{"vpc_nickname": "main"}',
    });
    const digest = async () => (await loadEstate(settings(root), { digest: true })).sourceDigest;
    const first = await digest();
    expect(first).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(await digest()).toBe(first);
    // the same config written differently: the builder may see another key order, so another estate
    writeFileSync(join(root, "iac/dev/vpc/main/config.json"), '{"cidr":"10.0.0.0/16"}');
    const compact = await digest();
    expect(compact).not.toBe(first);
    writeFileSync(join(root, "iac/dev/vpc/main/config.json"), '{"cidr": "10.0.0.0/16"}');
    expect(await digest()).toBe(first);
    renameSync(join(root, "iac/dev/app/web"), join(root, "iac/dev/app/site"));
    expect(await digest()).not.toBe(first);
    renameSync(join(root, "iac/dev/app/site"), join(root, "iac/dev/app/web"));
    mkdirSync(join(root, "types/vpc"), { recursive: true });
    writeFileSync(join(root, "types/vpc/schema.json"), '{"type": "object"}');
    expect(await digest()).not.toBe(first);
    // not asked for, not computed
    expect((await loadEstate(settings(root))).sourceDigest).toBeUndefined();
  });
});
