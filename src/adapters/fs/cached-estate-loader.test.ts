/**
 * The estate-read cache never changes an answer: the cached load equals the plain one, cold and
 * warm, in and out of git, whatever the estate holds; an edit that keeps a file's size and
 * modification time is seen; a corrupt or foreign cache is ignored; untracked and deleted
 * components are seen for what they are; a schema change re-validates every config.
 */
import { mkdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ProjectSettings } from "../../core/estate/model.js";
import { git, gitCommitAll, tempDir, writeFiles } from "../../testing/cli.js";
import { loadEstateCached } from "./cached-estate-loader.js";
import { loadEstate } from "./estate-loader.js";

function settings(root: string): ProjectSettings {
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
  };
}

const CACHE = ".karma/estate-cache.json";

/** An estate with a state folder (so the cache is kept), optionally committed to git. */
function estate(files: Record<string, string>, inGit: boolean): string {
  const root = writeFiles(tempDir("cached-loader"), { "karma.json": "{}", ...files });
  mkdirSync(join(root, ".karma"));
  if (inGit) gitCommitAll(root);
  return root;
}

/** Loads through the cache (twice: cold, then warm) and checks each answer against the plain load. */
async function expectSameAsPlain(root: string) {
  const s = settings(root);
  const plain = await loadEstate(s);
  expect(await loadEstateCached(s)).toEqual(plain);
  expect(await loadEstateCached(s)).toEqual(plain);
  return plain;
}

const SCHEMA = JSON.stringify({
  type: "object",
  properties: { size: { type: "integer" } },
});

const MIXED: Record<string, string> = {
  "types/vpc/schema.json": SCHEMA,
  "iac/dev/vpc/main/config.json": '{"size": 1}',
  "iac/dev/vpc/bad/config.json": '{\n  "size": "large"\n}',
  "iac/dev/vpc/broken/config.json": '{"size": ',
  "iac/dev/vpc/list/config.json": "[1]",
  "iac/dev/app/web/config.json": '{\n  "vpc": {"$ref": "dev:vpc/missing"},\n  "vpc_nickname": "gone"\n}',
  "iac/dev/app/web/README.md": "not a config",
  "iac/dev/app/flat.json": "{}",
  "iac/dev/app/odd/config.jsonc": "{}",
  "iac/staging/vpc/main/config.json": "{}",
  "iac/dev/app/Bad_Name/config.json": "{}",
  "iac/dev/app/.hidden/notes.txt": "x",
  "iac/dev/app/web/.terraform/modules/config.json": "{}",
};

