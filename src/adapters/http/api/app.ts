/**
 * Karma's HTTP API under `/api` (and `/metrics`): every route parses its input with the zod
 * schemas in `schemas.ts` and calls the operation the CLI calls for the same question — graph
 * reads through the GraphStore port (`operations/graph-queries`), `estateStatus`, `driftReport`,
 * `makePlan`, `proposeChange`, the audit log's query — then answers its JSON document. Each
 * group of routes is a module under `routes/`; this one assembles them.
 *
 * Errors: a UserError (bad selector, unknown version, invalid patch) is the caller's to fix and
 * answers 400 — 404 for things that do not exist — with `{error, fix}`; anything else is a 500
 * whose details go to `onInternalError`, never to the client (`error-responses.ts`).
 *
 * Security: writes (POST /api/request-change, POST /api/plan with `apply: true`) need
 * `Authorization: Bearer <token>` and applying needs `karma serve --allow-apply`; with
 * `readToken` every /api route does. No CORS headers are ever sent, so other origins cannot read
 * answers, and a browser cannot send the Authorization header cross-origin without a preflight
 * this server refuses.
 */
import { OpenAPIHono } from "@hono/zod-openapi";
import type { Hono, MiddlewareHandler } from "hono";
import { openSession } from "../../session/open-session.js";
import { serveExplorer } from "../ui/static.js";
import type { ApiEnv, ApiOptions, RouteDeps } from "./api-env.js";
import { requireToken } from "./auth.js";
import { errorHandler, invalidRequest } from "./error-responses.js";
import { createApiMetrics } from "./metrics.js";
import { registerComponentRoutes } from "./routes/components.js";
import { registerDriftRoutes } from "./routes/drift.js";
import { registerGraphRoutes } from "./routes/graph.js";
import { registerLogRoutes } from "./routes/log.js";
import { registerMetricsRoute } from "./routes/metrics.js";
import { registerPlanRoutes } from "./routes/plan.js";
import { registerRequestChangeRoutes } from "./routes/request-change.js";
import { registerStatusRoutes } from "./routes/status.js";

export type { ApiOptions } from "./api-env.js";

export function createApi(options: ApiOptions): OpenAPIHono<ApiEnv> {
  const { settings } = options;
  const now = options.now ?? (() => new Date());
  const deps: RouteDeps = { options, now, metrics: createApiMetrics() };
  const app = new OpenAPIHono<ApiEnv>({ defaultHook: invalidRequest });
  app.openAPIRegistry.registerComponent("securitySchemes", "bearer", { type: "http", scheme: "bearer" });

  if (options.readToken) app.use("/api/*", requireToken(options.token));
  // one session per request: stores, graph store and audit log opened on first use, closed after
  const withRequestSession: MiddlewareHandler<ApiEnv> = async (c, next) => {
    const session = openSession({ settings, source: "http-api", actor: "http-api", now });
    c.set("session", session);
    try {
      await next();
    } finally {
      await session.close();
    }
  };
  app.use("/api/*", withRequestSession);
  app.use("/metrics", withRequestSession);
  app.onError(errorHandler(options.onInternalError));

  // the order of registration is the order of the paths in /api/openapi.json
  registerGraphRoutes(app);
  registerComponentRoutes(app);
  registerPlanRoutes(app, deps);
  registerRequestChangeRoutes(app, deps);
  registerLogRoutes(app, deps);
  registerStatusRoutes(app);
  registerDriftRoutes(app, deps);

  app.doc31("/api/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "Karma API",
      version: "1",
      description: "The estate's graph, status, plans and change requests. Writes need a bearer token.",
    },
  });
  registerMetricsRoute(app, deps);
  return app;
}

/** What `karma serve` adds beside the SSM protocol: the API under /api, /metrics, and the explorer at /. */
export function mountKarma(app: Hono, options: ApiOptions): void {
  app.route("/", createApi(options));
  serveExplorer(app);
}
