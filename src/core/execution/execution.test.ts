import { describe, expect, it } from "vitest";
import type { Reference } from "../estate/model.js";
import { computeChangePlan, type PlanEdge } from "../planning/compute-plan.js";
import { declaredEdges } from "../planning/edges.js";
import { readPolicies } from "../policies/settings.js";
import { executionEntries } from "./entries.js";
import { type Completion, Execution, type ExecutionEntry } from "./execution.js";
import { changedKeys, decidePropagation, runtimeChanged } from "./propagation.js";

const ref = (producer: string, keys: string[], byName = false) => ({ producer, keys, byName });

/** a ← b ← c (c depends on b depends on a), d independent, e depends on a by name. */
function chain(): ExecutionEntry[] {
  return [
    { id: "dev:x/a", wave: 0, dependencies: [], inputs: [], cause: "unpublished" },
    { id: "dev:x/d", wave: 0, dependencies: [], inputs: [], cause: "never-deployed" },
    { id: "dev:x/b", wave: 1, dependencies: ["dev:x/a"], inputs: [ref("dev:x/a", ["/id"])] },
    { id: "dev:x/e", wave: 1, dependencies: ["dev:x/a"], inputs: [ref("dev:x/a", [], true)] },
    { id: "dev:x/c", wave: 2, dependencies: ["dev:x/b"], inputs: [ref("dev:x/b", ["/url"])] },
  ];
}

const ok = (before: unknown, after: unknown): Completion => ({
  status: "succeeded",
  runtime: { before: before as never, after: after as never },
});

/** Drives the machine to the end; `run` decides each started component's completion. */
function drive(execution: Execution, run: (id: string) => Completion, log: string[][] = []) {
  for (let started = execution.next(); started.length > 0; started = execution.next()) {
    log.push(started.map((s) => s.id));
    // complete in start order, one per step, to keep other slots busy
    for (const s of started) execution.complete(s.id, run(s.id));
  }
  return Object.fromEntries(execution.snapshot().map((s) => [s.id, s.status]));
}

describe("propagation rule", () => {
  it("redeploys only consumers of a key whose value changed, naming the keys, never the values", () => {
    const change = {
      before: { id: "n-1", cidr: "10.0.0.0/16", tags: { a: 1 } },
      after: { id: "n-2", cidr: "10.0.0.0/16", tags: { a: 1 } },
    };
    const yes = decidePropagation(ref("dev:net/main", ["/id"]), change);
    expect(yes).toMatchObject({ redeploy: true, changedKeys: ["/id"] });
    expect(yes.why).toBe("consumes dev:net/main#/id, which changed");
    expect(yes.why).not.toContain("n-2");
    const no = decidePropagation(ref("dev:net/main", ["/cidr", "/tags/a"]), change);
    expect(no).toMatchObject({ redeploy: false });
    expect(no.why).toBe("consumed keys unchanged (dev:net/main#/cidr, dev:net/main#/tags/a)");
  });

  it("compares canonically: key order in the runtime JSON is not a change", () => {
    const change = { before: { a: { x: 1, y: 2 } }, after: { a: { y: 2, x: 1 } } };
    expect(runtimeChanged(change)).toBe(false);
    expect(decidePropagation(ref("p", [], true), change).redeploy).toBe(false);
  });

  it("a whole-runtime $ref (key '') or a reference by name redeploys on any change, and not otherwise", () => {
    const change = { before: { a: 1, b: 1 }, after: { a: 1, b: 2 } };
    expect(decidePropagation(ref("p", [""]), change)).toMatchObject({ redeploy: true, changedKeys: [""] });
    expect(decidePropagation(ref("p", [], true), change).why).toMatch(/by name and its runtime changed/);
    expect(decidePropagation(ref("p", [], true), { before: { a: 1 }, after: { a: 1 } })).toEqual({
      redeploy: false,
      producer: "p",
      why: "p's runtime is identical",
    });
    expect(decidePropagation(ref("p", ["/a"]), { before: { a: 1 }, after: { a: 1 } }).why).toBe(
      "consumed keys unchanged (p#/a; the runtime is identical)",
    );
  });

  it("a key that appears or disappears is a change", () => {
    expect(changedKeys({ before: { a: 1 }, after: { a: 1, b: 2 } }, ["/a", "/b"])).toEqual(["/b"]);
    expect(changedKeys({ before: undefined, after: { a: 1 } }, ["/a"])).toEqual(["/a"]);
  });
});

