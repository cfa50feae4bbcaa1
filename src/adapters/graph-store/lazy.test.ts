import { describe, expect, it } from "vitest";
import type { GraphStore } from "../../ports/graph-store.js";
import { lazyAuditLog, lazyGraphStore } from "./lazy.js";

function fakeStore(calls: string[]): GraphStore {
  const fail = () => Promise.reject(new Error("not in this fake"));
  return {
    description: "fake",
    writeVersion: fail,
    listVersions: async () => {
      calls.push("listVersions");
      return [];
    },
    latestVersion: fail,
    readGraph: fail,
    readEdges: fail,
    nodeIds: fail,
    getNode: fail,
    edgesOf: fail,
    dependencies: fail,
    dependents: async (ids) => {
      calls.push(`dependents ${ids.join(",")}`);
      return [];
    },
    shortestPath: fail,
    waves: fail,
    cycles: fail,
    findings: fail,
    diff: fail,
    gremlin: async () => ["g"],
    close: async () => {
      calls.push("close");
    },
  };
}

describe("lazyGraphStore", () => {
  it("loads the real store on the first call only, forwards calls, and closes what it opened", async () => {
    const calls: string[] = [];
    let loads = 0;
    const store = lazyGraphStore(
      "lazy fake",
      async () => {
        loads++;
        return fakeStore(calls);
      },
      { gremlin: true },
    );
    expect(store.description).toBe("lazy fake");
    expect(loads).toBe(0);
    await store.listVersions();
    await store.dependents(["dev:a/b"]);
    expect(await store.gremlin?.([])).toEqual(["g"]);
    await store.close();
    expect(loads).toBe(1);
    expect(calls).toEqual(["listVersions", "dependents dev:a/b", "close"]);
  });

  it("closing a store that was never used loads nothing", async () => {
    let loads = 0;
    const load = async () => {
      loads++;
      return fakeStore([]);
    };
    const store = lazyGraphStore("x", load, { gremlin: false });
    expect(store.gremlin).toBeUndefined();
    await store.close();
    expect(loads).toBe(0);
  });

  it("an audit log stand-in loads on its first query", async () => {
    let loads = 0;
    const log = lazyAuditLog("lazy log", async () => {
      loads++;
      return {
        description: "real",
        append: async () => {
          throw new Error("no");
        },
        appendAll: async () => [],
        query: async () => [],
        close: async () => {},
      };
    });
    await log.close();
    expect(loads).toBe(0);
    expect(await log.query({})).toEqual([]);
    expect(loads).toBe(1);
  });
});
