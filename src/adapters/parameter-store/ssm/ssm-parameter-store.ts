/**
 * `ParameterStore` over AWS Systems Manager Parameter Store with the AWS SDK v3 — or over any
 * SSM-compatible endpoint (`karma serve`, moto). Every call goes through one concurrency limit
 * and retries ThrottlingException with jittered backoff; `readTree` is an incremental sync
 * against a cache in the embedded database.
 */
import {
  AddTagsToResourceCommand,
  DeleteParameterCommand,
  DeleteParametersCommand,
  DescribeParametersCommand,
  GetParameterCommand,
  GetParameterHistoryCommand,
  GetParametersByPathCommand,
  GetParametersCommand,
  LabelParameterVersionCommand,
  ListTagsForResourceCommand,
  PutParameterCommand,
  RemoveTagsFromResourceCommand,
  SSMClient,
  type SSMClientConfig,
  UnlabelParameterVersionCommand,
} from "@aws-sdk/client-ssm";
import { checkParameterName, checkValueSize } from "../../../core/parameters/rules.js";
import {
  type DeleteParametersResult,
  type DescribeParametersInput,
  type GetOptions,
  type GetParameterHistoryInput,
  type GetParametersByPathInput,
  type GetParametersResult,
  type LabelParameterVersionInput,
  type LabelParameterVersionResult,
  type Page,
  type Parameter,
  type ParameterHistoryEntry,
  type ParameterMetadata,
  type ParameterStore,
  ParameterStoreError,
  type PutParameterInput,
  type PutParameterResult,
  type Tag,
  type TreeParameter,
  type UnlabelParameterVersionResult,
} from "../../../ports/parameter-store.js";
import { ConcurrencyLimit } from "./concurrency-limit.js";
import { toStoreError } from "./error-mapping.js";
import { DESCRIBE_PAGE_SIZE, type SyncStats, syncTree } from "./incremental-sync.js";
import { fromSdkHistory, fromSdkMetadata, fromSdkParameter, toSdkFilters } from "./sdk-shapes.js";
import { SyncCache } from "./sync-cache.js";

// The SDK warns on every client creation on Node 20; Karma supports Node 20 deliberately.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

export const DEFAULT_CONCURRENCY = 4;

/**
 * How the SDK retries: `standard` (exponential backoff with jitter and a retry quota) or
 * `adaptive` (standard plus client-side rate limiting once throttled), `maxAttempts` counting
 * the first.
 */
export interface RetryPolicy {
  mode: "standard" | "adaptive";
  maxAttempts: number;
}

export const DEFAULT_RETRY: RetryPolicy = { mode: "standard", maxAttempts: 8 };

export interface SsmParameterStoreOptions {
  region?: string;
  /** Named profile from ~/.aws/config and ~/.aws/credentials. */
  profile?: string;
  /** e.g. `http://127.0.0.1:4510` for `karma serve`, or a moto server. */
  endpoint?: string;
  /** Static credentials; default: the SDK's default provider chain. */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Max SSM calls in flight. Default 4. */
  concurrency?: number;
  /** The SDK's own retry (throttling, 5xx, network errors); default {@link DEFAULT_RETRY}. */
  retry?: RetryPolicy;
  /** Embedded database holding the incremental-sync cache; without it every readTree fetches all values. */
  cacheDatabase?: string;
  /** Identifies this store's rows in the cache (environment + endpoint + region + profile). */
  cacheScope?: string;
  /** A ready client (tests, custom middleware). Overrides region/profile/endpoint/credentials. */
  client?: SSMClient;
}

function clientConfig(options: SsmParameterStoreOptions): SSMClientConfig {
  const region =
    options.region ??
    process.env.AWS_REGION ??
    process.env.AWS_DEFAULT_REGION ??
    // A local endpoint does not care about regions, but the SDK insists on one.
    (options.endpoint && !options.profile ? "us-east-1" : undefined);
  return {
    ...(region !== undefined && { region }),
    ...(options.profile !== undefined && { profile: options.profile }),
    ...(options.endpoint !== undefined && { endpoint: options.endpoint }),
    ...(options.credentials !== undefined && { credentials: options.credentials }),
    retryMode: (options.retry ?? DEFAULT_RETRY).mode,
    maxAttempts: (options.retry ?? DEFAULT_RETRY).maxAttempts,
  };
}

function putCommandInput(input: PutParameterInput) {
  return {
    Name: input.name,
    Value: input.value,
    Type: input.type,
    Description: input.description,
    Overwrite: input.overwrite,
    Tier: input.tier,
    AllowedPattern: input.allowedPattern,
    KeyId: input.keyId,
    DataType: input.dataType,
    Tags: input.tags?.map((t) => ({ Key: t.key, Value: t.value })),
  };
}

