/**
 * Hostile input: a corpus of malformed configs, karma.json files, stores, selectors, parameter
 * names/values and SSM request bodies, plus fast-check fuzzing of the selector parser and the SSM
 * handler. Each case must end with exit code 1 (or an SSM error code) and a short message — never
 * a stack trace, never a hang (every case runs under a timeout) — and leave what was written
 * before it untouched.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import fc from "fast-check";
import { createApp } from "../adapters/http/server.js";
import { createSecretCipher, lazySecretCipher } from "../adapters/parameter-store/secrets.js";
import { SqliteParameterStore } from "../adapters/parameter-store/sqlite/sqlite-store.js";
import { UserError } from "../core/errors.js";
import { parseSelector } from "../core/selectors/parser.js";
import { commitAll } from "./estates.js";
import {
  type CliResult,
  copyDir,
  diffDumps,
  firstLine,
  hasStackTrace,
  printed,
  runKarmaAsync,
  seededRandom,
  startKarma,
  type Table,
  writeJson,
} from "./harness.js";

const SECTION = "hostile input";
const CASE_TIMEOUT_MS = 60_000;

interface CliCase {
  group: string;
  name: string;
  setup?: (dir: string) => void;
  args: string[];
  /** Cases that damage the store on purpose are not checked for harm. */
  damagesStore?: boolean;
  /** Accepts a different outcome than "exit 1 with a short message" (e.g. a warning). */
  accept?: (run: CliResult) => boolean;
  /** Where the fix of a case that still fails is being made. */
  known?: string;
}

/**
 * Cases that still fail on main while their fix is being made elsewhere, as `group: name`. They
 * are reported as known, not counted as failures; one that passes is reported so it gets unmarked.
 */
const KNOWN: Readonly<Record<string, string>> = {};

