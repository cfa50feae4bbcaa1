/**
 * `karma serve`: the embedded parameter store over the SSM JSON 1.1 protocol, so the AWS CLI,
 * the AWS SDKs and Terraform's AWS provider work against a local Karma unchanged:
 *
 *   aws --endpoint-url http://127.0.0.1:4510 --region us-east-1 ssm get-parameter --name /iac/vpc/main/config
 *
 * Environments: each request's SigV4 access key id selects the environment it reads and writes
 * (AWS_ACCESS_KEY_ID=prod → the "prod" store); any other access key id gets the default
 * environment (`--env`, or the only one). With several environments and no `--env`, an access
 * key id that names no environment is refused.
 *
 * Authentication: `--auth sigv4` verifies signatures against KARMA_SERVE_CREDENTIALS
 * ("id:secret,id2:secret2"), or else the server's own AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY —
 * so a shell that exports the credentials its AWS CLI uses can start a server that only that
 * shell's clients can use. `--auth none` (default) accepts any signature, is allowed on loopback
 * only, and says at start that every local process can read and write. On loopback, requests
 * must also address the server by a loopback name (DNS rebinding protection, see host-check.ts).
 *
 * Beside the SSM protocol the same server answers Karma's HTTP API under /api (and /metrics) and
 * serves the graph explorer at /. Writes need `Authorization: Bearer $KARMA_API_TOKEN`; beyond
 * loopback every API request does, so `--host` needs KARMA_API_TOKEN set.
 */
import type { Command } from "commander";
import { Option } from "commander";
import { openUrl } from "../../adapters/browser/open-url.js";
import { mountKarma } from "../../adapters/http/api/app.js";
import { isLoopback, startServer } from "../../adapters/http/server.js";
import { CallCounter } from "../../adapters/http/ssm-protocol/call-counter.js";
import { SsmProtocolError } from "../../adapters/http/ssm-protocol/protocol-error.js";
import { TokenBucket } from "../../adapters/http/ssm-protocol/token-bucket.js";
import { openSession } from "../../adapters/session/open-session.js";
import { UserError } from "../../core/errors.js";
import type { EnvironmentSettings, ProjectSettings } from "../../core/estate/model.js";
import type { ParameterWrite } from "../../core/parameters/writes.js";
import { parameterWriteRecord } from "../../operations/parameters.js";
import { estateRootFrom, selectEnvironment } from "../context.js";
import { style } from "../output.js";

export const DEFAULT_PORT = 4510;
export const CREDENTIALS_ENV = "KARMA_SERVE_CREDENTIALS";
export const API_TOKEN_ENV = "KARMA_API_TOKEN";

interface ServeOptions {
  port: string;
  host: string;
  auth: "none" | "sigv4";
  env?: string;
  throttle?: string;
  allowApply?: boolean;
}

/** Access key id → secret for `--auth sigv4`. Secrets are never printed. */
export function serveCredentials(env: NodeJS.ProcessEnv): Map<string, string> {
  const configured = env[CREDENTIALS_ENV];
  if (configured !== undefined && configured.trim() !== "") {
    const credentials = new Map<string, string>();
    for (const entry of configured.split(",")) {
      const colon = entry.indexOf(":");
      if (colon <= 0 || colon === entry.length - 1)
        throw new UserError(
          `${CREDENTIALS_ENV} has an entry that is not "accessKeyId:secret" (entry ${credentials.size + 1})`,
          `set ${CREDENTIALS_ENV}="dev:some-secret,prod:other-secret"`,
        );
      credentials.set(entry.slice(0, colon).trim(), entry.slice(colon + 1).trim());
    }
    return credentials;
  }
  if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY)
    return new Map([[env.AWS_ACCESS_KEY_ID, env.AWS_SECRET_ACCESS_KEY]]);
  throw new UserError(
    "--auth sigv4 needs credentials to verify signatures against",
    `set ${CREDENTIALS_ENV}="dev:some-secret,prod:other-secret" (access key id = environment), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY`,
  );
}

