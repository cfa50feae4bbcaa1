/** JSON Pointer (RFC 6901) helpers: every problem and reference is located by one. */
import type { JsonValue } from "../estate/model.js";

export type PointerSegment = string | number;

/** Escapes one reference token: `~` → `~0`, `/` → `~1`. */
export function escapePointerSegment(segment: string): string {
  if (!segment.includes("~") && !segment.includes("/")) return segment;
  return segment.replace(/~/g, "~0").replace(/\//g, "~1");
}

export function unescapePointerSegment(token: string): string {
  if (!token.includes("~")) return token;
  return token.replace(/~1/g, "/").replace(/~0/g, "~");
}

/** `["a", 0, "b/c"]` → `/a/0/b~1c`; `[]` → `""` (the whole document). */
export function formatPointer(segments: readonly PointerSegment[]): string {
  let out = "";
  for (const s of segments) out += `/${typeof s === "number" ? s : escapePointerSegment(s)}`;
  return out;
}

/** Appends one segment to an already formatted pointer. */
export function appendPointer(pointer: string, segment: PointerSegment): string {
  return `${pointer}/${typeof segment === "number" ? segment : escapePointerSegment(segment)}`;
}

/**
 * Splits a pointer into unescaped tokens; undefined when it is not a valid pointer (must be ""
 * or start with "/", and "~" may only be followed by 0 or 1).
 */
export function parsePointer(pointer: string): string[] | undefined {
  if (pointer === "") return [];
  if (!pointer.startsWith("/")) return undefined;
  if (/~(?![01])/.test(pointer)) return undefined;
  return pointer.slice(1).split("/").map(unescapePointerSegment);
}

/** Whether `parsePointer(text)` would succeed, without splitting it. */
export function isPointer(text: string): boolean {
  return text === "" || (text.startsWith("/") && !/~(?![01])/.test(text));
}

/** The value at `pointer` inside `document`, or undefined when nothing is there. */
export function getAtPointer(document: JsonValue, pointer: string): JsonValue | undefined {
  const tokens = parsePointer(pointer);
  if (!tokens) return undefined;
  let node: JsonValue | undefined = document;
  for (const token of tokens) {
    if (Array.isArray(node)) {
      if (!/^(0|[1-9][0-9]*)$/.test(token)) return undefined;
      node = node[Number(token)];
    } else if (node !== null && typeof node === "object") {
      node = Object.hasOwn(node, token) ? node[token] : undefined;
    } else {
      return undefined;
    }
    if (node === undefined) return undefined;
  }
  return node;
}

const SLASH = 0x2f;

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

/** True when `pointer` is `ancestor` itself or lies inside it. */
export function isWithinPointer(pointer: string, ancestor: string): boolean {
  return pointer === ancestor || pointer.startsWith(`${ancestor}/`);
}

/**
 * Document order for pointers: token by token, array indices numerically (`/a/2` before `/a/10`),
 * a parent before its children.
 */
export function comparePointers(a: string, b: string): number {
  if (a === b) return 0;
  // Only the token holding the first differing character decides (the tokens before it are
  // equal), so compare that one instead of splitting both pointers: this runs for every
  // reference of every component when a graph is built.
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (i === 0) return a < b ? -1 : 1; // "" (the root) before any "/…"
  // the usual case, decided by the characters at i alone: both tokens go on there and one of
  // them is not a number, so they compare as strings
  const ca = i < a.length ? a.charCodeAt(i) : SLASH;
  const cb = i < b.length ? b.charCodeAt(i) : SLASH;
  if (ca !== SLASH && cb !== SLASH && !(isDigit(ca) && isDigit(cb))) return ca - cb;
  const start = a.lastIndexOf("/", i - 1) + 1;
  const endA = a.indexOf("/", start);
  const endB = b.indexOf("/", start);
  const x = a.slice(start, endA < 0 ? a.length : endA);
  const y = b.slice(start, endB < 0 ? b.length : endB);
  // equal tokens: one pointer ended there and the other goes on — the parent comes first
  if (x === y) return a.length - b.length;
  const nx = /^\d+$/.test(x);
  const ny = /^\d+$/.test(y);
  if (nx && ny) return Number(x) - Number(y) || (x < y ? -1 : 1);
  return x < y ? -1 : 1;
}
