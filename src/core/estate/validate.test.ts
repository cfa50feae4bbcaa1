import { describe, expect, it } from "vitest";
import type { Problem } from "../errors.js";
import type { ProjectSettings } from "./model.js";
import type { SchemaFile, SourceFile } from "./validate.js";
import { buildEstate, hasErrors } from "./validate.js";

function settings(overrides: Partial<ProjectSettings> = {}): ProjectSettings {
  const store = { kind: "sqlite" as const, path: ".karma/karma.db" };
  return {
    root: "/estate",
    prefix: "/iac",
    store,
    environments: ["dev", "prod"].map((name) => ({ name, prefix: "/iac", store })),
    paths: { components: "iac", types: "types", state: ".karma" },
    types: {},
    graph: { kind: "sqlite" },
    audit: { kind: "sqlite" },
    policies: {},
    ...overrides,
  };
}

const vpc: SourceFile = { path: "iac/dev/vpc/main/config.json", text: '{"cidr": "10.0.0.0/16"}' };
const appSchema: SchemaFile = {
  type: "app",
  path: "types/app/schema.json",
  text: JSON.stringify({
    type: "object",
    required: ["port"],
    properties: {
      port: { type: "integer", description: "TCP port" },
      tier: { enum: ["web", "worker"] },
      vpc_nickname: { type: "string" },
      vpc_id: { type: "string", pattern: "^vpc-" },
    },
    additionalProperties: false,
  }),
};

function build(configFiles: SourceFile[], schemaFiles: SchemaFile[] = [], s = settings()) {
  return buildEstate({ settings: s, configFiles, schemaFiles });
}

describe("buildEstate on a valid estate", () => {
  it("builds sorted components with canonical config and references", () => {
    const estate = build(
      [
        { path: "iac/dev/app/web/config.json", text: '{\n  "vpc_nickname": "main",\n  "port": 80\n}' },
        vpc,
        { path: "iac/prod/vpc/main/config.json", text: "{}" },
      ],
      [appSchema],
    );
    expect(estate.problems).toEqual([]);
    expect(estate.components.map((c) => c.id)).toEqual(["dev:app/web", "dev:vpc/main", "prod:vpc/main"]);
    const web = estate.components[0]!;
    expect(web).toMatchObject({
      env: "dev",
      type: "app",
      nickname: "web",
      file: "iac/dev/app/web/config.json",
      canonical: '{"port":80,"vpc_nickname":"main"}',
      references: [
        {
          form: "nickname-field",
          pointer: "/vpc_nickname",
          target: { env: "dev", type: "vpc", nickname: "main" },
          external: false,
        },
      ],
    });
  });

  it("does not schema-check values given by $ref, which are only known at deploy time", () => {
    const estate = build(
      [
        { path: "iac/dev/app/web/config.json", text: '{"port": 1, "vpc_id": {"$ref": "vpc/main#/vpc_id"}}' },
        vpc,
      ],
      [appSchema],
    );
    expect(estate.problems).toEqual([]);
  });

  it("accepts external runtime paths and cross-environment references that exist", () => {
    const estate = build([
      {
        path: "iac/dev/app/web/config.json",
        text: '{"crm_runtime_path": "/external/crm/acme/runtime", "depends_on": ["prod:vpc/main"]}',
      },
      { path: "iac/prod/vpc/main/config.json", text: "{}" },
    ]);
    expect(estate.problems).toEqual([]);
  });
});

interface Case {
  kind: string;
  files: SourceFile[];
  schemas?: SchemaFile[];
  expected: Partial<Problem> & { code: string; file: string };
  message: RegExp;
  fix: RegExp;
}

const long = "n".repeat(1000);

