/**
 * Who may write: a request's bearer token against the server's (compared in constant time), and
 * whether the server applies changes at all (`karma serve --allow-apply`).
 */
import { timingSafeEqual } from "node:crypto";
import type { MiddlewareHandler } from "hono";

/** A write refused before it starts: the answer's body, status and headers. */
export interface Refusal {
  body: { error: string; fix: string; field?: string };
  status: 401 | 403;
  headers?: Record<string, string>;
}

function tokenMatches(header: string | undefined, token: string): boolean {
  const given = header?.startsWith("Bearer ") ? header.slice("Bearer ".length) : undefined;
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Why a request may not write (401), or undefined when its bearer token is the server's. */
export function tokenRefusal(header: string | undefined, token: string | undefined): Refusal | undefined {
  if (token === undefined)
    return {
      body: {
        error: "this server accepts no writes: it was started without KARMA_API_TOKEN",
        fix: "restart karma serve with KARMA_API_TOKEN=<a long random string> and send Authorization: Bearer <it>",
      },
      status: 401,
    };
  if (!tokenMatches(header, token))
    return {
      body: {
        error: "missing or wrong bearer token",
        fix: "send Authorization: Bearer $KARMA_API_TOKEN (the token karma serve was started with)",
      },
      status: 401,
      headers: { "WWW-Authenticate": 'Bearer realm="karma"' },
    };
  return undefined;
}

export function requireToken(token: string | undefined): MiddlewareHandler {
  return async (c, next) => {
    const refused = tokenRefusal(c.req.header("authorization"), token);
    if (refused) return c.json(refused.body, refused.status, refused.headers);
    await next();
  };
}

/** 403 unless the server was started with --allow-apply. */
export function applyRefusal(
  allowApply: boolean | undefined,
  field: "apply" | "dry_run",
): Refusal | undefined {
  if (allowApply) return undefined;
  return {
    body: {
      error: `this server does not apply changes (${field === "apply" ? "apply: true" : "dry_run: false"})`,
      fix: "send a dry run, or start karma serve with --allow-apply to let the API write, publish and deploy",
      field,
    },
    status: 403,
  };
}
