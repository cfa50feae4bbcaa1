/**
 * The embedded parameter store: SSM Parameter Store semantics on SQLite. One file holds every
 * environment; each store instance serves one `namespace` (= environment name), like one AWS
 * account per environment.
 *
 * better-sqlite3 is synchronous; methods are async only to satisfy the port. Every write runs in
 * an IMMEDIATE transaction so concurrent processes queue on the write lock instead of failing
 * halfway through an upgrade from a read lock.
 */
import os from "node:os";
import { UserError } from "../../../core/errors.js";
import {
  checkParameterName,
  checkValueSize,
  MAX_LABELS_PER_VERSION,
  MAX_VERSIONS,
  type RuleViolation,
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
  ParameterStoreError,
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

const MAX_TAGS = 50;
const MAX_BATCH = 10;
const BY_PATH_PAGE = 10;
const HISTORY_PAGE = 50;
const DESCRIBE_PAGE = 50;
const DEFAULT_KEY_ID = "alias/aws/ssm";
const DATA_TYPES = ["text", "aws:ec2:image", "aws:ssm:integration"];
/** Data types a parameter can never be changed to or from (SSM's rule). */
const FIXED_DATA_TYPES = ["aws:ec2:image", "aws:ssm:integration"];
/** An AMI id: "ami-" and 8 (older) or 17 hexadecimal digits. */
const AMI_ID = /^ami-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;
const KEY_CHECK = "secret_key_check";

interface VersionRow {
  name: string;
  version: number;
  type: ParameterType;
  value: string | null;
  secret: Buffer | null;
  description: string | null;
  allowed_pattern: string | null;
  tier: "Standard" | "Advanced";
  data_type: string;
  key_id: string | null;
  modified_ms: number;
  modified_user: string;
}

const VERSION_COLUMNS =
  "v.name, v.version, v.type, v.value, v.secret, v.description, v.allowed_pattern, v.tier, v.data_type, v.key_id, v.modified_ms, v.modified_user";

function fail(name: ParameterStoreError["name"], message: string): never {
  throw new ParameterStoreError(name, message);
}

function failWith(violation: RuleViolation | undefined): void {
  if (violation) throw new ParameterStoreError(violation.error, violation.message);
}

function notFound(name: string): ParameterStoreError {
  return new ParameterStoreError("ParameterNotFound", `Parameter ${name} not found.`);
}

/** The exclusive upper bound of a byte-order prefix range: "/a/" → "/a0". */
function prefixEnd(prefix: string): string {
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}

/** `"/a/b"` → `"/a/b/"`; `"/"` stays `"/"`. */
function pathPrefix(path: string): string {
  const trimmed = path.replace(/\/+$/, "");
  return `${trimmed}/`;
}

function isReservedPath(path: string): boolean {
  return typeof path === "string" && /^\/aws(?:\/|$)/i.test(path);
}

function checkPath(path: string): void {
  if (typeof path !== "string" || !path.startsWith("/") || path.length > 2048 || path.includes("//")) {
    fail(
      "ValidationException",
      `The parameter path "${String(path).slice(0, 100)}" doesn't meet the requirements: it must begin with a forward slash "/", have no empty segments, and be at most 2048 characters.`,
    );
  }
  if (path !== "/") failWith(checkParameterName(path.replace(/\/+$/, "")));
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
    this.sql = this.prepareStatements();
  }

  private prepareStatements() {
    const db = this.db;
    return {
      current: db.prepare<[string, string], { version: number }>(
        "SELECT version FROM ps_parameters WHERE namespace = ? AND name = ?",
      ),
      version: db.prepare<[string, string, number], VersionRow>(
        `SELECT ${VERSION_COLUMNS} FROM ps_versions v WHERE v.namespace = ? AND v.name = ? AND v.version = ?`,
      ),
      latest: db.prepare<[string, string], VersionRow>(
        `SELECT ${VERSION_COLUMNS} FROM ps_parameters p JOIN ps_versions v
           ON v.namespace = p.namespace AND v.name = p.name AND v.version = p.version
         WHERE p.namespace = ? AND p.name = ?`,
      ),
      versionCount: db.prepare<[string, string], { n: number; oldest: number }>(
        "SELECT COUNT(*) AS n, MIN(version) AS oldest FROM ps_versions WHERE namespace = ? AND name = ?",
      ),
      insertParameter: db.prepare("INSERT INTO ps_parameters (namespace, name, version) VALUES (?, ?, ?)"),
      updateParameter: db.prepare("UPDATE ps_parameters SET version = ? WHERE namespace = ? AND name = ?"),
      insertVersion: db.prepare(
        `INSERT INTO ps_versions (namespace, name, version, type, value, secret, description, allowed_pattern,
           tier, data_type, key_id, modified_ms, modified_user)
         VALUES (@namespace, @name, @version, @type, @value, @secret, @description, @allowed_pattern,
           @tier, @data_type, @key_id, @modified_ms, @modified_user)`,
      ),
      deleteVersion: db.prepare("DELETE FROM ps_versions WHERE namespace = ? AND name = ? AND version = ?"),
      deleteParameter: db.prepare("DELETE FROM ps_parameters WHERE namespace = ? AND name = ?"),
      labelVersion: db.prepare<[string, string, string], { version: number }>(
        "SELECT version FROM ps_labels WHERE namespace = ? AND name = ? AND label = ?",
      ),
      labelsOf: db.prepare<[string, string, number], { label: string }>(
        "SELECT label FROM ps_labels WHERE namespace = ? AND name = ? AND version = ? ORDER BY label",
      ),
      allLabels: db.prepare<[string, string], { label: string; version: number }>(
        "SELECT label, version FROM ps_labels WHERE namespace = ? AND name = ? ORDER BY version DESC, label",
      ),
      upsertLabel: db.prepare(
        `INSERT INTO ps_labels (namespace, name, label, version) VALUES (?, ?, ?, ?)
         ON CONFLICT (namespace, name, label) DO UPDATE SET version = excluded.version`,
      ),
      deleteLabel: db.prepare(
        "DELETE FROM ps_labels WHERE namespace = ? AND name = ? AND version = ? AND label = ?",
      ),
      tagsOf: db.prepare<[string, string], { key: string; value: string }>(
        "SELECT key, value FROM ps_tags WHERE namespace = ? AND name = ? ORDER BY key",
      ),
      upsertTag: db.prepare(
        `INSERT INTO ps_tags (namespace, name, key, value) VALUES (?, ?, ?, ?)
         ON CONFLICT (namespace, name, key) DO UPDATE SET value = excluded.value`,
      ),
      deleteTag: db.prepare("DELETE FROM ps_tags WHERE namespace = ? AND name = ? AND key = ?"),
      latestInRange: db.prepare<[string, string, string], VersionRow>(
        `SELECT ${VERSION_COLUMNS} FROM ps_parameters p JOIN ps_versions v
           ON v.namespace = p.namespace AND v.name = p.name AND v.version = p.version
         WHERE p.namespace = ? AND p.name > ? AND p.name < ?
         ORDER BY p.name`,
      ),
      history: db.prepare<[string, string, number, number], VersionRow>(
        `SELECT ${VERSION_COLUMNS} FROM ps_versions v
         WHERE v.namespace = ? AND v.name = ? AND v.version > ? ORDER BY v.version LIMIT ?`,
      ),
      getMeta: db.prepare<[string], { value: string }>("SELECT value FROM ps_meta WHERE key = ?"),
      setMeta: db.prepare("INSERT INTO ps_meta (key, value) VALUES (?, ?)"),
    };
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

function safeUserName(): string {
  try {
    return os.userInfo().username.replace(/[^A-Za-z0-9+=,.@_-]/g, "_") || "karma";
  } catch {
    return "karma";
  }
}

function unique(items: readonly string[]): string[] {
  return [...new Set(items)];
}

function checkBatch(names: readonly string[], field: string): void {
  if (names.length < 1 || names.length > MAX_BATCH) {
    fail(
      "ValidationException",
      `1 validation error detected: Value at '${field}' failed to satisfy constraint: Member must have length between 1 and ${MAX_BATCH} (got ${names.length}).`,
    );
  }
}

/**
 * SSM validates `aws:ec2:image` values asynchronously: PutParameter answers 200 and a value that
 * is not an AMI id is then silently not stored. An embedded store has no event channel to report
 * that failure on, so Karma refuses the value at once — the parameter is not created or updated,
 * as in AWS, and the client learns why. (Karma checks the id's format; it cannot check the AMI
 * exists in an account.)
 */
function checkDataType(name: string, value: string, dataType: string, current: string | undefined): void {
  if (
    current !== undefined &&
    current !== dataType &&
    [current, dataType].some((t) => FIXED_DATA_TYPES.includes(t))
  )
    fail(
      "ValidationException",
      `The data type of ${name} can't be changed from ${current} to ${dataType}: aws:ec2:image and aws:ssm:integration parameters keep their data type. Delete the parameter and create it again.`,
    );
  if (dataType === "aws:ec2:image" && !AMI_ID.test(value))
    fail(
      "ValidationException",
      `The value of ${name} is not a valid AMI id for data type aws:ec2:image: expected "ami-" followed by 8 or 17 hexadecimal characters, e.g. ami-12345abcdeEXAMPLE.`,
    );
}

function checkTags(tags: readonly Tag[]): void {
  if (tags.length > MAX_TAGS)
    fail("TooManyTagsError", `At most ${MAX_TAGS} tags are allowed, got ${tags.length}.`);
  for (const tag of tags) {
    if (typeof tag.key !== "string" || tag.key.length < 1 || tag.key.length > 128) {
      fail("ValidationException", `Tag key "${String(tag.key).slice(0, 140)}" must be 1 to 128 characters.`);
    }
    if (typeof tag.value !== "string" || tag.value.length > 256) {
      fail("ValidationException", `Tag value for key "${tag.key}" must be at most 256 characters.`);
    }
  }
}
