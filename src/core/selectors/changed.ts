/**
 * Which components a set of changed files touches — the detector behind `[a...b]`. One rule per
 * kind of file, each giving a reason:
 * - a file in a component's directory (its config.json or anything beside it) → that component;
 * - a type's schema file or any file under its module directory → every component of that type.
 */

export type TouchReason = "config" | "schema" | "module";

export interface Touched {
  id: string;
  reason: TouchReason;
  /** The changed file (relative to the estate root) that touched it. */
  file: string;
}

export interface ChangeLayout {
  /** `file` is the component's config file relative to the estate root. */
  components: readonly { id: string; type: string; file: string }[];
  /** Per type, its schema file and module directory relative to the estate root, when it has them. */
  types: ReadonlyMap<string, { schema?: string; module?: string }>;
}

function dirname(file: string): string {
  const slash = file.lastIndexOf("/");
  return slash < 0 ? "" : file.slice(0, slash);
}

function normalise(path: string): string {
  return path.replace(/\\/g, "/").replace(/^\.\//, "").replace(/\/+$/, "");
}

function isInside(file: string, dir: string): boolean {
  return dir !== "" && (file === dir || file.startsWith(`${dir}/`));
}

/** Every (component, reason) the changed `files` touch, sorted by id; first reason per id wins. O(C + F × (depth + T)). */
export function componentsTouchedBy(files: readonly string[], layout: ChangeLayout): Touched[] {
  const touched = new Map<string, Touched>();
  const add = (id: string, reason: TouchReason, file: string) => {
    if (!touched.has(id)) touched.set(id, { id, reason, file });
  };
  // directory → components living there, so each file only looks up its own ancestors
  const componentsByDir = new Map<string, string[]>();
  for (const c of layout.components) {
    const dir = dirname(normalise(c.file));
    if (dir === "") continue;
    const list = componentsByDir.get(dir);
    if (list) list.push(c.id);
    else componentsByDir.set(dir, [c.id]);
  }
  const byType = new Map<string, string[]>();
  for (const c of layout.components) {
    const list = byType.get(c.type);
    if (list) list.push(c.id);
    else byType.set(c.type, [c.id]);
  }
  for (const raw of files) {
    const file = normalise(raw);
    for (let dir = dirname(file); dir !== ""; dir = dirname(dir)) {
      for (const id of componentsByDir.get(dir) ?? []) add(id, "config", file);
    }
    for (const [type, paths] of layout.types) {
      const schema = paths.schema === undefined ? undefined : normalise(paths.schema);
      const module = paths.module === undefined ? undefined : normalise(paths.module);
      const reason: TouchReason | undefined =
        schema !== undefined && file === schema
          ? "schema"
          : module !== undefined && isInside(file, module)
            ? "module"
            : undefined;
      if (reason) for (const id of byType.get(type) ?? []) add(id, reason, file);
    }
  }
  return [...touched.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
