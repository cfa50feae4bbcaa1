/**
 * One WebSocket connection to a Gremlin server (Amazon Neptune, TinkerPop Gremlin Server, …)
 * through the official `gremlin` driver, with what every caller needs around it:
 *
 * - bytecode traversals only, checked before they leave: a traversal carrying a lambda (the JS
 *   driver sends a function as a Groovy script) is refused here, because TinkerGraph runs it and
 *   Neptune rejects it — the local server must not hide that;
 * - a bounded wait: every request races the configured timeout; on expiry the socket is closed so
 *   nothing half-sent lingers, and the error names the setting that changes the bound;
 * - one-line errors naming the endpoint and the fix (unreachable, auth refused, traversal
 *   rejected, driver/server version mismatch, connection lost);
 * - SigV4 headers on the handshake for Neptune IAM auth.
 */
import gremlin from "gremlin";
import { UserError } from "../../../core/errors.js";
import { GraphBinaryRequestWriter } from "./graphbinary-writer.js";
import { neptuneHandshakeHeaders, type SigV4Options } from "./neptune-sigv4.js";

export type Traversal = gremlin.process.Traversal;
export type GraphTraversalSource = gremlin.process.GraphTraversalSource;
/** The shape of the driver's Bytecode (its typings omit the instruction lists). */
interface Bytecode {
  sourceInstructions: unknown[][];
  stepInstructions: unknown[][];
}

/** The driver release Karma is built against; the server must speak the same TinkerPop minor. */
export const GREMLIN_DRIVER_VERSION = "3.7.4";
export const DEFAULT_GREMLIN_TIMEOUT_MS = 30_000;
const GRAPHBINARY = "application/vnd.graphbinary-v1.0";

export interface GremlinConnectionOptions {
  /** `ws://127.0.0.1:8182/gremlin`, `wss://<cluster>.neptune.amazonaws.com:8182/gremlin`. */
  endpoint: string;
  /** Sign the handshake with SigV4 (Neptune IAM auth). */
  iam?: boolean | SigV4Options;
  /** Bound on connecting and on each request. Default 30 s. */
  timeoutMs?: number;
  /** Where the timeout is configured, for the error message. */
  timeoutSetting?: string;
}

/** Thrown by {@link assertNoLambdas}; a programming error, not user input. */
export class LambdaInTraversalError extends Error {
  override name = "LambdaInTraversalError";
}

function isBytecode(value: unknown): value is Bytecode {
  return (
    typeof value === "object" &&
    value !== null &&
    Array.isArray((value as Bytecode).stepInstructions) &&
    Array.isArray((value as Bytecode).sourceInstructions)
  );
}

/**
 * Refuses a traversal whose bytecode carries a lambda at any depth: as a step argument, inside a
 * list or map argument (a build's row lists), a nested traversal (`__.out()`) or a predicate. A
 * plain recursive walk: a generator per value cost a tenth of a build's client CPU on its rows.
 */
export function assertNoLambdas(bytecode: Bytecode): void {
  for (const list of [bytecode.sourceInstructions, bytecode.stepInstructions])
    for (const instruction of list) {
      const step = String(instruction[0]);
      for (let i = 1; i < instruction.length; i++) checkValue(instruction[i], step);
    }
}

function checkValue(value: unknown, step: string): void {
  if (typeof value === "function" || (value instanceof Object && value.constructor?.name === "Lambda"))
    throw new LambdaInTraversalError(
      `Gremlin step ${step}() has a lambda argument: Neptune refuses lambdas; express it with steps instead.`,
    );
  if (value === null || typeof value !== "object") return;
  if (isBytecode(value)) {
    assertNoLambdas(value);
    return;
  }
  const getBytecode = (value as { getBytecode?: () => Bytecode }).getBytecode;
  if (typeof getBytecode === "function") {
    assertNoLambdas(getBytecode.call(value));
    return;
  }
  if (Array.isArray(value)) {
    for (const item of value) checkValue(item, step);
    return;
  }
  if (value instanceof Map) {
    for (const [key, item] of value) {
      checkValue(key, step);
      checkValue(item, step);
    }
    return;
  }
  // P / TextP keep their operands in `value` / `other`
  for (const key of ["value", "other"] as const)
    if (key in value) checkValue((value as Record<string, unknown>)[key], step);
}

function firstLine(text: string): string {
  return text.split("\n")[0]!.trim();
}

export class GremlinConnection {
  readonly endpoint: string;
  readonly timeoutMs: number;
  private readonly timeoutSetting: string;
  private connection: gremlin.driver.DriverRemoteConnection | undefined;
  private source: GraphTraversalSource | undefined;
  private opening: Promise<GraphTraversalSource> | undefined;
  private lost: Error | undefined;
  private readonly writer = new GraphBinaryRequestWriter();
  /** Bytecode already lambda-checked by {@link prepare}. */
  private readonly checked = new WeakSet<object>();

  constructor(private readonly options: GremlinConnectionOptions) {
    this.endpoint = options.endpoint;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_GREMLIN_TIMEOUT_MS;
    this.timeoutSetting = options.timeoutSetting ?? '"timeout" in the "graph" section of karma.json';
  }

  /** The traversal source, connecting on first use. */
  async g(): Promise<GraphTraversalSource> {
    if (this.lost) throw this.lost;
    if (this.source) return this.source;
    this.opening ??= this.open();
    return this.opening;
  }

