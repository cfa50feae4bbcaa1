/**
 * The SSM operations Karma serves: each reads its request members (with AWS's validation),
 * calls the `ParameterStore` port, and returns the response body in AWS's wire shape.
 */
import type {
  ParameterFilter,
  ParameterStore,
  ParameterTier,
  ParameterType,
  Tag,
} from "../../../ports/parameter-store.js";
import { SsmProtocolError } from "./protocol-error.js";
import type { RequestReader } from "./request-reader.js";
import { type WireObject, wireHistoryEntry, wireMetadata, wireParameter, wireTag } from "./wire-shapes.js";

export type Operation = (store: ParameterStore, request: RequestReader) => Promise<WireObject>;

const PARAMETER_TYPES: readonly ParameterType[] = ["String", "StringList", "SecureString"];
const TIERS: readonly ParameterTier[] = ["Standard", "Advanced", "Intelligent-Tiering"];
const RESOURCE_TYPES = [
  "Document",
  "ManagedInstance",
  "MaintenanceWindow",
  "Parameter",
  "PatchBaseline",
  "OpsItem",
  "OpsMetadata",
  "Automation",
  "Association",
] as const;
const NAME = { required: true, minLength: 1, maxLength: 2048 } as const;

function readTag(r: RequestReader): Tag {
  const key = r.string("Key", { required: true, minLength: 1, maxLength: 128 });
  const value = r.string("Value", { required: true, minLength: 0, maxLength: 256 });
  return { key, value };
}

function readFilter(r: RequestReader): ParameterFilter {
  const key = r.string("Key", { required: true, minLength: 1, maxLength: 132 });
  const option = r.string("Option", { minLength: 1, maxLength: 10 });
  // Empty or missing values are the store's InvalidFilterValue, as in AWS, not a validation error.
  const values = r.stringList("Values", { maxLength: 50 });
  return { key, ...(option !== undefined && { option }), ...(values !== undefined && { values }) };
}

/** The legacy `Filters` member of DescribeParameters: exact matches on Name, Type or KeyId. */
function readLegacyFilter(r: RequestReader): ParameterFilter {
  const key = r.oneOf("Key", ["Name", "Type", "KeyId"] as const) ?? "Name";
  const values = r.stringList("Values", { required: true, minLength: 1, maxLength: 50 });
  return { key, option: "Equals", values };
}

/** Tag operations address parameters only: Karma stores no other SSM resource. */
function readParameterResource(r: RequestReader): string {
  const type = r.oneOf("ResourceType", RESOURCE_TYPES, { required: true });
  const id = r.string("ResourceId", { required: true, minLength: 1 });
  r.done();
  if (type !== "Parameter")
    throw new SsmProtocolError(
      "InvalidResourceType",
      `Karma's parameter store holds only parameters; ResourceType ${type} is not supported.`,
    );
  return id;
}

function withoutUndefined<T extends object>(object: T): T {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined)) as T;
}