describe("execution status machine", () => {
  it("propagates only along changed consumed keys and stops where runtimes did not change", () => {
    const execution = new Execution(chain(), { parallelism: 4, keepGoing: false });
    const result = drive(execution, (id) =>
      id === "dev:x/a" ? ok({ id: 1, name: "a" }, { id: 1, name: "A" }) : ok({ url: "u" }, { url: "u" }),
    );
    // b consumes a#/id, which did not change; e names a, whose runtime changed
    expect(result).toEqual({
      "dev:x/a": "succeeded",
      "dev:x/d": "succeeded",
      "dev:x/b": "unaffected",
      "dev:x/e": "succeeded",
      "dev:x/c": "unaffected",
    });
    const states = new Map(execution.snapshot().map((s) => [s.id, s]));
    expect(states.get("dev:x/b")?.reason).toBe("unaffected: consumed keys unchanged (dev:x/a#/id)");
    expect(states.get("dev:x/c")?.reason).toBe("unaffected: no producer changed");
    expect(states.get("dev:x/e")?.reason).toMatch(/references dev:x\/a by name/);
  });

  it("runs the chain when each runtime change reaches the next consumer", () => {
    const execution = new Execution(chain(), { parallelism: 4, keepGoing: false });
    const result = drive(execution, (id) =>
      id === "dev:x/a"
        ? ok({ id: 1 }, { id: 2 })
        : id === "dev:x/b"
          ? ok({ url: "u1" }, { url: "u2" })
          : ok({}, {}),
    );
    expect(result["dev:x/b"]).toBe("succeeded");
    expect(result["dev:x/c"]).toBe("succeeded");
    expect(execution.snapshot().find((s) => s.id === "dev:x/c")?.reason).toBe(
      "consumes dev:x/b#/url, which changed",
    );
  });

  it("fail-fast: after the first failure nothing new starts, running work finishes, the rest is skipped", () => {
    const execution = new Execution(chain(), { parallelism: 1, keepGoing: false });
    const order: string[][] = [];
    const result = drive(
      execution,
      (id) => (id === "dev:x/a" ? { status: "failed", reason: "boom" } : ok({}, { v: 1 })),
      order,
    );
    expect(order).toEqual([["dev:x/a"]]);
    expect(result).toEqual({
      "dev:x/a": "failed",
      "dev:x/d": "skipped",
      "dev:x/b": "skipped",
      "dev:x/e": "skipped",
      "dev:x/c": "skipped",
    });
    const reasons = new Map(execution.snapshot().map((s) => [s.id, s.reason]));
    expect(reasons.get("dev:x/d")).toMatch(/stopped after dev:x\/a failed .*--keep-going/);
    expect(reasons.get("dev:x/b")).toBe("depends on dev:x/a, which failed");
    expect(reasons.get("dev:x/c")).toBe("depends on dev:x/b, which was skipped");
    expect(execution.finished).toBe(true);
  });

  it("fail-fast lets a component already running finish", () => {
    const execution = new Execution(chain(), { parallelism: 2, keepGoing: false });
    expect(execution.next().map((s) => s.id)).toEqual(["dev:x/a", "dev:x/d"]);
    execution.complete("dev:x/a", { status: "failed", reason: "boom" });
    expect(execution.next()).toEqual([]);
    expect(execution.finished).toBe(false);
    execution.complete("dev:x/d", ok(undefined, { v: 1 }));
    expect(execution.next()).toEqual([]);
    expect(execution.finished).toBe(true);
    expect(execution.status("dev:x/d")).toBe("succeeded");
  });

  it("keep-going: everything not depending on the failure still runs; dependents are skipped, not failed", () => {
    const entries: ExecutionEntry[] = [
      ...chain(),
      { id: "dev:x/f", wave: 1, dependencies: ["dev:x/d"], inputs: [ref("dev:x/d", ["/v"])] },
    ];
    const execution = new Execution(entries, { parallelism: 1, keepGoing: true });
    const result = drive(execution, (id) =>
      id === "dev:x/a" ? { status: "failed", reason: "boom" } : ok({ v: 0 }, { v: 1 }),
    );
    expect(result).toEqual({
      "dev:x/a": "failed",
      "dev:x/d": "succeeded",
      "dev:x/b": "skipped",
      "dev:x/e": "skipped",
      "dev:x/f": "succeeded",
      "dev:x/c": "skipped",
    });
  });

  it("a component that could not run (no runner) skips only consumers of its values, even in fail-fast", () => {
    const entries: ExecutionEntry[] = [
      { id: "dev:x/a", wave: 0, dependencies: [], inputs: [], cause: "never-deployed" },
      // takes a key from a: cannot get its input
      {
        id: "dev:x/b",
        wave: 1,
        dependencies: ["dev:x/a"],
        inputs: [ref("dev:x/a", ["/id"])],
        cause: "never-deployed",
      },
      // names a (ordering only): still deploys
      {
        id: "dev:x/e",
        wave: 1,
        dependencies: ["dev:x/a"],
        inputs: [ref("dev:x/a", [], true)],
        cause: "never-deployed",
      },
      // only a dependent of e: e's runtime changed, so it runs
      { id: "dev:x/g", wave: 2, dependencies: ["dev:x/e"], inputs: [ref("dev:x/e", [], true)] },
      // names b, which could not run for want of a's values: ordering only, so it still deploys
      {
        id: "dev:x/h",
        wave: 2,
        dependencies: ["dev:x/b"],
        inputs: [ref("dev:x/b", [], true)],
        cause: "never-deployed",
      },
    ];
    const execution = new Execution(entries, { parallelism: 1, keepGoing: false });
    const result = drive(execution, (id) =>
      id === "dev:x/a" ? { status: "skipped", reason: "no terraform here" } : ok(undefined, { v: 1 }),
    );
    expect(result).toEqual({
      "dev:x/a": "skipped",
      "dev:x/b": "skipped",
      "dev:x/e": "succeeded",
      "dev:x/g": "succeeded",
      "dev:x/h": "succeeded",
    });
    expect(execution.halted).toBe(false);
    const reasons = Object.fromEntries(execution.snapshot().map((s) => [s.id, s.reason]));
    expect(reasons["dev:x/a"]).toBe("no terraform here");
    expect(reasons["dev:x/b"]).toBe("depends on dev:x/a, which was skipped");
  });

  it("a dependent with its own cause still waits for its dependencies and is skipped when one fails", () => {
    const entries: ExecutionEntry[] = [
      { id: "dev:x/a", wave: 0, dependencies: [], inputs: [], cause: "unpublished" },
      {
        id: "dev:x/b",
        wave: 1,
        dependencies: ["dev:x/a"],
        inputs: [ref("dev:x/a", ["/id"])],
        cause: "stale",
      },
    ];
    const execution = new Execution(entries, { parallelism: 4, keepGoing: true });
    expect(execution.next().map((s) => s.id)).toEqual(["dev:x/a"]);
    execution.complete("dev:x/a", { status: "failed", reason: "boom" });
    expect(execution.next()).toEqual([]);
    expect(execution.snapshot()[1]).toMatchObject({
      status: "skipped",
      reason: "depends on dev:x/a, which failed",
    });
  });

  it("never runs more than `parallelism` at once, and fills free slots in wave then id order", () => {
    const entries: ExecutionEntry[] = Array.from({ length: 7 }, (_, i) => ({
      id: `dev:x/n${i}`,
      wave: 0,
      dependencies: [],
      inputs: [],
      cause: "never-deployed",
    }));
    entries.push({ id: "dev:x/z", wave: 1, dependencies: ["dev:x/n0"], inputs: [], cause: "never-deployed" });
    const execution = new Execution(entries, { parallelism: 3, keepGoing: false });
    const running = new Set<string>();
    let peak = 0;
    const started: string[] = [];
    for (let batch = execution.next(); batch.length > 0 || running.size > 0; batch = execution.next()) {
      for (const s of batch) {
        running.add(s.id);
        started.push(s.id);
      }
      peak = Math.max(peak, running.size);
      const first = [...running].sort()[0]!;
      running.delete(first);
      execution.complete(first, ok({}, {}));
    }
    expect(peak).toBe(3);
    expect(started).toEqual([
      "dev:x/n0",
      "dev:x/n1",
      "dev:x/n2",
      "dev:x/n3",
      "dev:x/n4",
      "dev:x/n5",
      "dev:x/n6",
      "dev:x/z",
    ]);
    expect(execution.finished).toBe(true);
  });

  it("a component never starts before its dependencies end", () => {
    const execution = new Execution(chain(), { parallelism: 8, keepGoing: false });
    expect(execution.next().map((s) => s.id)).toEqual(["dev:x/a", "dev:x/d"]);
    execution.complete("dev:x/d", ok(undefined, { v: 1 }));
    expect(execution.next()).toEqual([]);
    expect(execution.status("dev:x/b")).toBe("pending");
  });

  it("entries caught in a cycle are skipped with the reason rather than hanging the run", () => {
    const execution = new Execution(
      [
        { id: "a", wave: 0, dependencies: ["b"], inputs: [], cause: "x" },
        { id: "b", wave: 0, dependencies: ["a"], inputs: [], cause: "x" },
      ],
      { parallelism: 2, keepGoing: false },
    );
    expect(execution.next()).toEqual([]);
    expect(execution.finished).toBe(true);
    expect(execution.snapshot()[0]?.reason).toMatch(/cycle/);
  });

  it("refuses a parallelism below 1 and completions of components that are not running", () => {
    expect(() => new Execution([], { parallelism: 0, keepGoing: false })).toThrow(/parallelism/);
    const execution = new Execution(chain(), { parallelism: 1, keepGoing: false });
    expect(() => execution.complete("dev:x/b", ok({}, {}))).toThrow(/not running/);
  });
});