export class SsmParameterStore implements ParameterStore {
  readonly description: string;
  private readonly client: SSMClient;
  private readonly limit: ConcurrencyLimit;
  private readonly cache: SyncCache | undefined;
  private readonly where: string;
  /** Counts of the last `readTree` (for diagnostics and the benchmark). */
  lastSyncStats: SyncStats | undefined;

  constructor(options: SsmParameterStoreOptions = {}) {
    this.client = options.client ?? new SSMClient(clientConfig(options));
    this.limit = new ConcurrencyLimit(options.concurrency ?? DEFAULT_CONCURRENCY);
    this.where = options.endpoint
      ? `SSM endpoint ${options.endpoint}`
      : `AWS SSM${options.region ? ` ${options.region}` : ""}`;
    this.description = options.endpoint
      ? `ssm ${options.endpoint}`
      : `ssm ${options.region ?? "(default region)"}${options.profile ? ` profile ${options.profile}` : ""}`;
    this.cache = options.cacheDatabase
      ? new SyncCache(
          options.cacheDatabase,
          options.cacheScope ??
            [options.endpoint ?? "aws", options.region ?? "", options.profile ?? ""].join("|"),
        )
      : undefined;
  }

  /** One SDK call: bounded concurrency (the SDK retries), errors mapped to the port's names. */
  private async call<T>(send: () => Promise<T>): Promise<T> {
    try {
      return await this.limit.run(send);
    } catch (error) {
      throw toStoreError(error, this.where);
    }
  }

  async putParameter(input: PutParameterInput): Promise<PutParameterResult> {
    if (input.expectedVersion !== undefined) await this.checkExpectedVersion(input);
    const out = await this.call(() => this.client.send(new PutParameterCommand(putCommandInput(input))));
    return { version: out.Version ?? 0, tier: (out.Tier ?? "Standard") as PutParameterResult["tier"] };
  }

  /**
   * SSM has no conditional put; Karma checks the current version first. This narrows the race
   * but cannot close it — two writers between the check and the put both succeed.
   */
  private async checkExpectedVersion(input: PutParameterInput): Promise<void> {
    let current = 0;
    try {
      current = (await this.getParameter(input.name)).version;
    } catch (error) {
      if (!(error instanceof ParameterStoreError && error.name === "ParameterNotFound")) throw error;
    }
    if (current !== input.expectedVersion)
      throw new ParameterStoreError(
        "TooManyUpdates",
        `Parameter ${input.name} is at version ${current}, expected ${input.expectedVersion}: it was changed concurrently.`,
      );
  }

  async getParameter(name: string, options: GetOptions = {}): Promise<Parameter> {
    const out = await this.call(() =>
      this.client.send(
        new GetParameterCommand({ Name: name, WithDecryption: options.withDecryption ?? false }),
      ),
    );
    if (!out.Parameter) throw new ParameterStoreError("ParameterNotFound", `Parameter ${name} not found.`);
    return fromSdkParameter(out.Parameter);
  }

  async getParameters(names: readonly string[], options: GetOptions = {}): Promise<GetParametersResult> {
    const out = await this.call(() =>
      this.client.send(
        new GetParametersCommand({ Names: [...names], WithDecryption: options.withDecryption ?? false }),
      ),
    );
    return {
      parameters: (out.Parameters ?? []).map(fromSdkParameter),
      invalidParameters: out.InvalidParameters ?? [],
    };
  }

  async getParametersByPath(input: GetParametersByPathInput): Promise<Page<Parameter>> {
    const out = await this.call(() =>
      this.client.send(
        new GetParametersByPathCommand({
          Path: input.path,
          Recursive: input.recursive,
          ParameterFilters: toSdkFilters(input.parameterFilters),
          WithDecryption: input.withDecryption ?? false,
          MaxResults: input.maxResults,
          NextToken: input.nextToken,
        }),
      ),
    );
    return page((out.Parameters ?? []).map(fromSdkParameter), out.NextToken);
  }

  async getParameterHistory(input: GetParameterHistoryInput): Promise<Page<ParameterHistoryEntry>> {
    const out = await this.call(() =>
      this.client.send(
        new GetParameterHistoryCommand({
          Name: input.name,
          WithDecryption: input.withDecryption ?? false,
          MaxResults: input.maxResults,
          NextToken: input.nextToken,
        }),
      ),
    );
    return page((out.Parameters ?? []).map(fromSdkHistory), out.NextToken);
  }

  async describeParameters(input: DescribeParametersInput = {}): Promise<Page<ParameterMetadata>> {
    const out = await this.call(() =>
      this.client.send(
        new DescribeParametersCommand({
          ParameterFilters: toSdkFilters(input.parameterFilters),
          MaxResults: input.maxResults,
          NextToken: input.nextToken,
        }),
      ),
    );
    return page((out.Parameters ?? []).map(fromSdkMetadata), out.NextToken);
  }

