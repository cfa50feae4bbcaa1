/**
 * SQLite failures that come from the file or the disk rather than from Karma: a store path that
 * cannot hold a database, a file that is not one, a corrupted file, a full disk. Each becomes a
 * `DatabaseFileError` (a `UserError`) that names the file and says how to recover, instead of an
 * "internal error" with a stack trace.
 */
import fs from "node:fs";
import path from "node:path";
import { messageOf, UserError } from "../../core/errors.js";
import { Database } from "./driver.js";

export class DatabaseFileError extends UserError {
  override name = "DatabaseFileError";
  constructor(
    readonly file: string,
    message: string,
    fix: string,
    options?: { cause?: unknown },
  ) {
    super(message, fix, options);
  }
}

/** Files this process opened, to name the file when a failure surfaces far from the connection. */
const openedFiles = new Set<string>();

export function noteOpened(file: string): void {
  openedFiles.add(file);
}

/** The last good state is a backup, or Git: configs and the graph rebuild from it, runtimes by deploying. */
function rebuildFix(file: string): string {
  return (
    `restore ${file} from your last backup; or move it aside (keep it: \`sqlite3 ${file} .recover\` may salvage rows) ` +
    "and rebuild from Git: `karma publish` republishes every config, `karma graph build` the graph, " +
    "`karma apply` records runtimes again (values only the store held, e.g. `param put`, need the backup)"
  );
}

/**
 * The failure to open or create `file` (a mkdir or SQLite open error) as a user error. `file` is
 * the resolved path.
 */
export function openFailure(file: string, error: unknown): DatabaseFileError {
  if (error instanceof DatabaseFileError) return error;
  const code = (error as { code?: string }).code ?? "";
  const where =
    "set `store.path` in karma.json (or the environment's `store`) to a file in a writable directory";
  if (code === "SQLITE_NOTADB" || code === "SQLITE_CORRUPT") return fileFailure(file, error)!;
  if (code === "EEXIST" || code === "ENOTDIR")
    return new DatabaseFileError(
      file,
      `cannot create the database ${file}: a parent of it is not a directory`,
      where,
      { cause: error },
    );
  return new DatabaseFileError(
    file,
    `cannot open or create the database ${file} (${messageOf(error)})`,
    where,
    { cause: error },
  );
}

/** A directory where a database file should be: SQLite's own message ("unable to open") hides that. */
export function directoryFailure(file: string): DatabaseFileError {
  return new DatabaseFileError(
    file,
    `the database path ${file} is a directory, not a file`,
    `point \`store.path\` in karma.json at a file, e.g. ${path.join(file, "karma.db")}`,
  );
}

function fileFailure(file: string, error: unknown): DatabaseFileError | undefined {
  const code = (error as { code?: string }).code ?? "";
  if (code === "SQLITE_NOTADB")
    return new DatabaseFileError(
      file,
      `${file} is not a SQLite database (SQLite: file is not a database); nothing was written to it`,
      `if the store path is wrong, fix \`store.path\` in karma.json; otherwise ${rebuildFix(file)}`,
      { cause: error },
    );
  if (code.startsWith("SQLITE_CORRUPT"))
    return new DatabaseFileError(
      file,
      `the database ${file} is corrupted (SQLite: database disk image is malformed); the command stopped`,
      rebuildFix(file),
      { cause: error },
    );
  if (code === "SQLITE_FULL")
    return new DatabaseFileError(
      file,
      `the disk holding ${file} is full (SQLite: database or disk is full); the failed transaction was rolled back`,
      "free space on that disk (or move the store with `store.path`), then run the command again",
      { cause: error },
    );
  if (code === "SQLITE_READONLY" || code.startsWith("SQLITE_READONLY_"))
    return new DatabaseFileError(
      file,
      `the database ${file} is read-only for this process`,
      "make the file and its directory writable, or point `store.path` elsewhere",
      { cause: error },
    );
  if (code.startsWith("SQLITE_IOERR"))
    return new DatabaseFileError(
      file,
      `reading or writing the database ${file} failed (SQLite: ${messageOf(error)})`,
      "check the disk (space, permissions, health), then run the command again",
      { cause: error },
    );
  return undefined;
}

/**
 * Which opened file a failure with `code` came from (the error does not say): the ones a probe
 * finds at fault — a failing `quick_check` for corruption, under 1 MiB free on its disk for a
 * full disk — else every opened file.
 */
function culprit(code: string): string {
  const files = [...openedFiles].filter((file) => fs.existsSync(file));
  const atFault = (file: string): boolean => {
    try {
      if (code === "SQLITE_FULL") {
        const fsStats = fs.statfsSync(path.dirname(file));
        return fsStats.bavail * fsStats.bsize < 1024 * 1024;
      }
      const probe = new Database(file, { readonly: true, fileMustExist: true });
      try {
        return probe.pragma("quick_check(1)", { simple: true }) !== "ok";
      } finally {
        probe.close();
      }
    } catch (error) {
      // a file SQLite cannot even read is at fault; anything else is no evidence
      const code = (error as { code?: string }).code ?? "";
      return code === "SQLITE_NOTADB" || code.startsWith("SQLITE_CORRUPT");
    }
  };
  const found =
    code === "SQLITE_FULL" || code === "SQLITE_NOTADB" || code.startsWith("SQLITE_CORRUPT")
      ? files.filter(atFault)
      : [];
  const named = found.length ? found : files;
  return named.length ? named.join(" or ") : "the database";
}

/**
 * `error` (or an error in its `cause` chain) as a user error when it is a SQLite failure of the
 * file or the disk; undefined otherwise. The file named is the one this process opened (all of
 * them, in the rare case there were several).
 */
export function databaseFailure(error: unknown): DatabaseFileError | undefined {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 10; e = e.cause, depth++) {
    if (e instanceof DatabaseFileError) return e;
    if (e instanceof Database.SqliteError) return fileFailure(culprit(e.code), e);
  }
  return undefined;
}
