/**
 * Selectors as every command applies them: the selector language (core/selectors) evaluated over
 * a universe the command chooses — the estate's components, plus store-only components where
 * those can be in scope (publish's missing configs, status's orphans).
 */

import { UserError } from "../core/errors.js";
import type { ComponentAddress } from "../core/estate/model.js";
import { formatComponentId } from "../core/ids.js";
import { selectComponents } from "../core/selectors/index.js";
import { selectorContext } from "./selector-context.js";
import type { Session } from "./session.js";

export type Selection = (address: ComponentAddress) => boolean;

export const selectAll: Selection = () => true;

/** What a selector that matches nothing gets told, wherever it was given. */
export function noMatch(selector: string): UserError {
  return new UserError(
    `no component matches "${selector}"`,
    "use env:type/nickname, type/nickname, a glob like 'vpc/*', attributes like env=prod, or leave the selector out for everything",
  );
}

/** Throws a UserError when the selector matches nothing, rather than silently doing nothing. */
export async function resolveSelection(
  session: Session,
  selector: string | undefined,
  universe: Iterable<ComponentAddress>,
): Promise<Selection> {
  if (selector === undefined || selector.trim() === "") return selectAll;
  const components = [...universe].map((a) => ({
    id: formatComponentId(a),
    env: a.env,
    type: a.type,
    nickname: a.nickname,
  }));
  // graph expansions (`...x`) read the latest graph version; other selectors need no store
  const graph = selector.includes("...") ? await session.graph() : undefined;
  const context = selectorContext(session, { components, graph });
  const ids = new Set(await selectComponents(selector, context));
  if (ids.size === 0) throw noMatch(selector);
  return (a) => ids.has(formatComponentId(a));
}
