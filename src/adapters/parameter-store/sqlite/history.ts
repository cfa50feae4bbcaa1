/** GetParameterHistory: every kept version of a parameter, oldest first, with its labels. */
import type {
  GetParameterHistoryInput,
  Page,
  ParameterHistoryEntry,
} from "../../../ports/parameter-store.js";
import { parseNameOrArn } from "./names.js";
import { decodeToken, encodeToken, pageSize, queryFingerprint } from "./paging.js";
import { labelsOf, storedValue, toMetadataFields } from "./rows.js";
import type { StoreContext } from "./store-context.js";
import { HISTORY_PAGE, notFound } from "./validation.js";

export function getParameterHistory(
  ctx: StoreContext,
  input: GetParameterHistoryInput,
): Page<ParameterHistoryEntry> {
  if (input.name.startsWith("arn:")) {
    const selected = parseNameOrArn(ctx, input.name);
    if (selected.selector.kind !== "latest") throw notFound(input.name);
    input = { ...input, name: selected.name };
  }
  const limit = pageSize(input.maxResults, HISTORY_PAGE);
  const fingerprint = queryFingerprint("GetParameterHistory", [ctx.ns, input.name]);
  const after = decodeToken(input.nextToken, fingerprint);
  const name = input.name;
  const withDecryption = input.withDecryption === true;
  return ctx.db.transaction(() => {
    if (!ctx.sql.current.get(ctx.ns, name)) throw notFound(name);
    const rows = ctx.sql.history.all(ctx.ns, name, typeof after === "number" ? after : 0, limit + 1);
    const page = rows.slice(0, limit);
    const items = page.map((row) => ({
      ...toMetadataFields(row),
      value: storedValue(ctx, row, withDecryption),
      labels: labelsOf(ctx, row.name, row.version),
    }));
    return rows.length > limit
      ? { items, nextToken: encodeToken(fingerprint, page[page.length - 1]!.version) }
      : { items };
  })();
}