describe("loadEstateCached", () => {
  for (const inGit of [true, false])
    it(`answers what the plain load answers, problems included (${inGit ? "git" : "no git"})`, async () => {
      const root = estate(MIXED, inGit);
      const plain = await expectSameAsPlain(root);
      expect(plain.problems.length).toBeGreaterThan(3);
      expect(JSON.parse(readFileSync(join(root, CACHE), "utf8")).format).toBe("karma-estate-cache");
    });

  it("answers like the walk where git records links and dot folders differently", async () => {
    const root = estate(
      { "shared/vpc/main/config.json": '{"size": 2}', "iac/dev/app/web/config.json": "{}" },
      false,
    );
    symlinkSync(join(root, "shared/vpc"), join(root, "iac/dev/vpc"));
    writeFiles(root, { "iac/dev/.app/config.json": "{}", "iac/dev/db/x/config.json/inner": "{}" });
    gitCommitAll(root);
    const plain = await expectSameAsPlain(root);
    expect(plain.components.map((c) => c.id)).toEqual(["dev:app/web", "dev:vpc/main"]);
    expect(plain.problems.map((p) => p.code).sort()).toEqual(["fs.unreadable", "layout.dot-folder"]);
  });

  for (const inGit of [true, false])
    it(`sees an edit that keeps the file's size and modification time (${inGit ? "git" : "no git"})`, async () => {
      const root = estate({ "iac/dev/vpc/main/config.json": '{"size": 1}' }, inGit);
      const s = settings(root);
      const file = join(root, "iac/dev/vpc/main/config.json");
      // whole seconds, so that the time set back after the edit is exactly the time before it
      utimesSync(file, 1_700_000_000, 1_700_000_000);
      if (inGit) git(root, "update-index", "--refresh"); // git's stat cache holds that time too
      expect((await loadEstateCached(s)).components[0]!.config).toEqual({ size: 1 });
      expect((await loadEstateCached(s)).components[0]!.config).toEqual({ size: 1 });
      const before = statSync(file);
      writeFileSync(file, '{"size": 7}');
      utimesSync(file, 1_700_000_000, 1_700_000_000);
      expect(statSync(file).size).toBe(before.size);
      expect(statSync(file).mtimeMs).toBe(before.mtimeMs);
      expect((await loadEstateCached(s)).components[0]!.config).toEqual({ size: 7 });
      await expectSameAsPlain(root);
    });

  for (const corrupt of [
    "{not json",
    '{"format":"karma-estate-cache","revision":999,"context":"x","entries":{}}',
  ])
    it(`ignores a corrupt or foreign cache (${corrupt.slice(0, 12)}…) and replaces it`, async () => {
      const root = estate({ "iac/dev/vpc/main/config.json": '{"size": 1}' }, true);
      writeFileSync(join(root, CACHE), corrupt);
      await expectSameAsPlain(root);
      expect(JSON.parse(readFileSync(join(root, CACHE), "utf8")).revision).toBe(1);
    });

  it("does not serve an entry whose content was swapped in the cache file for another path's", async () => {
    const root = estate(
      { "iac/dev/vpc/a/config.json": '{"size": 1}', "iac/dev/vpc/b/config.json": '{"size": 2}' },
      true,
    );
    const s = settings(root);
    await loadEstateCached(s);
    // a cache from another estate's run: entries hold other blobs, so they are misses
    const cache = JSON.parse(readFileSync(join(root, CACHE), "utf8"));
    const entries = cache.entries;
    [entries["iac/dev/vpc/a/config.json"].config, entries["iac/dev/vpc/b/config.json"].config] = [
      entries["iac/dev/vpc/b/config.json"].config,
      entries["iac/dev/vpc/a/config.json"].config,
    ];
    entries["iac/dev/vpc/a/config.json"].blob = "0".repeat(40);
    writeFileSync(join(root, CACHE), JSON.stringify(cache));
    const loaded = await loadEstateCached(s);
    expect(loaded.components.find((c) => c.id === "dev:vpc/a")!.config).toEqual({ size: 1 });
  });

  it("sees untracked new components and forgets deleted ones", async () => {
    const root = estate({ "iac/dev/vpc/a/config.json": "{}", "iac/dev/vpc/b/config.json": "{}" }, true);
    const s = settings(root);
    await loadEstateCached(s);
    rmSync(join(root, "iac/dev/vpc/a"), { recursive: true });
    writeFiles(root, { "iac/dev/vpc/c/config.json": '{"size": 3}', ".gitignore": "iac/dev/vpc/d\n" });
    writeFiles(root, { "iac/dev/vpc/d/config.json": '{"size": 4}' });
    const loaded = await loadEstateCached(s);
    expect(loaded.components.map((c) => c.id)).toEqual(["dev:vpc/b", "dev:vpc/c", "dev:vpc/d"]);
    await expectSameAsPlain(root);
    const cached = Object.keys(JSON.parse(readFileSync(join(root, CACHE), "utf8")).entries).sort();
    expect(cached).toEqual([
      "iac/dev/vpc/b/config.json",
      "iac/dev/vpc/c/config.json",
      "iac/dev/vpc/d/config.json",
    ]);
  });

  it("re-validates every config when a type schema changes", async () => {
    const root = estate(
      { "types/vpc/schema.json": SCHEMA, "iac/dev/vpc/main/config.json": '{"size": "big"}' },
      true,
    );
    const s = settings(root);
    expect((await loadEstateCached(s)).problems.map((p) => p.code)).toEqual(["schema.violation"]);
    writeFileSync(join(root, "types/vpc/schema.json"), JSON.stringify({ type: "object" }));
    expect((await loadEstateCached(s)).problems).toEqual([]);
    await expectSameAsPlain(root);
  });

  it("keeps no cache when the estate has no state folder yet", async () => {
    const root = writeFiles(tempDir("cached-loader"), {
      "karma.json": "{}",
      "iac/dev/vpc/main/config.json": "{}",
    });
    expect((await loadEstateCached(settings(root))).components).toHaveLength(1);
    expect(() => statSync(join(root, ".karma"))).toThrow();
  });
});