/** The embedded environments this server can serve, and how a request picks one. */
export function environmentRouter(settings: ProjectSettings, defaultName?: string) {
  const embedded = settings.environments.filter((e) => e.store.kind === "sqlite");
  const byName = new Map(embedded.map((e) => [e.name, e]));
  let fallback: EnvironmentSettings | undefined;
  if (defaultName !== undefined || settings.environments.length <= 1) {
    fallback = selectEnvironment(settings, defaultName);
    if (fallback.store.kind !== "sqlite")
      throw new UserError(
        `environment "${fallback.name}" uses store "${fallback.store.kind}"; karma serve serves embedded stores only`,
        embedded.length ? `pass --env with one of: ${embedded.map((e) => e.name).join(", ")}` : undefined,
      );
  }
  if (embedded.length === 0 && fallback === undefined)
    throw new UserError("no environment of this estate uses the embedded store; there is nothing to serve");
  return {
    served: [...new Set([...byName.keys(), ...(fallback ? [fallback.name] : [])])].sort(),
    defaultEnvironment: fallback?.name,
    pick(accessKeyId: string | undefined): EnvironmentSettings {
      const named = accessKeyId !== undefined ? byName.get(accessKeyId) : undefined;
      if (named) return named;
      if (fallback) return fallback;
      throw new SsmProtocolError(
        "UnrecognizedClientException",
        `The access key id names no environment of this estate; use one of: ${[...byName.keys()].join(", ")} (or start karma serve with --env).`,
      );
    },
  };
}

/** Starting the server; an address in use or not permitted is the user's to fix. */
async function listen<T>(start: () => Promise<T>, host: string, port: number): Promise<T> {
  try {
    return await start();
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === "EADDRINUSE")
      throw new UserError(
        `port ${port} on ${host} is already in use`,
        "pass --port <other> (0 picks a free one)",
      );
    if (code === "EACCES" || code === "EADDRNOTAVAIL")
      throw new UserError(
        `cannot listen on ${host}:${port} (${code})`,
        "use another --host or a port above 1023",
      );
    throw error;
  }
}

/** The options `karma serve` and `karma ui` share. */
function serveOptions(command: Command): Command {
  return command
    .option("--port <port>", "TCP port (0 picks a free one)", String(DEFAULT_PORT))
    .option("--host <host>", "address to listen on", "127.0.0.1")
    .addOption(
      new Option("--auth <mode>", "none: accept any signature (loopback only); sigv4: verify signatures")
        .choices(["none", "sigv4"])
        .default("none"),
    )
    .option("--env <name>", "environment for access key ids that name none")
    .option("--throttle <tps>", "answer ThrottlingException above this many requests per second, like SSM")
    .option(
      "--allow-apply",
      "let the API carry changes out (POST /api/request-change with dry_run: false, POST /api/plan with apply: true); off by default",
    );
}

export function register(program: Command): void {
  serveOptions(
    program
      .command("serve")
      .description(
        "serve the graph explorer and HTTP API (/api), and the embedded parameter store over the AWS SSM API (for the AWS CLI, SDKs, Terraform)",
      ),
  ).action((opts: ServeOptions, cmd: Command) => runServe(opts, cmd));
  serveOptions(
    program
      .command("ui")
      .description(
        "open the graph explorer: karma serve, then its URL in a browser ($BROWSER or the system's; printed to open yourself when there is none)",
      )
      .option("--no-open", "only print the URL"),
  ).action((opts: ServeOptions & { open: boolean }, cmd: Command) =>
    runServe(opts, cmd, opts.open ? openExplorer : undefined),
  );
}

/** `karma ui`: the explorer in a browser if one can be opened; the URL either way. */
async function openExplorer(url: string): Promise<void> {
  const tell = (reason: string) =>
    process.stderr.write(`karma ui: could not open a browser (${reason}); open ${url} yourself\n`);
  const outcome = await openUrl(url, tell);
  if (outcome.opened) process.stdout.write(`karma ui: opening ${url} (with ${outcome.with})\n`);
  else tell(outcome.reason);
}

