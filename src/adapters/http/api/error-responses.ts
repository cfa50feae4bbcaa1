/**
 * How the API answers what went wrong: a request its schema refuses (400 naming the field), a
 * UserError (400, or 404 for things that do not exist) with `{error, fix}`, and anything else as a
 * 500 whose details go to `onInternalError`, never to the client.
 */
import type { OpenAPIHonoOptions } from "@hono/zod-openapi";
import type { ErrorHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import { NotFoundError, UserError, ValidationFailedError } from "../../../core/errors.js";
import type { ApiEnv } from "./api-env.js";

/** The field a zod issue is about, as `a.b.0`. */
function fieldOf(path: readonly PropertyKey[]): string {
  return path.map(String).join(".");
}

/** The app's default hook: a request that fails its route's schema answers 400 with every problem. */
export const invalidRequest: NonNullable<OpenAPIHonoOptions<ApiEnv>["defaultHook"]> = (result, c) => {
  if (result.success) return;
  const issues = result.error.issues;
  const first = issues[0];
  const field = first ? fieldOf(first.path) : "";
  return c.json(
    {
      error: `${field || "request"}: ${first?.message ?? "invalid"}`,
      fix: "see the request schema in /api/openapi.json",
      field,
      problems: issues.map((i) => ({ field: fieldOf(i.path), message: i.message })),
    },
    400,
  );
};

export function errorHandler(onInternalError?: (error: unknown, route: string) => void): ErrorHandler {
  return (error, c) => {
    // hono's own refusals: a body that is not JSON, a media type the route does not take
    if (error instanceof HTTPException)
      return c.json(
        { error: error.message, fix: "send Content-Type: application/json with a JSON body" },
        error.status,
      );
    if (error instanceof ValidationFailedError)
      return c.json(
        {
          error: error.message,
          ...(error.fix ? { fix: error.fix } : {}),
          problems: error.problems.map((p) => ({
            message: p.message,
            ...(p.pointer !== undefined ? { pointer: p.pointer } : {}),
            ...(p.fix ? { fix: p.fix } : {}),
          })),
        },
        400,
      );
    if (error instanceof UserError) {
      return c.json(
        { error: error.message, ...(error.fix ? { fix: error.fix } : {}) },
        error instanceof NotFoundError ? 404 : 400,
      );
    }
    onInternalError?.(error, `${c.req.method} ${c.req.path}`);
    return c.json({ error: "internal error (details are in the server's log)" }, 500);
  };
}
