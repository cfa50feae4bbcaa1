import { describe, expect, it } from "vitest";
import { ValidationFailedError } from "../errors.js";
import { type ProducerRuntime, parseRuntimeRef, resolveReferences } from "./resolve-references.js";

const runtimes = new Map<string, ProducerRuntime>([
  [
    "dev:network/main",
    { version: 4, value: { network_id: "net-0abc", cidr: "10.0.0.0/16", tags: { a: "b" } } },
  ],
  [
    "dev:database/orders",
    { version: 2, value: { endpoint: "db:5432", password: "s3cret-pw" }, secure: true },
  ],
  ["prod:network/main", { version: 9, value: { network_id: "net-prod" } }],
]);

const context = { env: "dev", file: "iac/dev/service/api/config.json", component: "dev:service/api" };

describe("resolveReferences", () => {
  it("replaces every $ref, nested and in arrays, and records what was consumed", () => {
    const result = resolveReferences(
      {
        name: "api",
        network: { $ref: "network/main#/network_id" },
        nets: [{ $ref: "network/main#/cidr" }, { $ref: "prod:network/main#/network_id" }],
        deep: { db: { $ref: "database/orders#/endpoint" }, pw: { $ref: "database/orders#/password" } },
        whole: { $ref: "network/main#/tags" },
        everything: { $ref: "prod:network/main" },
        not_a_ref: { $ref: "network/main#/cidr", extra: true },
      },
      context,
      runtimes,
    );
    expect(result.config).toEqual({
      name: "api",
      network: "net-0abc",
      nets: ["10.0.0.0/16", "net-prod"],
      deep: { db: "db:5432", pw: "s3cret-pw" },
      whole: { a: "b" },
      everything: { network_id: "net-prod" },
      not_a_ref: { $ref: "network/main#/cidr", extra: true },
    });
    expect(result.consumed).toEqual([
      { producer: "dev:database/orders", version: 2, keys: ["/endpoint", "/password"] },
      { producer: "dev:network/main", version: 4, keys: ["/cidr", "/network_id", "/tags"] },
      { producer: "prod:network/main", version: 9, keys: ["", "/network_id"] },
    ]);
    expect(result.secrets).toEqual(["db:5432", "s3cret-pw"]);
  });

  it("reports every unresolvable reference at once, with pointer, producer and fix", () => {
    let error: unknown;
    try {
      resolveReferences(
        {
          a: { $ref: "network/other#/network_id" },
          b: [{ $ref: "network/main#/vpc_id" }],
          c: { $ref: "Network/main#/x" },
        },
        context,
        runtimes,
      );
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationFailedError);
    const problems = (error as ValidationFailedError).problems;
    expect(problems.map((p) => [p.code, p.pointer, p.file])).toEqual([
      ["ref.runtime-missing", "/a", context.file],
      ["ref.runtime-key-missing", "/b/0", context.file],
      ["ref.malformed", "/c", context.file],
    ]);
    expect(problems[0]?.message).toMatch(/network\/other has no runtime yet/);
    expect(problems[0]?.fix).toBe("deploy it first: karma deploy network other --env dev");
    expect(problems[1]?.message).toMatch(/runtime of network\/main \(version 4\) has nothing at "\/vpc_id"/);
    expect(problems[1]?.fix).toContain("#/network_id");
  });

  it("parses ref strings", () => {
    expect(parseRuntimeRef("vpc/main#/vpc_id", "dev")).toEqual({
      ok: true,
      target: { env: "dev", type: "vpc", nickname: "main" },
      key: "/vpc_id",
    });
    expect(parseRuntimeRef("prod:vpc/main", "dev")).toMatchObject({ ok: true, key: "" });
    expect(parseRuntimeRef("vpc/main#vpc_id", "dev")).toMatchObject({ ok: false });
  });
});
