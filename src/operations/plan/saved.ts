/**
 * Saved plans, as Terraform users expect: `karma plan --out plan.json` writes the Plan with a
 * fingerprint of what it was made from — every estate file (karma.json, configs, schemas,
 * modules), the published config version of each component it deploys or removes, and the
 * runtime version of each of those and of every producer they read. `karma apply plan.json`
 * executes exactly that Plan, and refuses, naming what moved, if any of it changed since.
 */
import { UserError } from "../../core/errors.js";
import { SETTINGS_FILE } from "../../core/estate/paths.js";
import { parseComponentId } from "../../core/ids.js";
import { PLAN_VERSION, type PlanReport } from "../../core/planning/model.js";
import type { Session } from "../session.js";
import { sessionStores } from "../stores.js";

/** What a plan was made from. */
export interface PlanInputs {
  /** Estate file (relative path) → sha256 (16 hex) of its bytes. */
  files: Record<string, string>;
  /** Component id → latest published config version (null: not published). */
  published: Record<string, number | null>;
  /** Component id → runtime version (null: not deployed). */
  runtimes: Record<string, number | null>;
}

export interface SavedPlan {
  version: typeof PLAN_VERSION;
  kind: "karma-plan";
  createdAt: string;
  inputs: PlanInputs;
  report: PlanReport;
}

/** Components whose published config and runtime the plan depends on. */
function watched(report: PlanReport): { configs: string[]; runtimes: string[] } {
  const { plan } = report;
  const configs = new Set([...plan.entries.map((e) => e.id), ...plan.removed.map((r) => r.id)]);
  const runtimes = new Set(configs);
  for (const e of plan.entries) for (const c of e.consumes) runtimes.add(c.producer);
  return { configs: [...configs].sort(), runtimes: [...runtimes].sort() };
}

async function readInputs(session: Session, report: PlanReport): Promise<PlanInputs> {
  const { settings } = session;
  const { configs, runtimes } = watched(report);
  const envs = new Set([...configs, ...runtimes].map((id) => parseComponentId(id)?.env));
  const stores = await sessionStores(
    session,
    settings.environments.filter((e) => envs.has(e.name)),
  );
  const indexes = await stores.readIndexes();
  const versionOf = (id: string, kind: "config" | "runtime"): number | null => {
    const a = parseComponentId(id);
    return (a && indexes.get(a.env)?.components.get(`${a.type}/${a.nickname}`)?.[kind]?.version) ?? null;
  };
  return {
    files: session.estate.digests([SETTINGS_FILE, settings.paths.components, settings.paths.types]),
    published: Object.fromEntries(configs.map((id) => [id, versionOf(id, "config")])),
    runtimes: Object.fromEntries(runtimes.map((id) => [id, versionOf(id, "runtime")])),
  };
}

/** The plan with the fingerprint of its inputs, to be written where `karma plan --out` says. */
export async function savedPlanOf(session: Session, report: PlanReport): Promise<SavedPlan> {
  return {
    version: PLAN_VERSION,
    kind: "karma-plan",
    createdAt: session.now().toISOString(),
    inputs: await readInputs(session, report),
    report,
  };
}

/** Parses a saved plan read from `file`; a clear error when it is not one. */
export function parseSavedPlan(file: string, text: string): SavedPlan {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UserError(
      `${file} is not a readable saved plan: ${(error as Error).message}`,
      "make one with `karma plan --out <file>`",
    );
  }
  const plan = parsed as Partial<SavedPlan> | null;
  if (plan?.kind !== "karma-plan" || plan.report === undefined || plan.inputs === undefined)
    throw new UserError(
      `${file} is not a saved plan (no "kind": "karma-plan")`,
      "make one with `karma plan --out <file>`",
    );
  if (plan.version !== PLAN_VERSION)
    throw new UserError(
      `${file} is a version ${String(plan.version)} plan; this karma reads version ${PLAN_VERSION}`,
      "make the plan again with this karma: `karma plan --out <file>`",
    );
  return plan as SavedPlan;
}

function list(items: readonly string[], max = 6): string {
  return items.length <= max
    ? items.join(", ")
    : `${items.slice(0, max).join(", ")} (+${items.length - max} more)`;
}

function version(v: number | null): string {
  return v === null ? "none" : `v${v}`;
}

/** What moved since the plan was made, one phrase per kind; empty when nothing did. */
export function movedSince(then: PlanInputs, now: PlanInputs): string[] {
  const moved: string[] = [];
  const changed = Object.keys({ ...then.files, ...now.files })
    .filter((f) => then.files[f] !== now.files[f])
    .sort();
  if (changed.length) moved.push(`estate files changed: ${list(changed)}`);
  const versions = (kind: string, a: Record<string, number | null>, b: Record<string, number | null>) => {
    const ids = Object.keys(a).filter((id) => a[id] !== (b[id] ?? null));
    if (ids.length)
      moved.push(
        `${kind} moved: ${list(ids.map((id) => `${id} ${version(a[id] ?? null)} → ${version(b[id] ?? null)}`))}`,
      );
  };
  versions("published config", then.published, now.published);
  versions("runtime", then.runtimes, now.runtimes);
  return moved;
}

/** Refuses a saved plan whose inputs moved since it was made, naming what moved. */
export async function checkSavedPlan(session: Session, saved: SavedPlan): Promise<void> {
  const moved = movedSince(saved.inputs, await readInputs(session, saved.report));
  if (moved.length === 0) return;
  throw new UserError(
    `the saved plan (made ${saved.createdAt}) is out of date: ${moved.join("; ")}`,
    "make a new plan with `karma plan --out <file>`, review it, and apply that",
  );
}
