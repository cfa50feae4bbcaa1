/** GET /api/status: where each component stands, as `karma status --json`. */
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { versionedDocument } from "../../../../core/json/document.js";
import { estateStatus } from "../../../../operations/status.js";
import type { ApiEnv } from "../api-env.js";
import { document } from "../route-docs.js";
import { SelectorQuery } from "../schemas.js";

export function registerStatusRoutes(app: OpenAPIHono<ApiEnv>): void {
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/status",
      summary: "Where each component stands, as `karma status --json`",
      request: { query: SelectorQuery },
      responses: document("Status", "As `karma status --json`"),
    }),
    async (c) => {
      const q = c.req.valid("query");
      return c.json(
        versionedDocument(
          await estateStatus(c.var.session, await c.var.session.estate.load(), q.select || undefined),
        ),
        200,
      );
    },
  );
}
