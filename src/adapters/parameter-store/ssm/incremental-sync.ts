/**
 * Reading a whole subtree from SSM without reading every value every time: list metadata first
 * (DescribeParameters, 50 per call), reuse cached values whose version and modification time are
 * unchanged, and fetch the rest with GetParameters in batches of 10. A parameter deleted and
 * re-created has version 1 again but a new modification time, so it is fetched too.
 *
 * Cost for N parameters of which C changed: ⌈N/50⌉ + ⌈C/10⌉ calls (plus SecureStrings, which are
 * never cached), against ⌈N/10⌉ for a full GetParametersByPath read.
 */
import type {
  GetParametersResult,
  Page,
  ParameterMetadata,
  TreeParameter,
} from "../../../ports/parameter-store.js";
import type { CachedParameter, SyncCache } from "./sync-cache.js";

export const DESCRIBE_PAGE_SIZE = 50;
export const GET_PARAMETERS_BATCH = 10;

export interface SyncSource {
  /** One DescribeParameters page of the parameters under `path` (recursive). */
  describeUnder(path: string, nextToken: string | undefined): Promise<Page<ParameterMetadata>>;
  /** One GetParameters call (≤ 10 names). Calls may run concurrently; the source bounds them. */
  getParameters(names: readonly string[], withDecryption: boolean): Promise<GetParametersResult>;
}

export interface SyncStats {
  listed: number;
  fromCache: number;
  fetched: number;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function isUnchanged(m: ParameterMetadata, cached: CachedParameter | undefined): cached is CachedParameter {
  return (
    cached !== undefined &&
    m.type !== "SecureString" &&
    cached.version === m.version &&
    cached.modifiedMs === m.lastModifiedDate.getTime()
  );
}

export async function syncTree(
  path: string,
  withDecryption: boolean,
  source: SyncSource,
  cache: SyncCache | undefined,
): Promise<{ parameters: TreeParameter[]; stats: SyncStats }> {
  const listed: ParameterMetadata[] = [];
  let token: string | undefined;
  do {
    const page = await source.describeUnder(path, token);
    listed.push(...page.items);
    token = page.nextToken;
  } while (token);

  const cached = cache?.under(path) ?? new Map<string, CachedParameter>();
  const result: TreeParameter[] = [];
  const stale: ParameterMetadata[] = [];
  for (const m of listed) {
    const hit = cached.get(m.name);
    if (isUnchanged(m, hit)) {
      const parameter: TreeParameter = {
        name: hit.name,
        type: hit.type,
        value: hit.value,
        version: hit.version,
        lastModifiedDate: new Date(hit.modifiedMs),
        arn: hit.arn,
        dataType: hit.dataType,
      };
      if (hit.description !== undefined) parameter.description = hit.description;
      result.push(parameter);
    } else stale.push(m);
  }

  const metadataByName = new Map(stale.map((m) => [m.name, m]));
  const batches = await Promise.all(
    chunks(
      stale.map((m) => m.name),
      GET_PARAMETERS_BATCH,
    ).map((names) => source.getParameters(names, withDecryption)),
  );
  const fresh: CachedParameter[] = [];
  for (const batch of batches) {
    // Names in batch.invalidParameters were deleted since they were listed: they are gone.
    for (const p of batch.parameters) {
      const m = metadataByName.get(p.name);
      const parameter: TreeParameter = { ...p };
      // The listing's description belongs to the listed version; if the parameter changed in
      // between, the description is unknown and the row is not cached (next sync re-reads it).
      if (m && m.version === p.version) {
        if (m.description !== undefined) parameter.description = m.description;
        if (p.type !== "SecureString")
          fresh.push({
            name: p.name,
            version: p.version,
            modifiedMs: m.lastModifiedDate.getTime(),
            type: p.type,
            value: p.value,
            arn: p.arn,
            dataType: p.dataType,
            ...(m.description !== undefined && { description: m.description }),
          });
      }
      result.push(parameter);
    }
  }
  cache?.update(path, fresh, new Set(listed.map((m) => m.name)));
  result.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return {
    parameters: result,
    stats: { listed: listed.length, fromCache: listed.length - stale.length, fetched: stale.length },
  };
}
