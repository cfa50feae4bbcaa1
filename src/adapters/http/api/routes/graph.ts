/** Graph reads: a version (or the part a selector picks), the stored versions, and a diff of two. */
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { versionedDocument } from "../../../../core/json/document.js";
import { selectedGraph } from "../../../../operations/graph-queries.js";
import type { ApiEnv } from "../api-env.js";
import { numberOf } from "../request-values.js";
import { document } from "../route-docs.js";
import { DiffQuery, GraphQuery } from "../schemas.js";

export function registerGraphRoutes(app: OpenAPIHono<ApiEnv>): void {
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/graph",
      summary: "A graph version (default latest), or the part a selector picks",
      request: { query: GraphQuery },
      responses: document("Graph", "Nodes, edges (kind and evidence) and findings, as `karma graph export`"),
    }),
    async (c) => {
      const q = c.req.valid("query");
      const graph = await selectedGraph(await c.var.session.graph(), c.var.session, {
        version: numberOf(q.at),
        ...(q.select ? { selector: q.select } : {}),
      });
      return c.json(graph, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/graph/versions",
      summary: "The stored graph versions, oldest first",
      responses: document("GraphVersions", "As `karma graph versions --json`"),
    }),
    async (c) =>
      c.json(versionedDocument({ versions: await (await c.var.session.graph()).listVersions() }), 200),
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/graph/diff",
      summary: "What changed between two graph versions",
      request: { query: DiffQuery },
      responses: document("GraphDiff", "As `karma graph diff --json`"),
    }),
    async (c) => {
      const q = c.req.valid("query");
      const from = Number(q.from);
      const to = Number(q.to);
      const diff = await (await c.var.session.graph()).diff(from, to);
      return c.json(versionedDocument({ from, to, diff }), 200);
    },
  );
}
