/**
 * Builds the `SelectorContext` commands pass to `selectComponents`: the universe of components,
 * graph walks answered by a GraphStore (the latest or a given version), and `[a...b]` answered
 * by git plus the estate layout.
 */
import { UserError } from "../../core/errors.js";
import type { ProjectSettings } from "../../core/estate/model.js";
import { componentsTouchedBy } from "../../core/selectors/changed.js";
import type { SelectableComponent, SelectorContext } from "../../core/selectors/evaluate.js";
import type { GraphStore } from "../../ports/graph-store.js";
import { changedFiles as gitChangedFiles } from "../git/changed-files.js";

export interface SelectorContextOptions {
  /** The universe (usually the estate's components, or every node of a graph). */
  components: readonly (SelectableComponent & { file?: string })[];
  settings: ProjectSettings;
  /** Answers `...x` / `x...`; without one, graph expansions throw a UserError. */
  graph?: GraphStore;
  graphVersion?: number;
  /** Injected for tests; default runs `git diff`. */
  changedFiles?: (range: string, cwd: string) => Promise<string[]>;
}

export function selectorContext(options: SelectorContextOptions): SelectorContext {
  const { settings, graph } = options;
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
      const files = await (options.changedFiles ?? gitChangedFiles)(range, settings.root);
      const types = new Map<string, { schema?: string; module?: string }>();
      const typeNames = new Set([...Object.keys(settings.types), ...options.components.map((c) => c.type)]);
      for (const type of typeNames) {
        const declared = settings.types[type];
        types.set(type, {
          schema: declared?.schema ?? `${settings.paths.types}/${type}/schema.json`,
          module: declared?.module ?? `${settings.paths.types}/${type}`,
        });
      }
      const components = options.components.map((c) => ({
        id: c.id,
        type: c.type,
        file: c.file ?? `${settings.paths.components}/${c.env}/${c.type}/${c.nickname}/config.json`,
      }));
      return componentsTouchedBy(files, { components, types }).map((t) => t.id);
    },
  };
}
