/**
 * The HTTP API's contract as zod schemas. The same objects validate requests (a 400 names the
 * field) and generate `/api/openapi.json` (OpenAPI 3.1), so the document cannot drift from what
 * the server accepts. Response schemas describe the documents the operations return; nested parts
 * the CLI's `--json` already defines are kept open (`looseObject`) rather than restated here.
 */
import { z } from "@hono/zod-openapi";

const NAME = /^[a-z0-9][a-z0-9._-]*$/;

export const ErrorSchema = z
  .object({
    error: z.string().openapi({ example: 'no component matches "vpc/nope"' }),
    fix: z.string().optional().openapi({ example: "use env:type/nickname, type/nickname, …" }),
    /** The request field a validation error is about, as a dotted path. */
    field: z.string().optional().openapi({ example: "proposed_change" }),
    problems: z
      .array(z.looseObject({ message: z.string() }))
      .optional()
      .openapi({ description: "Every problem found, when there were several" }),
  })
  .openapi("Error");

const positiveInt = (name: string) =>
  z
    .string()
    .regex(/^[1-9]\d*$/, `${name} must be a positive whole number`)
    .optional()
    .openapi({ param: { name, in: "query" }, example: "1" });

export const GraphQuery = z.object({
  select: z
    .string()
    .max(2000)
    .optional()
    .openapi({ param: { name: "select", in: "query" }, example: "...dev:network/main" }),
  at: positiveInt("at"),
});

export const DiffQuery = z.object({
  from: z
    .string()
    .regex(/^[1-9]\d*$/, "from must be a positive whole number")
    .openapi({ param: { name: "from", in: "query" }, example: "1" }),
  to: z
    .string()
    .regex(/^[1-9]\d*$/, "to must be a positive whole number")
    .openapi({ param: { name: "to", in: "query" }, example: "2" }),
});

export const ImpactQuery = z.object({
  select: z
    .string()
    .min(1)
    .max(2000)
    .openapi({ param: { name: "select", in: "query" }, example: "dev:network/main" }),
  depth: positiveInt("depth"),
  at: positiveInt("at"),
});

const nameParam = (name: string, example: string) =>
  z
    .string()
    .regex(NAME, `${name} must match ${NAME.source}`)
    .openapi({ param: { name, in: "path" }, example });

export const ComponentParams = z.object({
  env: nameParam("env", "dev"),
  type: nameParam("type", "service"),
  nick: nameParam("nick", "api"),
});

export const ComponentQuery = z.object({ at: positiveInt("at") });

export const SelectorQuery = z.object({
  select: z
    .string()
    .max(2000)
    .optional()
    .openapi({ param: { name: "select", in: "query" }, example: "env=dev" }),
});

export const LogQuery = z.object({
  component: z
    .string()
    .max(300)
    .optional()
    .openapi({ param: { name: "component", in: "query" } }),
  action: z
    .string()
    .max(100)
    .optional()
    .openapi({ param: { name: "action", in: "query" } }),
  env: z
    .string()
    .max(100)
    .optional()
    .openapi({ param: { name: "env", in: "query" } }),
  status: z
    .string()
    .max(20)
    .optional()
    .openapi({ param: { name: "status", in: "query" } }),
  since: z
    .string()
    .max(100)
    .optional()
    .openapi({ param: { name: "since", in: "query" }, example: "3d" }),
  until: z
    .string()
    .max(100)
    .optional()
    .openapi({ param: { name: "until", in: "query" } }),
  limit: z
    .string()
    .regex(/^\d+$/, "limit must be a whole number")
    .optional()
    .openapi({ param: { name: "limit", in: "query" }, example: "50" }),
});

