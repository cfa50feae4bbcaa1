import { UserError } from "../../../core/errors.js";
import {
  checkParameterName,
  checkValueSize,
  MAX_LABELS_PER_VERSION,
  MAX_VERSIONS,
  STANDARD_VALUE_LIMIT,
  valueSize,
} from "../../../core/parameters/rules.js";
import {
  type DeleteParametersResult,
  type DescribeParametersInput,
  type GetOptions,
  type GetParameterHistoryInput,
  type GetParametersByPathInput,
  type GetParametersResult,
  isParameterStoreError,
  type LabelParameterVersionInput,
  type LabelParameterVersionResult,
  type Page,
  type Parameter,
  type ParameterHistoryEntry,
  type ParameterMetadata,
  type ParameterStore,
  type ParameterTier,
  type ParameterType,
  type PutParameterInput,
  type PutParameterResult,
  type Tag,
  type TreeParameter,
  type UnlabelParameterVersionResult,
} from "../../../ports/parameter-store.js";
import { acquireMigratedDatabase, type DatabaseLease, type Db } from "../../sqlite/database.js";
import type { SecretCipher } from "../secrets.js";
import { checkAllowedPattern } from "./allowed-pattern.js";
import { type FilterSubject, matchesFilters, normalizeFilters } from "./filters.js";
import { checkLabelLengths, isValidLabel, parseSelector, type SelectedName } from "./labels.js";
import { decodeToken, encodeToken, pageSize, queryFingerprint } from "./paging.js";
import { PARAMETER_STORE_MIGRATIONS, PARAMETER_STORE_MODULE } from "./schema.js";
import { prepareStatements, type VersionRow } from "./statements.js";
import {
  BY_PATH_PAGE,
  checkBatch,
  checkDataType,
  checkPath,
  checkTags,
  DATA_TYPES,
  DEFAULT_KEY_ID,
  DESCRIBE_PAGE,
  fail,
  failWith,
  HISTORY_PAGE,
  isReservedPath,
  KEY_CHECK,
  MAX_TAGS,
  notFound,
  pathPrefix,
  prefixEnd,
  safeUserName,
  unique,
} from "./validation.js";

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
  private readonly db: Db;
  private readonly ns: string;
  private readonly secrets: SecretCipher;
  private readonly arnPrefix: string;
  private readonly user: string;
  private readonly now: () => Date;
  private keyChecked = false;
  private closed = false;
  private readonly sql;

  constructor(options: SqliteParameterStoreOptions) {
    this.lease = acquireMigratedDatabase(options.file, PARAMETER_STORE_MODULE, PARAMETER_STORE_MIGRATIONS);
    this.db = this.lease.db;
    this.ns = options.namespace;
    this.secrets = options.secrets;
    const region = options.region ?? "us-east-1";
    const account = options.accountId ?? "000000000000";
    this.arnPrefix = `arn:aws:ssm:${region}:${account}:parameter`;
    this.user = options.user ?? `arn:aws:iam::${account}:user/${safeUserName()}`;
    this.now = options.now ?? (() => new Date());
    this.description = `sqlite ${options.file} (namespace ${options.namespace})`;
    this.sql = prepareStatements(this.db);
  }

  // ---------------------------------------------------------------- writes

  async putParameter(input: PutParameterInput): Promise<PutParameterResult> {
    this.ensureOpen();
    return this.db.transaction(() => this.put(input)).immediate();
  }

  async putParameters(inputs: readonly PutParameterInput[]): Promise<PutParameterResult[]> {
    this.ensureOpen();
    // One transaction: any failure (validation or state, e.g. ParameterAlreadyExists) rolls back
    // every write of the batch.
    return this.db.transaction(() => inputs.map((input) => this.put(input))).immediate();
  }

  private put(input: PutParameterInput): PutParameterResult {
    const { name, value } = input;
    // The /aws hierarchy is AWS's own (public parameters, Secrets Manager references): writing
    // there is an access error in AWS, not a validation error like other reserved prefixes.
    if (/^\/aws/i.test(name) && name.indexOf("/", 1) > 0)
      fail("AccessDeniedException", `No access to reserved parameter name: ${name}.`);
    failWith(checkParameterName(name));
    if (typeof value !== "string" || value.length === 0) {
      fail(
        "ValidationException",
        "1 validation error detected: Value at 'value' failed to satisfy constraint: Member must have length greater than or equal to 1.",
      );
    }
    if (input.overwrite && input.tags !== undefined && input.tags.length > 0) {
      fail(
        "ValidationException",
        "Invalid request: tags and overwrite can't be used together. To create a parameter with tags, please remove overwrite flag. To update tags for an existing parameter, please use AddTagsToResource or RemoveTagsFromResource.",
      );
    }
    if (input.type !== undefined && !["String", "StringList", "SecureString"].includes(input.type)) {
      fail(
        "ValidationException",
        `1 validation error detected: Value '${input.type}' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [SecureString, StringList, String].`,
      );
    }
    if (input.tier !== undefined && !["Standard", "Advanced", "Intelligent-Tiering"].includes(input.tier)) {
      fail(
        "ValidationException",
        `1 validation error detected: Value '${input.tier}' at 'tier' failed to satisfy constraint: Member must satisfy enum value set: [Advanced, Intelligent-Tiering, Standard].`,
      );
    }
    if (input.dataType !== undefined && !DATA_TYPES.includes(input.dataType)) {
      fail(
        "ValidationException",
        `The following data type is not supported: ${input.dataType} (Data type names are all lowercase.)`,
      );
    }
    if (input.description !== undefined && input.description.length > 1024) {
      fail(
        "ValidationException",
        "1 validation error detected: Value at 'description' failed to satisfy constraint: Member must have length less than or equal to 1024.",
      );
    }
    if (input.tags) checkTags(input.tags);

    const existing = this.sql.latest.get(this.ns, name);
    const currentVersion = existing?.version ?? 0;
    if (input.expectedVersion !== undefined && input.expectedVersion !== currentVersion) {
      fail(
        "TooManyUpdates",
        `Parameter ${name} is at version ${currentVersion}, not the expected version ${input.expectedVersion}: it was changed concurrently. Re-read it and retry.`,
      );
    }
    if (existing && !input.overwrite) {
      fail("ParameterAlreadyExists", `The parameter ${name} already exists. To overwrite it, set overwrite.`);
    }
    if (existing && input.type !== undefined && input.type !== existing.type) {
      fail(
        "HierarchyTypeMismatchException",
        `Parameter Store doesn't support changing a parameter type: ${name} is ${existing.type}, not ${input.type}. Delete it and create it again with the new type, or omit the type to keep it.`,
      );
    }
    const type: ParameterType | undefined = input.type ?? existing?.type;
    if (type === undefined) {
      fail("ValidationException", `A parameter type is required when you create a parameter (${name}).`);
    }
    if (input.keyId !== undefined && type !== "SecureString") {
      fail("ValidationException", `KeyId is only allowed for SecureString parameters (${name} is ${type}).`);
    }

    const tier = this.effectiveTier(name, value, input.tier, existing?.tier);
    failWith(checkValueSize(value, tier));

    // Attributes omitted on overwrite carry over from the current version, as in SSM.
    const allowedPattern = input.allowedPattern ?? existing?.allowed_pattern ?? undefined;
    if (allowedPattern !== undefined) checkAllowedPattern(name, value, allowedPattern);
    const description = input.description ?? existing?.description ?? null;
    const dataType = input.dataType ?? existing?.data_type ?? "text";
    checkDataType(name, value, dataType, existing?.data_type);
    const keyId = type === "SecureString" ? (input.keyId ?? existing?.key_id ?? DEFAULT_KEY_ID) : null;

    if (existing) this.makeRoomForVersion(name);
    const version = currentVersion + 1;
    let secret: Buffer | null = null;
    if (type === "SecureString") {
      this.checkSecretKey();
      secret = this.secrets.encrypt(value, this.secretContext(name));
    }
    if (existing) this.sql.updateParameter.run(version, this.ns, name);
    else this.sql.insertParameter.run(this.ns, name, version);
    this.sql.insertVersion.run({
      namespace: this.ns,
      name,
      version,
      type,
      value: type === "SecureString" ? null : value,
      secret,
      description,
      allowed_pattern: allowedPattern ?? null,
      tier,
      data_type: dataType,
      key_id: keyId,
      modified_ms: this.now().getTime(),
      modified_user: this.user,
    });
    if (!existing)
      for (const tag of input.tags ?? []) this.sql.upsertTag.run(this.ns, name, tag.key, tag.value);
    return { version, tier };
  }

  /**
   * Standard unless asked otherwise; Intelligent-Tiering picks Standard when the value fits; an
   * Advanced parameter stays Advanced and can never be downgraded.
   */
  private effectiveTier(
    name: string,
    value: string,
    requested: ParameterTier | undefined,
    current: "Standard" | "Advanced" | undefined,
  ): "Standard" | "Advanced" {
    if (current === "Advanced") {
      if (requested === "Standard") {
        fail(
          "ValidationException",
          `This parameter (${name}) uses the advanced-parameter tier. You can't downgrade a parameter from the advanced-parameter tier to the standard-parameter tier. If necessary, you can delete the advanced parameter and recreate it as a standard parameter.`,
        );
      }
      return "Advanced";
    }
    if (requested === "Advanced") return "Advanced";
    if (requested === "Intelligent-Tiering")
      return valueSize(value) > STANDARD_VALUE_LIMIT ? "Advanced" : "Standard";
    return "Standard";
  }

  /** At 100 versions the oldest goes — unless it carries a label, which SSM refuses to drop. */
  private makeRoomForVersion(name: string): void {
    const { n, oldest } = this.sql.versionCount.get(this.ns, name)!;
    if (n < MAX_VERSIONS) return;
    if (this.sql.labelsOf.all(this.ns, name, oldest).length > 0) {
      fail(
        "ParameterMaxVersionLimitExceeded",
        `You attempted to create a new version of ${name} by calling the PutParameter API with the overwrite flag. Version ${oldest}, the oldest version, can't be deleted because it has a label associated with it. Move the label to another version of the parameter, and try again.`,
      );
    }
    this.sql.deleteVersion.run(this.ns, name, oldest);
  }

  async deleteParameter(name: string): Promise<void> {
    this.ensureOpen();
    const changes = this.db
      .transaction(() => this.sql.deleteParameter.run(this.ns, name).changes)
      .immediate();
    if (changes === 0) throw notFound(name);
  }

  async deleteParameters(names: readonly string[]): Promise<DeleteParametersResult> {
    this.ensureOpen();
    checkBatch(names, "names");
    return this.db
      .transaction(() => {
        const deletedParameters: string[] = [];
        const invalidParameters: string[] = [];
        for (const name of unique(names)) {
          if (this.sql.deleteParameter.run(this.ns, name).changes > 0) deletedParameters.push(name);
          else invalidParameters.push(name);
        }
        return { deletedParameters, invalidParameters };
      })
      .immediate();
  }

  async labelParameterVersion(input: LabelParameterVersionInput): Promise<LabelParameterVersionResult> {
    this.ensureOpen();
    checkLabelLengths(input.labels);
    return this.db
      .transaction(() => {
        const version = this.resolveVersion(input.name, input.version);
        const invalidLabels = input.labels.filter((l) => !isValidLabel(l));
        const valid = unique(input.labels.filter(isValidLabel));
        const present = new Set(this.sql.labelsOf.all(this.ns, input.name, version).map((r) => r.label));
        const added = valid.filter((l) => !present.has(l));
        if (present.size + added.length > MAX_LABELS_PER_VERSION) {
          fail(
            "ParameterVersionLabelLimitExceeded",
            `A parameter version can have maximum ${MAX_LABELS_PER_VERSION} labels. Version ${version} of ${input.name} has ${present.size}; move one or more labels to another version and try again.`,
          );
        }
        // The upsert moves a label that is attached to another version of the parameter.
        for (const label of added) this.sql.upsertLabel.run(this.ns, input.name, label, version);
        return { invalidLabels, parameterVersion: version };
      })
      .immediate();
  }

  async unlabelParameterVersion(input: {
    name: string;
    version: number;
    labels: string[];
  }): Promise<UnlabelParameterVersionResult> {
    this.ensureOpen();
    checkLabelLengths(input.labels);
    return this.db
      .transaction(() => {
        const version = this.resolveVersion(input.name, input.version);
        const removedLabels: string[] = [];
        const invalidLabels: string[] = [];
        for (const label of unique(input.labels)) {
          if (this.sql.deleteLabel.run(this.ns, input.name, version, label).changes > 0)
            removedLabels.push(label);
          else invalidLabels.push(label);
        }
        return { removedLabels, invalidLabels };
      })
      .immediate();
  }

  /** The given version (or the latest), checking the parameter and version exist. */
  private resolveVersion(name: string, version: number | undefined): number {
    const current = this.sql.current.get(this.ns, name);
    if (!current) throw notFound(name);
    if (version === undefined) return current.version;
    if (!this.sql.version.get(this.ns, name, version)) {
      fail(
        "ParameterVersionNotFound",
        `Systems Manager could not find version ${version} of ${name}. Verify the version and try again.`,
      );
    }
    return version;
  }

  async addTagsToResource(name: string, tags: readonly Tag[]): Promise<void> {
    this.ensureOpen();
    checkTags(tags);
    this.db
      .transaction(() => {
        this.requireResource(name);
        for (const tag of tags) this.sql.upsertTag.run(this.ns, name, tag.key, tag.value);
        const count = this.sql.tagsOf.all(this.ns, name).length;
        if (count > MAX_TAGS) {
          fail(
            "TooManyTagsError",
            `The resource ${name} would have ${count} tags; the limit is ${MAX_TAGS}.`,
          );
        }
      })
      .immediate();
  }

  async listTagsForResource(name: string): Promise<Tag[]> {
    this.ensureOpen();
    this.requireResource(name);
    return this.sql.tagsOf.all(this.ns, name).map((r) => ({ key: r.key, value: r.value }));
  }

  async removeTagsFromResource(name: string, keys: readonly string[]): Promise<void> {
    this.ensureOpen();
    this.db
      .transaction(() => {
        this.requireResource(name);
        for (const key of keys) this.sql.deleteTag.run(this.ns, name, key);
      })
      .immediate();
  }

  private requireResource(name: string): void {
    if (!this.sql.current.get(this.ns, name)) {
      fail("InvalidResourceId", `The resource ID "${name}" is not valid. Verify the ID and try again.`);
    }
  }

  // ---------------------------------------------------------------- reads

  async getParameter(name: string, options?: GetOptions): Promise<Parameter> {
    this.ensureOpen();
    const selected = this.parseNameOrArn(name);
    return this.toParameter(this.select(selected), options, selected.text);
  }

  /**
   * `name`, `name:selector`, or the parameter's ARN (optionally with a selector), which AWS
   * accepts wherever a parameter is read by name. An ARN of another account or region names
   * nothing here (shared parameters do not exist in an embedded store).
   */
  private parseNameOrArn(raw: string): SelectedName {
    if (!raw.startsWith("arn:")) return parseSelector(raw);
    const arnPrefix = `${this.arnPrefix}/`;
    if (!raw.startsWith(arnPrefix)) throw notFound(raw);
    const selected = parseSelector(raw.slice(arnPrefix.length - 1));
    // "parameter/x" is the ARN of both "/x" and "x"; a hierarchical name always begins with "/".
    const bare = selected.name.slice(1);
    if (
      !bare.includes("/") &&
      !this.sql.current.get(this.ns, selected.name) &&
      this.sql.current.get(this.ns, bare)
    )
      return { ...selected, name: bare };
    return selected;
  }

  /** The version a (possibly selector-qualified) name designates. */
  private select({ name, selector }: SelectedName): VersionRow {
    if (selector.kind === "latest") {
      const row = this.sql.latest.get(this.ns, name);
      if (!row) throw notFound(name);
      return row;
    }
    if (!this.sql.current.get(this.ns, name)) throw notFound(name);
    const version =
      selector.kind === "version"
        ? selector.version
        : this.sql.labelVersion.get(this.ns, name, selector.label)?.version;
    const row = version === undefined ? undefined : this.sql.version.get(this.ns, name, version);
    if (!row) {
      const what = selector.kind === "version" ? `version ${selector.version}` : `label ${selector.label}`;
      fail(
        "ParameterVersionNotFound",
        `Systems Manager could not find ${what} of ${name}. Verify the version and try again.`,
      );
    }
    return row;
  }

  async getParameters(names: readonly string[], options?: GetOptions): Promise<GetParametersResult> {
    this.ensureOpen();
    checkBatch(names, "names");
    const parameters: Parameter[] = [];
    const invalidParameters: string[] = [];
    this.db.transaction(() => {
      for (const raw of unique(names)) {
        try {
          const selected = this.parseNameOrArn(raw);
          parameters.push(this.toParameter(this.select(selected), options, selected.text));
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

  async getParametersByPath(input: GetParametersByPathInput): Promise<Page<Parameter>> {
    this.ensureOpen();
    // AWS's public parameters (/aws/service/…) and references (/aws/reference/…) live under the
    // reserved /aws prefix, where no parameter can be created. Karma serves none of them: it
    // answers as AWS does for a path with nothing under it.
    if (isReservedPath(input.path)) return { items: [] };
    checkPath(input.path);
    const limit = pageSize(input.maxResults, BY_PATH_PAGE);
    const filters = normalizeFilters(input.parameterFilters, "by-path");
    const recursive = input.recursive === true;
    const fingerprint = queryFingerprint("GetParametersByPath", [this.ns, input.path, recursive, filters]);
    const after = decodeToken(input.nextToken, fingerprint);
    const prefix = pathPrefix(input.path);
    const labelFilter = filters.find((f) => f.key === "Label");
    const otherFilters = filters.filter((f) => f !== labelFilter);

    const items: Parameter[] = [];
    let nextToken: string | undefined;
    const lower = typeof after === "string" && after >= prefix ? after : prefix;
    this.db.transaction(() => {
      for (const latest of this.sql.latestInRange.iterate(this.ns, lower, prefixEnd(prefix))) {
        if (!recursive && latest.name.slice(prefix.length).includes("/")) continue;
        const row = labelFilter ? this.labelledVersion(latest.name, labelFilter.values) : latest;
        if (!row || !matchesFilters(this.subject(row), otherFilters)) continue;
        if (items.length === limit) {
          nextToken = encodeToken(fingerprint, items[items.length - 1]!.name);
          break;
        }
        items.push(this.toParameter(row, input));
      }
    })();
    return nextToken === undefined ? { items } : { items, nextToken };
  }

  /** With a Label filter, GetParametersByPath returns the version carrying the label. */
  private labelledVersion(name: string, labels: readonly string[]): VersionRow | undefined {
    const hit = this.sql.allLabels.all(this.ns, name).find((r) => labels.includes(r.label));
    return hit ? this.sql.version.get(this.ns, name, hit.version) : undefined;
  }

  async getParameterHistory(input: GetParameterHistoryInput): Promise<Page<ParameterHistoryEntry>> {
    this.ensureOpen();
    if (input.name.startsWith("arn:")) {
      const selected = this.parseNameOrArn(input.name);
      if (selected.selector.kind !== "latest") throw notFound(input.name);
      input = { ...input, name: selected.name };
    }
    const limit = pageSize(input.maxResults, HISTORY_PAGE);
    const fingerprint = queryFingerprint("GetParameterHistory", [this.ns, input.name]);
    const after = decodeToken(input.nextToken, fingerprint);
    return this.db.transaction(() => {
      if (!this.sql.current.get(this.ns, input.name)) throw notFound(input.name);
      const rows = this.sql.history.all(
        this.ns,
        input.name,
        typeof after === "number" ? after : 0,
        limit + 1,
      );
      const page = rows.slice(0, limit);
      const items = page.map((row) => ({
        ...this.toMetadataFields(row),
        value: this.valueOf(row, input.withDecryption === true),
        labels: this.sql.labelsOf.all(this.ns, row.name, row.version).map((r) => r.label),
      }));
      return rows.length > limit
        ? { items, nextToken: encodeToken(fingerprint, page[page.length - 1]!.version) }
        : { items };
    })();
  }

  async describeParameters(input: DescribeParametersInput = {}): Promise<Page<ParameterMetadata>> {
    this.ensureOpen();
    const limit = pageSize(input.maxResults, DESCRIBE_PAGE);
    const filters = normalizeFilters(input.parameterFilters, "describe");
    const fingerprint = queryFingerprint("DescribeParameters", [this.ns, filters]);
    const after = decodeToken(input.nextToken, fingerprint);
    const items: ParameterMetadata[] = [];
    let nextToken: string | undefined;
    this.db.transaction(() => {
      // Every name sorts after "" and before U+FFFF; names are ASCII.
      const lower = typeof after === "string" ? after : "";
      for (const row of this.sql.latestInRange.iterate(this.ns, lower, "\uffff")) {
        if (!matchesFilters(this.subject(row), filters)) continue;
        if (items.length === limit) {
          nextToken = encodeToken(fingerprint, items[items.length - 1]!.name);
          break;
        }
        items.push({ ...this.toMetadataFields(row), arn: this.arn(row.name) });
      }
    })();
    return nextToken === undefined ? { items } : { items, nextToken };
  }

  async readTree(path: string, options?: GetOptions): Promise<TreeParameter[]> {
    this.ensureOpen();
    checkPath(path);
    const prefix = pathPrefix(path);
    return this.sql.latestInRange.all(this.ns, prefix, prefixEnd(prefix)).map((row) => {
      const parameter: TreeParameter = this.toParameter(row, options);
      if (row.description !== null) parameter.description = row.description;
      return parameter;
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.lease.release();
  }

  // ---------------------------------------------------------------- helpers

  private ensureOpen(): void {
    if (this.closed) throw new Error("parameter store is closed");
  }

  private subject(row: VersionRow): FilterSubject {
    return {
      name: row.name,
      type: row.type,
      keyId: row.key_id ?? undefined,
      tier: row.tier,
      dataType: row.data_type,
      labels: () => this.sql.labelsOf.all(this.ns, row.name, row.version).map((r) => r.label),
      tags: () => new Map(this.sql.tagsOf.all(this.ns, row.name).map((r) => [r.key, r.value])),
    };
  }

  private toParameter(row: VersionRow, options: GetOptions | undefined, selector?: string): Parameter {
    const parameter: Parameter = {
      name: row.name,
      type: row.type,
      value: this.valueOf(row, options?.withDecryption === true),
      version: row.version,
      lastModifiedDate: new Date(row.modified_ms),
      arn: this.arn(row.name),
      dataType: row.data_type,
    };
    if (selector !== undefined) parameter.selector = selector;
    return parameter;
  }

  private toMetadataFields(row: VersionRow): Omit<ParameterMetadata, "arn"> {
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

  /**
   * Plaintext for String/StringList. For SecureString: the decrypted value only when asked,
   * otherwise the ciphertext envelope in base64 — opaque like SSM's KMS blob, never the plaintext.
   */
  private valueOf(row: VersionRow, withDecryption: boolean): string {
    if (row.type !== "SecureString") return row.value ?? "";
    if (!withDecryption) return row.secret!.toString("base64");
    this.checkSecretKey();
    return this.secrets.decrypt(row.secret!, this.secretContext(row.name));
  }

  private secretContext(name: string): string {
    return `karma/parameter-store\0${this.ns}\0${name}`;
  }

  /** Refuses to mix keys in one file: the first SecureString pins the key's fingerprint. */
  private checkSecretKey(): void {
    if (this.keyChecked) return;
    const check = this.secrets.keyCheck();
    const stored = this.sql.getMeta.get(KEY_CHECK)?.value;
    if (stored === undefined) this.sql.setMeta.run(KEY_CHECK, check);
    else if (stored !== check) {
      throw new UserError(
        `The secret key in use is not the one this store's SecureStrings were encrypted with (key check ${check}, store expects ${stored}).`,
        "Point KARMA_SECRET_KEY_FILE at the original key file (or set KARMA_SECRET_KEY, or restore secret.key in the state directory).",
      );
    }
    this.keyChecked = true;
  }

  private arn(name: string): string {
    return `${this.arnPrefix}${name.startsWith("/") ? name : `/${name}`}`;
  }
}
