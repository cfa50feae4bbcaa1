/**
 * A local Apache TinkerPop Gremlin Server (TinkerGraph) for tests, CI and developers, configured
 * by the files in `gremlin-server/` at the repository root (string ids, list cardinality, `g`
 * bound by an init script).
 *
 *   tsx src/adapters/graph-store/gremlin/local-server.ts install        # fetch into the cache
 *   tsx src/adapters/graph-store/gremlin/local-server.ts start [--port N] [--endpoint-file F] [--pid-file F]
 *
 * The distribution comes from Maven Central (`mvn dependency:copy`, cached under
 * $KARMA_CI_CACHE or ~/.cache/karma-ci). Readiness is the log line saying `g` is bound, not the
 * open port: on an unsuitable JVM the port opens but `g` never exists.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const GREMLIN_SERVER_VERSION = "3.7.5";
const ARTIFACT = `org.apache.tinkerpop:gremlin-server:${GREMLIN_SERVER_VERSION}:zip:distribution`;
const READY = /A GraphTraversalSource is now bound to \[g\]/;
const LISTENING = /Channel started at port/;
const GRAPH_FAILED = /Graph \[graph\] .* could not be instantiated/;

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../..");
export const CONFIG_DIR = path.join(repoRoot, "gremlin-server");

function cacheDir(): string {
  return path.join(process.env.KARMA_CI_CACHE ?? path.join(os.homedir(), ".cache", "karma-ci"), "gremlin");
}

/** The unpacked distribution: $KARMA_GREMLIN_HOME, else the cache. */
export function gremlinServerHome(): string {
  return (
    process.env.KARMA_GREMLIN_HOME ??
    path.join(cacheDir(), `apache-tinkerpop-gremlin-server-${GREMLIN_SERVER_VERSION}`)
  );
}

/** Why the server cannot start here, or undefined when it can. */
export function gremlinServerMissing(): string | undefined {
  const home = gremlinServerHome();
  if (!fs.existsSync(path.join(home, "lib")))
    return `Gremlin Server ${GREMLIN_SERVER_VERSION} is not installed at ${home} (run \`npm run gremlin:install\`)`;
  try {
    execFileSync("java", ["-version"], { stdio: "ignore", timeout: 30_000 });
  } catch {
    return "java is not installed (Gremlin Server needs Java 11 or 17)";
  }
  return undefined;
}

