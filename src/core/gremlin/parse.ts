/**
 * Parses a Gremlin traversal as a user types it (`g.V().hasLabel('component').count()`) into a
 * small syntax tree, without evaluating anything: the tree is then turned into bytecode by the
 * gremlin adapter, so no Groovy script ever reaches the server (Neptune and TinkerGraph run
 * bytecode the same way) and mutating steps can be found before anything is sent.
 *
 * Accepted: `g.` followed by steps; arguments are strings ('…' or "…"), numbers (`3`, `3L`,
 * `1.5`), `true`/`false`/`null`, lists `[…]`, anonymous traversals (`__.out()` or bare `out()`),
 * predicates (`gt(3)`, `P.within('a','b')`, `TextP.containing('x')`) and tokens (`T.id`,
 * `desc`, `Order.desc`, `local`, `Column.keys`, `single`…). A trailing `.toList()`, `.next()` or
 * `.iterate()` is accepted and ignored.
 */
import { UserError } from "../errors.js";

export type GremlinArg =
  | { kind: "string"; value: string }
  | { kind: "number"; value: number }
  | { kind: "boolean"; value: boolean }
  | { kind: "null" }
  | { kind: "list"; items: GremlinArg[] }
  | { kind: "traversal"; steps: GremlinStep[] }
  | { kind: "predicate"; family: "P" | "TextP"; name: string; args: GremlinArg[] }
  | { kind: "token"; family: string; name: string };

export interface GremlinStep {
  name: string;
  args: GremlinArg[];
}

export const PREDICATES: Readonly<Record<string, "P" | "TextP">> = {
  eq: "P",
  neq: "P",
  lt: "P",
  lte: "P",
  gt: "P",
  gte: "P",
  inside: "P",
  outside: "P",
  between: "P",
  within: "P",
  without: "P",
  not: "P",
  containing: "TextP",
  notContaining: "TextP",
  startingWith: "TextP",
  notStartingWith: "TextP",
  endingWith: "TextP",
  notEndingWith: "TextP",
  regex: "TextP",
  notRegex: "TextP",
};

/** Bare tokens and the enum they belong to. */
export const TOKENS: Readonly<Record<string, string>> = {
  desc: "Order",
  asc: "Order",
  shuffle: "Order",
  local: "Scope",
  global: "Scope",
  keys: "Column",
  values: "Column",
  single: "Cardinality",
  list: "Cardinality",
  set: "Cardinality",
  OUT: "Direction",
  IN: "Direction",
  BOTH: "Direction",
  first: "Pop",
  last: "Pop",
  all: "Pop",
  mixed: "Pop",
};

const ENUM_FAMILIES = new Set([
  "T",
  "Order",
  "Scope",
  "Column",
  "Cardinality",
  "Direction",
  "Pop",
  "Operator",
]);

/** Steps that change the graph (or can run arbitrary server code). */
export const MUTATING_STEPS: ReadonlySet<string> = new Set([
  "addV",
  "addE",
  "property",
  "drop",
  "mergeV",
  "mergeE",
  "io",
  "call",
]);

const TERMINAL = new Set(["toList", "next", "iterate", "toSet"]);

class Parser {
  private i = 0;
  constructor(private readonly text: string) {}

  fail(what: string): never {
    throw new UserError(
      `Cannot parse the Gremlin traversal at column ${this.i + 1}: ${what}.`,
      "Write it as g.<step>(…).<step>(…), e.g. g.V().hasLabel('component').count()",
    );
  }

  private skip(): void {
    while (this.i < this.text.length && /\s/.test(this.text[this.i]!)) this.i++;
  }

  private peek(): string {
    this.skip();
    return this.text[this.i] ?? "";
  }

  private eat(char: string): boolean {
    if (this.peek() !== char) return false;
    this.i++;
    return true;
  }

  private expect(char: string): void {
    if (!this.eat(char)) this.fail(`expected "${char}"`);
  }

