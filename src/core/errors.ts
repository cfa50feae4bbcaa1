/**
 * Errors a user can act on. Only the CLI entry point turns these into an exit code; library code
 * throws them and never prints or exits. Anything that is not a `UserError` is an internal bug and
 * is reported with its stack.
 */

/** One problem found in user input, located precisely enough to fix without guessing. */
export interface Problem {
  /** Stable machine-readable code, e.g. `json.malformed`, `schema.violation`, `ref.unknown-component`. */
  readonly code: string;
  /** Path of the file, relative to the estate root, when the problem is in a file. */
  readonly file?: string;
  /** JSON pointer (RFC 6901) inside the file, "" for the whole document. */
  readonly pointer?: string;
  /** 1-based line/column, when known (malformed JSON). */
  readonly line?: number;
  readonly column?: number;
  /** Component id (`env:type/nickname`) the problem belongs to, when there is one. */
  readonly component?: string;
  /** What is wrong. */
  readonly message: string;
  /** How to fix it. */
  readonly fix?: string;
  readonly severity: "error" | "warning";
}

export class UserError extends Error {
  override name = "UserError";
  /** Process exit code the CLI should use. */
  readonly exitCode: number = 1;
  constructor(
    message: string,
    readonly fix?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** What the user named does not exist (a component, a graph version): the API answers 404. */
export class NotFoundError extends UserError {
  override name = "NotFoundError";
}

/** Input was invalid; carries every problem found, never just the first. */
export class ValidationFailedError extends UserError {
  override name = "ValidationFailedError";
  constructor(
    readonly problems: readonly Problem[],
    summary?: string,
  ) {
    super(summary ?? `${problems.filter((p) => p.severity === "error").length} problem(s) found`);
  }
}

export function formatProblem(p: Problem): string {
  const where = [p.file, p.line !== undefined ? `${p.line}:${p.column ?? 1}` : undefined]
    .filter(Boolean)
    .join(":");
  const pointer = p.pointer !== undefined && p.pointer !== "" ? ` at ${p.pointer}` : "";
  const head = `${p.severity}${where ? ` ${where}` : ""}${pointer}: ${p.message}`;
  return p.fix ? `${head}\n  fix: ${p.fix}` : head;
}

/** The message of anything thrown (an Error's message, else its string form), for one-line reports. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
