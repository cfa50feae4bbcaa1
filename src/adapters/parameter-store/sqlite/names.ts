/**
 * Which stored row a request names: a name, `name:version`, `name:label`, or the parameter's ARN;
 * and the checks that a parameter or one of its versions exists.
 */

import { parseSelector, type SelectedName } from "./labels.js";
import type { VersionRow } from "./statements.js";
import type { StoreContext } from "./store-context.js";
import { fail, notFound } from "./validation.js";

/**
 * `name`, `name:selector`, or the parameter's ARN (optionally with a selector), which AWS
 * accepts wherever a parameter is read by name. An ARN of another account or region names
 * nothing here (shared parameters do not exist in an embedded store).
 */
export function parseNameOrArn(ctx: StoreContext, raw: string): SelectedName {
  if (!raw.startsWith("arn:")) return parseSelector(raw);
  const arnPrefix = `${ctx.arnPrefix}/`;
  if (!raw.startsWith(arnPrefix)) throw notFound(raw);
  const selected = parseSelector(raw.slice(arnPrefix.length - 1));
  // "parameter/x" is the ARN of both "/x" and "x"; a hierarchical name always begins with "/".
  const bare = selected.name.slice(1);
  if (!bare.includes("/") && !ctx.sql.current.get(ctx.ns, selected.name) && ctx.sql.current.get(ctx.ns, bare))
    return { ...selected, name: bare };
  return selected;
}

/** The version a (possibly selector-qualified) name designates. */
export function selectVersion(ctx: StoreContext, { name, selector }: SelectedName): VersionRow {
  if (selector.kind === "latest") {
    const row = ctx.sql.latest.get(ctx.ns, name);
    if (!row) throw notFound(name);
    return row;
  }
  if (!ctx.sql.current.get(ctx.ns, name)) throw notFound(name);
  const version =
    selector.kind === "version"
      ? selector.version
      : ctx.sql.labelVersion.get(ctx.ns, name, selector.label)?.version;
  const row = version === undefined ? undefined : ctx.sql.version.get(ctx.ns, name, version);
  if (!row) {
    const what = selector.kind === "version" ? `version ${selector.version}` : `label ${selector.label}`;
    fail(
      "ParameterVersionNotFound",
      `Systems Manager could not find ${what} of ${name}. Verify the version and try again.`,
    );
  }
  return row;
}

/** The given version (or the latest), checking the parameter and version exist. */
export function resolveVersion(ctx: StoreContext, name: string, version: number | undefined): number {
  const current = ctx.sql.current.get(ctx.ns, name);
  if (!current) throw notFound(name);
  if (version === undefined) return current.version;
  if (!ctx.sql.version.get(ctx.ns, name, version)) {
    fail(
      "ParameterVersionNotFound",
      `Systems Manager could not find version ${version} of ${name}. Verify the version and try again.`,
    );
  }
  return version;
}

/** Tag operations name a resource: a parameter that does not exist is an invalid resource id. */
export function requireResource(ctx: StoreContext, name: string): void {
  if (!ctx.sql.current.get(ctx.ns, name)) {
    fail("InvalidResourceId", `The resource ID "${name}" is not valid. Verify the ID and try again.`);
  }
}
