import { describe, expect, it } from "vitest";
import { findBrokenUses, outputsAsSchema } from "./breaking.js";
import { draftContract } from "./draft.js";
import { promoteMoves, rollbackMoves } from "./labels.js";
import { lookupKey, typesAt } from "./lookup.js";
import { moduleOutputs } from "./terraform-outputs.js";
import type { KeyUse } from "./uses.js";

const schema = {
  type: "object",
  properties: {
    network_id: { type: "string" },
    subnets: { type: "array", items: { type: "object", properties: { id: { type: "string" } } } },
    port: { type: "integer" },
  },
  $defs: { tags: { type: "object", additionalProperties: { type: "string" } } },
  allOf: [{ properties: { tags: { $ref: "#/$defs/tags" } } }],
};

describe("lookupKey", () => {
  it("follows properties, items, allOf and local $refs; open maps only when declared", () => {
    expect(lookupKey(schema, "/network_id").found).toBe(true);
    expect(lookupKey(schema, "/subnets/0/id").found).toBe(true);
    expect(lookupKey(schema, "/tags/anything").found).toBe(true);
    expect(lookupKey(schema, "/network_idd")).toEqual({
      found: false,
      parent: "",
      missing: "network_idd",
      available: ["network_id", "port", "subnets", "tags"],
    });
    expect(lookupKey(schema, "/subnets/0/cidr")).toMatchObject({
      found: false,
      parent: "/subnets/0",
      available: ["id"],
    });
    expect(typesAt(schema, "/port")).toEqual(["integer"]);
  });
});

describe("moduleOutputs", () => {
  it("finds only real top-level output blocks, with sensitive and description", () => {
    const tf = `
# output "commented" { value = 1 }
/* output "block_comment" {
  value = 2
} */
locals {
  text = "output \\"in_string\\" { }"
  tpl  = "\${jsonencode({ a = "}" })}"
  doc  = <<-EOT
    output "in_heredoc" {
      value = 3
    }
  EOT
}
output "id" {
  description = "the id"
  value       = { nested = { sensitive = true } }
}
output "secret" {
  value     = "x"
  sensitive = true
}
output "brace_in_template" {
  value = "\${local.tpl}}"
}
`;
    const json = JSON.stringify({ output: { from_json: { value: 1, sensitive: true } } });
    const outputs = moduleOutputs([
      { path: "main.tf", text: tf },
      { path: "extra.tf.json", text: json },
    ]);
    expect(outputs.map((o) => [o.name, o.sensitive, o.description])).toEqual([
      ["brace_in_template", false, undefined],
      ["from_json", true, undefined],
      ["id", false, "the id"],
      ["secret", true, undefined],
    ]);
  });

  it("drafts a contract with sensitive flags and a redacted example typed from a runtime", () => {
    const draft = draftContract(
      "db",
      [
        { name: "endpoint", sensitive: false, file: "main.tf" },
        { name: "password", sensitive: true, file: "main.tf" },
      ],
      { from: "dev:db/main", value: { endpoint: "sqlite://x", password: "hunter2" } },
    );
    expect(draft.properties).toEqual({
      endpoint: { type: "string" },
      password: { type: "string", "x-sensitive": true },
    });
    expect(draft.examples).toEqual([{ endpoint: "sqlite://x", password: "example-password" }]);
    expect(JSON.stringify(draft)).not.toContain("hunter2");
  });
});

describe("findBrokenUses", () => {
  const use = (key: string): KeyUse => ({
    consumer: "dev:service/api",
    file: "iac/dev/service/api/config.json",
    pointer: "/net",
    producer: { env: "dev", type: "network", nickname: "main" },
    key,
    form: "ref",
  });
  it("reports removed (with the rename guess) and retyped keys; additions break nothing", () => {
    const after = {
      type: "object",
      properties: { network_ids: { type: "string" }, port: { type: "string" }, extra: {} },
    };
    const broken = findBrokenUses(
      [{ type: "network", source: "types/network/outputs.schema.json", before: schema, after }],
      [use("/network_id"), use("/port"), use("/unknown")],
    );
    expect(broken.map((b) => [b.key, b.kind, b.suggestion, b.to])).toEqual([
      ["/network_id", "removed", "/network_ids", undefined],
      ["/port", "retyped", undefined, ["string"]],
    ]);
    const additive = findBrokenUses(
      [
        {
          type: "network",
          source: "x",
          before: schema,
          after: { ...schema, properties: { ...schema.properties, more: {} } },
        },
      ],
      [use("/network_id"), use("/port")],
    );
    expect(additive).toEqual([]);
  });
  it("compares module output names when there is no contract", () => {
    const before = outputsAsSchema([{ name: "network_id", sensitive: false, file: "main.tf" }]);
    const after = outputsAsSchema([{ name: "id", sensitive: false, file: "main.tf" }]);
    expect(
      findBrokenUses(
        [{ type: "network", source: "types/network/main.tf", before, after }],
        [use("/network_id")],
      ),
    ).toHaveLength(1);
  });
});

describe("blue-green labels", () => {
  it("promotes the candidate, keeps the old live as previous, and rolls back", () => {
    expect(promoteMoves({ latest: 1 })).toEqual({ refused: "it has no candidate runtime" });
    const promote = promoteMoves({ latest: 2, live: 1, candidate: 2 });
    expect(promote).toEqual({
      moves: [
        { version: 1, label: "previous" },
        { version: 2, label: "live" },
      ],
      unlabel: [],
    });
    expect(promoteMoves({ latest: 2, live: 2, candidate: 2 })).toHaveProperty("refused");
    // after the promote: back to v1, v2 is the candidate again
    expect(rollbackMoves({ latest: 2, live: 2, candidate: 2, previous: 1 })).toEqual({
      moves: [
        { version: 1, label: "live" },
        { version: 2, label: "candidate" },
      ],
      unlabel: [{ version: 1, label: "previous" }],
    });
    // an unpromoted candidate is dropped
    expect(rollbackMoves({ latest: 3, live: 2, candidate: 3 })).toEqual({
      moves: [{ version: 2, label: "live" }],
      unlabel: [{ version: 3, label: "candidate" }],
    });
  });
});
