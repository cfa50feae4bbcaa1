/**
 * Maps JSON pointers back to line/column in the source text, so that schema and reference
 * problems point at the spot in the editor. Only run for files that have problems.
 */
import jsonc from "jsonc-parser";
import { lineColumnAt } from "./parse.js";
import { parsePointer } from "./pointer.js";

export interface PointerLocator {
  /** 1-based line/column of the property key (or array element) at `pointer`; undefined if absent. */
  locate(pointer: string): { line: number; column: number } | undefined;
}

export function createPointerLocator(text: string): PointerLocator {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const shift = body === text ? 0 : 1;
  const root = parseTreeOrNothing(body);
  return {
    locate(pointer) {
      const tokens = parsePointer(pointer);
      if (!root || !tokens) return undefined;
      let node: jsonc.Node | undefined = root;
      let keyOffset = root.offset;
      for (const token of tokens) {
        if (node?.type === "array") {
          node = node.children?.[Number(token)];
          keyOffset = node?.offset ?? 0;
        } else if (node?.type === "object") {
          // the last duplicate wins, as in JSON.parse
          const property: jsonc.Node | undefined = node.children?.findLast(
            (p) => p.children?.[0]?.value === token,
          );
          keyOffset = property?.offset ?? 0;
          node = property?.children?.[1];
        } else return undefined;
        if (!node) return undefined;
      }
      return lineColumnAt(text, keyOffset + shift);
    },
  };
}

/** jsonc's parser recurses: a file nested too deep (refused with `json.too-deep`) gets no locations. */
function parseTreeOrNothing(body: string): jsonc.Node | undefined {
  try {
    return jsonc.parseTree(body, [], { disallowComments: true });
  } catch (error) {
    if (error instanceof RangeError) return undefined;
    throw error;
  }
}