/** Downloads and unpacks the distribution into the cache unless it is there. */
export function installGremlinServer(): string {
  const home = gremlinServerHome();
  if (fs.existsSync(path.join(home, "lib"))) return home;
  const dir = cacheDir();
  fs.mkdirSync(dir, { recursive: true });
  const zip = path.join(dir, `gremlin-server-${GREMLIN_SERVER_VERSION}-distribution.zip`);
  if (!fs.existsSync(zip))
    execFileSync("mvn", ["-q", "dependency:copy", `-Dartifact=${ARTIFACT}`, `-DoutputDirectory=${dir}`], {
      stdio: "inherit",
    });
  execFileSync("unzip", ["-q", "-o", zip, "-d", dir], { stdio: "inherit" });
  return home;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface GremlinServerProcess {
  endpoint: string;
  port: number;
  pid: number;
  /** The server's log file. */
  log: string;
  /** SIGTERM (the server closes its graphs, persisting them when a data file is set), then waits. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export interface StartOptions {
  port?: number;
  /** Persist the graph to this file on shutdown and load it on start (TinkerGraph GraphSON; gryo cannot
   * write the ANY id manager's counters on Java 17). */
  dataFile?: string;
  /** How long to wait for readiness. Default 180 s (the machine may be busy). */
  timeoutMs?: number;
}

/** Starts a server on 127.0.0.1 (a free port unless given) and waits until `g` is bound. */
export async function startGremlinServer(options: StartOptions = {}): Promise<GremlinServerProcess> {
  const home = gremlinServerHome();
  const port = options.port ?? (await freePort());
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "karma-gremlin-"));
  let properties = path.join(CONFIG_DIR, "tinkergraph-karma.properties");
  if (options.dataFile !== undefined) {
    const persisted = path.join(work, "tinkergraph.properties");
    fs.writeFileSync(
      persisted,
      `${fs.readFileSync(properties, "utf8")}gremlin.tinkergraph.graphLocation=${options.dataFile}\ngremlin.tinkergraph.graphFormat=graphson\n`,
    );
    properties = persisted;
  }
  const yaml = fs
    .readFileSync(path.join(CONFIG_DIR, "gremlin-server.yaml"), "utf8")
    .replaceAll("{{port}}", String(port))
    .replaceAll("{{dir}}/tinkergraph-karma.properties", properties)
    .replaceAll("{{dir}}", CONFIG_DIR);
  const config = path.join(work, "gremlin-server.yaml");
  fs.writeFileSync(config, yaml);
  const log = path.join(work, "server.log");
  const out = fs.openSync(log, "a");
  const classpath = [
    path.join(home, "conf") + path.sep,
    path.join(home, "lib", "*"),
    path.join(home, "ext", "gremlin-groovy", "plugin", "*"),
    path.join(home, "ext", "tinkergraph-gremlin", "plugin", "*"),
  ].join(path.delimiter);
  const javaOptions = (process.env.KARMA_GREMLIN_JAVA_OPTIONS ?? "-Xms64m -Xmx1g")
    .split(/\s+/)
    .filter(Boolean);
  const child: ChildProcess = spawn(
    "java",
    [
      `-Dlogback.configurationFile=${path.join(home, "conf", "logback.xml")}`,
      ...javaOptions,
      "-cp",
      classpath,
      "org.apache.tinkerpop.gremlin.server.GremlinServer",
      config,
    ],
    { cwd: home, stdio: ["ignore", out, out] },
  );
  fs.closeSync(out);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const endpoint = `ws://127.0.0.1:${port}/gremlin`;
  const timeoutMs = options.timeoutMs ?? 180_000;
  await new Promise<void>((resolve, reject) => {
    const deadline = Date.now() + timeoutMs;
    let done = false;
    const finish = (error?: Error) => {
      if (done) return;
      done = true;
      clearInterval(poll);
      if (error) {
        child.kill("SIGKILL");
        reject(error);
      } else resolve();
    };
    const tail = () => fs.readFileSync(log, "utf8").split("\n").slice(-15).join("\n");
    // the log is the readiness signal; polling a local file is cheap and needs no extra process
    const poll = setInterval(() => {
      const text = fs.readFileSync(log, "utf8");
      if (GRAPH_FAILED.test(text)) finish(new Error(`Gremlin Server could not open its graph:\n${tail()}`));
      else if (READY.test(text) && LISTENING.test(text)) finish();
      else if (Date.now() > deadline)
        finish(new Error(`Gremlin Server did not bind g within ${timeoutMs / 1000} s:\n${tail()}`));
    }, 200);
    void exited.then(() => finish(new Error(`Gremlin Server exited before binding g:\n${tail()}`)));
  });
  return {
    endpoint,
    port,
    pid: child.pid!,
    log,
    async stop(signal: NodeJS.Signals = "SIGTERM") {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  const flag = (name: string) => {
    const i = rest.indexOf(name);
    return i >= 0 ? rest[i + 1] : undefined;
  };
  if (command === "install") {
    process.stdout.write(`${installGremlinServer()}\n`);
    return;
  }
  if (command !== "start") {
    process.stderr.write(
      "usage: server.ts install | start [--port N] [--endpoint-file FILE] [--pid-file FILE]\n",
    );
    process.exit(2);
  }
  installGremlinServer();
  const port = flag("--port");
  const server = await startGremlinServer(port === undefined ? {} : { port: Number(port) });
  const endpointFile = flag("--endpoint-file");
  const pidFile = flag("--pid-file");
  if (pidFile !== undefined) fs.writeFileSync(pidFile, `${server.pid}\n`);
  // written last: whoever waits for it may use the server at once
  if (endpointFile !== undefined) fs.writeFileSync(endpointFile, `${server.endpoint}\n`);
  process.stdout.write(
    `Gremlin Server ${GREMLIN_SERVER_VERSION} ready at ${server.endpoint} (log: ${server.log}); Ctrl-C stops it.\n` +
      `Use it: export KARMA_GREMLIN_ENDPOINT=${server.endpoint}\n`,
  );
  const stop = () => void server.stop().then(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(1);
  });
}
