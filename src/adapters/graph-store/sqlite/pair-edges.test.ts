import { describe, expect, it } from "vitest";
import type { EdgeEvidence, GraphEdge } from "../../../core/graph/model.js";
import { docsColumn, edgeDoc, kindBit, kindsMask, readPairEdges } from "./pair-edges.js";

const from = "dev:t/a";
const to = "dev:t/b";
const edges: GraphEdge[] = [
  { from, to, kind: "depends_on", evidence: { form: "depends-on", pointer: "/a\nb" } },
  {
    from,
    to,
    kind: "consumes",
    evidence: { form: "ref", pointer: '/kind":"depends_on', producerKey: "k" },
    configVersion: 2,
  },
];

function read(column: string, kinds?: readonly string[]): GraphEdge[] {
  return readPairEdges([[from, to, column]], kinds);
}

/** Every combination of the optional fields, in the builder's key order, with `pointer`. */
function variants(pointer: string): GraphEdge[] {
  const out: GraphEdge[] = [];
  for (let mask = 0; mask < 16; mask++) {
    const evidence: EdgeEvidence = { form: mask & 1 ? "inferred" : "ref", pointer };
    if (mask & 1) evidence.producerKey = "";
    if (mask & 2) evidence.fingerprint = "sha256:0123456789ab";
    if (mask & 4) evidence.reason = 'a "reason"\n';
    const kind = mask & 2 ? "inferred" : "consumes";
    out.push(mask & 8 ? { from, to, kind, evidence, configVersion: mask } : { from, to, kind, evidence });
  }
  return out;
}

const awkward = [
  "/plain",
  '/q"uo\\te',
  "/new\nline\r\t",
  "/ünï/😀/\u2028",
  "/\u0000\u001f",
  '/["x",',
  "",
  "/lone\ud800",
];

describe("a link row's edge documents", () => {
  it("leave out the pair and read back as the very same JSON, every optional field present or absent", () => {
    for (const pointer of awkward) {
      for (const edge of variants(pointer)) {
        const doc = edgeDoc(edge);
        expect(doc.startsWith("[")).toBe(true);
        expect(doc).not.toContain("\n");
        expect(doc).not.toContain(from);
        expect(doc.endsWith("null]")).toBe(false);
        expect(JSON.stringify(read(doc))).toBe(JSON.stringify([edge]));
      }
      const all = variants(pointer);
      const column = docsColumn(all.map(edgeDoc));
      expect(JSON.stringify(read(column))).toBe(JSON.stringify(all));
    }
  });

  it("are short: the kind and form as codes, the evidence and the config version", () => {
    expect(edgeDoc({ ...edges[0]!, configVersion: 3 })).toBe('[1,4,"/a\\nb",3]');
    expect(edgeDoc(edges[0]!)).toBe('[1,4,"/a\\nb"]');
    expect(JSON.stringify(read(edgeDoc({ ...edges[0]!, configVersion: 0 })))).toBe(
      JSON.stringify([{ ...edges[0]!, configVersion: 0 }]),
    );
    const consumes = (form: EdgeEvidence["form"]): GraphEdge => ({
      from,
      to,
      kind: "consumes",
      evidence: { form, pointer: "/p", producerKey: "/k" },
    });
    // the codes are stored: these documents must read the same forever
    const forms = ["ref", "nickname-field", "src-pair", "runtime-path", "depends-on", "inferred"] as const;
    expect(forms.map((form) => edgeDoc(consumes(form)))).toEqual(
      [0, 1, 2, 3, 4, 5].map((code) => `[2,${code},"/p",null,"/k"]`),
    );
    expect(edgeDoc({ ...consumes("ref"), kind: "inferred" })).toBe('[4,0,"/p",null,"/k"]');
  });

  it("keep a kind or form without a code as its string", () => {
    const future = {
      from,
      to,
      kind: "future",
      evidence: { form: "new-form", pointer: "/p" },
    } as unknown as GraphEdge;
    expect(edgeDoc(future)).toBe('["future","new-form","/p"]');
    const column = docsColumn([edgeDoc(future), edgeDoc(edges[0]!)]);
    expect(JSON.stringify(read(column))).toBe(JSON.stringify([future, edges[0]]));
    expect(read(column, ["future" as GraphEdge["kind"]])).toEqual([future]);
    expect(() => read('[9,0,"/p"]')).toThrow(/Unknown edge kind or form code/);
    // as group format 4 wrote every kind and form
    const strings = '["depends_on","depends-on","/a\\nb"]';
    expect(read(strings, ["depends_on"])).toEqual([edges[0]]);
    expect(read(strings, ["consumes"])).toEqual([]);
  });

  it("keep an edge whole when its keys are not the builder's, so it reads back as written", () => {
    const reordered = { from, to, kind: "consumes", evidence: { pointer: "/p", form: "ref" } } as GraphEdge;
    const extra = { ...edges[1]!, note: "x" } as GraphEdge;
    const late = { kind: "consumes", from, to, evidence: { form: "ref", pointer: "/p" } } as GraphEdge;
    for (const edge of [reordered, extra, late]) {
      expect(edgeDoc(edge)).toBe(JSON.stringify(edge));
      expect(JSON.stringify(read(edgeDoc(edge)))).toBe(JSON.stringify([edge]));
    }
  });

  it("read whole edges written before, alone or beside compact ones in a column", () => {
    const old = docsColumn(edges.map((edge) => JSON.stringify(edge)));
    expect(read(old).map((edge) => JSON.stringify(edge))).toEqual(edges.map((e) => JSON.stringify(e)));
    expect(read(JSON.stringify(edges[1]))).toEqual([edges[1]]);
    const mixed = docsColumn([JSON.stringify(edges[0]), edgeDoc(edges[1]!)]);
    expect(JSON.stringify(read(mixed))).toBe(JSON.stringify(edges));
  });

  it("keep the edges of the kinds asked for, whatever their evidence's text, in either form", () => {
    for (const encode of [JSON.stringify, edgeDoc]) {
      const column = docsColumn(edges.map((edge) => encode(edge)));
      expect(read(column, ["consumes"])).toEqual([edges[1]]);
      expect(read(column, ["depends_on", "inferred"])).toEqual([edges[0]]);
      expect(read(column, ["depends"])).toEqual([]);
      expect(read(encode(edges[1]!), ["depends_on"])).toEqual([]);
      expect(read(encode(edges[1]!), ["consumes"])).toEqual([edges[1]]);
    }
    // a pointer that reads like a compact document's start is not its kind
    const tricky: GraphEdge = {
      from,
      to,
      kind: "consumes",
      evidence: { form: "ref", pointer: "[1," },
    };
    expect(read(docsColumn([edgeDoc(tricky), edgeDoc(edges[0]!)]), ["depends_on"])).toEqual([edges[0]]);
  });

  it("have a bit per kind; a read of a kind without one is not filtered by SQL", () => {
    expect([kindBit("depends_on"), kindBit("consumes"), kindBit("inferred"), kindBit("other")]).toEqual([
      1, 2, 4, 0,
    ]);
    expect(kindsMask(["consumes", "inferred"])).toBe(6);
    expect(kindsMask(["consumes", "other"])).toBeUndefined();
    expect(kindsMask([])).toBe(0);
  });
});
