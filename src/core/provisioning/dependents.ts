/**
 * Who depends on a component, from the one consumer notion (`core/consumers`): every declared
 * form (`$ref`, `<type>_nickname`, `src_type`+`src_nickname`, runtime paths, `depends_on`) and
 * pasted copies (inferred). Used to refuse a destroy that would pull the ground from under a
 * consumer. Pure; sorted by id.
 */
import type { ConsumerLink } from "../consumers/links.js";

export interface Dependent {
  id: string;
  /** How the dependent refers to the component (reference forms, or "inferred"), sorted, unique. */
  forms: string[];
  /** Where in the dependent's config, sorted. */
  pointers: string[];
}

export function dependentsFrom(links: readonly ConsumerLink[], target: string): Dependent[] {
  return links
    .filter((l) => l.producer === target && l.consumer !== target)
    .map((l) => ({ id: l.consumer, forms: l.forms, pointers: l.pointers }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
