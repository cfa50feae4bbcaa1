/**
 * The selector language shared by every command that takes components. See `parser.ts` for the
 * grammar and examples. Typical use:
 *
 *   const ids = await selectComponents("...vpc/main & env=prod", context);
 */
export type { AttributeKey, Selector } from "./ast.js";
export { type ChangeLayout, componentsTouchedBy, type Touched, type TouchReason } from "./changed.js";
export { SelectorSyntaxError } from "./errors.js";
export { type SelectableComponent, type SelectorContext, selectComponents } from "./evaluate.js";
export { parseSelector } from "./parser.js";
