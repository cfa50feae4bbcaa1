/**
 * Strict JSON parsing for user files. `JSON.parse` does the work (it is the fast path for 50k
 * files); only when it fails, or when the text holds more keys than the parsed value (a duplicate
 * key that `JSON.parse` silently dropped), is the text re-read with a locating parser so the
 * problem names a line, a column and a pointer. Messages never quote the file's content: a
 * config may hold secrets.
 */
import jsonc from "jsonc-parser";
import type { Problem } from "../errors.js";
import type { JsonValue } from "../estate/model.js";
import { formatPointer } from "./pointer.js";

export interface ParsedJson {
  /** Undefined when the text is not JSON. */
  value?: JsonValue;
  /** `json.malformed` (then `value` is undefined) or `json.duplicate-key` errors. */
  problems: Problem[];
}

export function parseJson(text: string, file: string): ParsedJson {
  // Editors on some systems write a byte-order mark; it is not content.
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const offsetShift = body === text ? 0 : 1;
  let value: JsonValue;
  try {
    value = JSON.parse(body) as JsonValue;
  } catch (error) {
    return { problems: [malformedProblem(text, body, offsetShift, file, error)] };
  }
  const shape = measure(value);
  if ("tooDeep" in shape)
    return {
      problems: [
        {
          code: "json.too-deep",
          file,
          pointer: formatPointer(shape.tooDeep),
          message: `the JSON nests deeper than ${MAX_DEPTH} levels`,
          fix: "flatten the value there (a component's settings need no more than a few levels)",
          severity: "error",
        },
      ],
    };
  if (countKeysInText(body) === shape.keys) return { value, problems: [] };
  return { value, problems: duplicateKeyProblems(text, body, offsetShift, file) };
}

/** 1-based line and column (in UTF-16 code units) of an offset in `text`. */
export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = text.indexOf("\n"); i !== -1 && i < end; i = text.indexOf("\n", i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: end - lineStart + 1 };
}

const SYNTAX_MESSAGES: Record<string, string> = {
  InvalidSymbol: "unexpected character",
  InvalidNumberFormat: "invalid number",
  PropertyNameExpected: "expected a property name in double quotes",
  ValueExpected: "expected a value",
  ColonExpected: 'expected ":" after the property name',
  CommaExpected: 'expected "," between items',
  CloseBraceExpected: 'expected "}" to close the object',
  CloseBracketExpected: 'expected "]" to close the array',
  EndOfFileExpected: "unexpected content after the JSON value",
  InvalidCommentToken: "comments are not allowed in JSON",
  UnexpectedEndOfComment: "comments are not allowed in JSON",
  UnexpectedEndOfString: "unterminated string",
  UnexpectedEndOfNumber: "incomplete number",
  InvalidUnicode: "invalid \\u escape in a string",
  InvalidEscapeCharacter: "invalid escape sequence in a string",
  InvalidCharacter: "control character in a string (write it escaped, e.g. \\n or \\t)",
};

