/**
 * Reads of current values: GetParameter(s) by name, selector or ARN, GetParametersByPath,
 * DescribeParameters and the whole-tree read Karma's publish uses. Paged reads use keyset
 * tokens bound to their query (`paging.ts`) and read inside one transaction, so a page is one
 * snapshot.
 */
import {
  type DescribeParametersInput,
  type GetOptions,
  type GetParametersByPathInput,
  type GetParametersResult,
  isParameterStoreError,
  type Page,
  type Parameter,
  type ParameterMetadata,
  type TreeParameter,
} from "../../../ports/parameter-store.js";
import { matchesFilters, normalizeFilters } from "./filters.js";
import { parseNameOrArn, selectVersion } from "./names.js";
import { decodeToken, encodeToken, pageSize, queryFingerprint } from "./paging.js";
import { arn, subject, toMetadataFields, toParameter } from "./rows.js";
import type { VersionRow } from "./statements.js";
import type { StoreContext } from "./store-context.js";
import {
  BY_PATH_PAGE,
  checkBatch,
  checkPath,
  DESCRIBE_PAGE,
  isReservedPath,
  pathPrefix,
  prefixEnd,
  unique,
} from "./validation.js";

export function getParameter(ctx: StoreContext, name: string, options?: GetOptions): Parameter {
  const selected = parseNameOrArn(ctx, name);
  return toParameter(ctx, selectVersion(ctx, selected), options, selected.text);
}

export function getParameters(
  ctx: StoreContext,
  names: readonly string[],
  options?: GetOptions,
): GetParametersResult {
  checkBatch(names, "names");
  const parameters: Parameter[] = [];
  const invalidParameters: string[] = [];
  ctx.db.transaction(() => {
    for (const raw of unique(names)) {
      try {
        parameters.push(getParameter(ctx, raw, options));
      } catch (error) {
        const missing =
          isParameterStoreError(error, "ParameterNotFound") ||
          isParameterStoreError(error, "ParameterVersionNotFound") ||
          isParameterStoreError(error, "ValidationException");
        if (!missing) throw error;
        invalidParameters.push(raw);
      }
    }
  })();
  return { parameters, invalidParameters };
}

export function getParametersByPath(ctx: StoreContext, input: GetParametersByPathInput): Page<Parameter> {
  // AWS's public parameters (/aws/service/…) and references (/aws/reference/…) live under the
  // reserved /aws prefix, where no parameter can be created. Karma serves none of them: it
  // answers as AWS does for a path with nothing under it.
  if (isReservedPath(input.path)) return { items: [] };
  checkPath(input.path);
  const limit = pageSize(input.maxResults, BY_PATH_PAGE);
  const filters = normalizeFilters(input.parameterFilters, "by-path");
  const recursive = input.recursive === true;
  const fingerprint = queryFingerprint("GetParametersByPath", [ctx.ns, input.path, recursive, filters]);
  const after = decodeToken(input.nextToken, fingerprint);
  const prefix = pathPrefix(input.path);
  const labelFilter = filters.find((f) => f.key === "Label");
  const otherFilters = filters.filter((f) => f !== labelFilter);

  const items: Parameter[] = [];
  let nextToken: string | undefined;
  const lower = typeof after === "string" && after >= prefix ? after : prefix;
  ctx.db.transaction(() => {
    for (const latest of ctx.sql.latestInRange.iterate(ctx.ns, lower, prefixEnd(prefix))) {
      if (!recursive && latest.name.slice(prefix.length).includes("/")) continue;
      const row = labelFilter ? labelledVersion(ctx, latest.name, labelFilter.values) : latest;
      if (!row || !matchesFilters(subject(ctx, row), otherFilters)) continue;
      if (items.length === limit) {
        nextToken = encodeToken(fingerprint, items[items.length - 1]!.name);
        break;
      }
      items.push(toParameter(ctx, row, input));
    }
  })();
  return nextToken === undefined ? { items } : { items, nextToken };
}

/** With a Label filter, GetParametersByPath returns the version carrying the label. */
function labelledVersion(ctx: StoreContext, name: string, labels: readonly string[]): VersionRow | undefined {
  const hit = ctx.sql.allLabels.all(ctx.ns, name).find((r) => labels.includes(r.label));
  return hit ? ctx.sql.version.get(ctx.ns, name, hit.version) : undefined;
}

export function describeParameters(
  ctx: StoreContext,
  input: DescribeParametersInput = {},
): Page<ParameterMetadata> {
  const limit = pageSize(input.maxResults, DESCRIBE_PAGE);
  const filters = normalizeFilters(input.parameterFilters, "describe");
  const fingerprint = queryFingerprint("DescribeParameters", [ctx.ns, filters]);
  const after = decodeToken(input.nextToken, fingerprint);
  const items: ParameterMetadata[] = [];
  let nextToken: string | undefined;
  ctx.db.transaction(() => {
    // Every name sorts after "" and before U+FFFF; names are ASCII.
    const lower = typeof after === "string" ? after : "";
    for (const row of ctx.sql.latestInRange.iterate(ctx.ns, lower, "\uffff")) {
      if (!matchesFilters(subject(ctx, row), filters)) continue;
      if (items.length === limit) {
        nextToken = encodeToken(fingerprint, items[items.length - 1]!.name);
        break;
      }
      items.push({ ...toMetadataFields(row), arn: arn(ctx, row.name) });
    }
  })();
  return nextToken === undefined ? { items } : { items, nextToken };
}

export function readTree(ctx: StoreContext, path: string, options?: GetOptions): TreeParameter[] {
  checkPath(path);
  const prefix = pathPrefix(path);
  return ctx.sql.latestInRange.all(ctx.ns, prefix, prefixEnd(prefix)).map((row) => {
    const parameter: TreeParameter = toParameter(ctx, row, options);
    if (row.description !== null) parameter.description = row.description;
    return parameter;
  });
}
