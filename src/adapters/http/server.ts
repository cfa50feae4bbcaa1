/**
 * Karma's local HTTP server. Requests carrying `X-Amz-Target` are AWS protocol calls and go to
 * the SSM protocol handler; everything else is left to routes added through `configure` (Karma's
 * own API comes later). Bodies above `maxBodyBytes` are refused before they are read whole.
 */
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { hostCheck, LOOPBACK_NAMES } from "./host-check.js";
import { createSsmProtocolHandler, errorResponse, type SsmProtocolOptions } from "./ssm-protocol/handler.js";
import { protocolErrors } from "./ssm-protocol/protocol-error.js";

/** SSM requests are small (a value is at most 8 KB; 1000 tags fit easily): 1 MiB is generous. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

export interface ServerOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** 0 picks a free port. */
  port: number;
  /** Serve the SSM JSON 1.1 protocol with these options. */
  ssm?: SsmProtocolOptions;
  maxBodyBytes?: number;
  /**
   * Host header names requests must carry (DNS rebinding protection). `startServer` defaults it
   * to the loopback names when bound to a loopback address; undefined means no check.
   */
  allowedHosts?: readonly string[];
  /** Adds routes for non-AWS requests (Karma's own HTTP API). */
  configure?(app: Hono): void;
}

export interface RunningServer {
  /** e.g. `http://127.0.0.1:4510` */
  url: string;
  host: string;
  port: number;
  close(): Promise<void>;
}

export function createApp(options: Omit<ServerOptions, "host" | "port">, url = () => "127.0.0.1"): Hono {
  const app = new Hono();
  const maxSize = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  if (options.allowedHosts) app.use("*", hostCheck(options.allowedHosts, url));
  app.use("*", bodyLimit({ maxSize, onError: () => errorResponse(protocolErrors.payloadTooLarge(maxSize)) }));
  if (options.ssm) {
    const handleSsm = createSsmProtocolHandler(options.ssm);
    app.use("*", async (c, next) => {
      // AWS protocol requests are recognised by their target header, whatever their path.
      if (c.req.header("x-amz-target") !== undefined) return handleSsm(c.req.raw);
      await next();
    });
    app.post("/", () =>
      errorResponse(protocolErrors.unknownOperation("Missing X-Amz-Target header: no operation was named.")),
    );
  }
  options.configure?.(app);
  return app;
}

/** True for addresses only this machine can reach. */
export function isLoopback(host: string): boolean {
  if (host === "localhost" || host === "::1") return true;
  return /^127\.\d+\.\d+\.\d+$/.test(host);
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const host = options.host ?? "127.0.0.1";
  let url = "";
  const allowedHosts = options.allowedHosts ?? (isLoopback(host) ? [...LOOPBACK_NAMES, host] : undefined);
  const app = createApp({ ...options, ...(allowedHosts && { allowedHosts }) }, () => url);
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, hostname: host, port: options.port }, (info: AddressInfo) => {
      const shownHost = host.includes(":") ? `[${host}]` : host;
      url = `http://${shownHost}:${info.port}`;
      resolve({
        url,
        host,
        port: info.port,
        close: () =>
          new Promise<void>((done, fail) => {
            server.close((error) => (error ? fail(error) : done()));
            if ("closeAllConnections" in server) server.closeAllConnections();
          }),
      });
    });
    server.once("error", reject);
  });
}
