/** Component reads: everything known about one component, and the blast radius of a selection. */
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { componentDetail } from "../../../../operations/component-detail.js";
import { impactOfSelection } from "../../../../operations/graph-queries.js";
import type { ApiEnv } from "../api-env.js";
import { numberOf } from "../request-values.js";
import { document } from "../route-docs.js";
import { ComponentParams, ComponentQuery, ImpactQuery } from "../schemas.js";

export function registerComponentRoutes(app: OpenAPIHono<ApiEnv>): void {
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/components/{env}/{type}/{nick}",
      summary:
        "One component: config and runtime (secrets redacted), status, versions, producers and consumers",
      request: { params: ComponentParams, query: ComponentQuery },
      responses: document("ComponentDetail", "Everything known about one component"),
    }),
    async (c) => {
      const p = c.req.valid("param");
      const q = c.req.valid("query");
      const detail = await componentDetail(
        c.var.session,
        { env: p.env, type: p.type, nickname: p.nick },
        { version: numberOf(q.at) },
      );
      return c.json(detail, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/impact",
      summary:
        "Blast radius of what a selector picks: dependents with paths, by environment, and deploy waves",
      request: { query: ImpactQuery },
      responses: document("Impact", "Selected components, their dependents and the waves"),
    }),
    async (c) => {
      const q = c.req.valid("query");
      const impact = await impactOfSelection(await c.var.session.graph(), c.var.session, q.select, {
        depth: numberOf(q.depth),
        version: numberOf(q.at),
      });
      return c.json(impact, 200);
    },
  );
}
