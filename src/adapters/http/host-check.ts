/**
 * DNS rebinding protection. A web page on evil.example can make its own name resolve to
 * 127.0.0.1 and then talk to a local server as a same-origin page: no CORS preflight stops it,
 * and with `--auth none` nothing else would. What such a request cannot forge is its Host header
 * (the browser sends evil.example), so a server bound to loopback answers only requests addressed
 * to a loopback name. A server bound elsewhere requires SigV4, whose signature covers the Host
 * header and needs the secret, so it does not need this check.
 */
import type { MiddlewareHandler } from "hono";
import { errorResponse } from "./ssm-protocol/handler.js";
import { SsmProtocolError } from "./ssm-protocol/protocol-error.js";

/** Names by which a loopback server is legitimately addressed. */
export const LOOPBACK_NAMES: readonly string[] = ["localhost", "127.0.0.1", "::1"];

/** `127.0.0.1:4510` → `127.0.0.1`; `[::1]:4510` → `::1`; lower case. */
export function hostName(header: string): string {
  const host = header.trim().toLowerCase();
  if (host.startsWith("[")) return host.slice(1, host.indexOf("]") > 0 ? host.indexOf("]") : undefined);
  const colon = host.indexOf(":");
  return colon < 0 ? host : host.slice(0, colon);
}

/** Refuses requests whose Host header names none of `allowed` (403, in SSM's error shape). */
export function hostCheck(allowed: readonly string[], url: () => string): MiddlewareHandler {
  const names = new Set(allowed.map((n) => n.toLowerCase()));
  return async (c, next) => {
    const header = c.req.header("host") ?? "";
    const name = hostName(header);
    if (names.has(name) || /^127\.\d+\.\d+\.\d+$/.test(name)) return next();
    return errorResponse(
      new SsmProtocolError(
        "AccessDeniedException",
        `Host header "${header.slice(0, 100)}" does not name this server (refused as a possible DNS rebinding attack); address it as ${url()}.`,
        403,
      ),
    );
  };
}