describe("execution entries from a plan", () => {
  const target = (id: string) => {
    const [env, rest] = id.split(":") as [string, string];
    const [type, nickname] = rest.split("/") as [string, string];
    return { env, type, nickname };
  };

  it("takes $ref keys, by-name references and pasted copies per producer in the run; externals and outsiders ignored", () => {
    const references: Reference[] = [
      {
        form: "ref",
        pointer: "/net",
        target: target("dev:network/main"),
        external: false,
        key: "/network_id",
      },
      { form: "ref", pointer: "/cidr", target: target("dev:network/main"), external: false, key: "/cidr" },
      {
        form: "nickname-field",
        pointer: "/database_nickname",
        target: target("dev:database/orders"),
        external: false,
      },
      { form: "runtime-path", pointer: "/dd", target: target("dev:datadog/main"), external: true },
      { form: "depends-on", pointer: "/depends_on/0", target: target("dev:dns-zone/main"), external: false },
    ];
    const pasted: PlanEdge[] = [
      {
        from: "dev:app/pasted",
        to: "dev:network/main",
        kind: "inferred",
        evidence: { form: "inferred", pointer: "/vpc", producerKey: "/network_id" },
      },
      {
        from: "dev:app/pasted",
        to: "dev:network/main",
        kind: "consumes",
        evidence: { form: "inferred", pointer: "/vpc", producerKey: "/network_id" },
      },
    ];
    const plan = computeChangePlan({
      base: { kind: "published" },
      graph: { kind: "working-tree" },
      reasons: [
        { kind: "undeployed", id: "dev:network/main", detail: "never deployed" },
        { kind: "undeployed", id: "dev:database/orders", detail: "never deployed" },
      ],
      edges: [...declaredEdges("dev:service/api", references), ...pasted],
      policies: readPolicies({}),
      mode: "apply",
    });
    const members = new Set(["dev:network/main", "dev:database/orders", "dev:service/api", "dev:app/pasted"]);
    const entries = executionEntries(
      plan.entries,
      members,
      new Map([["dev:network/main", "never deployed"]]),
    );
    expect(entries.find((e) => e.id === "dev:service/api")).toEqual({
      id: "dev:service/api",
      wave: 1,
      dependencies: ["dev:database/orders", "dev:network/main"],
      inputs: [
        { producer: "dev:database/orders", keys: [], byName: true },
        { producer: "dev:network/main", keys: ["/cidr", "/network_id"], byName: false },
      ],
    });
    expect(entries.find((e) => e.id === "dev:app/pasted")?.inputs).toEqual([
      {
        producer: "dev:network/main",
        keys: [],
        byName: false,
        pasted: [{ pointer: "/vpc", producerKey: "/network_id" }],
      },
    ]);
    expect(entries.find((e) => e.id === "dev:network/main")).toMatchObject({
      cause: "never deployed",
      dependencies: [],
    });
  });

  it("a pasted copy whose producer value changed needs attention and is not redeployed for it", () => {
    const execution = new Execution(
      [
        { id: "dev:net/main", wave: 0, dependencies: [], inputs: [], cause: "config changed" },
        {
          id: "dev:app/pasted",
          wave: 1,
          dependencies: ["dev:net/main"],
          inputs: [
            {
              producer: "dev:net/main",
              keys: [],
              byName: false,
              pasted: [{ pointer: "/vpc", producerKey: "/net_id" }],
            },
          ],
        },
      ],
      { parallelism: 1, keepGoing: false },
    );
    execution.next();
    execution.complete(
      "dev:net/main",
      ok({ net_id: "vpc-0123456789abcdef0" }, { net_id: "vpc-0fedcba9876543210" }),
    );
    expect(execution.next()).toEqual([]);
    expect(execution.snapshot().find((s) => s.id === "dev:app/pasted")).toMatchObject({
      status: "attention",
      reason: expect.stringMatching(
        /^needs attention: holds the old \/net_id of dev:net\/main \(pasted at \/vpc\)/,
      ),
    });
  });
});

describe("stopping", () => {
  it("stop() starts nothing new and skips the rest with the reason", () => {
    const execution = new Execution(chain(), { parallelism: 1, keepGoing: true });
    expect(execution.next().map((s) => s.id)).toEqual(["dev:x/a"]);
    execution.stop("interrupted");
    execution.complete("dev:x/a", ok({ id: 1 }, { id: 2 }));
    expect(execution.next()).toEqual([]);
    expect(execution.finished).toBe(true);
    expect(execution.snapshot().find((s) => s.id === "dev:x/d")).toMatchObject({
      status: "skipped",
      reason: "not started: interrupted",
    });
  });
});
