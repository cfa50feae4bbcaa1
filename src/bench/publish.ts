/**
 * validate and publish on synthetic estates, each beside its lower bound measured in the same
 * run: reading + JSON.parse of the same files (validate), raw SQLite inserts of the same rows
 * (cold publish), and one raw SELECT of the same rows (no-op publish).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { loadEstate } from "../adapters/fs/estate-loader.js";
import { readProjectSettings } from "../adapters/fs/settings-reader.js";
import { openSession } from "../adapters/session/open-session.js";
import { publishEstate } from "../operations/publish.js";
import { withSession } from "../operations/session.js";
import { type CaseResult, peakRssMb, timeIt } from "./harness.js";
import { generateSyntheticEstate, syntheticConfigFile, writeSyntheticEstate } from "./synthetic-estate.js";

export const PUBLISH_SUITE = "validate-publish";

export async function benchPublishCase(size: number): Promise<CaseResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `karma-bench-publish-${size}-`));
  try {
    const synthetic = generateSyntheticEstate(size);
    writeSyntheticEstate(dir, synthetic);
    const files = synthetic.components.map((c) => path.join(dir, syntheticConfigFile(c)));

    const readParse = await timeIt(() => {
      for (const file of files) JSON.parse(fs.readFileSync(file, "utf8"));
    });
    const validate = await timeIt(async () => loadEstate(readProjectSettings(dir)));
    const estate = validate.value;
    if (estate.components.length !== size)
      throw new Error(`expected ${size} components, loaded ${estate.components.length}`);

    const rawInsert = await timeIt(() => {
      const db = new Database(path.join(dir, "raw.db"));
      db.pragma("journal_mode = WAL");
      db.exec(
        "CREATE TABLE p (name TEXT PRIMARY KEY, version INTEGER, value TEXT, description TEXT, modified INTEGER)",
      );
      const insert = db.prepare("INSERT INTO p VALUES (?, 1, ?, ?, ?)");
      db.transaction(() => {
        for (const c of estate.components)
          insert.run(`/${c.env}/iac/${c.type}/${c.nickname}/config`, c.canonical, "{}", Date.now());
      })();
      db.close();
    });
    const rawSelect = await timeIt(() => {
      const db = new Database(path.join(dir, "raw.db"), { readonly: true });
      const byName = new Map<string, string>();
      for (const row of db.prepare("SELECT name, value FROM p").iterate() as Iterable<{
        name: string;
        value: string;
      }>)
        byName.set(row.name, row.value);
      db.close();
      let same = 0;
      for (const c of estate.components)
        if (byName.get(`/${c.env}/iac/${c.type}/${c.nickname}/config`) === c.canonical) same++;
      return same;
    });

    const cold = await timeIt(() =>
      withSession(openSession({ settings: estate.settings, source: "cli" }), (s) => publishEstate(s, estate)),
    );
    if (cold.value.published.length !== size)
      throw new Error(`cold publish wrote ${cold.value.published.length}/${size}`);
    const noop = await timeIt(() =>
      withSession(openSession({ settings: estate.settings, source: "cli" }), (s) => publishEstate(s, estate)),
    );
    if (noop.value.published.length !== 0)
      throw new Error(`no-op publish wrote ${noop.value.published.length}`);

    return {
      suite: PUBLISH_SUITE,
      size,
      peakRssMb: peakRssMb(),
      measurements: [
        {
          name: "validate (load + check)",
          ms: validate.ms,
          lowerBound: { name: "read+JSON.parse", ms: readParse.ms },
        },
        { name: "publish (cold)", ms: cold.ms, lowerBound: { name: "raw SQLite insert", ms: rawInsert.ms } },
        {
          name: "publish (no-op)",
          ms: noop.ms,
          lowerBound: { name: "raw SQLite select+compare", ms: rawSelect.ms },
        },
      ],
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
