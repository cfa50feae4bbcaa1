/**
 * The log of one run: every line the tool wrote plus Karma's own step notes, appended to one
 * file under `.karma/logs/`. Values registered as secret are replaced before they reach the
 * file, and `scrub` rewrites the file when secrets only become known after the fact (a sensitive
 * output learnt once the apply finished).
 */
import { closeSync, existsSync, openSync, readFileSync, writeFileSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { makePrivateDir } from "../fs/private-files.js";

export const REDACTED = "(sensitive)";

/** Secrets shorter than this are not redacted: replacing "1" or "on" everywhere would wreck the log. */
const MIN_SECRET_LENGTH = 4;

export class RunLog {
  private fd: number | undefined;
  private readonly secrets = new Set<string>();

  constructor(readonly path: string) {
    makePrivateDir(dirname(path));
    this.fd = openSync(path, "a", 0o600);
  }

  /** Redact these values from everything written from now on. */
  hide(values: Iterable<string>): void {
    for (const v of secretForms(values)) this.secrets.add(v);
  }

  /** `text` with every registered secret replaced, for anything shown outside the log. */
  redact(text: string): string {
    return redact(text, this.secrets);
  }

  line(text: string): void {
    if (this.fd === undefined) return;
    writeSync(this.fd, `${redact(text, this.secrets)}\n`);
  }

  /** A step note from Karma itself, distinguishable from the tool's output. */
  note(text: string): void {
    this.line(`# karma ${new Date().toISOString()} ${text}`);
  }

  /** Redact values from what is already in the file, and from everything written later. */
  scrub(values: Iterable<string>): void {
    const forms = secretForms(values);
    if (forms.length === 0) return;
    this.hide(forms);
    if (!existsSync(this.path)) return;
    const before = readFileSync(this.path, "utf8");
    const after = redact(before, new Set(forms));
    if (after !== before) writeFileSync(this.path, after, { mode: 0o600 });
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

/** A secret as it appears raw and inside a JSON string (quotes, backslashes, newlines escaped). */
function secretForms(values: Iterable<string>): string[] {
  const forms = new Set<string>();
  for (const v of values) {
    if (v.length < MIN_SECRET_LENGTH) continue;
    forms.add(v);
    forms.add(JSON.stringify(v).slice(1, -1));
  }
  // longest first, so a secret containing another is replaced whole
  return [...forms].sort((a, b) => b.length - a.length);
}

export function redact(text: string, secrets: ReadonlySet<string>): string {
  let out = text;
  for (const s of [...secrets].sort((a, b) => b.length - a.length)) {
    if (out.includes(s)) out = out.split(s).join(REDACTED);
  }
  return out;
}

/** Every string leaf of a JSON value (sensitive outputs may be objects or lists). */
export function stringLeaves(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (typeof value === "number" || typeof value === "boolean") return [String(value)];
  if (Array.isArray(value)) return value.flatMap(stringLeaves);
  if (value !== null && typeof value === "object") return Object.values(value).flatMap(stringLeaves);
  return [];
}

/** Opens the job's log (hiding the job's known secrets), runs `fn`, and always closes it. */
export async function withRunLog<T>(
  job: { logFile: string; secrets?: readonly string[] },
  fn: (log: RunLog) => Promise<T>,
): Promise<T> {
  const log = new RunLog(job.logFile);
  log.hide(job.secrets ?? []);
  try {
    return await fn(log);
  } finally {
    log.close();
  }
}
