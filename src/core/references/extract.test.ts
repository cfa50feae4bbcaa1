import { describe, expect, it } from "vitest";
import type { JsonObject } from "../estate/model.js";
import { extractReferences, indexTypes } from "./extract.js";

const context = {
  env: "dev",
  prefix: "/iac",
  types: indexTypes(["vpc", "s3-bucket", "grafana", "subnet", "src"]),
  file: "iac/dev/app/web/config.json",
  component: "dev:app/web",
};

const extract = (config: JsonObject) => extractReferences(config, context);
const target = (type: string, nickname: string, env = "dev") => ({ env, type, nickname });

describe("extractReferences", () => {
  it("recognises every form, anywhere in the document, sorted by pointer", () => {
    const { references, problems } = extract({
      depends_on: ["vpc/main", "prod:dns/zone"],
      vpc_id: { $ref: "vpc/main#/vpc_id" },
      network: {
        s3_bucket_nickname: "assets",
        subnets: [{ $ref: "prod:subnet/a" }, { subnet_nickname: "b" }],
      },
      sources: [{ src_type: "s3-bucket", src_nickname: "logs", prefix: "x" }],
      grafana_runtime_path: "/iac/grafana/ops/runtime",
      partner: "/external/crm/acme/runtime",
      subnet_nicknames: ["c", "d"],
    });
    expect(problems).toEqual([]);
    expect(references).toEqual([
      { form: "depends-on", pointer: "/depends_on/0", target: target("vpc", "main"), external: false },
      {
        form: "depends-on",
        pointer: "/depends_on/1",
        target: target("dns", "zone", "prod"),
        external: false,
      },
      {
        form: "runtime-path",
        pointer: "/grafana_runtime_path",
        target: target("grafana", "ops"),
        external: false,
      },
      {
        form: "nickname-field",
        pointer: "/network/s3_bucket_nickname",
        target: target("s3-bucket", "assets"),
        external: false,
      },
      {
        form: "ref",
        pointer: "/network/subnets/0",
        target: target("subnet", "a", "prod"),
        external: false,
        key: "",
      },
      {
        form: "nickname-field",
        pointer: "/network/subnets/1/subnet_nickname",
        target: target("subnet", "b"),
        external: false,
      },
      { form: "runtime-path", pointer: "/partner", target: target("crm", "acme"), external: true },
      { form: "src-pair", pointer: "/sources/0", target: target("s3-bucket", "logs"), external: false },
      {
        form: "nickname-field",
        pointer: "/subnet_nicknames/0",
        target: target("subnet", "c"),
        external: false,
      },
      {
        form: "nickname-field",
        pointer: "/subnet_nicknames/1",
        target: target("subnet", "d"),
        external: false,
      },
      { form: "ref", pointer: "/vpc_id", target: target("vpc", "main"), external: false, key: "/vpc_id" },
    ]);
  });

  it("treats unknown <x>_nickname prefixes, empty nicknames and foreign paths as plain data", () => {
    const { references, problems } = extract({
      display_nickname: "Bob",
      vpc_nickname: null,
      grafana_nickname: "",
      path: "/other/vpc/main/runtime",
      note: "/iac/vpc/main/config",
    });
    expect(references).toEqual([]);
    expect(problems).toEqual([]);
  });

  it("matches a type spelt with underscores exactly before its hyphenated twin", () => {
    const types = indexTypes(["s3-bucket", "s3_bucket"]);
    const { references } = extractReferences({ s3_bucket_nickname: "x" }, { ...context, types });
    expect(references[0]?.target.type).toBe("s3_bucket");
  });

  it("honours a multi-segment prefix", () => {
    const { references } = extractReferences(
      { a_runtime_path: "/org/iac/vpc/main/runtime", b: "/iac/vpc/main/runtime" },
      { ...context, prefix: "/org/iac/" },
    );
    expect(references.map((r) => r.pointer)).toEqual(["/a_runtime_path"]);
  });

  it.each<[string, JsonObject, string, string]>([
    ["$ref not a string", { x: { $ref: 3 } }, "/x", "must be a string"],
    ["$ref without nickname", { x: { $ref: "vpc" } }, "/x", "not of the form"],
    ["$ref bad key", { x: { $ref: "vpc/main#vpc_id" } }, "/x", "JSON pointer"],
    ["$ref with siblings", { x: { $ref: "vpc/main", default: "a" } }, "/x", '"default"'],
    ["$ref bad env", { x: { $ref: "Prod:vpc/main" } }, "/x", 'environment "Prod"'],
    ["depends_on string", { depends_on: "vpc/main" }, "/depends_on", "must be an array"],
    ["depends_on number", { depends_on: [1] }, "/depends_on/0", "strings"],
    ["depends_on bad id", { depends_on: ["vpc"] }, "/depends_on/0", "not of the form"],
    ["nickname number", { vpc_nickname: 1 }, "/vpc_nickname", "nickname as a string"],
    ["nickname invalid", { vpc_nickname: "Main" }, "/vpc_nickname", "not a valid nickname"],
    ["nicknames not array", { subnet_nicknames: "a" }, "/subnet_nicknames", "array of nicknames"],
    [
      "runtime path shape",
      { grafana_runtime_path: "/iac/grafana/ops" },
      "/grafana_runtime_path",
      "must be a runtime parameter path",
    ],
    [
      "runtime path name",
      { grafana_runtime_path: "/iac/Grafana/ops/runtime" },
      "/grafana_runtime_path",
      'type "Grafana"',
    ],
    ["pair types", { s: { src_type: "vpc", src_nickname: 2 } }, "/s", "must both be strings"],
  ])("reports %s at its pointer with a fix", (_label, config, pointer, message) => {
    const { problems } = extract(config);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({
      code: "ref.malformed",
      file: context.file,
      component: context.component,
      pointer,
      severity: "error",
    });
    expect(problems[0]!.message).toContain(message);
    expect(problems[0]!.fix).toMatch(/\S/);
  });

  it("reports half a src pair", () => {
    const { problems, references } = extract({ s: { src_type: "vpc" } });
    expect(references).toEqual([]);
    expect(problems).toEqual([
      expect.objectContaining({
        code: "ref.incomplete-pair",
        pointer: "/s",
        fix: expect.stringContaining("src_nickname"),
      }),
    ]);
  });

  it("reports several problems in one pass", () => {
    const { problems } = extract({ depends_on: [1, "x"], a: { $ref: 1 } });
    expect(problems.map((p) => p.pointer)).toEqual(["/a", "/depends_on/0", "/depends_on/1"]);
  });
});
