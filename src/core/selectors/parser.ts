/**
 * Selector parser: recursive descent over the tokens, precedence `!` > `&` > `,`.
 *
 *   selector  := union
 *   union     := inter ("," inter)*
 *   inter     := unary ("&" unary)*
 *   unary     := "!" unary | expansion
 *   expansion := ["..." [depth] ["^"]] primary [["^"] "..." [depth]]
 *   primary   := "(" union ")" | word | "[" range "]"
 *
 * Examples (each also a test):
 *   vpc/main                 one component (any environment)
 *   prod:vpc/main            one component in prod
 *   vpc/*, *\/main           globs inside a part
 *   type=vpc & env=prod      attributes, intersected
 *   ...vpc/main              vpc/main and everything that depends on it
 *   ...{2}vpc/main           … at most two edges away
 *   ...^vpc/main             its dependents without vpc/main itself
 *   site/www...              site/www and everything it depends on
 *   [main...HEAD]            components whose files changed between main and HEAD
 *   ...[HEAD~1...HEAD] & !type=site
 */
import type { AttributeKey, Selector } from "./ast.js";
import { SelectorSyntaxError } from "./errors.js";
import { type Token, tokenize } from "./lexer.js";

const PART = /^[a-z0-9*?][a-z0-9._*?-]*$/;
const ATTRIBUTES: readonly AttributeKey[] = ["type", "env", "nickname"];
/** Parentheses and "!" nest at most this deep: recursion (here and in evaluation) stays shallow. */
const MAX_NESTING = 100;

/** Parses a selector; throws `SelectorSyntaxError` pointing at the offending column. */
export function parseSelector(text: string): Selector {
  return new Parser(text).parse();
}

class Parser {
  private readonly tokens: Token[];
  private position = 0;
  private nesting = 0;

  constructor(private readonly text: string) {
    this.tokens = tokenize(text);
  }

  parse(): Selector {
    if (this.peek().kind === "end") this.fail(this.peek(), "empty selector");
    const selector = this.union();
    const rest = this.peek();
    if (rest.kind !== "end") {
      this.fail(
        rest,
        rest.kind === "rparen" ? 'unmatched ")"' : `expected "," "&" or the end, found ${describe(rest)}`,
      );
    }
    return selector;
  }

  private peek(): Token {
    return this.tokens[this.position]!;
  }

  private next(): Token {
    return this.tokens[this.position++]!;
  }

  private fail(token: Token | number, problem: string): never {
    throw new SelectorSyntaxError(this.text, typeof token === "number" ? token : token.column, problem);
  }

  private union(): Selector {
    const items = [this.intersection()];
    while (this.peek().kind === "comma") {
      this.next();
      items.push(this.intersection());
    }
    return items.length === 1 ? items[0]! : { kind: "union", items };
  }

  private intersection(): Selector {
    const items = [this.unary()];
    while (this.peek().kind === "amp") {
      this.next();
      items.push(this.unary());
    }
    return items.length === 1 ? items[0]! : { kind: "intersection", items };
  }

  private unary(): Selector {
    if (this.peek().kind === "bang") {
      return { kind: "not", item: this.nested(this.next(), () => this.unary()) };
    }
    return this.expansion();
  }

  private nested<T>(opening: Token, parse: () => T): T {
    if (++this.nesting > MAX_NESTING) this.fail(opening, `nested more than ${MAX_NESTING} levels deep`);
    try {
      return parse();
    } finally {
      this.nesting--;
    }
  }

  private expansion(): Selector {
    let dependents: { depth?: number } | undefined;
    let dependencies: { depth?: number } | undefined;
    let includeTarget = true;
    if (this.peek().kind === "ellipsis") {
      this.next();
      dependents = this.depth();
      if (this.peek().kind === "caret") {
        this.next();
        includeTarget = false;
      }
    }
    const target = this.primary();
    if (this.peek().kind === "caret") {
      const caret = this.next();
      if (this.peek().kind !== "ellipsis") this.fail(this.peek(), 'expected "..." after "^"');
      if (!includeTarget) this.fail(caret, '"^" may appear only once');
      includeTarget = false;
    }
    if (this.peek().kind === "ellipsis") {
      this.next();
      dependencies = this.depth();
    }
    if (dependents === undefined && dependencies === undefined) return target;
    const node: Selector = { kind: "graph", target, includeTarget };
    if (dependents) node.dependents = dependents;
    if (dependencies) node.dependencies = dependencies;
    return node;
  }

