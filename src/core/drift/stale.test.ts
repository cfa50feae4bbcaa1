import { describe, expect, it } from "vitest";
import {
  type ConsumerRecord,
  describeStaleness,
  findStaleConsumers,
  historyNeeded,
  type ProducerRuntimes,
} from "./stale.js";

const api: ConsumerRecord = {
  id: "dev:service/api",
  consumed: { "dev:network/main": 3, "dev:database/orders": 2 },
  keys: new Map([
    ["dev:network/main", ["/network_id"]],
    ["dev:database/orders", ["/password"]],
  ]),
};

describe("stale consumers", () => {
  it("asks only for the old versions that are behind the current one and actually consumed", () => {
    const current = new Map([
      ["dev:network/main", 5],
      ["dev:database/orders", 2],
    ]);
    const orphanKeys: ConsumerRecord = {
      id: "dev:x/y",
      consumed: { "dev:network/main": 1 },
      keys: new Map(),
    };
    expect(historyNeeded([api, orphanKeys], current)).toEqual([{ producer: "dev:network/main", version: 3 }]);
  });

  it("is stale when a consumed key changed since the consumed version, naming keys and versions only", () => {
    const producers = new Map<string, ProducerRuntimes>([
      [
        "dev:network/main",
        {
          current: { version: 5, value: { network_id: "net-new", cidr: "x" } },
          history: new Map([[3, { network_id: "net-old", cidr: "x" }]]),
        },
      ],
      [
        "dev:database/orders",
        { current: { version: 2, value: { password: "s3cret-canary" } }, history: new Map() },
      ],
    ]);
    const [stale] = findStaleConsumers([api], producers);
    expect(stale).toEqual({
      id: "dev:service/api",
      inputs: [
        { producer: "dev:network/main", consumedVersion: 3, currentVersion: 5, changedKeys: ["/network_id"] },
      ],
    });
    const text = describeStaleness(stale!);
    expect(text).toBe("consumed dev:network/main v3, now v5 (#/network_id changed)");
    expect(text).not.toMatch(/net-new|net-old|s3cret/);
  });

  it("is not stale when newer producer versions left the consumed keys alone", () => {
    const producers = new Map<string, ProducerRuntimes>([
      [
        "dev:network/main",
        {
          current: { version: 5, value: { network_id: "n", cidr: "new" } },
          history: new Map([[3, { network_id: "n", cidr: "old" }]]),
        },
      ],
    ]);
    expect(findStaleConsumers([api], producers)).toEqual([]);
  });

  it("a secret consumed key is compared like any other, and a missing old version counts as stale by version", () => {
    const producers = new Map<string, ProducerRuntimes>([
      ["dev:network/main", { current: { version: 5, value: { network_id: "n" } }, history: new Map() }],
      [
        "dev:database/orders",
        {
          current: { version: 3, value: { password: "new-secret" } },
          history: new Map([[2, { password: "old-secret" }]]),
        },
      ],
    ]);
    const [stale] = findStaleConsumers([api], producers);
    expect(stale?.inputs).toEqual([
      { producer: "dev:database/orders", consumedVersion: 2, currentVersion: 3, changedKeys: ["/password"] },
      {
        producer: "dev:network/main",
        consumedVersion: 3,
        currentVersion: 5,
        changedKeys: ["/network_id"],
        historyMissing: true,
      },
    ]);
    expect(describeStaleness(stale!)).not.toMatch(/secret/);
    expect(describeStaleness(stale!)).toMatch(/v3 is no longer kept/);
  });

  it("ignores producers with no runtime any more and producers the config no longer references", () => {
    const consumer: ConsumerRecord = {
      id: "dev:a/b",
      consumed: { "dev:gone/x": 1, "dev:old/y": 1 },
      keys: new Map([["dev:gone/x", ["/k"]]]),
    };
    const producers = new Map<string, ProducerRuntimes>([
      ["dev:old/y", { current: { version: 4, value: { k: 2 } }, history: new Map([[1, { k: 1 }]]) }],
    ]);
    expect(findStaleConsumers([consumer], producers)).toEqual([]);
  });
});
