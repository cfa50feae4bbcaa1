/**
 * Change requests (`karma propose-change`, `POST /request-change`): a JSON Merge Patch (RFC 7396)
 * of one component's config is validated against the estate (schema, references, names, size),
 * turned into a graph patch (edges added and removed), planned (affected set, waves) and judged by
 * the policies. Every request is audited (`change_request`, plus one `policy_verdict` entry per
 * verdict); the change request entry's id is returned as `log_entry_id`.
 *
 * With `apply`, the patched config is written to the component's config.json in the working tree
 * (Git stays the gatekeeper: nothing is published that is not in the repository's files;
 * `commit` also commits it), then published and the affected set deployed in wave order.
 * An invalid patch writes nothing.
 */
import { digestInputs } from "../core/audit/digest.js";
import { messageOf, UserError, ValidationFailedError } from "../core/errors.js";
import type { Component, Estate, JsonObject, JsonValue } from "../core/estate/model.js";
import { buildEstate } from "../core/estate/validate.js";
import type { EdgePatch, PlanReport } from "../core/planning/model.js";
import { isBlocking, type Verdict } from "../core/policies/model.js";
import { type ApplyStatus, applyEstate } from "./apply.js";
import { planFromChange } from "./plan/planner.js";
import { findTarget, type PatchedEstate, patchEstate } from "./plan/proposed.js";
import { changeFromPatch } from "./plan/read-patch.js";
import type { ProvisionHooks } from "./provision.js";
import type { Session } from "./session.js";

export interface ChangeRequest {
  /** `type/nickname` or `env:type/nickname`. */
  component: string;
  /** Environment, when `component` names none and the estate has several. */
  env?: string;
  /** JSON Merge Patch of the component's config. */
  patch: JsonValue;
  /** Who asks; recorded as the audit entries' actor. Default the session's actor. */
  requestedBy?: string;
  /** Write, publish and deploy (otherwise a dry run). */
  apply?: boolean;
  /** With `apply`: also `git commit` the config file. */
  commit?: boolean;
  /** `--approve`: approvable policies pass. */
  approve?: boolean;
}

export type ChangeRequestStatus = "accepted" | "rejected" | "unchanged" | "applied" | "failed";

export interface ChangeRequestResult {
  status: ChangeRequestStatus;
  component: string;
  /** Changed ∪ transitive dependents, sorted. */
  affected_components: string[];
  warnings: string[];
  /** Blocking policy verdicts and deploy failures. */
  errors: string[];
  log_entry_id: number;
  /** Changed keys of the config, as JSON pointers. */
  changed_keys: { added: string[]; removed: string[]; changed: string[] };
  graph_patch: EdgePatch;
  waves: string[][];
  verdicts: Verdict[];
  /** With `apply`: where the config was written, the commit, and each component's deploy result. */
  applied?: {
    file: string;
    commit?: string;
    published: string[];
    deploys: Array<{ component: string; status: ApplyStatus; reason?: string; logFile?: string }>;
  };
}

/** The request's Plan, from the one planner, with the graph patch and changed keys of its target. */
async function requestPlan(
  session: Session,
  before: Component,
  after: Estate,
  request: ChangeRequest,
): Promise<{ report: PlanReport; patch: EdgePatch; keys: ChangeRequestResult["changed_keys"] }> {
  const change = await changeFromPatch(session, [before], after);
  const report = await planFromChange(session, change, {
    mode: request.apply ? "apply" : "plan",
    approve: request.approve === true,
  });
  const reason = change.reasons[0];
  return {
    report,
    patch: reason?.kind === "config" && reason.edges ? reason.edges : { added: [], removed: [] },
    keys: reason?.kind === "config" ? reason.keys : { added: [], removed: [], changed: [] },
  };
}

async function gitCommit(session: Session, file: string, message: string): Promise<string> {
  try {
    return await session.git.commit([file], message);
  } catch (error) {
    throw new UserError(
      `the config was written to ${file} but git could not commit it: ${messageOf(error)}`,
      "commit it yourself (the file is in the working tree), then run `karma publish` and deploy",
      { cause: error },
    );
  }
}

