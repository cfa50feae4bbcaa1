import { describe, expect, it } from "vitest";
import { buildAdjacency } from "../graph/adjacency.js";
import { walk } from "../graph/walk.js";
import { componentsTouchedBy } from "./changed.js";
import { SelectorSyntaxError } from "./errors.js";
import { type SelectorContext, selectComponents } from "./evaluate.js";
import { parseSelector } from "./parser.js";

// dev: site/www → service/api → {db/main, eks/main} → vpc/main ; prod: vpc/main, service/api → vpc/main
const ids = [
  "dev:site/www",
  "dev:service/api",
  "dev:db/main",
  "dev:eks/main",
  "dev:vpc/main",
  "dev:vpc/edge",
  "prod:vpc/main",
  "prod:service/api",
];
const edges = [
  ["dev:site/www", "dev:service/api"],
  ["dev:service/api", "dev:db/main"],
  ["dev:service/api", "dev:eks/main"],
  ["dev:db/main", "dev:vpc/main"],
  ["dev:eks/main", "dev:vpc/main"],
  ["prod:service/api", "prod:vpc/main"],
].map(([from, to]) => ({ from: from!, to: to! }));
const adjacency = buildAdjacency(ids, edges);
const changedCalls: string[] = [];

const context: SelectorContext = {
  components: ids.map((id) => {
    const [env, rest] = id.split(":") as [string, string];
    const [type, nickname] = rest.split("/") as [string, string];
    return { id, env, type, nickname };
  }),
  dependents: async (start, depth) => walk(adjacency, start, "dependents", depth).map((r) => r.id),
  dependencies: async (start, depth) => walk(adjacency, start, "dependencies", depth).map((r) => r.id),
  changedComponents: async (range) => {
    changedCalls.push(range);
    return range === "main...HEAD" ? ["dev:db/main"] : [];
  },
};

const select = (text: string) => selectComponents(text, context);

describe("selectComponents: every form", () => {
  it.each([
    ["vpc/main", ["dev:vpc/main", "prod:vpc/main"]],
    ["prod:vpc/main", ["prod:vpc/main"]],
    ["vpc/*", ["dev:vpc/edge", "dev:vpc/main", "prod:vpc/main"]],
    ["*/main", ["dev:db/main", "dev:eks/main", "dev:vpc/main", "prod:vpc/main"]],
    ["vpc/?dge", ["dev:vpc/edge"]],
    ["prod:*", ["prod:service/api", "prod:vpc/main"]],
    ["type=vpc", ["dev:vpc/edge", "dev:vpc/main", "prod:vpc/main"]],
    ["env=prod", ["prod:service/api", "prod:vpc/main"]],
    ["nickname=api", ["dev:service/api", "prod:service/api"]],
  ])("%s", async (text, expected) => {
    expect(await select(text)).toEqual(expected);
  });

  it("...x selects x and its dependents, x... x and its dependencies", async () => {
    expect(await select("...dev:vpc/main")).toEqual([
      "dev:db/main",
      "dev:eks/main",
      "dev:service/api",
      "dev:site/www",
      "dev:vpc/main",
    ]);
    expect(await select("dev:service/api...")).toEqual([
      "dev:db/main",
      "dev:eks/main",
      "dev:service/api",
      "dev:vpc/main",
    ]);
  });

  it("depth bounds and ^ excludes the target", async () => {
    expect(await select("...{1}dev:vpc/main")).toEqual(["dev:db/main", "dev:eks/main", "dev:vpc/main"]);
    expect(await select("...{2}^dev:vpc/main")).toEqual(["dev:db/main", "dev:eks/main", "dev:service/api"]);
    expect(await select("dev:site/www^...{1}")).toEqual(["dev:service/api"]);
    expect(await select("...dev:db/main...")).toEqual([
      "dev:db/main",
      "dev:service/api",
      "dev:site/www",
      "dev:vpc/main",
    ]);
  });

  it("git ranges go to the injected detector and expand like any target", async () => {
    expect(await select("[main...HEAD]")).toEqual(["dev:db/main"]);
    expect(await select("...[main...HEAD]")).toEqual(["dev:db/main", "dev:service/api", "dev:site/www"]);
    expect(changedCalls).toContain("main...HEAD");
  });

  it("combines with , (union), & (intersection), ! (not) and parentheses", async () => {
    expect(await select("vpc/main & env=dev, site/www")).toEqual(["dev:site/www", "dev:vpc/main"]);
    expect(await select("type=vpc & !vpc/main")).toEqual(["dev:vpc/edge"]);
    expect(await select("!env=dev")).toEqual(["prod:service/api", "prod:vpc/main"]);
    expect(await select("...dev:vpc/main & !(type=site, type=db)")).toEqual([
      "dev:eks/main",
      "dev:service/api",
      "dev:vpc/main",
    ]);
    expect(await select(" vpc/main ,  type=db ")).toEqual(["dev:db/main", "dev:vpc/main", "prod:vpc/main"]);
  });

  it("* alone selects everything", async () => {
    expect(await select("*")).toEqual([...ids].sort());
  });
});

