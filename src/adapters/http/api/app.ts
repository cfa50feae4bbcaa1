/**
 * Karma's HTTP API under `/api` (and `/metrics`): every route parses its input with the zod
 * schemas in `schemas.ts` and calls the operation the CLI calls for the same question — graph
 * reads through the GraphStore port (`operations/graph-queries`), `estateStatus`, `driftReport`,
 * `makePlan`, `proposeChange`, the audit log's query — then answers its JSON document.
 *
 * Errors: a UserError (bad selector, unknown version, invalid patch) is the caller's to fix and
 * answers 400 — 404 for things that do not exist — with `{error, fix}`; anything else is a 500
 * whose details go to `onInternalError`, never to the client.
 *
 * Security: writes (POST /api/request-change, POST /api/plan with `apply: true`) need
 * `Authorization: Bearer <token>` and applying needs `karma serve --allow-apply`; with
 * `readToken` every /api route does. No CORS headers are ever sent, so other origins cannot read
 * answers, and a browser cannot send the Authorization header cross-origin without a preflight
 * this server refuses.
 */
import { timingSafeEqual } from "node:crypto";
import { createRoute, OpenAPIHono, type z } from "@hono/zod-openapi";
import type { Context, Hono, MiddlewareHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import { NotFoundError, UserError, ValidationFailedError } from "../../../core/errors.js";
import type { JsonObject, ProjectSettings } from "../../../core/estate/model.js";
import { versionedDocument } from "../../../core/json/document.js";
import { isJsonObject } from "../../../core/json/guards.js";
import { planDocument } from "../../../core/planning/render/json.js";
import { APPROVABLE_RULES, isBlocking } from "../../../core/policies/model.js";
import { applyDocument } from "../../../operations/apply/document.js";
import { applyEstate } from "../../../operations/apply.js";
import { componentDetail } from "../../../operations/component-detail.js";
import { driftReport } from "../../../operations/drift.js";
import { estateMetrics } from "../../../operations/estate-metrics.js";
import { impactOfSelection, selectedGraph } from "../../../operations/graph-queries.js";
import { auditQueryFrom } from "../../../operations/log-query.js";
import { makePlan } from "../../../operations/plan.js";
import { type ChangeRequestResult, proposeChange } from "../../../operations/propose-change.js";
import { lastResourceDrift } from "../../../operations/resource-drift.js";
import type { Session } from "../../../operations/session.js";
import { estateStatus } from "../../../operations/status.js";
import { openSession } from "../../session/open-session.js";
import { serveExplorer } from "../ui/static.js";
import { createApiMetrics } from "./metrics.js";
import {
  ComponentParams,
  ComponentQuery,
  DiffQuery,
  ErrorSchema,
  GraphQuery,
  ImpactQuery,
  LogQuery,
  looseDocument,
  PlanBody,
  RequestChangeBody,
  RequestChangeResult,
  SelectorQuery,
} from "./schemas.js";

export interface ApiOptions {
  settings: ProjectSettings;
  /** Bearer token for writes (KARMA_API_TOKEN); without one, writes are refused. */
  token?: string;
  /** Reads need the token too (the server listens beyond loopback). */
  readToken?: boolean;
  /** Change requests may be applied (`dry_run: false`): `karma serve --allow-apply`. */
  allowApply?: boolean;
  /** Injected for tests. */
  now?: () => Date;
  onInternalError?: (error: unknown, route: string) => void;
}

const json = (schema: z.ZodType, description: string) => ({
  content: { "application/json": { schema } },
  description,
});

const errors = {
  400: json(ErrorSchema, "Bad input: the message names the field or value and how to fix it"),
  401: json(ErrorSchema, "Missing or wrong bearer token"),
  404: json(ErrorSchema, "No such graph version or component"),
};

const forbidden = { 403: json(ErrorSchema, "Applying was asked for, but the server does not allow it") };

const bearer = [{ bearer: [] }];

/** `?at=3` → 3 */
const numberOf = (text: string | undefined) => (text === undefined ? undefined : Number(text));

function tokenMatches(header: string | undefined, token: string): boolean {
  const given = header?.startsWith("Bearer ") ? header.slice("Bearer ".length) : undefined;
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A write refused before it starts: the answer's body, status and headers. */
interface Refusal {
  body: { error: string; fix: string; field?: string };
  status: 401 | 403;
  headers?: Record<string, string>;
}

/** Why a request may not write (401), or undefined when its bearer token is the server's. */
function tokenRefusal(header: string | undefined, token: string | undefined): Refusal | undefined {
  if (token === undefined)
    return {
      body: {
        error: "this server accepts no writes: it was started without KARMA_API_TOKEN",
        fix: "restart karma serve with KARMA_API_TOKEN=<a long random string> and send Authorization: Bearer <it>",
      },
      status: 401,
    };
  if (!tokenMatches(header, token))
    return {
      body: {
        error: "missing or wrong bearer token",
        fix: "send Authorization: Bearer $KARMA_API_TOKEN (the token karma serve was started with)",
      },
      status: 401,
      headers: { "WWW-Authenticate": 'Bearer realm="karma"' },
    };
  return undefined;
}

function requireToken(token: string | undefined): MiddlewareHandler {
  return async (c, next) => {
    const refused = tokenRefusal(c.req.header("authorization"), token);
    if (refused) return c.json(refused.body, refused.status, refused.headers);
    await next();
  };
}

/** 403 unless the server was started with --allow-apply. */
function applyRefusal(allowApply: boolean | undefined, field: "apply" | "dry_run"): Refusal | undefined {
  if (allowApply) return undefined;
  return {
    body: {
      error: `this server does not apply changes (${field === "apply" ? "apply: true" : "dry_run: false"})`,
      fix: "send a dry run, or start karma serve with --allow-apply to let the API write, publish and deploy",
      field,
    },
    status: 403,
  };
}

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

/** The field a zod issue is about, as `a.b.0`. */
function fieldOf(path: readonly PropertyKey[]): string {
  return path.map(String).join(".");
}

/**
 * A validated body part as JSON. The body was parsed from JSON text, so this holds; the check
 * spares a cast (zod's own JSON type cannot be turned into OpenAPI).
 */
function jsonBody(value: Record<string, unknown>, field: string): JsonObject {
  if (!isJsonObject(value))
    throw new ValidationFailedError([
      { code: "body.not-json", pointer: `/${field}`, message: `${field} is not JSON`, severity: "error" },
    ]);
  return value;
}

/** Hono's environment for the API's handlers: the request's session. */
type ApiEnv = { Variables: { session: Session } };

export function createApi(options: ApiOptions): OpenAPIHono<ApiEnv> {
  const { settings } = options;
  const now = options.now ?? (() => new Date());
  const metrics = createApiMetrics();
  const app = new OpenAPIHono<ApiEnv>({
    defaultHook: (result, c) => {
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
    },
  });
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

  app.onError((error, c) => {
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
    options.onInternalError?.(error, `${c.req.method} ${c.req.path}`);
    return c.json({ error: "internal error (details are in the server's log)" }, 500);
  });

  const document = (name: string, description: string) => ({
    200: json(looseDocument(name, description), description),
    ...errors,
  });

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
          settings.environments.map((e) => e.name),
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

  app.doc31("/api/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "Karma API",
      version: "1",
      description: "The estate's graph, status, plans and change requests. Writes need a bearer token.",
    },
  });

  app.get("/metrics", async (c: Context) => {
    const text = await metrics.render(await estateMetrics(c.var.session), now());
    return c.text(text, 200, { "Content-Type": metrics.registry.contentType });
  });

  return app;
}

/** What `karma serve` adds beside the SSM protocol: the API under /api, /metrics, and the explorer at /. */
export function mountKarma(app: Hono, options: ApiOptions): void {
  app.route("/", createApi(options));
  serveExplorer(app);
}
