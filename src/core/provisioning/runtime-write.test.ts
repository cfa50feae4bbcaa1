import { describe, expect, it } from "vitest";
import { consumerLinks } from "../consumers/links.js";
import { UserError } from "../errors.js";
import type { Component } from "../estate/model.js";
import { declaredEdges } from "../planning/edges.js";
import { dependentsFrom } from "./dependents.js";
import { planRuntimeWrite } from "./runtime-write.js";

const provenance = {
  by: "karma deploy",
  configVersion: 3,
  consumed: { "dev:vpc/main": 7 },
  tool: "terraform 1.5.7",
};
const name = "/iac/app/web/runtime";

describe("planRuntimeWrite", () => {
  it("writes canonical JSON with provenance, expecting the version it saw", () => {
    const write = planRuntimeWrite({
      name,
      before: { version: 2, value: '{"url":"old"}', type: "String" },
      after: { version: 2, value: '{"url":"old"}', type: "String" },
      outputs: { values: { url: "new", a: 1 }, sensitiveKeys: [] },
      provenance,
    });
    expect(write).toEqual({
      kind: "write",
      replace: false,
      input: {
        name,
        value: '{"a":1,"url":"new"}',
        type: "String",
        overwrite: true,
        description: JSON.stringify(provenance),
        expectedVersion: 2,
      },
    });
  });

  it("never sends the Standard tier (SSM refuses Advanced → Standard on overwrite)", () => {
    const write = planRuntimeWrite({
      name,
      before: { version: 2, value: "x".repeat(5000), type: "String" },
      outputs: { values: { small: true }, sensitiveKeys: [] },
      provenance,
    });
    expect(write.kind === "write" && write.input.tier).toBe(undefined);
  });

  it("replaces a String runtime that gains sensitive outputs, and keeps a SecureString secure", () => {
    const gained = planRuntimeWrite({
      name,
      before: { version: 5, value: '{"a":1}', type: "String" },
      outputs: { values: { a: 1, pw: "x" }, sensitiveKeys: ["pw"] },
      provenance,
    });
    expect(gained).toMatchObject({
      kind: "write",
      replace: true,
      input: { type: "SecureString", expectedVersion: 0 },
    });
    const lost = planRuntimeWrite({
      name,
      before: { version: 6, value: '{"pw":"x"}', type: "SecureString" },
      outputs: { values: { a: 1 }, sensitiveKeys: [] },
      provenance,
    });
    expect(lost).toMatchObject({
      kind: "write",
      replace: false,
      input: { type: "SecureString", expectedVersion: 6 },
    });
  });

  it("makes the runtime a SecureString when any output is sensitive", () => {
    const write = planRuntimeWrite({
      name,
      outputs: { values: { pw: "x" }, sensitiveKeys: ["pw"] },
      provenance,
    });
    expect(write).toMatchObject({ kind: "write", input: { type: "SecureString", expectedVersion: 0 } });
  });

  it("keeps a runtime the module wrote during the run", () => {
    const write = planRuntimeWrite({
      name,
      before: { version: 2, value: "{}", type: "String" },
      after: { version: 3, value: '{"by":"module"}', type: "String" },
      outputs: { values: { url: "x" }, sensitiveKeys: [] },
      provenance,
    });
    // the module recorded no provenance: its value is written again with Karma's
    expect(write).toEqual({
      kind: "module-published",
      version: 3,
      stamp: {
        name,
        value: '{"by":"module"}',
        type: "String",
        overwrite: true,
        description: JSON.stringify(provenance),
        expectedVersion: 3,
      },
    });
    expect(
      planRuntimeWrite({
        name,
        after: { version: 1, value: "{}", type: "String", description: JSON.stringify({ configVersion: 3 }) },
        outputs: { values: {}, sensitiveKeys: [] },
        provenance,
      }),
    ).toEqual({ kind: "module-published", version: 1 });
  });

  it("writes nothing when the outputs equal the current runtime (same meaning, type and inputs)", () => {
    const before = {
      version: 4,
      value: '{ "b": [1, 2], "a": "x" }',
      type: "String" as const,
      description: JSON.stringify(provenance),
    };
    expect(
      planRuntimeWrite({
        name,
        before,
        after: before,
        outputs: { values: { a: "x", b: [1, 2] }, sensitiveKeys: [] },
        provenance,
      }),
    ).toEqual({ kind: "unchanged", version: 4 });
    // same values, but now sensitive: a new (SecureString) version
    expect(
      planRuntimeWrite({
        name,
        before,
        after: before,
        outputs: { values: { a: "x", b: [1, 2] }, sensitiveKeys: ["a"] },
        provenance,
      }).kind,
    ).toBe("write");
    // same values from a newer config (or newer producer runtimes): new provenance, so status
    // knows the component is deployed from the published config
    expect(
      planRuntimeWrite({
        name,
        before,
        after: before,
        outputs: { values: { a: "x", b: [1, 2] }, sensitiveKeys: [] },
        provenance: { ...provenance, configVersion: 4 },
      }),
    ).toMatchObject({ kind: "write", input: { expectedVersion: 4 } });
  });

  it("uses the Advanced tier above 4 KB and refuses above 8 KB, saying the deployment itself succeeded", () => {
    const big = planRuntimeWrite({
      name,
      outputs: { values: { v: "x".repeat(5000) }, sensitiveKeys: [] },
      provenance,
    });
    expect(big).toMatchObject({ kind: "write", input: { tier: "Advanced" } });
    const error = (() => {
      try {
        planRuntimeWrite({
          name,
          outputs: { values: { v: "x".repeat(9000) }, sensitiveKeys: [] },
          provenance,
        });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toMatch(/deployment succeeded, but its runtime was not published/);
  });
});

describe("dependentsFrom", () => {
  const component = (id: string, references: Component["references"]): Component => {
    const [env = "", rest = ""] = id.split(":");
    const [type = "", nickname = ""] = rest.split("/");
    return {
      id,
      env,
      type,
      nickname,
      file: `iac/${env}/${type}/${nickname}/config.json`,
      config: {},
      canonical: "{}",
      references,
    };
  };
  const vpc = { env: "dev", type: "vpc", nickname: "main" };

  it("lists every component referring to the target in any form, sorted, with forms and pointers", () => {
    const components = [
      component("dev:vpc/main", []),
      component("dev:svc/b", [
        { form: "ref", pointer: "/vpc_id", target: vpc, external: false, key: "/vpc_id" },
        { form: "depends-on", pointer: "/depends_on/0", target: vpc, external: false },
      ]),
      component("dev:svc/a", [
        { form: "nickname-field", pointer: "/vpc_nickname", target: vpc, external: false },
      ]),
      component("prod:svc/a", [
        { form: "ref", pointer: "/x", target: { ...vpc, env: "prod" }, external: false },
      ]),
      component("dev:svc/c", [{ form: "runtime-path", pointer: "/p", target: vpc, external: true }]),
    ];
    const links = consumerLinks(components.flatMap((c) => declaredEdges(c.id, c.references)));
    expect(dependentsFrom(links, "dev:vpc/main")).toEqual([
      { id: "dev:svc/a", forms: ["nickname-field"], pointers: ["/vpc_nickname"] },
      { id: "dev:svc/b", forms: ["depends-on", "ref"], pointers: ["/depends_on/0", "/vpc_id"] },
    ]);
  });
});