async function runServe(
  opts: ServeOptions,
  cmd: Command,
  onListening?: (explorerUrl: string) => Promise<void>,
): Promise<void> {
  const port = Number(opts.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UserError(`--port must be a TCP port number, got "${opts.port}"`, "use e.g. --port 4510");
  const loopback = isLoopback(opts.host);
  if (!loopback && opts.auth !== "sigv4")
    throw new UserError(
      `refusing to serve on ${opts.host} without authentication: anyone who can reach it could read and change parameters`,
      "add --auth sigv4 (and KARMA_SERVE_CREDENTIALS), or keep the default --host 127.0.0.1",
    );
  const token = process.env[API_TOKEN_ENV]?.trim() || undefined;
  if (!loopback && token === undefined)
    throw new UserError(
      `refusing to serve the HTTP API on ${opts.host} without a token: anyone who can reach it could read the estate`,
      `set ${API_TOKEN_ENV}=<a long random string> (clients send Authorization: Bearer <it>), or keep the default --host 127.0.0.1`,
    );
  let throttle: TokenBucket | undefined;
  if (opts.throttle !== undefined) {
    const tps = Number(opts.throttle);
    if (!(tps > 0)) throw new UserError(`--throttle must be a positive number, got "${opts.throttle}"`);
    throttle = new TokenBucket(tps);
  }
  // every write through the API is audited as the access key id that signed it
  const session = openSession({ root: estateRootFrom(cmd), source: "ssm-api" });
  const { settings } = session;
  const router = environmentRouter(settings, opts.env);
  const credentials = opts.auth === "sigv4" ? serveCredentials(process.env) : undefined;
  const storeFor = (accessKeyId: string | undefined) => session.store(router.pick(accessKeyId).name);
  const onWrite = async (write: ParameterWrite, accessKeyId: string | undefined) => {
    await session.record({
      ...parameterWriteRecord(router.pick(accessKeyId).name, write),
      actor: accessKeyId ?? "anonymous",
    });
  };
  const counter = new CallCounter();
  const reportInternal = (error: unknown, where: string) =>
    process.stderr.write(
      `karma serve: internal error in ${where} (please report it):\n${error instanceof Error ? error.stack : String(error)}\n`,
    );
  const server = await listen(
    () =>
      startServer({
        host: opts.host,
        port,
        ssm: {
          storeFor,
          onWrite,
          counter,
          ...(credentials && { credentials }),
          ...(throttle && { throttle }),
          onInternalError: reportInternal,
        },
        configure: (app) =>
          mountKarma(app, {
            settings,
            ...(token !== undefined ? { token } : {}),
            readToken: !loopback,
            allowApply: opts.allowApply === true,
            onInternalError: reportInternal,
          }),
      }),
    opts.host,
    port,
  );

  if (!loopback)
    process.stderr.write(
      `${style.yellow("warning:")} listening on ${opts.host}, reachable from other machines; every request must be SigV4-signed\n`,
    );
  if (opts.auth === "none")
    process.stderr.write(
      `${style.yellow("warning:")} --auth none: any process on this machine can read and change these parameters (SecureStrings included); to allow only your own clients, export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY and start with --auth sigv4\n`,
    );
  const envs = router.served.map((n) => (n === router.defaultEnvironment ? `${n} (default)` : n)).join(", ");
  process.stdout.write(
    [
      `karma serve: explorer at ${server.url}/ (API ${server.url}/api, OpenAPI ${server.url}/api/openapi.json, metrics ${server.url}/metrics)`,
      `  writes (POST /api/request-change, POST /api/plan with apply) ${token === undefined ? `are off: set ${API_TOKEN_ENV} to allow them` : `need Authorization: Bearer $${API_TOKEN_ENV}`}`,
      `karma serve: SSM API at ${server.url} (auth: ${opts.auth}; environments: ${envs})`,
      `  the access key id selects the environment, e.g. AWS_ACCESS_KEY_ID=${router.served[0] ?? "dev"}`,
      `  try: aws --endpoint-url ${server.url} --region us-east-1 ssm get-parameters-by-path --path ${settings.prefix} --recursive`,
      "  stop with Ctrl-C",
      "",
    ].join("\n"),
  );
  await onListening?.(`${server.url}/`);

  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await server.close();
  await session.close();
  const calls = counter.snapshot();
  process.stdout.write(
    `karma serve: stopped after ${counter.total()} calls${
      counter.total()
        ? ` (${Object.entries(calls)
            .map(([op, n]) => `${op} ${n}`)
            .join(", ")})`
        : ""
    }\n`,
  );
}
