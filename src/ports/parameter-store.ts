/**
 * The parameter store port: AWS SSM Parameter Store semantics, whatever the backend
 * (embedded SQLite, the real SSM API, or any SSM-compatible server). Field names follow SSM's
 * API in camelCase so that mapping to and from the wire protocol is mechanical.
 *
 * Every implementation must pass the contract suite in `adapters/parameter-store/contract.ts`.
 */

import type {
  Parameter,
  ParameterStoreErrorName,
  ParameterTier,
  ParameterType,
  TreeParameter,
} from "../core/parameters/model.js";

export type {
  Parameter,
  ParameterStoreErrorName,
  ParameterTier,
  ParameterType,
  TreeParameter,
} from "../core/parameters/model.js";

export class ParameterStoreError extends Error {
  constructor(
    override readonly name: ParameterStoreErrorName,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isParameterStoreError(e: unknown, name?: ParameterStoreErrorName): e is ParameterStoreError {
  return e instanceof ParameterStoreError && (name === undefined || e.name === name);
}

export interface Tag {
  key: string;
  value: string;
}

/** Metadata as returned by DescribeParameters (no value). */
export interface ParameterMetadata {
  name: string;
  type: ParameterType;
  version: number;
  lastModifiedDate: Date;
  lastModifiedUser: string;
  description?: string;
  allowedPattern?: string;
  tier: ParameterTier;
  dataType: string;
  keyId?: string;
  arn: string;
}

/** One version as returned by GetParameterHistory. */
export interface ParameterHistoryEntry {
  name: string;
  type: ParameterType;
  value: string;
  version: number;
  labels: string[];
  lastModifiedDate: Date;
  lastModifiedUser: string;
  description?: string;
  allowedPattern?: string;
  tier: ParameterTier;
  dataType: string;
  keyId?: string;
}

export interface PutParameterInput {
  name: string;
  value: string;
  /** Required when creating; when overwriting, omitted means "keep the current type". */
  type?: ParameterType;
  description?: string;
  overwrite?: boolean;
  tier?: ParameterTier;
  allowedPattern?: string;
  keyId?: string;
  dataType?: string;
  /** Only valid when creating (SSM rejects tags together with overwrite). */
  tags?: Tag[];
  /**
   * Karma extension (optimistic concurrency): the put fails with `TooManyUpdates` unless the
   * parameter's current version is exactly this (0 = must not exist yet). Not sent to SSM.
   */
  expectedVersion?: number;
}

export interface PutParameterResult {
  version: number;
  tier: ParameterTier;
}

export interface GetOptions {
  withDecryption?: boolean;
}

export interface GetParametersResult {
  parameters: Parameter[];
  /** Names (with their selectors) that do not exist, in request order. */
  invalidParameters: string[];
}

export interface ParameterFilter {
  /** "Name" | "Path" | "Type" | "KeyId" | "Label" | "Tier" | "DataType" | "tag:<key>" */
  key: string;
  /** "Equals" | "BeginsWith" | "Recursive" | "OneLevel" (Path) | "Contains" */
  option?: string;
  values?: string[];
}

export interface GetParametersByPathInput extends GetOptions {
  path: string;
  recursive?: boolean;
  parameterFilters?: ParameterFilter[];
  /** 1..10, default 10. */
  maxResults?: number;
  nextToken?: string;
}

export interface Page<T> {
  items: T[];
  nextToken?: string;
}

/** Every item of a paged read, in page order: `read` is called with each NextToken until a page has none. */
export async function allPages<T>(read: (nextToken: string | undefined) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = [];
  let nextToken: string | undefined;
  do {
    const page = await read(nextToken);
    items.push(...page.items);
    nextToken = page.nextToken;
  } while (nextToken);
  return items;
}

export interface GetParameterHistoryInput extends GetOptions {
  name: string;
  /** 1..50, default 50. */
  maxResults?: number;
  nextToken?: string;
}

export interface DescribeParametersInput {
  parameterFilters?: ParameterFilter[];
  /** 1..50, default 50. */
  maxResults?: number;
  nextToken?: string;
}

export interface LabelParameterVersionInput {
  name: string;
  /** Defaults to the latest version. */
  version?: number;
  labels: string[];
}

export interface LabelParameterVersionResult {
  invalidLabels: string[];
  parameterVersion: number;
}

export interface UnlabelParameterVersionResult {
  removedLabels: string[];
  invalidLabels: string[];
}

export interface DeleteParametersResult {
  deletedParameters: string[];
  invalidParameters: string[];
}

export interface ParameterStore {
  /** Short description for humans, e.g. "sqlite .karma/karma.db" or "ssm us-east-1". */
  readonly description: string;

  putParameter(input: PutParameterInput): Promise<PutParameterResult>;
  /** `name` may carry a selector: `name:3` or `name:label`. */
  getParameter(name: string, options?: GetOptions): Promise<Parameter>;
  /** At most 10 names (ValidationException otherwise). */
  getParameters(names: readonly string[], options?: GetOptions): Promise<GetParametersResult>;
  getParametersByPath(input: GetParametersByPathInput): Promise<Page<Parameter>>;
  getParameterHistory(input: GetParameterHistoryInput): Promise<Page<ParameterHistoryEntry>>;
  describeParameters(input?: DescribeParametersInput): Promise<Page<ParameterMetadata>>;
  deleteParameter(name: string): Promise<void>;
  /** At most 10 names. */
  deleteParameters(names: readonly string[]): Promise<DeleteParametersResult>;
  labelParameterVersion(input: LabelParameterVersionInput): Promise<LabelParameterVersionResult>;
  unlabelParameterVersion(input: {
    name: string;
    version: number;
    labels: string[];
  }): Promise<UnlabelParameterVersionResult>;
  addTagsToResource(name: string, tags: readonly Tag[]): Promise<void>;
  listTagsForResource(name: string): Promise<Tag[]>;
  removeTagsFromResource(name: string, keys: readonly string[]): Promise<void>;

  /**
   * Karma extension: the latest version of every parameter under `path` (recursive), sorted by
   * name. Embedded: one query. SSM: incremental sync (metadata first, values only for what
   * changed since the local cache, GetParameters in batches of 10).
   */
  readTree(path: string, options?: GetOptions): Promise<TreeParameter[]>;

  /**
   * Karma extension: write several parameters. All inputs are validated before anything is
   * written. Embedded: one transaction, all or nothing. SSM: sequential with bounded
   * concurrency — not atomic; the first failure stops further writes and is thrown.
   */
  putParameters(inputs: readonly PutParameterInput[]): Promise<PutParameterResult[]>;

  close(): Promise<void>;
}
