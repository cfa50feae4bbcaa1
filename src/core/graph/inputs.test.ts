import { describe, expect, it } from "vitest";
import { indexTypes } from "../references/extract.js";
import { inputFromStore, type StoredParameter } from "./inputs.js";

const p = (name: string, value: unknown, extra: Partial<StoredParameter> = {}): StoredParameter => ({
  name,
  type: "String",
  value: typeof value === "string" ? value : JSON.stringify(value),
  version: 3,
  ...extra,
});

describe("inputFromStore", () => {
  const types = indexTypes(["vpc", "s3-bucket", "site"]);

  it("reads configs (with references), runtimes (with provenance) and externals; ignores other names", () => {
    const result = inputFromStore(
      "dev",
      "/iac",
      [
        p("/iac/environment", "dev"),
        p("/iac/site/www/config", { s3_bucket_nickname: "assets" }),
        p(
          "/iac/vpc/main/runtime",
          { vpc_id: "vpc-0abc1234def567890" },
          { description: '{"by":"karma deploy","configVersion":2}' },
        ),
        p("/iac/vpc/main/extra/deep/config", {}),
      ],
      [p("/external/dns-zone/corp/runtime", "ciphertext", { type: "SecureString" }), p("/external/oops", {})],
      types,
    );
    expect(result.problems).toEqual([]);
    expect(result.components).toEqual([
      {
        env: "dev",
        type: "site",
        nickname: "www",
        config: { s3_bucket_nickname: "assets" },
        configVersion: 3,
        references: [
          {
            form: "nickname-field",
            pointer: "/s3_bucket_nickname",
            target: { env: "dev", type: "s3-bucket", nickname: "assets" },
            external: false,
          },
        ],
      },
    ]);
    expect(result.runtimes).toEqual([
      {
        env: "dev",
        type: "vpc",
        nickname: "main",
        external: false,
        secure: false,
        values: { vpc_id: "vpc-0abc1234def567890" },
        version: 3,
        producedFromConfigVersion: 2,
      },
      { env: "dev", type: "dns-zone", nickname: "corp", external: true, secure: true, version: 3 },
    ]);
  });

  it("keeps a component whose published config is unreadable, with a warning", () => {
    const result = inputFromStore("dev", "/iac", [p("/iac/vpc/main/config", "{not json")], [], types);
    expect(result.components.map((c) => [c.nickname, c.config, c.references])).toEqual([["main", {}, []]]);
    expect(result.problems.map((x) => [x.code, x.component])).toEqual([
      ["graph.config-unreadable", "dev:vpc/main"],
    ]);
  });
});
