import { describe, expect, it } from "vitest";
import type { BuildComponentInput, BuildRuntimeInput } from "./builder.js";
import { graphInputHash, type StoreTreeSnapshot, storeInputHash } from "./input-hash.js";
import type { StoredParameter } from "./inputs.js";

const component = (config: BuildComponentInput["config"]): BuildComponentInput => ({
  env: "dev",
  type: "app",
  nickname: "web",
  config,
  references: [],
});
const runtime = (values: BuildRuntimeInput["values"]): BuildRuntimeInput => ({
  env: "dev",
  type: "db",
  nickname: "main",
  external: false,
  secure: false,
  values,
});

describe("graphInputHash", () => {
  it("is equal for equal inputs and differs when a config or a runtime value changes", () => {
    const base = { components: [component({ port: 80 })], runtimes: [runtime({ host: "db-1" })] };
    const same = { components: [component({ port: 80 })], runtimes: [runtime({ host: "db-1" })] };
    expect(graphInputHash(same)).toBe(graphInputHash(base));
    expect(graphInputHash(base)).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(graphInputHash({ ...base, components: [component({ port: 81 })] })).not.toBe(graphInputHash(base));
    expect(graphInputHash({ ...base, runtimes: [runtime({ host: "db-2" })] })).not.toBe(graphInputHash(base));
    // a runtime is not a component: moving an item between the lists changes the hash
    expect(graphInputHash({ components: [], runtimes: base.runtimes })).not.toBe(graphInputHash(base));
  });
});

describe("storeInputHash", () => {
  const param = (name: string, value: string, extra: Partial<StoredParameter> = {}): StoredParameter => ({
    name,
    type: "String",
    value,
    version: 1,
    ...extra,
  });
  const tree = (parameters: StoredParameter[], external: StoredParameter[] = []): StoreTreeSnapshot => ({
    env: "dev",
    prefix: "/iac",
    parameters,
    external,
  });
  const base = [
    param("/iac/app/web/config", '{"port":80}'),
    param("/iac/db/main/runtime", '{"host":"db-1"}', { description: '{"by":"x","configVersion":1}' }),
  ];
  const hash = (trees: StoreTreeSnapshot[], types: string[] = ["app"]) => storeInputHash(types, trees);

  it("is equal for equal parameters and differs when anything the build reads changes", () => {
    const original = hash([tree(base)]);
    expect(hash([tree(base.map((p) => ({ ...p })))])).toBe(original);
    expect(original).toMatch(/^sha256:[0-9a-f]{64}$/);
    const changed = (i: number, extra: Partial<StoredParameter>) =>
      hash([tree(base.map((p, j) => (j === i ? { ...p, ...extra } : p)))]);
    expect(changed(0, { value: '{"port":81}' })).not.toBe(original);
    expect(changed(1, { version: 2 })).not.toBe(original);
    expect(changed(1, { description: '{"by":"x","configVersion":2}' })).not.toBe(original);
    expect(changed(0, { type: "StringList" })).not.toBe(original);
    expect(hash([tree(base)], ["app", "db"])).not.toBe(original);
    expect(hash([{ ...tree(base), env: "prod" }])).not.toBe(original);
    // the same parameter as an external runtime is another input
    expect(hash([tree([base[0]!], [base[1]!])])).not.toBe(original);
  });

  it("does not depend on where one field ends and the next begins", () => {
    const a = param("/iac/app/web/config", "12:x", { description: "d" });
    const b = param("/iac/app/web/config", "x", { description: "d12:" });
    expect(hash([tree([a])])).not.toBe(hash([tree([b])]));
  });

  it("ignores SecureString values, which the builder never reads", () => {
    const secure = (value: string) => param("/iac/db/main/runtime", value, { type: "SecureString" });
    expect(hash([tree([secure("cipher-1")])])).toBe(hash([tree([secure("cipher-2")])]));
    expect(hash([tree([{ ...secure("cipher-1"), version: 2 }])])).not.toBe(
      hash([tree([secure("cipher-1")])]),
    );
  });
});
