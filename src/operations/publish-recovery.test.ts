/**
 * A publish that stops between its store write and its audit entries (killed, or its audit
 * write failed) leaves configs no entry accounts for; the next publish, under the same lock,
 * records what that batch wrote — once — and closes it as interrupted.
 */
import fs from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { loadEstate } from "../adapters/fs/estate-loader.js";
import { readProjectSettings } from "../adapters/fs/settings-reader.js";
import { openSession } from "../adapters/session/open-session.js";
import type { AuditEntry } from "../core/audit/entry.js";
import { planPublish } from "../core/publish/plan-publish.js";
import { tempDir, writeFiles } from "../testing/cli.js";
import { publishEstate } from "./publish.js";
import { announceBatch } from "./publish-recovery.js";
import { type Session, withSession } from "./session.js";
import { sessionStores } from "./stores.js";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function estate(): string {
  const dir = tempDir("publish-recovery");
  dirs.push(dir);
  writeFiles(dir, {
    "karma.json": JSON.stringify({ environments: ["dev"] }),
    "iac/dev/app/a/config.json": JSON.stringify({ size: 1 }),
    "iac/dev/app/b/config.json": JSON.stringify({ size: 2 }),
  });
  return dir;
}

const inSession = <T>(dir: string, fn: (session: Session) => Promise<T>) =>
  withSession(openSession({ settings: readProjectSettings(dir), source: "cli" }), fn);

const publishLog = (dir: string) =>
  inSession(dir, async (s) => (await s.auditLog()).query({ action: "publish" }));

const recovered = (entries: AuditEntry[]) =>
  entries
    .filter((e) => e.status === "ok" && e.details.recovered === true)
    .map((e) => e.component)
    .sort();

describe("a publish that stopped after its store write", () => {
  it("killed: the next publish records what it wrote, once, and closes it as interrupted", async () => {
    const dir = estate();
    // what a publish killed right after its store write leaves: the announcement and the configs
    await inSession(dir, async (session) => {
      const loaded = await loadEstate(session.settings);
      const stores = await sessionStores(session, loaded.settings.environments);
      const indexes = await stores.readIndexes();
      const plan = planPublish(loaded.components, indexes, () => true);
      await announceBatch(session, "dev", plan.publish);
      await stores
        .get("dev")
        .putParameters(
          plan.publish.map((e) => ({ name: e.name, value: e.component.canonical, type: "String" as const })),
        );
    });

    const result = await inSession(dir, async (s) => publishEstate(s, await loadEstate(s.settings)));
    expect(result.published).toEqual([]);
    const log = await publishLog(dir);
    expect(recovered(log)).toEqual(["dev:app/a", "dev:app/b"]);
    const closing = log.find((e) => e.status === "failed");
    expect(closing?.message).toMatch(
      /^interrupted: publish #\d+ by .*never finished; it had written 2 of 2 configs$/,
    );
    expect(log.find((e) => e.component === "dev:app/a")?.after).toEqual({ config: 1 });

    // a later publish finds the batch closed and records nothing more
    await inSession(dir, async (s) => publishEstate(s, await loadEstate(s.settings)));
    expect(await publishLog(dir)).toHaveLength(log.length);
  });

  it("a batch announced but never written is closed with nothing recorded for it", async () => {
    const dir = estate();
    await inSession(dir, async (session) => {
      const loaded = await loadEstate(session.settings);
      const stores = await sessionStores(session, loaded.settings.environments);
      const plan = planPublish(loaded.components, await stores.readIndexes(), () => true);
      await announceBatch(session, "dev", plan.publish);
    });
    const result = await inSession(dir, async (s) => publishEstate(s, await loadEstate(s.settings)));
    expect(result.published).toEqual(["dev:app/a", "dev:app/b"]);
    const log = await publishLog(dir);
    expect(recovered(log)).toEqual([]);
    expect(log.find((e) => e.status === "failed")?.message).toMatch(/it had written 0 of 2 configs$/);
    expect(
      log
        .filter((e) => e.status === "ok" && !e.details.recovered)
        .map((e) => e.component)
        .sort(),
    ).toEqual(["dev:app/a", "dev:app/b"]);
  });

  it("a normal publish closes its own batch: nothing to recover next time", async () => {
    const dir = estate();
    await inSession(dir, async (s) => publishEstate(s, await loadEstate(s.settings)));
    const first = await publishLog(dir);
    const started = first.find((e) => e.status === "started");
    expect(first.filter((e) => e.status === "ok").every((e) => e.details.batch === started?.id)).toBe(true);
    await inSession(dir, async (s) => publishEstate(s, await loadEstate(s.settings)));
    expect(await publishLog(dir)).toHaveLength(first.length);
  });
});