  private async open(): Promise<GraphTraversalSource> {
    const iam = this.options.iam;
    const headers =
      iam === undefined || iam === false
        ? undefined
        : await neptuneHandshakeHeaders(this.endpoint, iam === true ? {} : iam);
    const connection = new gremlin.driver.DriverRemoteConnection(this.endpoint, {
      headers,
      connectOnStartup: false,
      // GraphBinary rather than the driver's default GraphSON: the server decodes a build's row
      // lists in roughly half the CPU (both Neptune and Gremlin Server speak it)
      mimeType: GRAPHBINARY,
      // the driver's writer copies every value several times (see graphbinary-writer.ts)
      writer: this.writer,
    });
    // without a listener the driver's socket errors would only surface as the failed request
    connection.addListener("socketError", () => {});
    connection.addListener("close", () => {
      this.lost ??= this.connectionLost();
    });
    this.connection = connection;
    try {
      await this.bounded(connection.open(), "connect");
    } catch (error) {
      this.opening = undefined;
      this.connection = undefined;
      await connection.close().catch(() => {});
      throw this.translate(error);
    }
    this.source = gremlin.process.AnonymousTraversalSource.traversal().withRemote(connection);
    return this.source;
  }

  /**
   * Encodes a complete traversal ahead of {@link toList} (lambda-checked now): a caller can encode
   * the next request while the server works on the current one. Steps added afterwards are lost.
   */
  prepare(traversal: Traversal): void {
    const bytecode = traversal.getBytecode();
    assertNoLambdas(bytecode as unknown as Bytecode);
    this.checked.add(bytecode);
    this.writer.prepare(traversal);
  }

  /** Runs `traversal` (bytecode, lambda-checked) and returns its results. */
  async toList<T>(traversal: Traversal): Promise<T[]> {
    const bytecode = traversal.getBytecode();
    if (!this.checked.delete(bytecode)) assertNoLambdas(bytecode as unknown as Bytecode);
    // the driver would silently reconnect; a build must not carry on over a new connection
    if (this.lost) throw this.lost;
    try {
      return (await this.bounded(traversal.toList(), "answer")) as T[];
    } catch (error) {
      throw this.translate(error);
    }
  }

  private async bounded<T>(work: Promise<T>, what: "connect" | "answer"): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const error = new UserError(
          `The Gremlin server at ${this.endpoint} did not ${what} within ${this.timeoutMs / 1000} s.`,
          `Check that it is up and reachable, or raise ${this.timeoutSetting}.`,
        );
        this.lost = error;
        // closing fails every request still waiting on this socket: nothing is left in flight
        void this.connection?.close().catch(() => {});
        reject(error);
      }, this.timeoutMs);
    });
    try {
      return await Promise.race([work, expired]);
    } finally {
      clearTimeout(timer);
    }
  }

  private connectionLost(): UserError {
    return new UserError(
      `The connection to the Gremlin server at ${this.endpoint} was lost.`,
      "Check the server, then run the command again (an interrupted graph build never becomes the latest version).",
    );
  }

  /** Driver and server errors → one-line UserErrors naming the endpoint and the fix. */
  translate(error: unknown): Error {
    if (error instanceof UserError || error instanceof LambdaInTraversalError) return error;
    const err = error as Error & { code?: string; statusCode?: number };
    const message = firstLine(String(err?.message ?? error));
    const code =
      err?.code ??
      /\b(ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ECONNRESET|ETIMEDOUT|EAI_AGAIN)\b/.exec(message)?.[1];
    if (code === "ECONNREFUSED" || code === "ENOTFOUND" || code === "EHOSTUNREACH" || code === "EAI_AGAIN")
      return new UserError(
        `Cannot reach the Gremlin server at ${this.endpoint} (${code}).`,
        'Start it (`npm run gremlin:start` for a local one) or fix "endpoint" in the "graph" section of karma.json.',
      );
    const http = /Unexpected server response(?: code)?:? (\d{3})/.exec(message)?.[1];
    if (http === "401" || http === "403")
      return new UserError(
        `The Gremlin server at ${this.endpoint} refused the connection (HTTP ${http}: authentication).`,
        this.options.iam
          ? "Check the AWS credentials (default chain), the region, and that the IAM policy allows neptune-db:* on this cluster."
          : 'If this is Neptune with IAM auth, set "iam": true in the "graph" section of karma.json.',
      );
    if (
      /Could not locate method|Serializer .* not found|unexpected.*(type|version)|cannot be deserialized/i.test(
        message,
      )
    )
      return new UserError(
        `The Gremlin server at ${this.endpoint} does not understand this driver (gremlin ${GREMLIN_DRIVER_VERSION}): ${message}`,
        "Use a TinkerPop 3.7.x server (Gremlin Server 3.7.5, or a Neptune engine on TinkerPop 3.7).",
      );
    if (message === "Connection has been closed." || code === "ECONNRESET")
      return this.lost ?? this.connectionLost();
    if (/^Server error/.test(message) || err?.statusCode !== undefined)
      return new UserError(
        `The Gremlin server at ${this.endpoint} rejected the traversal: ${message.replace(/^Server error: /, "")}`,
        "Check the traversal's steps and arguments.",
      );
    return new UserError(`Gremlin server at ${this.endpoint}: ${message}`);
  }

  async close(): Promise<void> {
    const connection = this.connection;
    this.connection = undefined;
    this.source = undefined;
    this.opening = undefined;
    this.lost ??= new UserError("The Gremlin connection is closed.");
    await connection?.close().catch(() => {});
  }
}
