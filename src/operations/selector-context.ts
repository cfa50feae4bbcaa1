/**
 * Builds the `SelectorContext` operations pass to `selectComponents`: the universe of components,
 * graph walks answered by a GraphStore (the latest or a given version), and `[a...b]` answered
 * by the session's git reader plus the estate layout.
 */
import { UserError } from "../core/errors.js";
import { componentConfigFile, typeFiles } from "../core/estate/paths.js";
import { componentsTouchedBy } from "../core/selectors/changed.js";
import type { SelectableComponent, SelectorContext } from "../core/selectors/evaluate.js";
import type { GraphStore } from "../ports/graph-store.js";
import type { Session } from "./session.js";

export interface SelectorContextOptions {
  /** The universe (usually the estate's components, or every node of a graph). */
  components: readonly (SelectableComponent & { file?: string })[];
  /** Answers `...x` / `x...`; without one, graph expansions throw a UserError. */
  graph?: GraphStore;
  graphVersion?: number;
}

export function selectorContext(
  session: Pick<Session, "settings" | "git">,
  options: SelectorContextOptions,
): SelectorContext {
  const { graph } = options;
  const { settings } = session;
  const walk = async (direction: "dependents" | "dependencies", ids: readonly string[], depth?: number) => {
    if (!graph) {
      throw new UserError(
        "This selector expands along the graph (`...`), but no graph store is available here.",
        "Run `karma graph build` first, or select without `...`.",
      );
    }
    const reached = await graph[direction](ids, { depth, version: options.graphVersion });
    return reached.map((r) => r.id);
  };
  return {
    components: options.components,
    dependents: (ids, depth) => walk("dependents", ids, depth),
    dependencies: (ids, depth) => walk("dependencies", ids, depth),
    async changedComponents(range) {
      const files = await session.git.changedFiles(range);
      const types = typeFiles(settings, [
        ...new Set([...Object.keys(settings.types), ...options.components.map((c) => c.type)]),
      ]);
      const components = options.components.map((c) => ({
        id: c.id,
        type: c.type,
        file: c.file ?? componentConfigFile(settings, c),
      }));
      return componentsTouchedBy(files, { components, types }).map((t) => t.id);
    },
  };
}
