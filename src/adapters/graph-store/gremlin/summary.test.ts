import { describe, expect, it } from "vitest";
import { contractGraph } from "../contract.js";
import { BUCKET_COUNT, bucketOf, summarize } from "./summary.js";

describe("bucket summaries", () => {
  it("places a node by a hash that must never change (stored summaries depend on it)", () => {
    expect(bucketOf("")).toBe(0x811c9dc5 % BUCKET_COUNT);
    // FNV-1a of "a" is 0xe40c292c
    expect(bucketOf("a")).toBe(0xe40c292c % BUCKET_COUNT);
  });

  it("changes exactly the bucket of a changed node (its state and outgoing edges live there)", () => {
    const before = contractGraph("a>b", "b>c", "c>d", "d>a");
    const after = structuredClone(before);
    for (const node of after.nodes) if (node.id === "dev:t/b") node.configVersion = 2;
    for (const edge of after.edges) if (edge.from === "dev:t/b") edge.configVersion = 2;
    const [x, y] = [summarize(before), summarize(after)];
    const changed = x.buckets.flatMap((bucket, k) => (bucket.digest === y.buckets[k]!.digest ? [] : [k]));
    expect(changed).toEqual([bucketOf("dev:t/b")]);
    expect(y.buckets[bucketOf("dev:t/b")]!.members).toContain("dev:t/b");
  });

  it("does not depend on the order of nodes and edges, and sees findings apart", () => {
    const graph = contractGraph("a>b", "b>a", "c>a");
    const shuffled = { ...graph, nodes: [...graph.nodes].reverse(), edges: [...graph.edges].reverse() };
    const [x, y] = [summarize(graph), summarize(shuffled)];
    expect(y.buckets.map((b) => b.digest)).toEqual(x.buckets.map((b) => b.digest));
    expect(graph.findings.length).toBeGreaterThan(0);
    expect(summarize({ ...graph, findings: [] }).findings).not.toBe(x.findings);
  });
});