export const PlanBody = z
  .object({
    since: z.string().min(1).max(300).optional().openapi({
      description: "Plan what changed from the merge base of this revision and HEAD",
      example: "main",
    }),
    // any JSON under each key (the body is parsed JSON); the estate's own checks judge the values
    changes: z
      .record(z.string().min(3).max(300), z.record(z.string(), z.unknown()))
      .optional()
      .openapi({
        description:
          "Plan these proposed config changes on top of the working tree without writing them: component (env:type/nickname) → JSON Merge Patch (RFC 7396) of its config, as `karma plan --changes`",
        example: { "dev:service/api": { replicas: 3 } },
      }),
    select: z
      .string()
      .min(1)
      .max(2000)
      .optional()
      .openapi({ description: "Only changes of these components" }),
    approve: z.boolean().optional().openapi({ description: "Approvable policies pass" }),
    graph: z.enum(["auto", "stored", "working-tree"]).optional(),
    apply: z.boolean().optional().openapi({
      description:
        "Carry the plan out as `karma apply --auto-approve` does (publish, deploy in waves, audited): needs the bearer token and `karma serve --allow-apply`; plans the working tree against what is published (not with since, changes or graph)",
    }),
    requested_by: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .openapi({ description: "Who asked for the apply, for the audit log", example: "alice@example.com" }),
  })
  .strict()
  .refine((body) => body.since === undefined || body.changes === undefined, {
    path: ["changes"],
    message: "send since or changes, not both (proposed changes are planned against the working tree)",
  })
  .refine((body) => body.apply !== true || body.since === undefined, {
    path: ["since"],
    message:
      "apply plans the working tree against what is published; since cannot be applied (leave it out, or pick components with select)",
  })
  .refine((body) => body.apply !== true || body.changes === undefined, {
    path: ["changes"],
    message:
      "proposed changes are not written by /api/plan: to write and apply one, POST /api/request-change with dry_run: false",
  })
  .refine((body) => body.apply !== true || body.graph === undefined, {
    path: ["graph"],
    message: "apply makes its own plan under the environment locks; leave graph out",
  })
  .openapi("PlanRequest");

export const RequestChangeBody = z
  .object({
    component: z
      .string()
      .min(3)
      .max(300)
      .openapi({ description: "type/nickname or env:type/nickname", example: "dev:service/api" }),
    // any JSON under each key (the body is parsed JSON); the estate's own checks judge the values
    proposed_change: z.record(z.string(), z.unknown()).openapi({
      description: "JSON Merge Patch (RFC 7396) of the component's config; null deletes a key",
      example: { replicas: 3 },
    }),
    requested_by: z.string().min(1).max(200).optional().openapi({ example: "alice@example.com" }),
    dry_run: z.boolean().optional().openapi({
      description: "Default true: evaluate and audit only. false writes, publishes and deploys.",
    }),
    approve: z
      .boolean()
      .optional()
      .openapi({ description: "Approvable policies (protected, blast radius) pass" }),
  })
  .strict()
  .openapi("ChangeRequest");

const VerdictSchema = z
  .looseObject({
    rule: z.string(),
    severity: z.enum(["error", "warning"]),
    components: z.array(z.string()),
    message: z.string(),
    fix: z.string(),
  })
  .openapi("PolicyVerdict");

export const RequestChangeResult = z
  .object({
    status: z.enum(["approved", "needs-review", "rejected"]),
    /** The operation's own outcome: accepted, unchanged, rejected, applied or failed. */
    outcome: z.enum(["accepted", "rejected", "unchanged", "applied", "failed"]),
    component: z.string(),
    affected_components: z.array(z.string()),
    waves: z.array(z.array(z.string())),
    warnings: z.array(z.string()),
    errors: z.array(z.string()),
    verdicts: z.array(VerdictSchema),
    changed_keys: z.object({
      added: z.array(z.string()),
      removed: z.array(z.string()),
      changed: z.array(z.string()),
    }),
    graph_patch: z.looseObject({}),
    log_entry_id: z.number().int(),
    applied: z.looseObject({}).optional(),
  })
  .openapi("ChangeRequestResult");

/** A document whose shape is the CLI's `--json` output of the same operation. */
export const looseDocument = (name: string, description: string) =>
  z.looseObject({}).openapi(name, { description });
