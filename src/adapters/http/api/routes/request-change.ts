/**
 * POST /api/request-change (bearer token needed): a proposed change to one component's config,
 * validated, planned, judged by policies and audited; applied only with `dry_run: false` on a
 * server started with `--allow-apply`.
 */
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { APPROVABLE_RULES, isBlocking } from "../../../../core/policies/model.js";
import { type ChangeRequestResult, proposeChange } from "../../../../operations/propose-change.js";
import type { ApiEnv, RouteDeps } from "../api-env.js";
import { applyRefusal, requireToken } from "../auth.js";
import { jsonBody } from "../request-values.js";
import { bearer, errors, forbidden, json } from "../route-docs.js";
import { RequestChangeBody, RequestChangeResult } from "../schemas.js";

/** The API's status for a change request: what a reviewer needs to know first. */
function reviewStatus(result: ChangeRequestResult): "approved" | "needs-review" | "rejected" {
  if (result.status !== "rejected" && result.status !== "failed") return "approved";
  const blocking = result.verdicts.filter(isBlocking);
  if (
    result.status === "rejected" &&
    blocking.length > 0 &&
    blocking.every((v) => APPROVABLE_RULES.includes(v.rule))
  )
    return "needs-review";
  return "rejected";
}

export function registerRequestChangeRoutes(app: OpenAPIHono<ApiEnv>, { options }: RouteDeps): void {
  app.use("/api/request-change", requireToken(options.token));
  app.openapi(
    createRoute({
      method: "post",
      path: "/api/request-change",
      summary:
        "Propose a change to one component's config: validated, planned, judged by policies and audited",
      security: bearer,
      request: { body: { content: { "application/json": { schema: RequestChangeBody } }, required: true } },
      responses: { 200: json(RequestChangeResult, "The verdict and the plan"), ...errors, ...forbidden },
    }),
    async (c) => {
      const body = c.req.valid("json");
      if (body.dry_run === false) {
        const refused = applyRefusal(options.allowApply, "dry_run");
        if (refused) return c.json(refused.body, refused.status);
      }
      const result = await proposeChange(c.var.session, {
        component: body.component,
        patch: jsonBody(body.proposed_change, "proposed_change"),
        requestedBy: body.requested_by ?? "api",
        apply: body.dry_run === false,
        approve: body.approve === true,
      });
      return c.json({ ...result, outcome: result.status, status: reviewStatus(result) }, 200);
    },
  );
}
