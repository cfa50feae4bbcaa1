/**
 * Drift: components not in sync and stale consumers (an unfiltered answer also feeds the drift
 * gauges of /metrics), and what the last Terraform drift check found.
 */
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { versionedDocument } from "../../../../core/json/document.js";
import { driftReport } from "../../../../operations/drift.js";
import { lastResourceDrift } from "../../../../operations/resource-drift.js";
import type { ApiEnv, RouteDeps } from "../api-env.js";
import { document } from "../route-docs.js";
import { SelectorQuery } from "../schemas.js";

export function registerDriftRoutes(app: OpenAPIHono<ApiEnv>, { options, now, metrics }: RouteDeps): void {
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/drift",
      summary:
        "Components not in sync and stale consumers, as `karma drift --json` (without Terraform checks)",
      request: { query: SelectorQuery },
      responses: document("Drift", "As `karma drift --json`"),
    }),
    async (c) => {
      const q = c.req.valid("query");
      const report = await driftReport(
        c.var.session,
        await c.var.session.estate.load(),
        q.select ? { selector: q.select } : {},
      );
      if (!q.select)
        metrics.recordDrift(
          report,
          options.settings.environments.map((e) => e.name),
          now(),
        );
      return c.json(versionedDocument(report), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/drift/resources",
      summary:
        "Components whose last Terraform drift check (`karma drift --terraform`) found changes, with no deploy since",
      responses: document("ResourceDrift", "The drifted components, with when and what the check found"),
    }),
    async (c) => c.json(versionedDocument({ components: await lastResourceDrift(c.var.session) }), 200),
  );
}