function malformedProblem(
  text: string,
  body: string,
  offsetShift: number,
  file: string,
  error: unknown,
): Problem {
  if (body.trim() === "")
    return {
      code: "json.malformed",
      file,
      pointer: "",
      line: 1,
      column: 1,
      message: "the file is empty; it must hold a JSON object",
      fix: "write the component's settings as a JSON object, at least {}",
      severity: "error",
    };
  const errors: jsonc.ParseError[] = [];
  jsonc.parse(body, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  let offset: number;
  let message: string;
  if (first) {
    offset = first.offset;
    message = SYNTAX_MESSAGES[jsonc.printParseErrorCode(first.error)] ?? "invalid JSON";
    if (offset > 0 && parsesAsJson(body.slice(0, offset))) message = SYNTAX_MESSAGES.EndOfFileExpected!;
    const before = body.slice(0, offset).trimEnd();
    if (before.endsWith(",") && (body[offset] === "}" || body[offset] === "]")) {
      offset = before.length - 1;
      message = "trailing comma (JSON allows none before a closing bracket)";
    }
  } else {
    // The locating parser accepted what JSON.parse refused: fall back on V8's position, if any.
    const position = /at position (\d+)/.exec(error instanceof Error ? error.message : "");
    offset = position ? Number(position[1]) : 0;
    message = "invalid JSON";
  }
  const { line, column } = lineColumnAt(text, offset + offsetShift);
  const location = jsonc.getLocation(body, offset);
  // at a property key the last segment is the (partial) key being written, not a place yet
  const path = location.isAtPropertyKey ? location.path.slice(0, -1) : location.path;
  return {
    code: "json.malformed",
    file,
    pointer: formatPointer(path),
    line,
    column,
    message: `malformed JSON: ${message}`,
    fix: `correct the JSON syntax at line ${line}, column ${column} (a JSON-aware editor shows the exact spot)`,
    severity: "error",
  };
}

function parsesAsJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** Number of object keys written in (valid) JSON text: strings followed by a colon. */
function countKeysInText(text: string): number {
  let count = 0;
  let i = text.indexOf('"');
  while (i !== -1) {
    let end = text.indexOf('"', i + 1);
    // skip escaped quotes: an odd number of backslashes before the quote
    while (end !== -1) {
      let backslashes = 0;
      for (let k = end - 1; text.charCodeAt(k) === 92; k--) backslashes++;
      if (backslashes % 2 === 0) break;
      end = text.indexOf('"', end + 1);
    }
    if (end === -1) break;
    let next = end + 1;
    while (next < text.length && isWhitespace(text.charCodeAt(next))) next++;
    if (text.charCodeAt(next) === 58 /* : */) count++;
    i = text.indexOf('"', next);
  }
  return count;
}

function isWhitespace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

/**
 * Deepest nesting a user file may have. Everything after parsing (schema checks, reference
 * extraction, canonical JSON) walks values recursively; a file nested thousands of levels deep
 * would overflow the stack there, so it is refused here with its location.
 */
export const MAX_DEPTH = 100;

/**
 * Object keys in a parsed value, or the path where it first nests deeper than `MAX_DEPTH`.
 * Iterative (an explicit stack), so any depth is measured without overflowing. O(size).
 */
function measure(value: JsonValue): { keys: number } | { tooDeep: string[] } {
  interface Frame {
    value: JsonValue;
    depth: number;
    parent?: Frame;
    key?: string;
  }
  const pathOf = (frame: Frame): string[] => {
    const path: string[] = [];
    for (let f: Frame | undefined = frame; f?.key !== undefined; f = f.parent) path.push(f.key);
    return path.reverse();
  };
  let keys = 0;
  const stack: Frame[] = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const frame = stack.pop()!;
    const v = frame.value;
    if (v === null || typeof v !== "object") continue;
    if (frame.depth >= MAX_DEPTH) return { tooDeep: pathOf(frame) };
    const depth = frame.depth + 1;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) stack.push({ value: v[i]!, depth, parent: frame, key: String(i) });
      continue;
    }
    for (const key in v) {
      keys++;
      stack.push({ value: v[key]!, depth, parent: frame, key });
    }
  }
  return { keys };
}

function duplicateKeyProblems(text: string, body: string, offsetShift: number, file: string): Problem[] {
  const problems: Problem[] = [];
  const open: Array<Map<string, number>> = [];
  jsonc.visit(
    body,
    {
      onObjectBegin: () => {
        open.push(new Map());
      },
      onObjectEnd: () => {
        open.pop();
      },
      onObjectProperty: (key, offset, _length, _line, _column, pathSupplier) => {
        const seen = open[open.length - 1];
        if (!seen) return;
        const firstOffset = seen.get(key);
        if (firstOffset === undefined) {
          seen.set(key, offset);
          return;
        }
        const firstAt = lineColumnAt(text, firstOffset + offsetShift);
        const at = lineColumnAt(text, offset + offsetShift);
        problems.push({
          code: "json.duplicate-key",
          file,
          pointer: formatPointer([...pathSupplier(), key]),
          line: at.line,
          column: at.column,
          message: `key ${JSON.stringify(key)} appears more than once in the same object (first at line ${firstAt.line}, column ${firstAt.column}); JSON parsers silently keep only the last one`,
          fix: `remove one of the ${JSON.stringify(key)} entries or merge them into one`,
          severity: "error",
        });
      },
    },
    { disallowComments: true },
  );
  return problems;
}