  async deleteParameter(name: string): Promise<void> {
    await this.call(() => this.client.send(new DeleteParameterCommand({ Name: name })));
  }

  async deleteParameters(names: readonly string[]): Promise<DeleteParametersResult> {
    const out = await this.call(() => this.client.send(new DeleteParametersCommand({ Names: [...names] })));
    return { deletedParameters: out.DeletedParameters ?? [], invalidParameters: out.InvalidParameters ?? [] };
  }

  async labelParameterVersion(input: LabelParameterVersionInput): Promise<LabelParameterVersionResult> {
    const out = await this.call(() =>
      this.client.send(
        new LabelParameterVersionCommand({
          Name: input.name,
          ParameterVersion: input.version,
          Labels: input.labels,
        }),
      ),
    );
    return { invalidLabels: out.InvalidLabels ?? [], parameterVersion: out.ParameterVersion ?? 0 };
  }

  async unlabelParameterVersion(input: {
    name: string;
    version: number;
    labels: string[];
  }): Promise<UnlabelParameterVersionResult> {
    const out = await this.call(() =>
      this.client.send(
        new UnlabelParameterVersionCommand({
          Name: input.name,
          ParameterVersion: input.version,
          Labels: input.labels,
        }),
      ),
    );
    return { removedLabels: out.RemovedLabels ?? [], invalidLabels: out.InvalidLabels ?? [] };
  }

  async addTagsToResource(name: string, tags: readonly Tag[]): Promise<void> {
    await this.call(() =>
      this.client.send(
        new AddTagsToResourceCommand({
          ResourceType: "Parameter",
          ResourceId: name,
          Tags: tags.map((t) => ({ Key: t.key, Value: t.value })),
        }),
      ),
    );
  }

  async listTagsForResource(name: string): Promise<Tag[]> {
    const out = await this.call(() =>
      this.client.send(new ListTagsForResourceCommand({ ResourceType: "Parameter", ResourceId: name })),
    );
    return (out.TagList ?? [])
      .map((t) => ({ key: t.Key ?? "", value: t.Value ?? "" }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async removeTagsFromResource(name: string, keys: readonly string[]): Promise<void> {
    await this.call(() =>
      this.client.send(
        new RemoveTagsFromResourceCommand({
          ResourceType: "Parameter",
          ResourceId: name,
          TagKeys: [...keys],
        }),
      ),
    );
  }

  async readTree(path: string, options: GetOptions = {}): Promise<TreeParameter[]> {
    const { parameters, stats } = await syncTree(
      path,
      options.withDecryption ?? false,
      {
        describeUnder: (under, nextToken) =>
          this.describeParameters({
            parameterFilters: [{ key: "Path", option: "Recursive", values: [under] }],
            maxResults: DESCRIBE_PAGE_SIZE,
            ...(nextToken !== undefined && { nextToken }),
          }),
        getParameters: (names, withDecryption) => this.getParameters(names, { withDecryption }),
      },
      this.cache,
    );
    this.lastSyncStats = stats;
    return parameters;
  }

  async putParameters(inputs: readonly PutParameterInput[]): Promise<PutParameterResult[]> {
    validateBeforeWriting(inputs);
    const results: PutParameterResult[] = new Array(inputs.length);
    let failure: { error: unknown } | undefined;
    let next = 0;
    // A pool of `limit` workers taking inputs in order; after the first failure none starts another.
    const worker = async () => {
      while (!failure && next < inputs.length) {
        const i = next++;
        try {
          results[i] = await this.putParameter(inputs[i]!);
        } catch (error) {
          failure ??= { error };
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.limit.limit, inputs.length) }, worker));
    if (failure) throw failure.error;
    return results;
  }

  async close(): Promise<void> {
    this.cache?.close();
    this.client.destroy();
  }
}

function page<T>(items: T[], nextToken: string | undefined): Page<T> {
  return nextToken ? { items, nextToken } : { items };
}

/** SSM's name and size rules for every input, reported together, before anything is sent. */
function validateBeforeWriting(inputs: readonly PutParameterInput[]): void {
  const problems: string[] = [];
  let first: ParameterStoreError["name"] | undefined;
  for (const input of inputs) {
    const violation =
      checkParameterName(input.name) ??
      (input.value === ""
        ? { error: "ValidationException" as const, message: "Parameter value must not be empty." }
        : checkValueSize(input.value, input.tier ?? "Standard"));
    if (violation) {
      first ??= violation.error;
      problems.push(`${input.name}: ${violation.message}`);
    }
  }
  if (first) throw new ParameterStoreError(first, problems.join("\n"));
}
