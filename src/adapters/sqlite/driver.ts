/**
 * better-sqlite3, loaded with `require` rather than `import`: importing a CommonJS package from an
 * ES module makes Node scan its source for export names first (cjs-module-lexer), a cost every
 * command that opens the database paid at start-up for nothing (the package has one export).
 */
import { createRequire } from "node:module";
import type BetterSqlite3 from "better-sqlite3";

const requireHere = createRequire(import.meta.url);

export const Database = requireHere("better-sqlite3") as typeof BetterSqlite3;
export type Db = BetterSqlite3.Database;
