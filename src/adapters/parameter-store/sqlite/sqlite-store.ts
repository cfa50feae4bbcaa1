/**
 * The embedded parameter store: SSM Parameter Store's semantics over one namespace of a shared
 * SQLite file. This class opens the file and hands each operation to the module that owns it:
 * `writes.ts` (put, delete), `version-labels.ts`, `tags.ts`, `reads.ts`, `history.ts`.
 */
import type {
  DeleteParametersResult,
  DescribeParametersInput,
  GetOptions,
  GetParameterHistoryInput,
  GetParametersByPathInput,
  GetParametersResult,
  LabelParameterVersionInput,
  LabelParameterVersionResult,
  Page,
  Parameter,
  ParameterHistoryEntry,
  ParameterMetadata,
  ParameterStore,
  PutParameterInput,
  PutParameterResult,
  Tag,
  TreeParameter,
  UnlabelParameterVersionResult,
} from "../../../ports/parameter-store.js";
import { acquireMigratedDatabase, type DatabaseLease } from "../../sqlite/database.js";
import type { SecretCipher } from "../secrets.js";
import { getParameterHistory } from "./history.js";
import { describeParameters, getParameter, getParameters, getParametersByPath, readTree } from "./reads.js";
import { PARAMETER_STORE_MIGRATIONS, PARAMETER_STORE_MODULE } from "./schema.js";
import { SecureValues } from "./secure-values.js";
import { prepareStatements } from "./statements.js";
import type { StoreContext } from "./store-context.js";
import { addTagsToResource, listTagsForResource, removeTagsFromResource } from "./tags.js";
import { safeUserName } from "./validation.js";
import { labelParameterVersion, unlabelParameterVersion } from "./version-labels.js";
import { deleteParameter, deleteParameters, putParameter, putParameters } from "./writes.js";

export interface SqliteParameterStoreOptions {
  /** The SQLite file (shared with other embedded adapters). */
  file: string;
  /** The environment this store serves. */
  namespace: string;
  /** Encrypts SecureString values at rest. */
  secrets: SecretCipher;
  /** Used in ARNs. Default "us-east-1". */
  region?: string;
  /** Used in ARNs and LastModifiedUser. Default "000000000000". */
  accountId?: string;
  /** LastModifiedUser. Default an IAM-user-shaped ARN with the OS user name. */
  user?: string;
  /** Clock, for tests. */
  now?: () => Date;
}

export class SqliteParameterStore implements ParameterStore {
  readonly description: string;
  private readonly lease: DatabaseLease;
  private readonly ctx: StoreContext;
  private closed = false;

  constructor(options: SqliteParameterStoreOptions) {
    this.lease = acquireMigratedDatabase(options.file, PARAMETER_STORE_MODULE, PARAMETER_STORE_MIGRATIONS);
    const db = this.lease.db;
    const ns = options.namespace;
    const sql = prepareStatements(db);
    const region = options.region ?? "us-east-1";
    const account = options.accountId ?? "000000000000";
    this.ctx = {
      db,
      sql,
      ns,
      arnPrefix: `arn:aws:ssm:${region}:${account}:parameter`,
      user: options.user ?? `arn:aws:iam::${account}:user/${safeUserName()}`,
      now: options.now ?? (() => new Date()),
      secure: new SecureValues(options.secrets, sql, ns),
    };
    this.description = `sqlite ${options.file} (namespace ${options.namespace})`;
  }

  // ---------------------------------------------------------------- writes

  async putParameter(input: PutParameterInput): Promise<PutParameterResult> {
    return putParameter(this.open(), input);
  }

  async putParameters(inputs: readonly PutParameterInput[]): Promise<PutParameterResult[]> {
    return putParameters(this.open(), inputs);
  }

  async deleteParameter(name: string): Promise<void> {
    deleteParameter(this.open(), name);
  }

  async deleteParameters(names: readonly string[]): Promise<DeleteParametersResult> {
    return deleteParameters(this.open(), names);
  }

  async labelParameterVersion(input: LabelParameterVersionInput): Promise<LabelParameterVersionResult> {
    return labelParameterVersion(this.open(), input);
  }

  async unlabelParameterVersion(input: {
    name: string;
    version: number;
    labels: string[];
  }): Promise<UnlabelParameterVersionResult> {
    return unlabelParameterVersion(this.open(), input);
  }

  async addTagsToResource(name: string, tags: readonly Tag[]): Promise<void> {
    addTagsToResource(this.open(), name, tags);
  }

  async listTagsForResource(name: string): Promise<Tag[]> {
    return listTagsForResource(this.open(), name);
  }

  async removeTagsFromResource(name: string, keys: readonly string[]): Promise<void> {
    removeTagsFromResource(this.open(), name, keys);
  }

  // ---------------------------------------------------------------- reads

  async getParameter(name: string, options?: GetOptions): Promise<Parameter> {
    return getParameter(this.open(), name, options);
  }

  async getParameters(names: readonly string[], options?: GetOptions): Promise<GetParametersResult> {
    return getParameters(this.open(), names, options);
  }

  async getParametersByPath(input: GetParametersByPathInput): Promise<Page<Parameter>> {
    return getParametersByPath(this.open(), input);
  }

  async getParameterHistory(input: GetParameterHistoryInput): Promise<Page<ParameterHistoryEntry>> {
    return getParameterHistory(this.open(), input);
  }

  async describeParameters(input: DescribeParametersInput = {}): Promise<Page<ParameterMetadata>> {
    return describeParameters(this.open(), input);
  }

  async readTree(path: string, options?: GetOptions): Promise<TreeParameter[]> {
    return readTree(this.open(), path, options);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.lease.release();
  }

  /** The store's context, unless it was closed. */
  private open(): StoreContext {
    if (this.closed) throw new Error("parameter store is closed");
    return this.ctx;
  }
}