  private depth(): { depth?: number } {
    if (this.peek().kind !== "depth") return {};
    const token = this.next();
    const depth = Number(token.text);
    if (depth < 1) this.fail(token, "depth must be at least 1");
    return { depth };
  }

  private primary(): Selector {
    const token = this.next();
    switch (token.kind) {
      case "lparen": {
        const inner = this.nested(token, () => this.union());
        const close = this.next();
        if (close.kind !== "rparen")
          this.fail(close, `expected ")" to close the "(" at column ${token.column}`);
        return inner;
      }
      case "word":
        return this.word(token);
      case "range":
        return this.range(token);
      default:
        this.fail(token, `expected a component, an attribute, a git range or "(", found ${describe(token)}`);
    }
  }

  private range(token: Token): Selector {
    const range = token.text.trim();
    if (range === "") this.fail(token.column + 1, "empty git range: write e.g. [main...HEAD]");
    if (range.startsWith("-") || /\s/.test(range))
      this.fail(token.column + 1, `not a git range: ${JSON.stringify(range)}`);
    return { kind: "changed", range, column: token.column };
  }

  private word(token: Token): Selector {
    const text = token.text;
    const equals = text.indexOf("=");
    if (equals >= 0) {
      const key = text.slice(0, equals);
      const value = text.slice(equals + 1);
      if (!ATTRIBUTES.includes(key as AttributeKey)) {
        this.fail(token, `unknown attribute ${JSON.stringify(key)}: use ${ATTRIBUTES.join(", ")}`);
      }
      this.part(value, token.column + equals + 1, key);
      return { kind: "attribute", key: key as AttributeKey, value, column: token.column };
    }
    if (text === "*") return { kind: "pattern", type: "*", nickname: "*", column: token.column };
    const colon = text.indexOf(":");
    const env = colon >= 0 ? text.slice(0, colon) : undefined;
    const rest = colon >= 0 ? text.slice(colon + 1) : text;
    const restColumn = token.column + colon + 1;
    if (env !== undefined) this.part(env, token.column, "environment");
    if (env !== undefined && rest === "") {
      this.fail(
        restColumn,
        `missing type/nickname after "${env}:" (put "..." before the environment: ...${env}:type/nickname)`,
      );
    }
    if (env !== undefined && rest === "*")
      return { kind: "pattern", env, type: "*", nickname: "*", column: token.column };
    const slash = rest.indexOf("/");
    if (slash < 0) {
      this.fail(
        restColumn,
        `expected type/nickname, found ${JSON.stringify(rest)} (for a whole type write ${rest}/* or type=${rest})`,
      );
    }
    const type = rest.slice(0, slash);
    const nickname = rest.slice(slash + 1);
    this.part(type, restColumn, "type");
    this.part(nickname, restColumn + slash + 1, "nickname");
    const pattern: Selector = { kind: "pattern", type, nickname, column: token.column };
    if (env !== undefined) pattern.env = env;
    return pattern;
  }

  /** Checks one name part (lower-case name characters plus `*` and `?`). */
  private part(value: string, column: number, what: string): void {
    if (value === "") this.fail(column, `missing ${what}`);
    if (PART.test(value)) return;
    const bad = [...value].findIndex((c, i) => !(i === 0 ? /[a-z0-9*?]/ : /[a-z0-9._*?-]/).test(c));
    const at = Math.max(0, bad);
    const ch = value[at]!;
    this.fail(
      column + at,
      /[A-Z]/.test(ch)
        ? `${what} names are lower-case: ${JSON.stringify(value)}`
        : `${JSON.stringify(ch)} cannot appear in a ${what} name`,
    );
  }
}

function describe(token: Token): string {
  switch (token.kind) {
    case "end":
      return "the end";
    case "word":
      return JSON.stringify(token.text);
    case "range":
      return `[${token.text}]`;
    case "depth":
      return `{${token.text}}`;
    default:
      return JSON.stringify(token.text);
  }
}