export const operations: Readonly<Record<string, Operation>> = {
  async PutParameter(store, r) {
    const input = withoutUndefined({
      name: r.string("Name", NAME),
      value: r.string("Value", { required: true, minLength: 1 }),
      type: r.oneOf("Type", PARAMETER_TYPES),
      description: r.string("Description", { maxLength: 1024 }),
      overwrite: r.boolean("Overwrite"),
      tier: r.oneOf("Tier", TIERS),
      allowedPattern: r.string("AllowedPattern", { maxLength: 1024 }),
      keyId: r.string("KeyId", { minLength: 1, maxLength: 256 }),
      dataType: r.string("DataType", { maxLength: 128 }),
      tags: r.structureList("Tags", readTag, { maxLength: 1000 }),
    });
    const policies = r.string("Policies", { minLength: 1, maxLength: 4096 });
    r.done();
    if (policies !== undefined)
      throw new SsmProtocolError(
        "ValidationException",
        "Parameter policies (expiration, notifications) are not supported by Karma's parameter store.",
      );
    const result = await store.putParameter(input);
    return { Version: result.version, Tier: result.tier };
  },

  async GetParameter(store, r) {
    const name = r.string("Name", NAME);
    const withDecryption = r.boolean("WithDecryption") ?? false;
    r.done();
    return { Parameter: wireParameter(await store.getParameter(name, { withDecryption })) };
  },

  async GetParameters(store, r) {
    const names = r.stringList("Names", { required: true, minLength: 1, maxLength: 10 });
    const withDecryption = r.boolean("WithDecryption") ?? false;
    r.done();
    const result = await store.getParameters(names, { withDecryption });
    return { Parameters: result.parameters.map(wireParameter), InvalidParameters: result.invalidParameters };
  },

  async GetParametersByPath(store, r) {
    const input = withoutUndefined({
      path: r.string("Path", NAME),
      recursive: r.boolean("Recursive"),
      parameterFilters: r.structureList("ParameterFilters", readFilter),
      withDecryption: r.boolean("WithDecryption"),
      maxResults: r.integer("MaxResults", { min: 1, max: 10 }),
      nextToken: r.string("NextToken"),
    });
    r.done();
    const page = await store.getParametersByPath(input);
    return withoutUndefined({ Parameters: page.items.map(wireParameter), NextToken: page.nextToken });
  },

  async GetParameterHistory(store, r) {
    const input = withoutUndefined({
      name: r.string("Name", NAME),
      withDecryption: r.boolean("WithDecryption"),
      maxResults: r.integer("MaxResults", { min: 1, max: 50 }),
      nextToken: r.string("NextToken"),
    });
    r.done();
    const page = await store.getParameterHistory(input);
    return withoutUndefined({ Parameters: page.items.map(wireHistoryEntry), NextToken: page.nextToken });
  },

  async DescribeParameters(store, r) {
    const legacy = r.structureList("Filters", readLegacyFilter);
    const parameterFilters = r.structureList("ParameterFilters", readFilter);
    const maxResults = r.integer("MaxResults", { min: 1, max: 50 });
    const nextToken = r.string("NextToken");
    const shared = r.boolean("Shared");
    r.done();
    if (legacy !== undefined && parameterFilters !== undefined)
      throw new SsmProtocolError(
        "ValidationException",
        "You can use either Filters or ParameterFilters in a single request.",
      );
    // Karma's store has no parameters shared from other accounts.
    if (shared) return { Parameters: [] };
    const page = await store.describeParameters(
      withoutUndefined({ parameterFilters: parameterFilters ?? legacy, maxResults, nextToken }),
    );
    return withoutUndefined({ Parameters: page.items.map(wireMetadata), NextToken: page.nextToken });
  },

  async DeleteParameter(store, r) {
    const name = r.string("Name", NAME);
    r.done();
    await store.deleteParameter(name);
    return {};
  },

  async DeleteParameters(store, r) {
    const names = r.stringList("Names", { required: true, minLength: 1, maxLength: 10 });
    r.done();
    const result = await store.deleteParameters(names);
    return { DeletedParameters: result.deletedParameters, InvalidParameters: result.invalidParameters };
  },

  async LabelParameterVersion(store, r) {
    const input = withoutUndefined({
      name: r.string("Name", NAME),
      version: r.integer("ParameterVersion"),
      labels: r.stringList("Labels", { required: true, minLength: 1, maxLength: 10 }),
    });
    r.done();
    const result = await store.labelParameterVersion(input);
    return { InvalidLabels: result.invalidLabels, ParameterVersion: result.parameterVersion };
  },

  async UnlabelParameterVersion(store, r) {
    const name = r.string("Name", NAME);
    const version = r.integer("ParameterVersion", { required: true });
    const labels = r.stringList("Labels", { required: true, minLength: 1, maxLength: 10 });
    r.done();
    const result = await store.unlabelParameterVersion({ name, version: version ?? 0, labels });
    return { RemovedLabels: result.removedLabels, InvalidLabels: result.invalidLabels };
  },

  async AddTagsToResource(store, r) {
    const tags = r.structureList("Tags", readTag, { required: true, maxLength: 1000 }) ?? [];
    const id = readParameterResource(r);
    await store.addTagsToResource(id, tags);
    return {};
  },

  async ListTagsForResource(store, r) {
    const id = readParameterResource(r);
    const tags = await store.listTagsForResource(id);
    return { TagList: tags.map(wireTag) };
  },

  async RemoveTagsFromResource(store, r) {
    const keys = r.stringList("TagKeys", { required: true });
    const id = readParameterResource(r);
    await store.removeTagsFromResource(id, keys);
    return {};
  },
};

/** Operation names, sorted, for error messages and documentation. */
export const operationNames: readonly string[] = Object.keys(operations).sort();
