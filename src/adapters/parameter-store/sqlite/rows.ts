/** A stored version row as the port's shapes: a Parameter, its metadata, and what filters look at. */
import type { GetOptions, Parameter, ParameterMetadata } from "../../../ports/parameter-store.js";
import type { FilterSubject } from "./filters.js";
import type { VersionRow } from "./statements.js";
import type { StoreContext } from "./store-context.js";

export function arn(ctx: StoreContext, name: string): string {
  return `${ctx.arnPrefix}${name.startsWith("/") ? name : `/${name}`}`;
}

/**
 * Plaintext for String/StringList. For SecureString: the decrypted value only when asked,
 * otherwise the ciphertext envelope in base64 — opaque like SSM's KMS blob, never the plaintext.
 */
export function storedValue(ctx: StoreContext, row: VersionRow, withDecryption: boolean): string {
  if (row.type !== "SecureString") return row.value ?? "";
  if (!withDecryption) return row.secret!.toString("base64");
  return ctx.secure.decrypt(row.name, row.secret!);
}

export function toParameter(
  ctx: StoreContext,
  row: VersionRow,
  options: GetOptions | undefined,
  selector?: string,
): Parameter {
  const parameter: Parameter = {
    name: row.name,
    type: row.type,
    value: storedValue(ctx, row, options?.withDecryption === true),
    version: row.version,
    lastModifiedDate: new Date(row.modified_ms),
    arn: arn(ctx, row.name),
    dataType: row.data_type,
  };
  if (selector !== undefined) parameter.selector = selector;
  return parameter;
}

export function toMetadataFields(row: VersionRow): Omit<ParameterMetadata, "arn"> {
  const metadata: Omit<ParameterMetadata, "arn"> = {
    name: row.name,
    type: row.type,
    version: row.version,
    lastModifiedDate: new Date(row.modified_ms),
    lastModifiedUser: row.modified_user,
    tier: row.tier,
    dataType: row.data_type,
  };
  if (row.description !== null) metadata.description = row.description;
  if (row.allowed_pattern !== null) metadata.allowedPattern = row.allowed_pattern;
  if (row.key_id !== null) metadata.keyId = row.key_id;
  return metadata;
}

/** The labels of one version, in name order. */
export function labelsOf(ctx: StoreContext, name: string, version: number): string[] {
  return ctx.sql.labelsOf.all(ctx.ns, name, version).map((r) => r.label);
}

/** What ParameterFilters look at; labels and tags are read only when a filter asks. */
export function subject(ctx: StoreContext, row: VersionRow): FilterSubject {
  return {
    name: row.name,
    type: row.type,
    keyId: row.key_id ?? undefined,
    tier: row.tier,
    dataType: row.data_type,
    labels: () => labelsOf(ctx, row.name, row.version),
    tags: () => new Map(ctx.sql.tagsOf.all(ctx.ns, row.name).map((r) => [r.key, r.value])),
  };
}
