/** GET /metrics: the estate's gauges in the Prometheus text format, from a fresh snapshot each scrape. */

import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { estateMetrics } from "../../../../operations/estate-metrics.js";
import type { ApiEnv, RouteDeps } from "../api-env.js";

export function registerMetricsRoute(app: OpenAPIHono<ApiEnv>, { now, metrics }: RouteDeps): void {
  app.get("/metrics", async (c: Context<ApiEnv>) => {
    const text = await metrics.render(await estateMetrics(c.var.session), now());
    return c.text(text, 200, { "Content-Type": metrics.registry.contentType });
  });
}
