/**
 * The ParameterStore conformance suite: SSM Parameter Store semantics, written against the port
 * only, so every backend (embedded SQLite, the AWS SDK against `karma serve`, moto, real SSM) runs
 * the very same cases. Where AWS and a peer implementation disagree, these cases follow AWS; a
 * backend that cannot follow skips the case by name, with its reason:
 *
 *   describeParameterStoreContract("moto", setup, {
 *     skip: { "name: at most 15 hierarchy levels": "moto does not check hierarchy depth" },
 *   });
 *
 * Each case works under its own random root path, so backends that share state between cases
 * (a long-running server) still see independent cases. Cases never rely on result order where
 * SSM does not promise one.
 */
import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  isParameterStoreError,
  type Page,
  type ParameterStore,
  type ParameterStoreErrorName,
} from "../../ports/parameter-store.js";

export interface ContractFixture {
  store: ParameterStore;
  cleanup(): Promise<void>;
}

export const CONTRACT_CASES = [
  "name: allowed characters",
  "name: a hierarchy starts with a slash",
  'name: "aws" and "ssm" prefixes are reserved',
  "name: at most 1011 characters",
  "name: at most 15 hierarchy levels",
  "put: create, then ParameterAlreadyExists without overwrite",
  "put: overwrite makes a new version and keeps the type",
  "put: a type is required to create",
  "put: the type cannot change (HierarchyTypeMismatchException)",
  "put: an empty value is rejected",
  "put: allowedPattern is enforced",
  "put: unsupported dataType is rejected",
  "tier: Standard values up to 4096 bytes",
  "tier: Advanced values up to 8192 bytes",
  "tier: Advanced cannot be downgraded to Standard",
  "tier: Intelligent-Tiering picks the tier by size",
  "type: StringList round-trips",
  "type: SecureString is decrypted only when asked",
  "versions: numbered from 1 and selected with name:version",
  "versions: a missing version is ParameterVersionNotFound",
  "versions: a missing parameter is ParameterNotFound",
  "versions: 100 are kept and the oldest is dropped",
  "versions: a labelled oldest version blocks the 101st (ParameterMaxVersionLimitExceeded)",
  "labels: name:label selects the labelled version",
  "labels: a missing label is ParameterVersionNotFound",
  "labels: invalid labels are returned, not attached",
  "labels: at most 10 per version (ParameterVersionLabelLimitExceeded)",
  "labels: a label moves between versions",
  "labels: unlabel",
  "labels: missing parameter or version",
  "getParameters: at most 10 names, missing ones in invalidParameters",
  "getParametersByPath: one level vs recursive",
  "getParametersByPath: pages of at most 10 with NextToken",
  "getParametersByPath: a forged NextToken is InvalidNextToken",
  "history: all versions with labels, pages of at most 50",
  "history: a missing parameter is ParameterNotFound",
  "describe: Name, Path and Type filters, no values",
  "describe: pages of at most 50",
  "describe: invalid filters are rejected",
  "delete: deleteParameter, then ParameterNotFound",
  "delete: deleteParameters reports missing names",
  "tags: add, list, remove",
  "tags: tags and overwrite together are rejected",
  "tags: a missing resource is InvalidResourceId",
  "expectedVersion: optimistic concurrency (TooManyUpdates)",
  "readTree: latest version of everything under a path",
  "putParameters: nothing is written when an input is invalid",
  "putParameters: atomic when a write conflicts",
  "tags: at most 50 per resource (TooManyTagsError)",
  "history and describe: a forged NextToken is InvalidNextToken",
] as const;

export type ContractCase = (typeof CONTRACT_CASES)[number];

export interface ContractOptions {
  /** Cases this backend cannot satisfy, each with the reason (shown in the test name). */
  skip?: Partial<Record<ContractCase, string>>;
}

type CaseBody = (store: ParameterStore, root: string) => Promise<void>;

/** Awaits `promise` and asserts it failed with the SSM error `name`. */
export async function expectStoreError(
  promise: Promise<unknown>,
  name: ParameterStoreErrorName,
): Promise<void> {
  let outcome: unknown;
  try {
    await promise;
  } catch (error) {
    outcome = error;
  }
  if (!isParameterStoreError(outcome, name)) {
    const got =
      outcome === undefined
        ? "success"
        : outcome instanceof Error
          ? `${outcome.name}: ${outcome.message}`
          : String(outcome);
    expect.fail(`expected ${name}, got ${got}`);
  }
}

/** Follows NextToken to the end, checking every page against `maxPage`. */
async function allPages<T>(maxPage: number, fetch: (nextToken?: string) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = [];
  let token: string | undefined;
  for (let guard = 0; guard < 1000; guard++) {
    const page = await fetch(token);
    expect(page.items.length).toBeLessThanOrEqual(maxPage);
    items.push(...page.items);
    token = page.nextToken;
    if (!token) return items;
  }
  throw new Error("paging did not terminate");
}

