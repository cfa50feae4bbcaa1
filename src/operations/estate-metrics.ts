/**
 * The numbers `/metrics` exports, read through the operations every other door uses: components
 * by status (`estateStatus`, as `karma status`), the last apply per environment (the audit log's
 * `apply` entries: a `started` entry and the entry with its outcome), resource drift as the last
 * `karma drift --terraform` recorded it, and the latest graph version's age.
 */
import { envOfId } from "../core/ids.js";
import type { ComponentState } from "../core/status/compute-status.js";
import { lastResourceDrift } from "./resource-drift.js";
import type { Session } from "./session.js";
import { estateStatus } from "./status.js";

/** How many recent apply entries are searched for each environment's last apply. */
const APPLY_ENTRIES = 500;

export interface LastApply {
  ok: boolean;
  /** From the `started` entry to the outcome entry. */
  durationSeconds: number;
  finishedAt: Date;
}

export interface EstateMetrics {
  /** env → state → count (every state present, zero included). */
  components: Map<string, Map<ComponentState, number>>;
  lastApply: Map<string, LastApply>;
  /** env → components the last Terraform drift check found drifted, no deploy since (every env present). */
  resourceDrift: Map<string, number>;
  graph: { version: number; createdAt: Date } | undefined;
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

async function lastApplies(session: Session): Promise<Map<string, LastApply>> {
  const audit = await session.auditLog();
  const entries = await audit.query({ action: "apply", limit: APPLY_ENTRIES });
  const started = new Map(entries.filter((e) => e.status === "started").map((e) => [e.id, e]));
  const last = new Map<string, LastApply>();
  // newest first: the first outcome seen for an environment is its last apply
  for (const outcome of entries) {
    if (outcome.status !== "ok" && outcome.status !== "failed") continue;
    const start = started.get(Number(outcome.details.started));
    if (!start) continue;
    const ids = [...stringList(start.details.targets), ...stringList(start.details.dependents)];
    const finishedAt = new Date(outcome.timestamp);
    const apply: LastApply = {
      ok: outcome.status === "ok",
      durationSeconds: (finishedAt.getTime() - new Date(start.timestamp).getTime()) / 1000,
      finishedAt,
    };
    for (const env of new Set(ids.map(envOfId))) if (!last.has(env)) last.set(env, apply);
  }
  return last;
}

export async function estateMetrics(session: Session): Promise<EstateMetrics> {
  const { settings } = session;
  const status = await estateStatus(session, await session.estate.load());
  const components = new Map<string, Map<ComponentState, number>>();
  for (const env of settings.environments) components.set(env.name, new Map());
  for (const c of status.components) {
    const byState = components.get(c.env) ?? new Map<ComponentState, number>();
    byState.set(c.state, (byState.get(c.state) ?? 0) + 1);
    components.set(c.env, byState);
  }
  const resourceDrift = new Map(settings.environments.map((e) => [e.name, 0]));
  for (const d of await lastResourceDrift(session))
    resourceDrift.set(envOfId(d.id), (resourceDrift.get(envOfId(d.id)) ?? 0) + 1);
  const latest = await (await session.graph()).latestVersion();
  return {
    components,
    lastApply: await lastApplies(session),
    resourceDrift,
    graph: latest && { version: latest.version, createdAt: new Date(latest.createdAt) },
  };
}
