import { describe, expect, it } from "vitest";
import type { Component } from "../estate/model.js";
import type { TreeParameter } from "../parameters/model.js";
import { indexStoreTree } from "../parameters/store-index.js";
import { planPublish } from "../publish/plan-publish.js";
import { computeStatus } from "./compute-status.js";

function component(env: string, type: string, nickname: string, config: object): Component {
  const canonical = JSON.stringify(config);
  return {
    id: `${env}:${type}/${nickname}`,
    env,
    type,
    nickname,
    file: `iac/${env}/${type}/${nickname}/config.json`,
    config: config as Component["config"],
    canonical,
    references: [],
  };
}

function param(name: string, value: string, version: number, description?: string): TreeParameter {
  return {
    name,
    value,
    version,
    type: "String",
    lastModifiedDate: new Date(0),
    arn: "",
    dataType: "text",
    description,
  };
}

const runtimeFrom = (configVersion: number) => JSON.stringify({ by: "karma deploy", configVersion });
const all = () => true;

describe("computeStatus", () => {
  const components = [
    component("dev", "vpc", "main", { cidr: "10.0.0.0/16" }),
    component("dev", "db", "orders", { size: 20 }),
    component("dev", "svc", "api", { port: 80 }),
    component("dev", "svc", "old", { port: 81 }),
    component("dev", "site", "www", { title: "x" }),
  ];
  const index = indexStoreTree("dev", "/iac", [
    param("/iac/environment", "dev", 1),
    param("/iac/vpc/main/config", '{"cidr":"10.0.0.0/16"}', 2),
    param("/iac/vpc/main/runtime", '{"vpc_id":"vpc-1"}', 1, runtimeFrom(2)),
    // same meaning, written by another tool with whitespace: still published
    param("/iac/db/orders/config", '{ "size": 20 }', 1),
    param("/iac/svc/api/config", '{"port":80}', 3),
    param("/iac/svc/api/runtime", "{}", 4, runtimeFrom(2)),
    param("/iac/svc/old/config", '{"port":80}', 1),
    param("/iac/gone/away/runtime", "{}", 1, runtimeFrom(1)),
  ]);
  const report = computeStatus(components, new Map([["dev", index]]), all);
  const states = Object.fromEntries(report.components.map((c) => [c.id, c.state]));

  it("classifies each component", () => {
    expect(states).toEqual({
      "dev:vpc/main": "in-sync",
      "dev:db/orders": "never-deployed",
      "dev:svc/api": "undeployed",
      "dev:svc/old": "unpublished",
      "dev:site/www": "unpublished",
      "dev:gone/away": "orphaned",
    });
    expect(report.components.find((c) => c.id === "dev:svc/api")).toMatchObject({
      configVersion: 3,
      runtimeVersion: 4,
      deployedConfigVersion: 2,
    });
    expect(report.summary).toMatchObject({ total: 6, "in-sync": 1, unpublished: 2, orphaned: 1 });
  });

  it("sorts by id", () => {
    const ids = report.components.map((c) => c.id);
    expect(ids).toEqual([...ids].sort());
  });

  it("marks an otherwise in-sync component stale, and only that one, naming keys and versions", () => {
    const stale = [
      {
        id: "dev:vpc/main",
        inputs: [{ producer: "dev:net/x", consumedVersion: 1, currentVersion: 2, changedKeys: ["/id"] }],
      },
      // undeployed wins over stale: deploying it is needed anyway
      {
        id: "dev:svc/api",
        inputs: [{ producer: "dev:net/x", consumedVersion: 1, currentVersion: 2, changedKeys: ["/id"] }],
      },
    ];
    const withStale = computeStatus(components, new Map([["dev", index]]), all, stale);
    const vpc = withStale.components.find((c) => c.id === "dev:vpc/main");
    expect(vpc).toMatchObject({ state: "stale", reason: "consumed dev:net/x v1, now v2 (#/id changed)" });
    expect(vpc?.stale).toEqual(stale[0]?.inputs);
    expect(withStale.components.find((c) => c.id === "dev:svc/api")?.state).toBe("undeployed");
    expect(withStale.summary).toMatchObject({ stale: 1, "in-sync": 0, undeployed: 1 });
  });

  it("leaves store-only components out of scope when the selection excludes them", () => {
    const scoped = computeStatus(components.slice(0, 1), new Map([["dev", index]]), (a) => a.type === "vpc");
    expect(scoped.components.map((c) => c.id)).toEqual(["dev:vpc/main"]);
  });
});

describe("planPublish", () => {
  it("publishes only what differs, and reports configs whose file is gone", () => {
    const index = indexStoreTree("dev", "/iac", [
      param("/iac/vpc/main/config", '{"cidr":"10.0.0.0/16"}', 2),
      param("/iac/svc/api/config", '{"port":79}', 5),
      param("/iac/gone/away/config", "{}", 1),
    ]);
    const plan = planPublish(
      [
        component("dev", "vpc", "main", { cidr: "10.0.0.0/16" }),
        component("dev", "svc", "api", { port: 80 }),
        component("dev", "svc", "new", {}),
      ],
      new Map([["dev", index]]),
      all,
    );
    expect(plan.unchanged.map((c) => c.id)).toEqual(["dev:vpc/main"]);
    expect(plan.publish.map((e) => [e.component.id, e.name, e.previousVersion])).toEqual([
      ["dev:svc/api", "/iac/svc/api/config", 5],
      ["dev:svc/new", "/iac/svc/new/config", undefined],
    ]);
    expect(plan.missing.map((m) => [m.id, m.version])).toEqual([["dev:gone/away", 1]]);
  });
});