const names = (items: readonly { name: string }[]) => items.map((i) => i.name).sort();

const cases: Record<ContractCase, CaseBody> = {
  "name: allowed characters": async (store, root) => {
    await store.putParameter({ name: `${root}/Ok_name-1.2`, value: "v", type: "String" });
    for (const bad of [`${root}/with space`, `${root}/hash#`, `${root}/star*`, `${root}/at@`]) {
      await expectStoreError(
        store.putParameter({ name: bad, value: "v", type: "String" }),
        "ValidationException",
      );
    }
  },

  "name: a hierarchy starts with a slash": async (store, root) => {
    const relative = `${root.slice(1)}/child`;
    await expectStoreError(
      store.putParameter({ name: relative, value: "v", type: "String" }),
      "ValidationException",
    );
    // A flat name (no slash at all) is fine.
    const flat = `flat${root.replace(/\//g, "-")}`;
    await store.putParameter({ name: flat, value: "v", type: "String" });
    expect((await store.getParameter(flat)).value).toBe("v");
    await store.deleteParameter(flat);
  },

  'name: "aws" and "ssm" prefixes are reserved': async (store, root) => {
    const suffix = root.replace(/\//g, "-");
    for (const bad of [
      `aws${suffix}`,
      `AWS${suffix}`,
      `ssm${suffix}`,
      `/ssm${suffix}/x`,
      `/SSM${suffix}/x`,
    ]) {
      await expectStoreError(
        store.putParameter({ name: bad, value: "v", type: "String" }),
        "ValidationException",
      );
    }
    // Only the first segment matters.
    await store.putParameter({ name: `${root}/aws/ssm`, value: "v", type: "String" });
  },

  "name: at most 1011 characters": async (store, root) => {
    const long = (n: number) => `${root}/${"a".repeat(n - root.length - 1)}`;
    await store.putParameter({ name: long(900), value: "v", type: "String" });
    await expectStoreError(
      store.putParameter({ name: long(1012), value: "v", type: "String" }),
      "ValidationException",
    );
  },

  "name: at most 15 hierarchy levels": async (store, root) => {
    const depth = root.split("/").filter(Boolean).length;
    const levels = (n: number) => `${root}/${Array.from({ length: n - depth }, (_, i) => `l${i}`).join("/")}`;
    await store.putParameter({ name: levels(15), value: "v", type: "String" });
    await expectStoreError(
      store.putParameter({ name: levels(16), value: "v", type: "String" }),
      "HierarchyLevelLimitExceededException",
    );
  },

  "put: create, then ParameterAlreadyExists without overwrite": async (store, root) => {
    const name = `${root}/p`;
    const created = await store.putParameter({ name, value: "one", type: "String" });
    expect(created.version).toBe(1);
    expect(created.tier).toBe("Standard");
    await expectStoreError(
      store.putParameter({ name, value: "two", type: "String" }),
      "ParameterAlreadyExists",
    );
    expect((await store.getParameter(name)).value).toBe("one");
  },

  "put: overwrite makes a new version and keeps the type": async (store, root) => {
    const list = `${root}/list`;
    await store.putParameter({ name: list, value: "a,b", type: "StringList" });
    expect(await store.putParameter({ name: list, value: "c,d", overwrite: true })).toMatchObject({
      version: 2,
    });
    expect(await store.getParameter(list)).toMatchObject({ type: "StringList", value: "c,d", version: 2 });

    const secret = `${root}/secret`;
    await store.putParameter({ name: secret, value: "s1", type: "SecureString" });
    await store.putParameter({ name: secret, value: "s2", overwrite: true });
    expect(await store.getParameter(secret, { withDecryption: true })).toMatchObject({
      type: "SecureString",
      value: "s2",
      version: 2,
    });
  },

  "put: a type is required to create": async (store, root) => {
    await expectStoreError(
      store.putParameter({ name: `${root}/untyped`, value: "v" }),
      "ValidationException",
    );
    await expectStoreError(store.getParameter(`${root}/untyped`), "ParameterNotFound");
  },

  "put: the type cannot change (HierarchyTypeMismatchException)": async (store, root) => {
    const name = `${root}/typed`;
    await store.putParameter({ name, value: "v1", type: "String" });
    await expectStoreError(
      store.putParameter({ name, value: "v2", type: "SecureString", overwrite: true }),
      "HierarchyTypeMismatchException",
    );
    // Restating the same type is fine.
    await store.putParameter({ name, value: "v2", type: "String", overwrite: true });
    expect(await store.getParameter(name)).toMatchObject({ type: "String", value: "v2", version: 2 });
  },

  "put: an empty value is rejected": async (store, root) => {
    await expectStoreError(
      store.putParameter({ name: `${root}/empty`, value: "", type: "String" }),
      "ValidationException",
    );
  },

  "put: allowedPattern is enforced": async (store, root) => {
    const name = `${root}/port`;
    await store.putParameter({ name, value: "8080", type: "String", allowedPattern: "^[0-9]+$" });
    await expectStoreError(
      store.putParameter({
        name: `${root}/bad-port`,
        value: "http",
        type: "String",
        allowedPattern: "^[0-9]+$",
      }),
      "ParameterPatternMismatchException",
    );
    // The pattern stays with the parameter on overwrite.
    await expectStoreError(
      store.putParameter({ name, value: "eighty", overwrite: true }),
      "ParameterPatternMismatchException",
    );
    expect((await store.getParameter(name)).value).toBe("8080");
  },

  "put: unsupported dataType is rejected": async (store, root) => {
    await expectStoreError(
      store.putParameter({ name: `${root}/dt`, value: "v", type: "String", dataType: "Text" }),
      "ValidationException",
    );
    await store.putParameter({ name: `${root}/dt`, value: "v", type: "String", dataType: "text" });
    expect((await store.getParameter(`${root}/dt`)).dataType).toBe("text");
  },

  "tier: Standard values up to 4096 bytes": async (store, root) => {
    await store.putParameter({ name: `${root}/max`, value: "x".repeat(4096), type: "String" });
    await expectStoreError(
      store.putParameter({ name: `${root}/over`, value: "x".repeat(4097), type: "String" }),
      "ValidationException",
    );
    // Bytes, not characters: 2049 two-byte characters are 4098 bytes.
    await expectStoreError(
      store.putParameter({ name: `${root}/utf8`, value: "é".repeat(2049), type: "String" }),
      "ValidationException",
    );
  },

  "tier: Advanced values up to 8192 bytes": async (store, root) => {
    const ok = await store.putParameter({
      name: `${root}/big`,
      value: "x".repeat(8192),
      type: "String",
      tier: "Advanced",
    });
    expect(ok.tier).toBe("Advanced");
    await expectStoreError(
      store.putParameter({
        name: `${root}/bigger`,
        value: "x".repeat(8193),
        type: "String",
        tier: "Advanced",
      }),
      "ValidationException",
    );
  },

  "tier: Advanced cannot be downgraded to Standard": async (store, root) => {
    const name = `${root}/adv`;
    await store.putParameter({ name, value: "v1", type: "String", tier: "Advanced" });
    await expectStoreError(
      store.putParameter({ name, value: "v2", overwrite: true, tier: "Standard" }),
      "ValidationException",
    );
    // Without a tier, an overwrite keeps the parameter Advanced.
    expect((await store.putParameter({ name, value: "v3", overwrite: true })).tier).toBe("Advanced");
    const described = await store.describeParameters({
      parameterFilters: [{ key: "Name", option: "Equals", values: [name] }],
    });
    expect(described.items.map((m) => m.tier)).toEqual(["Advanced"]);
  },

  "tier: Intelligent-Tiering picks the tier by size": async (store, root) => {
    const small = await store.putParameter({
      name: `${root}/small`,
      value: "x",
      type: "String",
      tier: "Intelligent-Tiering",
    });
    expect(small.tier).toBe("Standard");
    const large = await store.putParameter({
      name: `${root}/large`,
      value: "x".repeat(5000),
      type: "String",
      tier: "Intelligent-Tiering",
    });
    expect(large.tier).toBe("Advanced");
  },

  "type: StringList round-trips": async (store, root) => {
    const name = `${root}/azs`;
    await store.putParameter({ name, value: "eu-west-1a,eu-west-1b", type: "StringList" });
    expect(await store.getParameter(name)).toMatchObject({
      type: "StringList",
      value: "eu-west-1a,eu-west-1b",
    });
  },

  "type: SecureString is decrypted only when asked": async (store, root) => {
    const canary = `canary-${crypto.randomBytes(8).toString("hex")}`;
    const name = `${root}/db/password`;
    await store.putParameter({ name, value: canary, type: "SecureString" });
    const hidden = [
      (await store.getParameter(name)).value,
      ...(await store.getParameters([name])).parameters.map((p) => p.value),
      ...(await store.getParametersByPath({ path: `${root}/db` })).items.map((p) => p.value),
      ...(await store.getParameterHistory({ name })).items.map((p) => p.value),
      ...(await store.readTree(root)).map((p) => p.value),
    ];
    expect(hidden).toHaveLength(5);
    for (const value of hidden) expect(value).not.toContain(canary);
    expect(
      JSON.stringify(
        await store.describeParameters({
          parameterFilters: [{ key: "Path", option: "Recursive", values: [root] }],
        }),
      ),
    ).not.toContain(canary);

    const shown = [
      (await store.getParameter(name, { withDecryption: true })).value,
      ...(await store.getParameters([name], { withDecryption: true })).parameters.map((p) => p.value),
      ...(await store.getParametersByPath({ path: `${root}/db`, withDecryption: true })).items.map(
        (p) => p.value,
      ),
      ...(await store.getParameterHistory({ name, withDecryption: true })).items.map((p) => p.value),
      ...(await store.readTree(root, { withDecryption: true })).map((p) => p.value),
    ];
    expect(shown).toEqual([canary, canary, canary, canary, canary]);
  },

  "versions: numbered from 1 and selected with name:version": async (store, root) => {
    const name = `${root}/v`;
    for (let i = 1; i <= 3; i++) {
      const result = await store.putParameter({ name, value: `value-${i}`, type: "String", overwrite: true });
      expect(result.version).toBe(i);
    }
    expect(await store.getParameter(name)).toMatchObject({ name, value: "value-3", version: 3 });
    const second = await store.getParameter(`${name}:2`);
    expect(second).toMatchObject({ name, value: "value-2", version: 2, selector: ":2" });
    const batch = await store.getParameters([`${name}:1`, name]);
    expect(batch.invalidParameters).toEqual([]);
    expect(batch.parameters.map((p) => p.value).sort()).toEqual(["value-1", "value-3"]);
  },

  "versions: a missing version is ParameterVersionNotFound": async (store, root) => {
    const name = `${root}/v`;
    await store.putParameter({ name, value: "v", type: "String" });
    await expectStoreError(store.getParameter(`${name}:7`), "ParameterVersionNotFound");
    const batch = await store.getParameters([`${name}:7`, name]);
    expect(batch.invalidParameters).toEqual([`${name}:7`]);
    expect(batch.parameters.map((p) => p.version)).toEqual([1]);
  },

  "versions: a missing parameter is ParameterNotFound": async (store, root) => {
    await expectStoreError(store.getParameter(`${root}/nothing`), "ParameterNotFound");
    await expectStoreError(store.getParameter(`${root}/nothing:1`), "ParameterNotFound");
  },

  "versions: 100 are kept and the oldest is dropped": async (store, root) => {
    const name = `${root}/many`;
    for (let i = 1; i <= 101; i++) {
      await store.putParameter({ name, value: `v${i}`, type: "String", overwrite: true });
    }
    expect(await store.getParameter(name)).toMatchObject({ version: 101, value: "v101" });
    await expectStoreError(store.getParameter(`${name}:1`), "ParameterVersionNotFound");
    expect((await store.getParameter(`${name}:2`)).value).toBe("v2");
    const history = await allPages(50, (nextToken) => store.getParameterHistory({ name, nextToken }));
    expect(history.map((h) => h.version)).toEqual(Array.from({ length: 100 }, (_, i) => i + 2));
  },

  "versions: a labelled oldest version blocks the 101st (ParameterMaxVersionLimitExceeded)": async (
    store,
    root,
  ) => {
    const name = `${root}/pinned`;
    await store.putParameter({ name, value: "v1", type: "String" });
    await store.labelParameterVersion({ name, version: 1, labels: ["golden"] });
    for (let i = 2; i <= 100; i++) {
      await store.putParameter({ name, value: `v${i}`, type: "String", overwrite: true });
    }
    await expectStoreError(
      store.putParameter({ name, value: "v101", overwrite: true }),
      "ParameterMaxVersionLimitExceeded",
    );
    expect((await store.getParameter(name)).version).toBe(100);
    // Moving the label away from the oldest version unblocks the write.
    await store.labelParameterVersion({ name, version: 50, labels: ["golden"] });
    expect((await store.putParameter({ name, value: "v101", overwrite: true })).version).toBe(101);
    expect((await store.getParameter(`${name}:golden`)).version).toBe(50);
  },

  "labels: name:label selects the labelled version": async (store, root) => {
    const name = `${root}/app`;
    await store.putParameter({ name, value: "old", type: "String" });
    await store.putParameter({ name, value: "new", type: "String", overwrite: true });
    const result = await store.labelParameterVersion({ name, version: 1, labels: ["prod"] });
    expect(result).toEqual({ invalidLabels: [], parameterVersion: 1 });
    expect(await store.getParameter(`${name}:prod`)).toMatchObject({
      name,
      value: "old",
      version: 1,
      selector: ":prod",
    });
    const batch = await store.getParameters([`${name}:prod`]);
    expect(batch.parameters.map((p) => p.value)).toEqual(["old"]);
  },

  "labels: a missing label is ParameterVersionNotFound": async (store, root) => {
    const name = `${root}/app`;
    await store.putParameter({ name, value: "v", type: "String" });
    await expectStoreError(store.getParameter(`${name}:nolabel`), "ParameterVersionNotFound");
    expect((await store.getParameters([`${name}:nolabel`])).invalidParameters).toEqual([`${name}:nolabel`]);
  },

  "labels: invalid labels are returned, not attached": async (store, root) => {
    const name = `${root}/app`;
    await store.putParameter({ name, value: "v", type: "String" });
    const bad = ["1starts-with-digit", "awsReserved", "SSMreserved", "has space", "slash/label"];
    const result = await store.labelParameterVersion({ name, labels: ["good.label_1-x", ...bad] });
    expect([...result.invalidLabels].sort()).toEqual([...bad].sort());
    expect(result.parameterVersion).toBe(1);
    const [entry] = (await store.getParameterHistory({ name })).items;
    expect(entry?.labels).toEqual(["good.label_1-x"]);
  },

  "labels: at most 10 per version (ParameterVersionLabelLimitExceeded)": async (store, root) => {
    const name = `${root}/app`;
    await store.putParameter({ name, value: "v", type: "String" });
    const ten = Array.from({ length: 10 }, (_, i) => `label${i}`);
    await store.labelParameterVersion({ name, version: 1, labels: ten });
    // Re-attaching a label the version already has is not a new label.
    await store.labelParameterVersion({ name, version: 1, labels: ["label0"] });
    await expectStoreError(
      store.labelParameterVersion({ name, version: 1, labels: ["eleventh"] }),
      "ParameterVersionLabelLimitExceeded",
    );
    const [entry] = (await store.getParameterHistory({ name })).items;
    expect([...(entry?.labels ?? [])].sort()).toEqual([...ten].sort());
  },

  "labels: a label moves between versions": async (store, root) => {
    const name = `${root}/app`;
    await store.putParameter({ name, value: "v1", type: "String" });
    await store.putParameter({ name, value: "v2", type: "String", overwrite: true });
    await store.labelParameterVersion({ name, version: 1, labels: ["live"] });
    // No version given: the latest.
    expect((await store.labelParameterVersion({ name, labels: ["live"] })).parameterVersion).toBe(2);
    expect((await store.getParameter(`${name}:live`)).version).toBe(2);
    const history = await store.getParameterHistory({ name });
    expect(history.items.map((h) => [h.version, h.labels])).toEqual([
      [1, []],
      [2, ["live"]],
    ]);
  },

  "labels: unlabel": async (store, root) => {
    const name = `${root}/app`;
    await store.putParameter({ name, value: "v1", type: "String" });
    await store.labelParameterVersion({ name, version: 1, labels: ["a", "b"] });
    const result = await store.unlabelParameterVersion({ name, version: 1, labels: ["a", "missing"] });
    expect(result).toEqual({ removedLabels: ["a"], invalidLabels: ["missing"] });
    expect((await store.getParameterHistory({ name })).items[0]?.labels).toEqual(["b"]);
    await expectStoreError(store.getParameter(`${name}:a`), "ParameterVersionNotFound");
  },

  "labels: missing parameter or version": async (store, root) => {
    const name = `${root}/app`;
    await expectStoreError(store.labelParameterVersion({ name, labels: ["x"] }), "ParameterNotFound");
    await store.putParameter({ name, value: "v1", type: "String" });
    await expectStoreError(
      store.labelParameterVersion({ name, version: 9, labels: ["x"] }),
      "ParameterVersionNotFound",
    );
    await expectStoreError(
      store.unlabelParameterVersion({ name, version: 9, labels: ["x"] }),
      "ParameterVersionNotFound",
    );
  },

  "getParameters: at most 10 names, missing ones in invalidParameters": async (store, root) => {
    const existing = Array.from({ length: 3 }, (_, i) => `${root}/p${i}`);
    for (const name of existing) await store.putParameter({ name, value: name, type: "String" });
    const missing = [`${root}/nope1`, `${root}/nope2`];
    const result = await store.getParameters([...existing, ...missing]);
    expect(names(result.parameters)).toEqual([...existing].sort());
    expect([...result.invalidParameters].sort()).toEqual([...missing].sort());
    const eleven = Array.from({ length: 11 }, (_, i) => `${root}/n${i}`);
    await expectStoreError(store.getParameters(eleven), "ValidationException");
  },

  "getParametersByPath: one level vs recursive": async (store, root) => {
    for (const name of [`${root}/a/x`, `${root}/a/y`, `${root}/a/deep/z`, `${root}/ab/not-under-a`]) {
      await store.putParameter({ name, value: "v", type: "String" });
    }
    const oneLevel = await allPages(10, (nextToken) =>
      store.getParametersByPath({ path: `${root}/a`, nextToken }),
    );
    expect(names(oneLevel)).toEqual([`${root}/a/x`, `${root}/a/y`]);
    const recursive = await allPages(10, (nextToken) =>
      store.getParametersByPath({ path: `${root}/a`, recursive: true, nextToken }),
    );
    expect(names(recursive)).toEqual([`${root}/a/deep/z`, `${root}/a/x`, `${root}/a/y`]);
    // A trailing slash means the same path.
    const slashed = await allPages(10, (nextToken) =>
      store.getParametersByPath({ path: `${root}/a/`, nextToken }),
    );
    expect(names(slashed)).toEqual([`${root}/a/x`, `${root}/a/y`]);
    // Type filter.
    await store.putParameter({ name: `${root}/a/list`, value: "1,2", type: "StringList" });
    const lists = await allPages(10, (nextToken) =>
      store.getParametersByPath({
        path: `${root}/a`,
        parameterFilters: [{ key: "Type", option: "Equals", values: ["StringList"] }],
        nextToken,
      }),
    );
    expect(names(lists)).toEqual([`${root}/a/list`]);
  },

  "getParametersByPath: pages of at most 10 with NextToken": async (store, root) => {
    const all = Array.from({ length: 23 }, (_, i) => `${root}/p/${String(i).padStart(2, "0")}`);
    await store.putParameters(all.map((name) => ({ name, value: name, type: "String" as const })));
    const paged = await allPages(10, (nextToken) =>
      store.getParametersByPath({ path: `${root}/p`, maxResults: 10, nextToken }),
    );
    expect(names(paged)).toEqual(all);
    const small = await allPages(4, (nextToken) =>
      store.getParametersByPath({ path: `${root}/p`, maxResults: 4, nextToken }),
    );
    expect(names(small)).toEqual(all);
    await expectStoreError(
      store.getParametersByPath({ path: `${root}/p`, maxResults: 11 }),
      "ValidationException",
    );
    await expectStoreError(
      store.getParametersByPath({ path: `${root}/p`, maxResults: 0 }),
      "ValidationException",
    );
  },

  "getParametersByPath: a forged NextToken is InvalidNextToken": async (store, root) => {
    await store.putParameter({ name: `${root}/p/one`, value: "v", type: "String" });
    await expectStoreError(
      store.getParametersByPath({ path: `${root}/p`, nextToken: "not-a-real-token" }),
      "InvalidNextToken",
    );
  },

  "history: all versions with labels, pages of at most 50": async (store, root) => {
    const name = `${root}/h`;
    for (let i = 1; i <= 55; i++) {
      await store.putParameter({
        name,
        value: `v${i}`,
        type: "String",
        overwrite: true,
        description: `change ${i}`,
      });
    }
    await store.labelParameterVersion({ name, version: 3, labels: ["three"] });
    await expectStoreError(store.getParameterHistory({ name, maxResults: 51 }), "ValidationException");
    const first = await store.getParameterHistory({ name });
    expect(first.items.length).toBeLessThanOrEqual(50);
    const history = await allPages(50, (nextToken) => store.getParameterHistory({ name, nextToken }));
    expect(history.map((h) => h.version)).toEqual(Array.from({ length: 55 }, (_, i) => i + 1));
    expect(history[2]).toMatchObject({ version: 3, value: "v3", labels: ["three"], description: "change 3" });
    expect(history[54]).toMatchObject({ version: 55, value: "v55", labels: [], type: "String" });
    const small = await allPages(7, (nextToken) =>
      store.getParameterHistory({ name, maxResults: 7, nextToken }),
    );
    expect(small.map((h) => h.version)).toEqual(history.map((h) => h.version));
  },

  "history: a missing parameter is ParameterNotFound": async (store, root) => {
    await expectStoreError(store.getParameterHistory({ name: `${root}/nothing` }), "ParameterNotFound");
  },

  "describe: Name, Path and Type filters, no values": async (store, root) => {
    await store.putParameter({ name: `${root}/svc/a`, value: "v", type: "String", description: "first" });
    await store.putParameter({ name: `${root}/svc/b`, value: "1,2", type: "StringList" });
    await store.putParameter({ name: `${root}/svc/deep/c`, value: "s", type: "SecureString" });
    const describe = (parameterFilters: { key: string; option?: string; values: string[] }[]) =>
      allPages(50, (nextToken) => store.describeParameters({ parameterFilters, nextToken }));

    const equals = await describe([{ key: "Name", option: "Equals", values: [`${root}/svc/a`] }]);
    expect(equals).toHaveLength(1);
    expect(equals[0]).toMatchObject({
      name: `${root}/svc/a`,
      type: "String",
      version: 1,
      description: "first",
    });
    expect(equals[0]).not.toHaveProperty("value");

    expect(names(await describe([{ key: "Name", option: "BeginsWith", values: [`${root}/svc/`] }]))).toEqual([
      `${root}/svc/a`,
      `${root}/svc/b`,
      `${root}/svc/deep/c`,
    ]);
    expect(names(await describe([{ key: "Path", option: "OneLevel", values: [`${root}/svc`] }]))).toEqual([
      `${root}/svc/a`,
      `${root}/svc/b`,
    ]);
    expect(names(await describe([{ key: "Path", option: "Recursive", values: [`${root}/svc`] }]))).toEqual([
      `${root}/svc/a`,
      `${root}/svc/b`,
      `${root}/svc/deep/c`,
    ]);
    const secure = await describe([
      { key: "Path", option: "Recursive", values: [root] },
      { key: "Type", option: "Equals", values: ["SecureString"] },
    ]);
    expect(names(secure)).toEqual([`${root}/svc/deep/c`]);
    expect(secure[0]?.keyId).toBeTruthy();
  },

  "describe: pages of at most 50": async (store, root) => {
    const all = Array.from({ length: 7 }, (_, i) => `${root}/d/p${i}`);
    await store.putParameters(all.map((name) => ({ name, value: "v", type: "String" as const })));
    const parameterFilters = [{ key: "Path", option: "Recursive", values: [`${root}/d`] }];
    const paged = await allPages(3, (nextToken) =>
      store.describeParameters({ parameterFilters, maxResults: 3, nextToken }),
    );
    expect(names(paged)).toEqual(all);
    await expectStoreError(
      store.describeParameters({ parameterFilters, maxResults: 51 }),
      "ValidationException",
    );
  },

  "describe: invalid filters are rejected": async (store, root) => {
    await expectStoreError(
      store.describeParameters({ parameterFilters: [{ key: "Label", values: ["x"] }] }),
      "InvalidFilterKey",
    );
    await expectStoreError(
      store.describeParameters({ parameterFilters: [{ key: "Path", option: "Equals", values: [root] }] }),
      "InvalidFilterOption",
    );
    await expectStoreError(
      store.describeParameters({ parameterFilters: [{ key: "Name", option: "Equals", values: [] }] }),
      "InvalidFilterValue",
    );
  },

  "delete: deleteParameter, then ParameterNotFound": async (store, root) => {
    const name = `${root}/gone`;
    await store.putParameter({ name, value: "v1", type: "String" });
    await store.putParameter({ name, value: "v2", type: "String", overwrite: true });
    await store.deleteParameter(name);
    await expectStoreError(store.getParameter(name), "ParameterNotFound");
    await expectStoreError(store.deleteParameter(name), "ParameterNotFound");
    // Re-created from scratch: version 1 again.
    expect((await store.putParameter({ name, value: "again", type: "String" })).version).toBe(1);
  },

  "delete: deleteParameters reports missing names": async (store, root) => {
    await store.putParameter({ name: `${root}/x`, value: "v", type: "String" });
    await store.putParameter({ name: `${root}/y`, value: "v", type: "String" });
    const result = await store.deleteParameters([`${root}/x`, `${root}/y`, `${root}/z`]);
    expect([...result.deletedParameters].sort()).toEqual([`${root}/x`, `${root}/y`]);
    expect(result.invalidParameters).toEqual([`${root}/z`]);
    expect((await store.getParameters([`${root}/x`, `${root}/y`])).parameters).toEqual([]);
    const eleven = Array.from({ length: 11 }, (_, i) => `${root}/n${i}`);
    await expectStoreError(store.deleteParameters(eleven), "ValidationException");
  },

  "tags: add, list, remove": async (store, root) => {
    const name = `${root}/tagged`;
    await store.putParameter({ name, value: "v", type: "String", tags: [{ key: "team", value: "core" }] });
    await store.addTagsToResource(name, [
      { key: "env", value: "dev" },
      { key: "team", value: "platform" },
    ]);
    const tags = await store.listTagsForResource(name);
    expect([...tags].sort((a, b) => a.key.localeCompare(b.key))).toEqual([
      { key: "env", value: "dev" },
      { key: "team", value: "platform" },
    ]);
    await store.removeTagsFromResource(name, ["team"]);
    expect(await store.listTagsForResource(name)).toEqual([{ key: "env", value: "dev" }]);
  },

  "tags: tags and overwrite together are rejected": async (store, root) => {
    const name = `${root}/tagged`;
    await store.putParameter({ name, value: "v", type: "String" });
    await expectStoreError(
      store.putParameter({ name, value: "v2", overwrite: true, tags: [{ key: "a", value: "b" }] }),
      "ValidationException",
    );
    expect((await store.getParameter(name)).version).toBe(1);
  },

  "tags: a missing resource is InvalidResourceId": async (store, root) => {
    const name = `${root}/absent`;
    await expectStoreError(store.addTagsToResource(name, [{ key: "a", value: "b" }]), "InvalidResourceId");
    await expectStoreError(store.listTagsForResource(name), "InvalidResourceId");
    await expectStoreError(store.removeTagsFromResource(name, ["a"]), "InvalidResourceId");
  },

  "expectedVersion: optimistic concurrency (TooManyUpdates)": async (store, root) => {
    const name = `${root}/cas`;
    await store.putParameter({ name, value: "v1", type: "String", expectedVersion: 0 });
    await expectStoreError(
      store.putParameter({ name, value: "v1'", type: "String", expectedVersion: 0 }),
      "TooManyUpdates",
    );
    await store.putParameter({ name, value: "v2", overwrite: true, expectedVersion: 1 });
    await expectStoreError(
      store.putParameter({ name, value: "stale", overwrite: true, expectedVersion: 1 }),
      "TooManyUpdates",
    );
    expect(await store.getParameter(name)).toMatchObject({ value: "v2", version: 2 });
  },

  "readTree: latest version of everything under a path": async (store, root) => {
    await store.putParameter({ name: `${root}/t/b/config`, value: "b1", type: "String" });
    await store.putParameter({
      name: `${root}/t/b/config`,
      value: "b2",
      type: "String",
      overwrite: true,
      description: "from abc123",
    });
    await store.putParameter({ name: `${root}/t/a/config`, value: "a1", type: "String" });
    await store.putParameter({ name: `${root}/t/a/deep/runtime`, value: "{}", type: "String" });
    await store.putParameter({ name: `${root}/tx/sibling`, value: "no", type: "String" });
    const tree = await store.readTree(`${root}/t`);
    expect(tree.map((p) => p.name)).toEqual([
      `${root}/t/a/config`,
      `${root}/t/a/deep/runtime`,
      `${root}/t/b/config`,
    ]);
    expect(tree[2]).toMatchObject({ value: "b2", version: 2, description: "from abc123" });
    expect(await store.readTree(`${root}/empty`)).toEqual([]);
  },

  "putParameters: nothing is written when an input is invalid": async (store, root) => {
    const inputs = [
      { name: `${root}/batch/ok1`, value: "v", type: "String" as const },
      { name: `${root}/batch/ok2`, value: "v", type: "String" as const },
      { name: `${root}/batch/bad name`, value: "v", type: "String" as const },
    ];
    await expectStoreError(store.putParameters(inputs), "ValidationException");
    expect(await store.readTree(`${root}/batch`)).toEqual([]);
    const written = await store.putParameters(inputs.slice(0, 2));
    expect(written.map((r) => r.version)).toEqual([1, 1]);
  },

  "putParameters: atomic when a write conflicts": async (store, root) => {
    await store.putParameter({ name: `${root}/batch/exists`, value: "old", type: "String" });
    await expectStoreError(
      store.putParameters([
        { name: `${root}/batch/new`, value: "v", type: "String" },
        { name: `${root}/batch/exists`, value: "new", type: "String" },
      ]),
      "ParameterAlreadyExists",
    );
    const tree = await store.readTree(`${root}/batch`);
    expect(tree.map((p) => [p.name, p.value])).toEqual([[`${root}/batch/exists`, "old"]]);
  },

  "tags: at most 50 per resource (TooManyTagsError)": async (store, root) => {
    const name = `${root}/tagged`;
    const tags = (from: number, count: number) =>
      Array.from({ length: count }, (_, i) => ({ key: `k${from + i}`, value: "v" }));
    await store.putParameter({ name, value: "v", type: "String", tags: tags(0, 45) });
    await store.addTagsToResource(name, tags(45, 5));
    // Overwriting existing keys does not add tags.
    await store.addTagsToResource(name, tags(0, 5));
    await expectStoreError(store.addTagsToResource(name, tags(50, 1)), "TooManyTagsError");
    expect(await store.listTagsForResource(name)).toHaveLength(50);
  },

  "history and describe: a forged NextToken is InvalidNextToken": async (store, root) => {
    const name = `${root}/p`;
    await store.putParameter({ name, value: "v", type: "String" });
    await expectStoreError(
      store.getParameterHistory({ name, nextToken: "not-a-real-token" }),
      "InvalidNextToken",
    );
    await expectStoreError(
      store.describeParameters({
        parameterFilters: [{ key: "Path", option: "Recursive", values: [root] }],
        nextToken: "not-a-real-token",
      }),
      "InvalidNextToken",
    );
  },
};

/**
 * Registers the suite. `setup` is called once per case and must return a store that is ready to
 * use; `cleanup` is awaited after the case, pass or fail.
 */
export function describeParameterStoreContract(
  backend: string,
  setup: () => Promise<ContractFixture>,
  options: ContractOptions = {},
): void {
  describe(`ParameterStore contract: ${backend}`, () => {
    for (const name of CONTRACT_CASES) {
      const reason = options.skip?.[name];
      if (reason !== undefined) {
        it.skip(`${name} — skipped: ${reason}`, () => {});
        continue;
      }
      it(name, async () => {
        const fixture = await setup();
        const root = `/karma-contract/${crypto.randomBytes(6).toString("hex")}`;
        try {
          await cases[name](fixture.store, root);
        } finally {
          await fixture.cleanup();
        }
      });
    }
  });
}
