/**
 * Selector evaluation against an injected context: the component universe, graph walks and a
 * changed-files detector. The core never touches git or a database itself; commands build the
 * context from their adapters (see `SelectorContext`).
 */
import type { Selector } from "./ast.js";
import { parseSelector } from "./parser.js";

export interface SelectableComponent {
  /** `env:type/nickname` (or any node id the context's walks return). */
  id: string;
  env: string;
  type: string;
  nickname: string;
}

export interface SelectorContext {
  /** The universe: every component a selector can return. `!x` is the universe minus x. */
  components: readonly SelectableComponent[];
  /** Ids that depend on `ids`, transitively (at most `depth` edges away when given); starts excluded. */
  dependents(ids: readonly string[], depth?: number): Promise<readonly string[]>;
  /** Ids `ids` depend on, transitively (bounded by `depth`); starts excluded. */
  dependencies(ids: readonly string[], depth?: number): Promise<readonly string[]>;
  /** Ids whose config, schema or module files changed in a git range (see `componentsTouchedBy`). */
  changedComponents(range: string): Promise<readonly string[]>;
}

/** Glob over one name part: `*` any run of characters, `?` one character. */
function globRegex(glob: string): RegExp {
  const body = glob
    .replace(/[.+^${}()|[\]\\-]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${body}$`);
}

/**
 * The ids `selector` selects from `context.components`, sorted. Accepts the selector text or an
 * already parsed tree. Graph walks are batched: one call per expansion, whatever the number of
 * matched targets.
 */
export async function selectComponents(
  selector: string | Selector,
  context: SelectorContext,
): Promise<string[]> {
  const tree = typeof selector === "string" ? parseSelector(selector) : selector;
  const universe = new Set(context.components.map((c) => c.id));
  const result = await evaluate(tree, context, universe);
  return [...result].filter((id) => universe.has(id)).sort();
}

async function evaluate(
  node: Selector,
  context: SelectorContext,
  universe: ReadonlySet<string>,
): Promise<Set<string>> {
  switch (node.kind) {
    case "pattern": {
      const env = node.env === undefined ? undefined : globRegex(node.env);
      const type = globRegex(node.type);
      const nickname = globRegex(node.nickname);
      return new Set(
        context.components
          .filter(
            (c) => (env === undefined || env.test(c.env)) && type.test(c.type) && nickname.test(c.nickname),
          )
          .map((c) => c.id),
      );
    }
    case "attribute": {
      const match = globRegex(node.value);
      return new Set(context.components.filter((c) => match.test(c[node.key])).map((c) => c.id));
    }
    case "changed":
      return new Set(await context.changedComponents(node.range));
    case "graph": {
      const targets = await evaluate(node.target, context, universe);
      const ids = [...targets].sort();
      const result = new Set(node.includeTarget ? ids : []);
      if (ids.length === 0) return result;
      if (node.dependents)
        for (const id of await context.dependents(ids, node.dependents.depth)) result.add(id);
      if (node.dependencies)
        for (const id of await context.dependencies(ids, node.dependencies.depth)) result.add(id);
      return result;
    }
    case "union": {
      const result = new Set<string>();
      for (const item of node.items) for (const id of await evaluate(item, context, universe)) result.add(id);
      return result;
    }
    case "intersection": {
      let result: Set<string> | undefined;
      for (const item of node.items) {
        const next = await evaluate(item, context, universe);
        result = result === undefined ? next : new Set([...result].filter((id) => next.has(id)));
      }
      return result ?? new Set();
    }
    case "not": {
      const excluded = await evaluate(node.item, context, universe);
      return new Set([...universe].filter((id) => !excluded.has(id)));
    }
  }
}
