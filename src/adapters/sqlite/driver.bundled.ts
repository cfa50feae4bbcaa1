/**
 * better-sqlite3 for the CLI bundle, which scripts/build-cli.mjs swaps in for driver.ts: the
 * package's JavaScript is bundled (requiring its dozen files one by one was the largest single
 * cost of a read command's start-up) and only its native addon is loaded from the installed
 * package. When the installed package is not the version bundled (node_modules changed after the
 * build) or its addon is not where an install puts it, the installed package is required whole,
 * as driver.ts does.
 */
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import BundledDatabase from "better-sqlite3";
import bundledManifest from "better-sqlite3/package.json" with { type: "json" };

type DatabaseConstructor = typeof BundledDatabase;

const requireHere = createRequire(import.meta.url);

/** The installed package's addon file, when that package is the one bundled. */
function installedAddon(): string | undefined {
  try {
    const manifest = requireHere.resolve("better-sqlite3/package.json");
    const { version } = JSON.parse(readFileSync(manifest, "utf8")) as { version?: unknown };
    const addon = join(dirname(manifest), "build", "Release", "better_sqlite3.node");
    return version === bundledManifest.version && existsSync(addon) ? addon : undefined;
  } catch {
    return undefined;
  }
}

function load(): DatabaseConstructor {
  const addon = installedAddon();
  if (addon === undefined) return requireHere("better-sqlite3") as DatabaseConstructor;
  // `nativeBinding` is how better-sqlite3 takes an addon it did not locate itself
  class Database extends BundledDatabase {
    constructor(file?: string | Buffer, options?: BundledDatabase.Options) {
      super(file, { ...options, nativeBinding: addon });
    }
  }
  return Database as DatabaseConstructor;
}

export const Database = load();
export type Db = BundledDatabase.Database;
