import { spawnSync } from "node:child_process";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { JSDOM } from "jsdom";
import { beforeAll, describe, expect, it } from "vitest";
import type { Graph } from "../model.js";
import { exportGraph, subgraph } from "./index.js";

// nasty on purpose: quotes, backslashes, angle brackets, ampersands, hashes, pipes and newlines in
// config keys (they reach labels through evidence pointers)
const graph: Graph = {
  source: { kind: "store" },
  nodes: [
    {
      id: "dev:/external/dns-zone/corp",
      kind: "external",
      env: "dev",
      type: "dns-zone",
      nickname: "corp",
      runtimeVersion: 1,
    },
    {
      id: "dev:s3-bucket/assets",
      kind: "component",
      env: "dev",
      type: "s3-bucket",
      nickname: "assets",
      configVersion: 2,
    },
    { id: "dev:site/www", kind: "component", env: "dev", type: "site", nickname: "www", configVersion: 5 },
    { id: "dev:vpc/old", kind: "runtime-only", env: "dev", type: "vpc", nickname: "old", runtimeVersion: 3 },
    { id: "prod:site/www", kind: "component", env: "prod", type: "site", nickname: "www" },
  ],
  edges: [
    {
      from: "dev:site/www",
      to: "dev:/external/dns-zone/corp",
      kind: "depends_on",
      evidence: { form: "runtime-path", pointer: "/dns_runtime_path" },
    },
    {
      from: "dev:site/www",
      to: "dev:s3-bucket/assets",
      kind: "consumes",
      evidence: { form: "ref", pointer: '/we"ird\\key<&>#|x\ny', producerKey: "/bucket_arn" },
      configVersion: 5,
    },
    {
      from: "dev:site/www",
      to: "dev:s3-bucket/assets",
      kind: "depends_on",
      evidence: { form: "ref", pointer: "/a" },
      configVersion: 5,
    },
    {
      from: "dev:site/www",
      to: "dev:s3-bucket/assets",
      kind: "depends_on",
      evidence: { form: "ref", pointer: "/b" },
      configVersion: 5,
    },
    {
      from: "dev:site/www",
      to: "dev:vpc/old",
      kind: "inferred",
      evidence: {
        form: "inferred",
        pointer: "/vpc",
        producerKey: "/vpc_id",
        fingerprint: "sha256:0123456789ab",
        reason: "aws-id",
      },
    },
    {
      from: "prod:site/www",
      to: "dev:s3-bucket/assets",
      kind: "depends_on",
      evidence: { form: "depends-on", pointer: "/depends_on/0" },
    },
  ],
  findings: [],
};

describe("DOT export", () => {
  it("renders with Graphviz dot", () => {
    const dot = exportGraph(graph, "dot");
    const result = spawnSync("/usr/bin/dot", ["-Tsvg"], { input: dot, encoding: "utf8" });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("<svg");
    const svg = result.stdout.replace(/&#45;/g, "-");
    for (const node of graph.nodes) expect(svg).toContain(`<title>${node.id}</title>`);
    // duplicate depends_on declarations collapse into one drawn edge
    expect(dot.match(/"dev:site\/www" -> "dev:s3-bucket\/assets" \[style=solid\]/g)).toHaveLength(1);
  });
});

describe("Mermaid export", () => {
  let mermaid: { parse(text: string): Promise<unknown>; initialize(config: object): void };
  beforeAll(async () => {
    const dom = new JSDOM("<!doctype html><html><body></body></html>");
    Object.assign(globalThis, { window: dom.window, document: dom.window.document });
    mermaid = (await import("mermaid")).default as unknown as typeof mermaid;
    mermaid.initialize({ startOnLoad: false });
  });

  it("parses with mermaid's own parser", async () => {
    const text = exportGraph(graph, "mermaid");
    await expect(mermaid.parse(text)).resolves.toMatchObject({ diagramType: "flowchart-v2" });
    expect(text).toContain("#quot;");
    expect(text).not.toContain('we"ird');
  });

  it("the parser does reject broken output (the check is real)", async () => {
    await expect(mermaid.parse('flowchart LR\n  n0["a"b"]\n')).rejects.toThrow();
  });
});

describe("GraphML export", () => {
  it("is well-formed XML with every node and edge and escaped attributes", () => {
    const xml = exportGraph(graph, "graphml");
    expect(XMLValidator.validate(xml)).toBe(true);
    const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@" }).parse(xml);
    const g = parsed.graphml.graph;
    expect(g["@edgedefault"]).toBe("directed");
    expect(g.node.map((n: { "@id": string }) => n["@id"])).toEqual(graph.nodes.map((n) => n.id));
    expect(g.edge).toHaveLength(graph.edges.length);
    const weird = g.edge.find((e: { data: { "#text": string }[] }) =>
      e.data.some((d) => String(d["#text"]).startsWith("/we")),
    );
    expect(weird).toBeDefined();
    expect(
      XMLValidator.validate(
        exportGraph({ ...graph, nodes: [{ ...graph.nodes[0]!, id: "a\u0001b" }] }, "graphml"),
      ),
    ).toBe(true);
  });
});

describe("JSON export and subgraph", () => {
  it("round-trips the model and restricts to a selection", () => {
    expect(JSON.parse(exportGraph(graph, "json"))).toMatchObject({
      format: "karma-graph",
      nodes: graph.nodes,
      edges: graph.edges,
    });
    const sub = subgraph(graph, ["dev:site/www", "dev:s3-bucket/assets"]);
    expect(sub.nodes.map((n) => n.id)).toEqual(["dev:s3-bucket/assets", "dev:site/www"]);
    expect(sub.edges.every((e) => e.from === "dev:site/www" && e.to === "dev:s3-bucket/assets")).toBe(true);
  });
});
