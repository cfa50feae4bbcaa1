/** GET /api/log: audit entries, newest first, with the filters of `karma log list`. */
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { versionedDocument } from "../../../../core/json/document.js";
import { auditQueryFrom } from "../../../../operations/log-query.js";
import type { ApiEnv, RouteDeps } from "../api-env.js";
import { document } from "../route-docs.js";
import { LogQuery } from "../schemas.js";

export function registerLogRoutes(app: OpenAPIHono<ApiEnv>, { now }: RouteDeps): void {
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/log",
      summary: "Audit entries, newest first, with the filters of `karma log list`",
      request: { query: LogQuery },
      responses: document("Log", "As `karma log list --json`"),
    }),
    async (c) => {
      const query = auditQueryFrom(c.req.valid("query"), now(), (name) => name);
      const entries = await (await c.var.session.auditLog()).query(query);
      const truncated = query.limit !== undefined && entries.length === query.limit;
      return c.json(versionedDocument({ entries, truncated }), 200);
    },
  );
}
