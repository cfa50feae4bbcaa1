/**
 * The selector syntax tree. Every leaf keeps the 1-based column it started at, so evaluation
 * errors (an unknown attribute value, a failing git range) can point at the source text too.
 */

export type AttributeKey = "type" | "env" | "nickname";

export type Selector =
  /** `[env:]type/nickname` with `*` and `?` globs inside each part; `*` alone selects everything. */
  | { kind: "pattern"; env?: string; type: string; nickname: string; column: number }
  /** `type=vpc`, `env=prod`, `nickname=main` (value may be a glob). */
  | { kind: "attribute"; key: AttributeKey; value: string; column: number }
  /** `[main...HEAD]`: components whose config, schema or module files changed in a git range. */
  | { kind: "changed"; range: string; column: number }
  /**
   * `...x` (x and its dependents), `x...` (x and its dependencies), `...{2}x` (depth-bounded),
   * `...^x` / `x^...` (the expansion without x itself).
   */
  | {
      kind: "graph";
      target: Selector;
      dependents?: { depth?: number };
      dependencies?: { depth?: number };
      includeTarget: boolean;
    }
  | { kind: "union"; items: Selector[] }
  | { kind: "intersection"; items: Selector[] }
  /** `!x`: every component except x. */
  | { kind: "not"; item: Selector };