const write = (file: string, text: string | Buffer) => (dir: string) => {
  fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  fs.writeFileSync(path.join(dir, file), text);
};
const badConfig = (text: string | Buffer) => write("iac/dev/svc/bad/config.json", text);
const settings = (text: string) => write("karma.json", text);
const nested = (depth: number) => `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;

function corpus(random: () => number): CliCase[] {
  const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => Math.floor(random() * 256)));
  const publish = ["publish"];
  const cases: CliCase[] = [];
  const config = (name: string, setup: (dir: string) => void, args = publish) =>
    cases.push({ group: "config", name, setup, args });
  config("truncated JSON", badConfig('{"a": 1'));
  config("an array", badConfig("[1, 2]"));
  config("a string", badConfig('"hello"'));
  config("null", badConfig("null"));
  config("a number", badConfig("42"));
  config("an empty file", badConfig(""));
  config("random bytes", badConfig(bytes(512)));
  config("BOM and garbage", badConfig("\ufeff{{}"));
  config("nested 10,000 levels", badConfig(nested(10_000)));
  config("a 9 KB value (over the advanced tier)", badConfig(JSON.stringify({ blob: "x".repeat(9000) })));
  config("$ref that is a number", badConfig(JSON.stringify({ x: { $ref: 42 } })));
  config("$ref that is not type/nickname#/key", badConfig(JSON.stringify({ x: { $ref: "not a ref" } })));
  config("depends_on a number", badConfig(JSON.stringify({ depends_on: 5 })));
  config("depends_on an invalid id", badConfig(JSON.stringify({ depends_on: ["NOT/VALID ID"] })));
  config(
    "a config cycle (validate)",
    (dir) => {
      write("iac/dev/svc/x/config.json", JSON.stringify({ depends_on: ["svc/y"] }))(dir);
      write("iac/dev/svc/y/config.json", JSON.stringify({ depends_on: ["svc/x"] }))(dir);
    },
    ["validate"],
  );
  config("config.json is a directory", (dir) =>
    fs.mkdirSync(path.join(dir, "iac/dev/svc/bad/config.json"), { recursive: true }),
  );
  cases.push({
    group: "config",
    name: "config.json a symlink outside the estate (refused or warned)",
    setup: (dir) => {
      fs.mkdirSync(path.join(dir, "iac/dev/svc/bad"), { recursive: true });
      const outside = path.join(path.dirname(dir), `outside-${path.basename(dir)}.json`);
      fs.writeFileSync(outside, JSON.stringify({ stolen: true }));
      fs.symlinkSync(outside, path.join(dir, "iac/dev/svc/bad/config.json"));
    },
    args: publish,
    accept: (r) => r.code === 0 && /symlink|outside/i.test(r.stderr),
  });
  config("a symlink loop under iac/", (dir) => fs.symlinkSync(".", path.join(dir, "iac/dev/svc/loop")));
  config("nickname folder '...'", write("iac/dev/svc/.../config.json", "{}"));
  config("nickname folder 'a..b'", write("iac/dev/svc/a..b/config.json", "{}"));
  config("nickname with upper case", write("iac/dev/svc/BAD/config.json", "{}"));
  config("nickname with a space", write("iac/dev/svc/has space/config.json", "{}"));
  config("type folder with a space", write("iac/dev/Bad Type/x/config.json", "{}"));

  const karmaJson = (name: string, text: string, args = publish) =>
    cases.push({ group: "karma.json", name, setup: settings(text), args });
  karmaJson("truncated", '{"environments": [');
  karmaJson("an array", "[]");
  karmaJson("environments a string", JSON.stringify({ environments: "dev" }));
  karmaJson("an environment name with a space", JSON.stringify({ environments: ["Dev Env"] }));
  karmaJson("prefix without a slash", JSON.stringify({ environments: ["dev"], prefix: "iac" }));
  karmaJson("unknown store kind", JSON.stringify({ environments: ["dev"], store: { kind: "mongo" } }));
  for (const store of ["/proc/karma.db", "/sys/karma.db", "/dev/null/x.db", "."])
    karmaJson(
      `store path ${store}`,
      JSON.stringify({ environments: ["dev"], store: { kind: "sqlite", path: store } }),
    );
  karmaJson(
    "unknown runner",
    JSON.stringify({ environments: ["dev"], types: { svc: { runner: "ansible" } } }),
  );
  karmaJson("policies a number", JSON.stringify({ environments: ["dev"], policies: 5 }));
  karmaJson("nested 10,000 levels", nested(10_000));

  const store = (name: string, damage: (db: string) => void) =>
    cases.push({
      group: "store",
      name,
      setup: (dir) => damage(path.join(dir, ".karma/karma.db")),
      args: ["status"],
      damagesStore: true,
    });
  store("karma.db of random bytes", (db) => fs.writeFileSync(db, bytes(64 * 1024)));
  // pages a command never reads may be damaged without it noticing: exit 0 is fine, a crash is not
  cases.push({
    group: "store",
    name: "karma.db with corrupted pages",
    setup: (dir) => corruptPages(path.join(dir, ".karma/karma.db")),
    args: ["status"],
    damagesStore: true,
    accept: (r) => r.code === 0,
  });
  const corruptPages = (db: string) => {
    const data = fs.readFileSync(db);
    for (let page = 1; page * 4096 < data.length; page += 2) bytes(512).copy(data, page * 4096 + 100);
    fs.writeFileSync(db, data);
  };
  store("karma.db cut in half", (db) => fs.truncateSync(db, Math.floor(fs.statSync(db).size / 2)));
  store("karma.db is a directory", (db) => {
    fs.rmSync(db);
    fs.mkdirSync(db);
  });

  for (const selector of [
    "(",
    "env=",
    "svc/[",
    ",,,",
    "!!!",
    "a/b/c/d",
    "type=svc & (",
    "ß∂ƒ/x",
    "(".repeat(10_000),
    "!".repeat(10_000),
    "x".repeat(100_000),
    "...{99999999999}svc/a",
    "[no-such-ref...HEAD]",
  ])
    cases.push({
      group: "selector",
      name: JSON.stringify(
        selector.length > 30 ? `${selector.slice(0, 12)}… (${selector.length} chars)` : selector,
      ),
      args: ["publish", selector],
    });

  const param = (name: string, args: string[]) =>
    cases.push({ group: "parameter", name, args: ["param", ...args] });
  param("name with a space", ["put", "/a b", "v", "--type", "String", "--env", "dev"]);
  param("name of 2,100 characters", ["put", `/${"n".repeat(2100)}`, "v", "--type", "String", "--env", "dev"]);
  param("16 levels deep", [
    "put",
    `/${Array.from({ length: 16 }, (_, i) => `l${i}`).join("/")}`,
    "v",
    "--type",
    "String",
    "--env",
    "dev",
  ]);
  param("value of 9 KB", ["put", "/torture/big", "x".repeat(9000), "--type", "String", "--env", "dev"]);
  param("empty value", ["put", "/torture/empty", "", "--type", "String", "--env", "dev"]);
  param("type Blob", ["put", "/torture/t", "v", "--type", "Blob", "--env", "dev"]);
  param("reserved /aws prefix", ["put", "/aws/x", "v", "--type", "String", "--env", "dev"]);
  param("existing name without --overwrite", [
    "put",
    "/torture/keep",
    "v",
    "--type",
    "String",
    "--env",
    "dev",
  ]);
  param("version selector that is not a number", ["get", "/torture/keep:abc", "--env", "dev"]);
  param("version that does not exist", ["get", "/torture/keep:999", "--env", "dev"]);
  param("allowed pattern that is not a regex", [
    "put",
    "/torture/p",
    "v",
    "--allowed-pattern",
    "(",
    "--type",
    "String",
    "--env",
    "dev",
  ]);
  param("allowed pattern ^(a+)+$ with a long value (ReDoS)", [
    "put",
    "/torture/redos",
    `${"a".repeat(40)}!`,
    "--allowed-pattern",
    "^(a+)+$",
    "--type",
    "String",
    "--env",
    "dev",
  ]);
  return cases.map((c) => {
    const known = KNOWN[`${c.group}: ${c.name}`];
    return known === undefined ? c : { ...c, known };
  });
}

/** The judgement every CLI case gets. */
function judge(run: CliResult, accept?: (r: CliResult) => boolean): string | undefined {
  if (run.timedOut) return `hung (killed after ${CASE_TIMEOUT_MS / 1000} s)`;
  if (hasStackTrace(run.stderr) || hasStackTrace(run.stdout))
    return `stack trace: ${firstLine(run.stderr.split("\n").find((l) => l.trim()) ?? "")}`;
  if (accept?.(run)) return undefined;
  if (run.code !== 1) return `exit ${run.code}, expected 1${run.stderr ? `: ${firstLine(run.stderr)}` : ""}`;
  // a check command (validate) reports its problems on stdout, an error on stderr
  const lines = (run.stderr.trim() ? run.stderr : run.stdout).split("\n").filter((l) => l.trim());
  if (lines.length === 0) return "exit 1 without a message";
  // commander follows a usage error with the command's help, by design
  if (lines.length > 10 && !/^error: (option|unknown|missing|too many)/.test(lines[0]!))
    return `${lines.length} error lines for one problem: ${firstLine(lines[0]!)}`;
  return undefined;
}

/** What the base estate holds before any case: name → type, version, value (no key needed). */
async function dumpDb(dir: string): Promise<Map<string, string>> {
  const store = new SqliteParameterStore({
    file: path.join(dir, ".karma/karma.db"),
    namespace: "dev",
    secrets: lazySecretCipher(() => {
      throw new Error("values are compared encrypted");
    }),
  });
  try {
    return new Map(
      (await store.readTree("/"))
        .filter((p) => !p.name.endsWith("/.karma/lock"))
        .map((p) => [p.name, `${p.type} v${p.version} ${p.value}`] as const),
    );
  } finally {
    await store.close();
  }
}

async function baseEstate(work: string): Promise<string> {
  const dir = path.join(work, "base");
  writeJson(path.join(dir, "karma.json"), { environments: ["dev"] });
  writeJson(path.join(dir, "iac/dev/svc/a/config.json"), { size: 1 });
  writeJson(path.join(dir, "iac/dev/svc/b/config.json"), { depends_on: ["svc/a"], size: 2 });
  commitAll(dir);
  for (const args of [
    ["publish"],
    ["param", "put", "/torture/keep", "precious", "--type", "String", "--env", "dev"],
    ["param", "put", "/torture/secret", "--type", "SecureString", "--value-file", "-", "--env", "dev"],
  ]) {
    const run = await runKarmaAsync(["-C", dir, ...args], { input: "s3cret-base" });
    if (run.code !== 0) throw new Error(`base estate: karma ${args.join(" ")}: ${run.stderr}`);
  }
  return dir;
}

async function cliCases(table: Table, work: string, random: () => number): Promise<void> {
  const base = await baseEstate(work);
  const before = await dumpDb(base);
  let i = 0;
  for (const c of corpus(random)) {
    const dir = copyDir(base, path.join(work, `case-${i++}`));
    await table.trial(
      SECTION,
      `CLI: ${c.group}`,
      async () => {
        c.setup?.(dir);
        const run = await runKarmaAsync(["-C", dir, ...c.args], { timeoutMs: CASE_TIMEOUT_MS });
        const problem = judge(run, c.accept);
        if (problem) return `${c.name}: ${problem}`;
        if (c.damagesStore) return undefined;
        const diff = diffDumps(before, await dumpDb(dir));
        return diff ? `${c.name}: harmed what was written before: ${diff}` : undefined;
      },
      c.known,
    );
  }
}

interface SsmCase {
  name: string;
  target?: string;
  body: string;
  headers?: Record<string, string>;
  method?: string;
}

function ssmCorpus(): SsmCase[] {
  const put = "AmazonSSM.PutParameter";
  return [
    { name: "body not JSON", target: put, body: "{not json" },
    { name: "body a JSON array", target: put, body: "[1,2,3]" },
    { name: "no X-Amz-Target", body: "{}" },
    { name: "unknown operation", target: "AmazonSSM.LaunchMissiles", body: "{}" },
    { name: "PutParameter without Name", target: put, body: JSON.stringify({ Value: "v" }) },
    { name: "Name a number", target: put, body: JSON.stringify({ Name: 42, Value: "v" }) },
    { name: "Value an object", target: put, body: JSON.stringify({ Name: "/x", Value: { a: 1 } }) },
    { name: "Type Blob", target: put, body: JSON.stringify({ Name: "/x", Value: "v", Type: "Blob" }) },
    {
      name: "GetParametersByPath MaxResults 1000",
      target: "AmazonSSM.GetParametersByPath",
      body: JSON.stringify({ Path: "/", MaxResults: 1000 }),
    },
    {
      name: "NextToken garbage",
      target: "AmazonSSM.GetParametersByPath",
      body: JSON.stringify({ Path: "/", NextToken: "!!garbage!!" }),
    },
    {
      name: "GetParameters with 11 names",
      target: "AmazonSSM.GetParameters",
      body: JSON.stringify({ Names: Array.from({ length: 11 }, (_, i) => `/n${i}`) }),
    },
    {
      name: "a 2 MB body",
      target: put,
      body: JSON.stringify({ Name: "/big", Value: "x".repeat(2 * 1024 * 1024) }),
    },
    {
      name: "AllowedPattern ^(a+)+$ with a long value (ReDoS)",
      target: put,
      body: JSON.stringify({
        Name: "/redos",
        Value: `${"a".repeat(40)}!`,
        Type: "String",
        AllowedPattern: "^(a+)+$",
      }),
    },
    {
      name: "Host header of another site (DNS rebinding)",
      target: "AmazonSSM.GetParameter",
      body: JSON.stringify({ Name: "/torture/keep" }),
      headers: { host: "evil.example:80" },
    },
    {
      name: "overwrite without Overwrite",
      target: put,
      body: JSON.stringify({ Name: "/torture/keep", Value: "stolen", Type: "String" }),
    },
    { name: "JSON nested 10,000 levels", target: put, body: nested(10_000) },
    { name: "GET with a target", target: "AmazonSSM.GetParameter", body: "", method: "GET" },
    {
      name: "DeleteParameters of 1,000 names",
      target: "AmazonSSM.DeleteParameters",
      body: JSON.stringify({ Names: Array.from({ length: 1000 }, (_, i) => `/n${i}`) }),
    },
  ];
}

/**
 * One HTTP request on its own connection (no pooling: a refused 2 MB body must not poison the
 * next case's socket), with any Host header (fetch drops it), under the case timeout.
 */
function request(
  url: string,
  method: string,
  headers: Record<string, string>,
  body: string,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, agent: false, timeout: CASE_TIMEOUT_MS }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => {
        text += d;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error(`hung (no answer in ${CASE_TIMEOUT_MS / 1000} s)`)));
    req.on("error", (error) => {
      // a server may answer a body it refuses before reading it all, then close: that answer counts
      if ((error as NodeJS.ErrnoException).code !== "EPIPE") reject(error);
    });
    req.end(body);
  });
}

function ssmAnswerProblem(status: number, text: string): string | undefined {
  if (status < 400 || status >= 500) return `HTTP ${status}, expected an SSM client error`;
  let body: { __type?: unknown; message?: unknown; Message?: unknown };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    return `HTTP ${status} with a body that is not JSON: ${text.slice(0, 80)}`;
  }
  if (typeof body.__type !== "string") return `HTTP ${status} without __type`;
  const message = String(body.message ?? body.Message ?? "");
  if (message.includes("\n") || hasStackTrace(message))
    return `message is not one line: ${firstLine(message)}`;
  return undefined;
}

async function ssmCases(table: Table, work: string): Promise<void> {
  const dir = await baseEstate(path.join(work, "ssm"));
  const before = await dumpDb(dir);
  const serve = startKarma(["-C", dir, "serve", "--port", "0"], { timeoutMs: 30 * 60_000 });
  let url = "";
  serve.child.stdout!.on("data", (d: Buffer) => {
    url ||= /SSM API at (http:\/\/[^\s]+)/.exec(d.toString())?.[1] ?? "";
  });
  try {
    await printed(serve, "SSM API at");
    for (const c of ssmCorpus()) {
      await table.trial(SECTION, "SSM request bodies", async () => {
        const headers: Record<string, string> = {
          "content-type": "application/x-amz-json-1.1",
          ...c.headers,
        };
        if (c.target) headers["x-amz-target"] = c.target;
        const response = await request(
          url,
          c.method ?? "POST",
          headers,
          c.method === "GET" ? "" : c.body,
        ).catch((error: Error) => error);
        if (response instanceof Error) return `${c.name}: ${response.message}`;
        const problem = ssmAnswerProblem(response.status, response.text);
        if (problem) return `${c.name}: ${problem}`;
        // the server still answers, and what was there is intact
        const check = await request(
          url,
          "POST",
          { "content-type": "application/x-amz-json-1.1", "x-amz-target": "AmazonSSM.GetParameter" },
          JSON.stringify({ Name: "/torture/keep" }),
        ).catch((error: Error) => error);
        if (check instanceof Error) return `${c.name}: the server stopped answering (${check.message})`;
        const value = (JSON.parse(check.text) as { Parameter?: { Value?: string } }).Parameter?.Value;
        return value === "precious" ? undefined : `${c.name}: /torture/keep now reads ${value}`;
      });
    }
  } finally {
    serve.child.kill("SIGTERM");
    await serve.done;
  }
  await table.trial(SECTION, "SSM request bodies: store intact afterwards", async () =>
    diffDumps(before, await dumpDb(dir)),
  );
}

/** Tokens of the selector language and near misses, so the fuzzer reaches the parser's depths. */
const SELECTOR_PIECES = [
  "(",
  ")",
  ",",
  "&",
  "!",
  "...",
  "^",
  "{2}",
  "{",
  "}",
  "[",
  "]",
  "svc",
  "main",
  "/",
  ":",
  "=",
  "*",
  "?",
  "type",
  "env",
  "nickname",
  " ",
  "HEAD",
  "~1",
  "dev",
  "-",
  ".",
  "\\",
  "é",
  "\u0000",
];

function fuzzSelectors(table: Table, seed: number, runs: number): void {
  const arbitrary = fc.oneof(
    fc.string({ maxLength: 60 }),
    fc.array(fc.constantFrom(...SELECTOR_PIECES), { maxLength: 40 }).map((parts) => parts.join("")),
  );
  const outcome = fc.check(
    fc.property(arbitrary, (text) => {
      try {
        parseSelector(text);
      } catch (error) {
        if (!(error instanceof UserError)) throw error;
      }
    }),
    { seed, numRuns: runs },
  );
  table.record(
    SECTION,
    `fuzz: selector parser (fast-check, ${runs} inputs)`,
    !outcome.failed,
    outcome.failed
      ? `input ${JSON.stringify(outcome.counterexample?.[0])}: ${firstLine(String(outcome.errorInstance))}`
      : "",
  );
}

const OPERATIONS = [
  "PutParameter",
  "GetParameter",
  "GetParameters",
  "GetParametersByPath",
  "GetParameterHistory",
  "DeleteParameter",
  "DeleteParameters",
  "DescribeParameters",
  "LabelParameterVersion",
  "UnlabelParameterVersion",
  "AddTagsToResource",
  "ListTagsForResource",
];
const KEYS = [
  "Name",
  "Names",
  "Value",
  "Type",
  "Overwrite",
  "Path",
  "Recursive",
  "MaxResults",
  "NextToken",
  "Labels",
  "ParameterVersion",
  "AllowedPattern",
  "Tier",
  "DataType",
  "Tags",
  "ResourceType",
  "ResourceId",
  "ParameterFilters",
  "WithDecryption",
  "Description",
  "KeyId",
];

async function fuzzSsmHandler(table: Table, work: string, seed: number, runs: number): Promise<void> {
  fs.mkdirSync(work, { recursive: true });
  const store = new SqliteParameterStore({
    file: path.join(work, "fuzz.db"),
    namespace: "dev",
    secrets: createSecretCipher(crypto.randomBytes(32)),
  });
  try {
    await store.putParameter({ name: "/torture/keep", value: "precious", type: "String" });
    const app = createApp({ ssm: { storeFor: () => Promise.resolve(store) } });
    const value = fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.constantFrom(
        "/torture/keep",
        "/a/b",
        "/",
        "",
        "String",
        "SecureString",
        "StringList",
        "Advanced",
        "^(a+)+$",
      ),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.array(fc.string({ maxLength: 10 }), { maxLength: 12 }),
      fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 3 }),
    );
    const body = fc.oneof(
      fc.dictionary(fc.constantFrom(...KEYS), value, { maxKeys: 6 }).map((o) => JSON.stringify(o)),
      fc.json({ maxDepth: 4 }),
      fc.string({ maxLength: 40 }),
    );
    let failure = "";
    const outcome = await fc.check(
      fc.asyncProperty(fc.constantFrom(...OPERATIONS), body, async (operation, text) => {
        const response = await app.request("/", {
          method: "POST",
          headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": `AmazonSSM.${operation}` },
          body: text,
        });
        if (response.status >= 500) {
          failure = `${operation} ${text.slice(0, 80)}: HTTP ${response.status}`;
          return false;
        }
        if (response.status >= 400) {
          const problem = ssmAnswerProblem(response.status, await response.text());
          if (problem) {
            failure = `${operation} ${text.slice(0, 80)}: ${problem}`;
            return false;
          }
        }
        const keep = await store.getParameter("/torture/keep").catch(() => undefined);
        if (keep?.value !== "precious" && !/Delete|"\/torture\/keep"/.test(`${operation} ${text}`)) {
          failure = `${operation} ${text.slice(0, 80)}: harmed /torture/keep`;
          return false;
        }
        if (keep?.value !== "precious")
          await store.putParameter({
            name: "/torture/keep",
            value: "precious",
            type: "String",
            overwrite: true,
          });
        return true;
      }),
      { seed, numRuns: runs, interruptAfterTimeLimit: 10 * 60_000 },
    );
    table.record(
      SECTION,
      `fuzz: SSM handler (fast-check, ${runs} requests)`,
      !outcome.failed,
      outcome.failed ? failure || firstLine(String(outcome.errorInstance)) : "",
    );
  } finally {
    await store.close();
  }
}

export async function hostileSection(table: Table, options: { work: string; seed: number }): Promise<void> {
  const random = seededRandom(options.seed ^ 0x5eed);
  await cliCases(table, options.work, random);
  await ssmCases(table, options.work);
  fuzzSelectors(table, options.seed, 5000);
  await fuzzSsmHandler(table, path.join(options.work, "fuzz"), options.seed, 2000);
}