const cases: Case[] = [
  {
    kind: "malformed JSON",
    files: [{ path: "iac/dev/app/web/config.json", text: '{\n  "port": 80,\n  "tier": }\n' }],
    expected: {
      code: "json.malformed",
      file: "iac/dev/app/web/config.json",
      line: 3,
      column: 11,
      pointer: "/tier",
    },
    message: /expected a value/,
    fix: /line 3, column 11/,
  },
  {
    kind: "duplicate key",
    files: [{ path: "iac/dev/app/web/config.json", text: '{"port": 80,\n"port": 81}' }],
    expected: { code: "json.duplicate-key", file: "iac/dev/app/web/config.json", pointer: "/port", line: 2 },
    message: /more than once/,
    fix: /remove one/,
  },
  {
    kind: "config not an object",
    files: [{ path: "iac/dev/app/web/config.json", text: "[1, 2]" }],
    expected: { code: "config.not-object", file: "iac/dev/app/web/config.json", pointer: "" },
    message: /must be a JSON object, not an array/,
    fix: /object/,
  },
  {
    kind: "config too shallow",
    files: [{ path: "iac/dev/web/config.json", text: "{}" }],
    expected: { code: "layout.wrong-depth", file: "iac/dev/web/config.json" },
    message: /<env>\/<type>\/<nickname>\/config\.json/,
    fix: /move it into a <type>\/<nickname>\/ folder below iac\/dev\//,
  },
  {
    kind: "config too deep",
    files: [{ path: "iac/dev/app/web/v2/config.json", text: "{}" }],
    expected: { code: "layout.wrong-depth", file: "iac/dev/app/web/v2/config.json" },
    message: /4 folder\(s\)/,
    fix: /move it to iac\/dev\/app\/web\/config\.json/,
  },
  {
    kind: "name SSM would reject",
    files: [{ path: "iac/dev/app/Web Site/config.json", text: "{}" }],
    expected: { code: "layout.invalid-name", file: "iac/dev/app/Web Site" },
    message: /nickname folder name "Web Site" is not a valid name/,
    fix: /rename the folder to "web-site"/,
  },
  {
    kind: "unknown environment",
    files: [{ path: "iac/prd/app/web/config.json", text: "{}" }],
    expected: { code: "layout.unknown-environment", file: "iac/prd" },
    message: /environment "prd" is not declared in karma.json/,
    fix: /did you mean "prod"\?/,
  },
  {
    kind: "misnamed config file",
    files: [{ path: "iac/dev/app/web/config.jsonc", text: "{}" }],
    expected: { code: "layout.config-file-name", file: "iac/dev/app/web/config.jsonc" },
    message: /read from "config.json"/,
    fix: /rename it to iac\/dev\/app\/web\/config\.json/,
  },
  {
    kind: "flat config file",
    files: [{ path: "iac/dev/app/web.json", text: "{}" }],
    expected: { code: "layout.flat-config", file: "iac/dev/app/web.json" },
    message: /folder with a config.json/,
    fix: /move it to iac\/dev\/app\/web\/config\.json/,
  },
  {
    kind: "duplicate identity by case",
    files: [vpc, { path: "iac/dev/vpc/Main/config.json", text: "{}" }],
    expected: { code: "estate.duplicate-component", file: "iac/dev/vpc/Main/config.json" },
    message: /iac\/dev\/vpc\/main\/config\.json define the same component/,
    fix: /delete iac\/dev\/vpc\/Main\/config\.json/,
  },
  {
    kind: "duplicate identity by file variant",
    files: [vpc, { path: "iac/dev/vpc/main/Config.JSON", text: "{}" }],
    expected: { code: "estate.duplicate-component", file: "iac/dev/vpc/main/Config.JSON" },
    message: /define the same component/,
    fix: /merge what you need into iac\/dev\/vpc\/main\/config\.json/,
  },
  {
    kind: "schema: missing required property",
    files: [{ path: "iac/dev/app/web/config.json", text: "{}" }],
    schemas: [appSchema],
    expected: { code: "schema.violation", file: "iac/dev/app/web/config.json", pointer: "" },
    message: /missing required property "port" \(TCP port\)/,
    fix: /add "port" at the top level \(required by types\/app\/schema\.json #\/required\)/,
  },
  {
    kind: "schema: unknown property with a likely typo",
    files: [{ path: "iac/dev/app/web/config.json", text: '{"port": 1,\n "teir": "web"}' }],
    schemas: [appSchema],
    expected: {
      code: "schema.violation",
      file: "iac/dev/app/web/config.json",
      pointer: "/teir",
      line: 2,
      column: 2,
    },
    message: /unknown property "teir"/,
    fix: /did you mean "tier"\?/,
  },
  {
    kind: "schema: wrong type",
    files: [{ path: "iac/dev/app/web/config.json", text: '{"port": "80"}' }],
    schemas: [appSchema],
    expected: { code: "schema.violation", file: "iac/dev/app/web/config.json", pointer: "/port" },
    message: /must be integer, not a string/,
    fix: /change the value at \/port to an integer/,
  },
  {
    kind: "schema: value not in enum",
    files: [{ path: "iac/dev/app/web/config.json", text: '{"port": 1, "tier": "wokrer"}' }],
    schemas: [appSchema],
    expected: { code: "schema.violation", file: "iac/dev/app/web/config.json", pointer: "/tier" },
    message: /must be one of "web", "worker"/,
    fix: /did you mean "worker"\?/,
  },
  {
    kind: "broken schema file",
    files: [],
    schemas: [{ type: "app", path: "types/app/schema.json", text: '{"type": "objekt"}' }],
    expected: { code: "schema.invalid", file: "types/app/schema.json", pointer: "" },
    message: /does not compile/,
    fix: /until then app configs are not schema-checked/,
  },
  {
    kind: "malformed schema file",
    files: [],
    schemas: [{ type: "app", path: "types/app/schema.json", text: '{"type": "object",}' }],
    expected: { code: "json.malformed", file: "types/app/schema.json", line: 1, column: 18 },
    message: /trailing comma/,
    fix: /line 1, column 18/,
  },
  {
    kind: "unsupported $schema",
    files: [],
    schemas: [
      {
        type: "app",
        path: "types/app/schema.json",
        text: '{"$schema": "http://json-schema.org/draft-04/schema#"}',
      },
    ],
    expected: {
      code: "schema.invalid",
      file: "types/app/schema.json",
      pointer: "/$schema",
      line: 1,
      column: 2,
    },
    message: /unsupported \$schema/,
    fix: /2020-12/,
  },
  {
    kind: "parameter name over 1011 characters",
    files: [{ path: `iac/dev/app/${long}/config.json`, text: "{}" }],
    expected: { code: "name.ssm-rejected", file: `iac/dev/app/${long}/config.json`, pointer: "" },
    message: /\/iac\/app\/n+\/runtime would be rejected .* maximum is 1011/,
    fix: /shorten the folder names/,
  },
  {
    kind: "config over the 8 KB advanced limit",
    files: [{ path: "iac/dev/app/web/config.json", text: JSON.stringify({ blob: "x".repeat(8200) }) }],
    expected: { code: "size.too-large", file: "iac/dev/app/web/config.json", severity: "error" },
    message: /8\d{3} bytes; .* limited to 8192 bytes/,
    fix: /under 8 KB/,
  },
  {
    kind: "config over the 4 KB standard limit",
    files: [{ path: "iac/dev/app/web/config.json", text: JSON.stringify({ blob: "x".repeat(5000) }) }],
    expected: { code: "size.advanced-tier", file: "iac/dev/app/web/config.json", severity: "warning" },
    message: /5\d{3} bytes, over the 4096-byte Standard tier limit/,
    fix: /under 4 KB/,
  },
  {
    kind: "reference to a missing component, with a suggestion",
    files: [vpc, { path: "iac/dev/app/web/config.json", text: '{\n  "vpc_nickname": "mian"\n}' }],
    expected: {
      code: "ref.unknown-component",
      file: "iac/dev/app/web/config.json",
      pointer: "/vpc_nickname",
      line: 2,
    },
    message: /nickname field "vpc\/mian" refers to a component that does not exist in environment dev/,
    fix: /did you mean "vpc\/main"\? otherwise create iac\/dev\/vpc\/mian\/config\.json/,
  },
  {
    kind: "reference to a missing component of an unknown type",
    files: [{ path: "iac/dev/app/web/config.json", text: '{"depends_on": ["dns/zone"]}' }],
    expected: {
      code: "ref.unknown-component",
      file: "iac/dev/app/web/config.json",
      pointer: "/depends_on/0",
    },
    message: /depends_on entry "dns\/zone"/,
    fix: /create iac\/dev\/dns\/zone\/config\.json, or fix the nickname/,
  },
  {
    kind: "reference to a component that only exists in another environment",
    files: [
      { path: "iac/prod/dns/zone/config.json", text: "{}" },
      { path: "iac/dev/app/web/config.json", text: '{"z": {"$ref": "dns/zone#/id"}}' },
    ],
    expected: { code: "ref.unknown-component", file: "iac/dev/app/web/config.json", pointer: "/z" },
    message: /\$ref "dns\/zone"/,
    fix: /reference the one in prod as "prod:dns\/zone"/,
  },
  {
    kind: "reference to an unknown environment",
    files: [{ path: "iac/dev/app/web/config.json", text: '{"depends_on": ["prd:vpc/main"]}' }],
    expected: {
      code: "ref.unknown-environment",
      file: "iac/dev/app/web/config.json",
      pointer: "/depends_on/0",
    },
    message: /names environment "prd"/,
    fix: /did you mean "prod:vpc\/main"\?/,
  },
  {
    kind: "self-reference",
    files: [{ path: "iac/dev/app/web/config.json", text: '{"me": "/iac/app/web/runtime"}' }],
    expected: { code: "ref.self", file: "iac/dev/app/web/config.json", pointer: "/me" },
    message: /runtime path "app\/web" refers to this component itself/,
    fix: /remove it/,
  },
  {
    kind: "malformed reference",
    files: [{ path: "iac/dev/app/web/config.json", text: '{"x": {"$ref": "vpc"}}' }],
    expected: {
      code: "ref.malformed",
      file: "iac/dev/app/web/config.json",
      pointer: "/x",
      line: 1,
      column: 2,
    },
    message: /not of the form type\/nickname/,
    fix: /\{"\$ref": "vpc\/main#\/vpc_id"\}/,
  },
];

describe("buildEstate reports", () => {
  it.each(cases)("$kind", ({ files, schemas, expected, message, fix }) => {
    const estate = build(files, schemas ?? []);
    const found = estate.problems.filter((p) => p.code === expected.code);
    expect(found, JSON.stringify(estate.problems, null, 2)).toHaveLength(1);
    const problem = found[0]!;
    expect(problem).toMatchObject({ severity: "error", ...expected });
    expect(problem.message).toMatch(message);
    expect(problem.fix).toMatch(fix);
  });

  it("reports every problem of a broken estate in one run, in a deterministic order", () => {
    // one file per path, as a loader gives them: give each case's app/web its own nickname
    const files = [
      ...new Map(
        cases
          .flatMap((c, i) =>
            c.files.map((f) => ({
              path: f.path.replace("iac/dev/app/web", `iac/dev/app/web${i}`),
              text: f.text.replace("/app/web/", `/app/web${i}/`),
            })),
          )
          .map((f) => [f.path, f]),
      ).values(),
    ];
    const once = build(files, [appSchema]);
    const again = build([...files].reverse(), [appSchema]);
    expect(again.problems).toEqual(once.problems);
    const codes = new Set(once.problems.map((p) => p.code));
    for (const c of cases)
      if (!c.schemas?.some((s) => s !== appSchema)) expect(codes).toContain(c.expected.code);
    expect(hasErrors(once.problems)).toBe(true);
    for (const p of once.problems) {
      expect(p.file).toBeTruthy();
      expect(p.fix).toBeTruthy();
    }
  });

  it("reports a folder name problem once for all the components under it", () => {
    const estate = build([
      { path: "iac/qa/a/x/config.json", text: "{}" },
      { path: "iac/qa/b/y/config.json", text: "{}" },
    ]);
    expect(estate.problems.map((p) => [p.code, p.file])).toEqual([["layout.unknown-environment", "iac/qa"]]);
  });

  it("warns about unknown schema keywords but still applies the schema", () => {
    const estate = build(
      [{ path: "iac/dev/app/web/config.json", text: "{}" }],
      [
        {
          type: "app",
          path: "types/app/schema.json",
          text: '{"type": "object", "requried": ["port"], "minProperties": 1}',
        },
      ],
    );
    expect(estate.problems.map((p) => [p.code, p.severity, p.file])).toEqual([
      ["schema.violation", "error", "iac/dev/app/web/config.json"],
      ["schema.warning", "warning", "types/app/schema.json"],
    ]);
    expect(estate.problems[1]!.message).toContain("requried");
  });

  it("compiles draft-07 schemas too, and checks formats", () => {
    const estate = build(
      [{ path: "iac/dev/app/web/config.json", text: '{"ip": "300.1.1.1"}' }],
      [
        {
          type: "app",
          path: "types/app/schema.json",
          text: '{"$schema": "http://json-schema.org/draft-07/schema#", "properties": {"ip": {"format": "ipv4"}}}',
        },
      ],
    );
    expect(estate.problems).toEqual([expect.objectContaining({ code: "schema.violation", pointer: "/ip" })]);
    expect(estate.problems[0]!.message).toContain('format "ipv4"');
  });

  it("uses each environment's own prefix for runtime paths and names", () => {
    const s = settings();
    s.environments[1] = { ...s.environments[1]!, prefix: "/p" };
    const estate = build(
      [
        { path: "iac/prod/app/web/config.json", text: '{"a_runtime_path": "/p/vpc/main/runtime"}' },
        { path: "iac/prod/vpc/main/config.json", text: "{}" },
      ],
      [],
      s,
    );
    expect(estate.problems).toEqual([]);
    expect(estate.components[0]!.references[0]!.target).toEqual({
      env: "prod",
      type: "vpc",
      nickname: "main",
    });
  });

  it("does not report references to components whose own config is broken as dangling", () => {
    const estate = build([
      { path: "iac/dev/vpc/main/config.json", text: "{" },
      { path: "iac/dev/app/web/config.json", text: '{"vpc_nickname": "main"}' },
    ]);
    expect(estate.problems.map((p) => p.code)).toEqual(["json.malformed"]);
  });

  // how fast is the benchmark's question (npm run bench): a test asserts only what is built
  it("builds 20k components, each with its dependency, without a problem", () => {
    const files: SourceFile[] = [];
    for (let i = 0; i < 20_000; i++)
      files.push({
        path: `iac/dev/t${i % 50}/n${i}/config.json`,
        text: JSON.stringify({
          name: `n${i}`,
          depends_on: [`t${(i + 1) % 50}/n${(i + 1) % 20_000}`],
          tags: { a: "b" },
        }),
      });
    const estate = build(files);
    expect(estate.components).toHaveLength(20_000);
    expect(estate.problems).toEqual([]);
    expect(estate.components.every((c) => c.references.length === 1)).toBe(true);
  });
});
