/**
 * Who depends on a component, from the references declared in Git (every form: `$ref`,
 * `<type>_nickname`, `src_type`+`src_nickname`, runtime paths, `depends_on`). Used to refuse a
 * destroy that would pull the ground from under a consumer. Pure; sorted by id.
 */
import type { Component, ComponentAddress, ReferenceForm } from "../estate/model.js";

export interface Dependent {
  id: string;
  /** How the dependent refers to the component, sorted, unique. */
  forms: ReferenceForm[];
  /** Where in the dependent's config, sorted. */
  pointers: string[];
}

export function findDependents(components: readonly Component[], target: ComponentAddress): Dependent[] {
  const out: Dependent[] = [];
  for (const c of components) {
    if (c.env === target.env && c.type === target.type && c.nickname === target.nickname) continue;
    const refs = c.references.filter(
      (r) =>
        !r.external &&
        r.target.env === target.env &&
        r.target.type === target.type &&
        r.target.nickname === target.nickname,
    );
    if (refs.length === 0) continue;
    out.push({
      id: c.id,
      forms: [...new Set(refs.map((r) => r.form))].sort(),
      pointers: [...new Set(refs.map((r) => r.pointer))].sort(),
    });
  }
  return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
