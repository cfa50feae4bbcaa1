/**
 * Where component configs live on disk: `<components>/<env>/<type>/<nickname>/config.json`.
 * Classifies the candidate files the loader found, reporting wrong depths, misnamed files, names
 * SSM would reject and unknown environments, and gives each file the identity it claims so that
 * duplicates can be found.
 *
 * "Duplicate" on disk means two files that claim the same `env:type/nickname` once case is
 * ignored: `vpc/Main/config.json` beside `vpc/main/config.json` (distinct on Linux, one folder on
 * macOS/Windows), `config.JSON` or `config.jsonc` beside `config.json`, or a flat
 * `<type>/<nickname>.json` beside `<type>/<nickname>/config.json`.
 */
import type { Problem } from "../errors.js";
import { explainInvalidName, suggestValidName } from "../ids.js";
import type { ComponentAddress, ProjectSettings } from "./model.js";
import { CONFIG_FILE, componentsFolder } from "./paths.js";
import { closestName } from "./suggest.js";

const CONFIG_VARIANT = /^config\.(json|jsonc|json5)$/i;
const JSON_FILE = /\.(json|jsonc|json5)$/i;

/**
 * Whether the loader should hand this file (segments below the components folder) to
 * {@link classifyConfigPaths}: configs, misnamed configs and flat `<env>/<type>/<nickname>.json`
 * files. Other files (READMEs, data files beside a config) are not Karma's business.
 */
export function isConfigCandidate(segments: readonly string[]): boolean {
  const name = segments[segments.length - 1] ?? "";
  return CONFIG_VARIANT.test(name) || (segments.length === 3 && JSON_FILE.test(name));
}

export interface ClassifiedFile {
  path: string;
  /** Set when the file is a loadable component config (right place, right name, valid names, known env). */
  address?: ComponentAddress;
  /** Lower-cased `env/type/nickname` the file claims, for duplicate detection. */
  identity?: string;
}

export interface Layout {
  files: ClassifiedFile[];
  problems: Problem[];
}

/** Classifies estate-root-relative paths (with `/` separators) under the components folder. */
export function classifyConfigPaths(paths: readonly string[], settings: ProjectSettings): Layout {
  const root = componentsFolder(settings);
  const environments = new Set(settings.environments.map((e) => e.name));
  const problems: Problem[] = [];
  const reportedDirs = new Set<string>();
  const files: ClassifiedFile[] = [];

  const dirProblem = (dir: string, problem: Omit<Problem, "file" | "severity">) => {
    if (reportedDirs.has(dir)) return;
    reportedDirs.add(dir);
    problems.push({ ...problem, file: dir, severity: "error" });
  };

  /** Checks the folder names of env/type/nickname; true when all are valid and the env is known. */
  const checkFolders = (parts: readonly string[]): boolean => {
    let ok = true;
    const labels = ["environment", "type", "nickname"];
    for (let i = 0; i < parts.length; i++) {
      const name = parts[i]!;
      const why = explainInvalidName(name);
      if (!why) continue;
      ok = false;
      const dir = [root, ...parts.slice(0, i + 1)].join("/");
      const suggestion = suggestValidName(name);
      dirProblem(dir, {
        code: "layout.invalid-name",
        message: `${labels[i]} folder name ${JSON.stringify(name)} is not a valid name (${why}); it becomes a segment of the SSM parameter name`,
        fix: suggestion
          ? `rename the folder to "${suggestion}"`
          : "rename the folder using a-z, 0-9, '.', '_' and '-', starting with a letter or digit",
      });
    }
    const env = parts[0];
    if (ok && env !== undefined && !environments.has(env)) {
      ok = false;
      const known = [...environments].sort();
      const guess = closestName(env, known);
      dirProblem(`${root}/${env}`, {
        code: "layout.unknown-environment",
        message: `environment "${env}" is not declared in karma.json`,
        fix: `${guess ? `did you mean "${guess}"? ` : ""}add "${env}" to "environments" in karma.json, or move these components under ${known.length ? known.map((k) => `${root}/${k}/`).join(", ") : "a declared environment"}`,
      });
    }
    return ok;
  };

  for (const path of [...paths].sort()) {
    if (!path.startsWith(`${root}/`)) continue;
    const segments = path.slice(root.length + 1).split("/");
    const name = segments[segments.length - 1]!;
    const expected = (env: string, type: string, nickname: string) =>
      `${root}/${env}/${type}/${nickname}/${CONFIG_FILE}`;

    if (segments.length === 4 && CONFIG_VARIANT.test(name)) {
      const [env, type, nickname] = segments as [string, string, string, string];
      const identity = `${env}/${type}/${nickname}`.toLowerCase();
      const foldersOk = checkFolders([env, type, nickname]);
      if (name !== CONFIG_FILE) {
        problems.push({
          code: "layout.config-file-name",
          file: path,
          message: `component configs are read from "${CONFIG_FILE}"; "${name}" is ignored`,
          fix: `rename it to ${expected(env, type, nickname)}`,
          severity: "error",
        });
        files.push({ path, identity });
        continue;
      }
      files.push(foldersOk ? { path, identity, address: { env, type, nickname } } : { path, identity });
      continue;
    }

    if (segments.length === 3 && JSON_FILE.test(name) && !CONFIG_VARIANT.test(name)) {
      const [env, type] = segments as [string, string, string];
      const nickname = name.replace(JSON_FILE, "");
      problems.push({
        code: "layout.flat-config",
        file: path,
        message: `a component's config is a folder with a ${CONFIG_FILE}, not a file next to its siblings; this file is ignored`,
        fix: `move it to ${expected(env, type, nickname)}`,
        severity: "error",
      });
      files.push({ path, identity: `${env}/${type}/${nickname}`.toLowerCase() });
      continue;
    }

    if (CONFIG_VARIANT.test(name)) {
      problems.push({
        code: "layout.wrong-depth",
        file: path,
        message: `component configs live exactly at ${root}/<env>/<type>/<nickname>/${CONFIG_FILE}; this one is ${segments.length - 1} folder(s) below ${root}/ instead of 3, so it is ignored`,
        fix:
          segments.length > 4
            ? `move it to ${expected(segments[0]!, segments[1]!, segments[2]!)} or delete it`
            : `move it into a <type>/<nickname>/ folder below ${root}/${segments.length > 1 ? `${segments[0]}/` : "<env>/"}`,
        severity: "error",
      });
    }
  }
  return { files, problems };
}

/** `estate.duplicate-component` errors for files claiming the same identity; the loadable one is kept. */
export function duplicateProblems(files: readonly ClassifiedFile[]): Problem[] {
  const byIdentity = new Map<string, ClassifiedFile[]>();
  for (const file of files) {
    if (file.identity === undefined) continue;
    const group = byIdentity.get(file.identity);
    if (group) group.push(file);
    else byIdentity.set(file.identity, [file]);
  }
  const problems: Problem[] = [];
  for (const group of byIdentity.values()) {
    if (group.length < 2) continue;
    const kept = group.find((f) => f.address && f.path.endsWith(`/${CONFIG_FILE}`)) ?? group[0]!;
    for (const file of group) {
      if (file === kept) continue;
      problems.push({
        code: "estate.duplicate-component",
        file: file.path,
        message: `this file and ${kept.path} define the same component (names differ only by case or file naming)`,
        fix: `keep one: merge what you need into ${kept.path} and delete ${file.path}`,
        severity: "error",
      });
    }
  }
  return problems;
}