  private identifier(): string {
    this.skip();
    const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.text.slice(this.i));
    if (!match) this.fail("expected a step name");
    this.i += match[0].length;
    return match[0];
  }

  query(): GremlinStep[] {
    if (this.identifier() !== "g") this.fail('a traversal starts with "g"');
    const steps = this.chain();
    if (steps.length === 0) this.fail("expected at least one step after g");
    this.skip();
    if (this.i < this.text.length) this.fail(`unexpected "${this.text[this.i]}"`);
    while (steps.length > 0 && TERMINAL.has(steps[steps.length - 1]!.name)) steps.pop();
    return steps;
  }

  /** `.step(args)` repeated. */
  private chain(): GremlinStep[] {
    const steps: GremlinStep[] = [];
    while (this.eat(".")) steps.push(this.step(this.identifier()));
    return steps;
  }

  private step(name: string): GremlinStep {
    this.expect("(");
    return { name, args: this.args(")") };
  }

  private args(close: string): GremlinArg[] {
    const args: GremlinArg[] = [];
    if (this.eat(close)) return args;
    do args.push(this.arg());
    while (this.eat(","));
    this.expect(close);
    return args;
  }

  private arg(): GremlinArg {
    const c = this.peek();
    if (c === "'" || c === '"') return { kind: "string", value: this.string(c) };
    if (/[-0-9]/.test(c)) return this.number();
    if (c === "[") {
      this.i++;
      return { kind: "list", items: this.args("]") };
    }
    const name = this.identifier();
    if (name === "true" || name === "false") return { kind: "boolean", value: name === "true" };
    if (name === "null") return { kind: "null" };
    if (name === "__") return { kind: "traversal", steps: this.chain() };
    if (name === "P" || name === "TextP") {
      this.expect(".");
      const predicate = this.identifier();
      if (PREDICATES[predicate] !== name) this.fail(`unknown predicate ${name}.${predicate}`);
      this.expect("(");
      return { kind: "predicate", family: name, name: predicate, args: this.args(")") };
    }
    if (ENUM_FAMILIES.has(name)) {
      this.expect(".");
      return { kind: "token", family: name, name: this.identifier() };
    }
    if (this.peek() === "(") {
      const family = PREDICATES[name];
      // `not(…)` is a step when its argument is a traversal, a predicate otherwise
      if (family !== undefined && name !== "not") {
        this.i++;
        return { kind: "predicate", family, name, args: this.args(")") };
      }
      return { kind: "traversal", steps: [this.step(name), ...this.chain()] };
    }
    const family = TOKENS[name];
    if (family === undefined) this.fail(`unknown token ${name}`);
    return { kind: "token", family, name };
  }

  private string(quote: string): string {
    this.i++;
    let out = "";
    while (this.i < this.text.length && this.text[this.i] !== quote) {
      let c = this.text[this.i++]!;
      if (c === "\\") {
        const next = this.text[this.i++] ?? "";
        c = next === "n" ? "\n" : next === "t" ? "\t" : next;
      }
      out += c;
    }
    if (this.text[this.i] !== quote) this.fail("unterminated string");
    this.i++;
    return out;
  }

  private number(): GremlinArg {
    const match = /^-?\d+(\.\d+)?([eE][-+]?\d+)?[LlDdFf]?/.exec(this.text.slice(this.i));
    if (!match) this.fail("expected a number");
    this.i += match[0].length;
    return { kind: "number", value: Number(match[0].replace(/[LlDdFf]$/, "")) };
  }
}

/** The steps after `g.` (terminal steps like `.toList()` dropped). Throws a UserError with the column. */
export function parseGremlin(text: string): GremlinStep[] {
  return new Parser(text).query();
}

/** Names of mutating steps anywhere in the traversal (nested traversals included), in order. */
export function mutatingSteps(steps: readonly GremlinStep[]): string[] {
  const found: string[] = [];
  const visit = (list: readonly GremlinStep[]) => {
    for (const step of list) {
      if (MUTATING_STEPS.has(step.name)) found.push(step.name);
      step.args.forEach(visitArg);
    }
  };
  const visitArg = (arg: GremlinArg) => {
    if (arg.kind === "traversal") visit(arg.steps);
    else if (arg.kind === "list") arg.items.forEach(visitArg);
    else if (arg.kind === "predicate") arg.args.forEach(visitArg);
  };
  visit(steps);
  return found;
}
