import { UserError } from "../errors.js";

/**
 * A selector that does not parse. The message shows the selector with a caret under the column
 * where the problem is:
 *
 *   invalid selector at column 4: expected a component, an attribute or "(" after "..."
 *     ...,vpc/main
 *        ^
 */
export class SelectorSyntaxError extends UserError {
  override name = "SelectorSyntaxError";
  constructor(
    readonly selector: string,
    /** 1-based. */
    readonly column: number,
    readonly problem: string,
  ) {
    super(
      `invalid selector at column ${column}: ${problem}\n  ${selector}\n  ${" ".repeat(Math.max(0, column - 1))}^`,
      "Selectors look like `vpc/main`, `vpc/*`, `type=vpc`, `...vpc/main`, `vpc/main...`, `[main...HEAD]`, combined with `,` (or), `&` (and), `!` (not).",
    );
  }
}