/** Evaluates (and with `apply`, carries out) one change request. Audited whatever the outcome. */
export async function proposeChange(
  session: Session,
  request: ChangeRequest,
  hooks: ProvisionHooks = {},
): Promise<ChangeRequestResult> {
  const actor = request.requestedBy ?? session.actor;
  const sources = session.estate.sources();
  const before = buildEstate(sources);
  const target = findTarget(before, request);
  const inputsDigest = digestInputs({ component: target.id, patch: request.patch });
  const audit = async (status: "ok" | "failed" | "refused", message: string, details: JsonObject) => {
    const [entry] = await session.record({
      action: "change_request",
      status,
      actor,
      component: target.id,
      env: target.env,
      inputsDigest,
      message,
      details,
    });
    return entry!;
  };

  let patched: PatchedEstate;
  try {
    patched = patchEstate(sources, { [target.id]: request.patch });
  } catch (error) {
    if (error instanceof ValidationFailedError)
      await audit("refused", error.message, {
        problems: error.problems.map((p) => ({
          code: p.code,
          pointer: p.pointer ?? "",
          message: p.message,
        })),
      });
    throw error;
  }
  const { after } = patched;

  const { report, patch, keys } = await requestPlan(session, target, after, request);
  const { plan } = report;
  const blocking = plan.verdicts.filter(isBlocking);
  const warnings = [
    ...plan.verdicts.filter((v) => !isBlocking(v)).map((v) => `${v.rule}: ${v.message}`),
    ...report.warnings,
    ...after.problems
      .filter((p) => p.severity === "warning" && (p.component === target.id || p.file === target.file))
      .map((p) => p.message),
  ];
  const errors = blocking.map((v) => `${v.rule}: ${v.message} (fix: ${v.fix})`);
  const unchanged = plan.changed.length === 0;
  for (const v of plan.verdicts)
    await session.record({
      action: "policy_verdict",
      status: isBlocking(v) ? "refused" : "ok",
      actor,
      component: target.id,
      env: target.env,
      inputsDigest,
      message: `${v.rule}: ${v.message}`,
      details: { ...v } as unknown as JsonObject,
    });

  const result: Omit<ChangeRequestResult, "status" | "log_entry_id"> = {
    component: target.id,
    affected_components: plan.entries.map((e) => e.id),
    warnings,
    errors,
    changed_keys: keys,
    graph_patch: patch,
    waves: plan.waves.map((w) => w.map((e) => e.id)),
    verdicts: plan.verdicts,
  };
  const details: JsonObject = {
    requested_by: actor,
    dry_run: request.apply !== true,
    changed_keys: keys,
    graph_patch: patch as unknown as JsonObject,
    affected_components: result.affected_components,
    waves: result.waves,
    verdicts: plan.verdicts.length,
  };
  let status: ChangeRequestStatus = blocking.length ? "rejected" : unchanged ? "unchanged" : "accepted";
  if (status !== "accepted" || !request.apply) {
    const entry = await audit(status === "rejected" ? "refused" : "ok", `change request ${status}`, {
      ...details,
      status,
    });
    return { status, ...result, log_entry_id: entry.id };
  }

  // apply: write → (commit) → apply the affected set
  session.estate.writeText(target.file, patched.texts.get(target.file)!);
  const applied: NonNullable<ChangeRequestResult["applied"]> = {
    file: target.file,
    published: [],
    deploys: [],
  };
  try {
    if (request.commit) {
      const changedKeys = [...keys.changed, ...keys.added, ...keys.removed].join(", ");
      applied.commit = await gitCommit(
        session,
        target.file,
        `karma propose-change: ${target.id} (${changedKeys || "config"})\n\nRequested by ${actor}.`,
      );
    }
    // carried out exactly as `karma apply` would: locks, publish, waves, propagation, audit
    const estate = buildEstate(session.estate.sources());
    const run = await applyEstate(session, estate, {
      ...hooks,
      selector: result.affected_components.join(","),
      approve: request.approve === true,
      requestedBy: actor,
    });
    applied.published = run.published;
    applied.deploys = run.results.map((r) => ({
      component: r.id,
      status: r.status,
      ...(r.reason ? { reason: r.reason } : {}),
      ...(r.logFile ? { logFile: r.logFile } : {}),
    }));
    const failed = applied.deploys.filter((d) => d.status === "failed" || d.status === "skipped");
    status = failed.length ? "failed" : "applied";
    for (const d of failed)
      result.errors.push(`${d.component}: ${d.status}${d.reason ? ` (${d.reason})` : ""}`);
  } catch (error) {
    status = "failed";
    result.errors.push(messageOf(error));
  }
  const entry = await audit(status === "applied" ? "ok" : "failed", `change request ${status}`, {
    ...details,
    status,
    file: applied.file,
    ...(applied.commit ? { commit: applied.commit } : {}),
    published: applied.published,
    deploys: applied.deploys.map((d) => ({ component: d.component, status: d.status })),
  });
  return { status, ...result, applied, log_entry_id: entry.id };
}