describe("parseSelector errors point at the column", () => {
  const errorAt = (text: string): { column: number; message: string } => {
    try {
      parseSelector(text);
    } catch (error) {
      expect(error).toBeInstanceOf(SelectorSyntaxError);
      const e = error as SelectorSyntaxError;
      return { column: e.column, message: e.message };
    }
    throw new Error(`expected ${text} to fail`);
  };

  it.each([
    ["", 1, "empty selector"],
    ["vpc", 1, "expected type/nickname"],
    ["vpc/main,", 10, "expected a component"],
    ["vpc/main & & x/y", 12, "expected a component"],
    ["(vpc/main", 10, 'expected ")"'],
    ["vpc/main)", 9, 'unmatched ")"'],
    ["...{0}vpc/main", 4, "depth must be at least 1"],
    ["...{x}vpc/main", 4, "expected a depth"],
    ["[main...HEAD", 1, "unclosed git range"],
    ["[]", 2, "empty git range"],
    [`${"(".repeat(10_000)}vpc/main${")".repeat(10_000)}`, 101, "nested more than 100 levels deep"],
    [`${"!".repeat(10_000)}vpc/main`, 101, "nested more than 100 levels deep"],
    ["[--output=x]", 2, "not a git range"],
    ["colour=red", 1, 'unknown attribute "colour"'],
    ["vpc/Main", 5, "lower-case"],
    ["prod:vpc/ma#in", 12, 'unexpected character "#"'],
    ["vpc/main ^", 11, 'expected "..." after "^"'],
    ["vpc/main vpc/edge", 10, 'expected "," "&" or the end'],
    ["dev:...vpc/main", 5, 'missing type/nickname after "dev:"'],
    ["type=", 6, "missing type"],
  ])("%j fails at column %i", (text, column, message) => {
    const error = errorAt(text);
    expect(error.message).toContain(message);
    expect(error.column).toBe(column);
    // the caret line sits under that column
    const lines = error.message.split("\n");
    expect(lines[1]).toBe(`  ${text}`);
    expect(lines[2]).toBe(`  ${" ".repeat(column - 1)}^`);
  });
});

describe("parseSelector fuzz", () => {
  // a small deterministic PRNG so failures are reproducible
  function prng(seed: number) {
    let s = seed;
    return () => {
      s = (s * 1103515245 + 12345) & 0x7fffffff;
      return s / 0x7fffffff;
    };
  }
  const pieces = [
    "vpc/main",
    "*/x",
    "type=db",
    "env=prod",
    "...",
    "{2}",
    "^",
    ",",
    "&",
    "!",
    "(",
    ")",
    "[a...b]",
    "[",
    "]",
    " ",
    "A",
    "#",
    ":",
    "/",
    "=",
    "{",
    ".",
  ];

  it("never throws anything but SelectorSyntaxError, and errors point inside or just after the text", () => {
    const random = prng(42);
    for (let n = 0; n < 5_000; n++) {
      const length = 1 + Math.floor(random() * 8);
      const text = Array.from({ length }, () => pieces[Math.floor(random() * pieces.length)]).join("");
      try {
        parseSelector(text);
      } catch (error) {
        if (!(error instanceof SelectorSyntaxError))
          throw new Error(`${JSON.stringify(text)}: ${String(error)}`);
        expect(error.column).toBeGreaterThanOrEqual(1);
        expect(error.column).toBeLessThanOrEqual(text.length + 1);
      }
    }
  });

  it("parses what it prints: valid random selectors evaluate without errors", async () => {
    const random = prng(7);
    const atoms = [
      "vpc/main",
      "type=db",
      "...dev:vpc/main",
      "dev:service/api...",
      "!env=prod",
      "(vpc/*)",
      "...{1}^*/main",
    ];
    for (let n = 0; n < 200; n++) {
      const text = Array.from(
        { length: 1 + Math.floor(random() * 4) },
        () => atoms[Math.floor(random() * atoms.length)],
      ).join(random() < 0.5 ? "," : " & ");
      const result = await select(text);
      expect(result).toEqual([...result].sort());
    }
  });
});

describe("componentsTouchedBy", () => {
  const layout = {
    components: [
      { id: "dev:vpc/main", type: "vpc", file: "iac/dev/vpc/main/config.json" },
      { id: "prod:vpc/main", type: "vpc", file: "iac/prod/vpc/main/config.json" },
      { id: "dev:site/www", type: "site", file: "iac/dev/site/www/config.json" },
    ],
    types: new Map([
      ["vpc", { schema: "types/vpc/schema.json", module: "types/vpc" }],
      ["site", { module: "modules/site" }],
    ]),
  };
  it("maps config, schema and module files to components with a reason", () => {
    expect(componentsTouchedBy(["iac/dev/vpc/main/config.json"], layout)).toEqual([
      { id: "dev:vpc/main", reason: "config", file: "iac/dev/vpc/main/config.json" },
    ]);
    expect(
      componentsTouchedBy(["types/vpc/schema.json", "modules/site/main.tf", "README.md"], layout),
    ).toEqual([
      { id: "dev:site/www", reason: "module", file: "modules/site/main.tf" },
      { id: "dev:vpc/main", reason: "schema", file: "types/vpc/schema.json" },
      { id: "prod:vpc/main", reason: "schema", file: "types/vpc/schema.json" },
    ]);
    expect(componentsTouchedBy(["iac/dev/site/www/extra/notes.md"], layout).map((t) => t.id)).toEqual([
      "dev:site/www",
    ]);
  });
});
