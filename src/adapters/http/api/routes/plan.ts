/**
 * POST /api/plan: the change plan as `karma plan --json`; with `apply: true` (bearer token and
 * `--allow-apply` needed) carried out as `karma apply --json --auto-approve`.
 */
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { versionedDocument } from "../../../../core/json/document.js";
import { planDocument } from "../../../../core/planning/render/json.js";
import { applyDocument } from "../../../../operations/apply/document.js";
import { applyEstate } from "../../../../operations/apply.js";
import { makePlan } from "../../../../operations/plan.js";
import type { ApiEnv, RouteDeps } from "../api-env.js";
import { applyRefusal, tokenRefusal } from "../auth.js";
import { jsonBody } from "../request-values.js";
import { bearer, document, forbidden } from "../route-docs.js";
import { PlanBody } from "../schemas.js";

export function registerPlanRoutes(app: OpenAPIHono<ApiEnv>, { options }: RouteDeps): void {
  app.openapi(
    createRoute({
      method: "post",
      path: "/api/plan",
      summary:
        "The change plan, the same document as `karma plan --json`; with apply: true, carried out as `karma apply --json --auto-approve` (bearer token needed)",
      security: [{}, ...bearer],
      request: { body: { content: { "application/json": { schema: PlanBody } }, required: true } },
      responses: {
        ...document("Plan", "As `karma plan --json`; with apply: true, as `karma apply --json`"),
        ...forbidden,
      },
    }),
    async (c) => {
      const body = c.req.valid("json");
      if (body.apply === true) {
        const refused =
          tokenRefusal(c.req.header("authorization"), options.token) ??
          applyRefusal(options.allowApply, "apply");
        if (refused) return c.json(refused.body, refused.status, refused.headers);
        // carried out exactly as `karma apply --auto-approve` would: locks, publish, waves, audit
        const result = await applyEstate(c.var.session, await c.var.session.estate.load(), {
          ...(body.select !== undefined ? { selector: body.select } : {}),
          approve: body.approve === true,
          requestedBy: body.requested_by ?? "api",
        });
        return c.json(versionedDocument(applyDocument(result)), 200);
      }
      const report = await makePlan(c.var.session, {
        ...(body.since !== undefined ? { since: body.since } : {}),
        ...(body.changes !== undefined ? { changes: jsonBody(body.changes, "changes") } : {}),
        ...(body.select !== undefined ? { selector: body.select } : {}),
        approve: body.approve === true,
        graph: body.graph ?? "auto",
      });
      return c.json(versionedDocument(planDocument(report)), 200);
    },
  );
}
