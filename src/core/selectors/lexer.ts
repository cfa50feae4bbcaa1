/**
 * Selector lexer. Tokens: words (component patterns and attributes), `...`, `{N}`, `^`, `,`, `&`,
 * `!`, `(`, `)`, and git ranges `[…]` taken verbatim. Whitespace separates tokens and is
 * otherwise ignored. A word ends where `...` begins, so `vpc/main...` is a word and an ellipsis.
 */
import { SelectorSyntaxError } from "./errors.js";

export type TokenKind =
  | "word"
  | "ellipsis"
  | "depth"
  | "caret"
  | "comma"
  | "amp"
  | "bang"
  | "lparen"
  | "rparen"
  | "range"
  | "end";

export interface Token {
  kind: TokenKind;
  /** The word, the range without brackets, or the depth digits. */
  text: string;
  /** 1-based column of the token's first character. */
  column: number;
}

const WORD_CHAR = /[A-Za-z0-9._*?:/=@+~-]/;
const PUNCTUATION: Record<string, TokenKind> = {
  "^": "caret",
  ",": "comma",
  "&": "amp",
  "!": "bang",
  "(": "lparen",
  ")": "rparen",
};

/** O(length). Throws `SelectorSyntaxError` on characters no token can start with. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    const column = i + 1;
    if (/\s/.test(ch)) {
      i++;
    } else if (text.startsWith("...", i)) {
      tokens.push({ kind: "ellipsis", text: "...", column });
      i += 3;
    } else if (ch === "{") {
      const match = /^\{(\d+)\}/.exec(text.slice(i));
      if (!match) throw new SelectorSyntaxError(text, column, "expected a depth like {2}");
      tokens.push({ kind: "depth", text: match[1]!, column });
      i += match[0].length;
    } else if (ch === "[") {
      const close = text.indexOf("]", i);
      if (close < 0) throw new SelectorSyntaxError(text, column, 'unclosed git range: expected "]"');
      tokens.push({ kind: "range", text: text.slice(i + 1, close), column });
      i = close + 1;
    } else if (PUNCTUATION[ch] !== undefined) {
      tokens.push({ kind: PUNCTUATION[ch]!, text: ch, column });
      i++;
    } else if (WORD_CHAR.test(ch)) {
      let end = i;
      while (end < text.length && WORD_CHAR.test(text[end]!) && !text.startsWith("...", end)) end++;
      tokens.push({ kind: "word", text: text.slice(i, end), column });
      i = end;
    } else {
      throw new SelectorSyntaxError(text, column, `unexpected character ${JSON.stringify(ch)}`);
    }
  }
  tokens.push({ kind: "end", text: "", column: text.length + 1 });
  return tokens;
}
