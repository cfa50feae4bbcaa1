import { describe, expect, it } from "vitest";
import type { BuildComponentInput, BuildRuntimeInput } from "./builder.js";
import { graphInputHash } from "./input-hash.js";

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
