/**
 * Deploying (or destroying) many components of one environment in dependency order — what
 * `karma demo` does with the whole demo estate. Execution is a status machine per component:
 * pending → deployed | unchanged | skipped | failed. Components whose runner is unavailable
 * (no Terraform/OpenTofu installed) are skipped with the reason; so are components whose `$ref`
 * producers were skipped or failed — they cannot get their inputs. References that only order
 * (`<type>_nickname`, runtime paths, `depends_on`) order the run but do not block it: the
 * component does not need its producer's runtime to deploy.
 */
import { runnerForType } from "../adapters/runners/factory.js";
import { UserError } from "../core/errors.js";
import type { Component, Estate } from "../core/estate/model.js";
import { buildAdjacency } from "../core/graph/adjacency.js";
import { deployWaves } from "../core/graph/waves.js";
import { formatComponentId } from "../core/ids.js";
import { type DeployOutcome, deployComponent, destroyComponent, type ProvisionHooks } from "./provision.js";

export type ComponentRunStatus = "deployed" | "unchanged" | "destroyed" | "skipped" | "failed";

export interface ComponentRunResult {
  component: string;
  status: ComponentRunStatus;
  /** Why it was skipped or how it failed. */
  reason?: string;
  deploy?: DeployOutcome;
}

export interface EstateRunOutcome {
  env: string;
  /** Deploy order (destroy runs it backwards). */
  waves: string[][];
  /** On or behind a dependency cycle: never run. */
  blocked: string[];
  /** In run order. */
  results: ComponentRunResult[];
}

export interface EstateRunOptions extends ProvisionHooks {
  env: string;
  /** Which components of the environment (default: all). */
  select?: (component: Component) => boolean;
  /** Called as each component finishes, for progress. */
  onResult?: (result: ComponentRunResult) => void;
}

function plan(estate: Estate, options: EstateRunOptions) {
  const components = estate.components.filter((c) => c.env === options.env && (options.select?.(c) ?? true));
  const ids = new Set(components.map((c) => c.id));
  const edges = components.flatMap((c) =>
    c.references
      .filter((r) => !r.external)
      .map((r) => ({ from: c.id, to: formatComponentId(r.target) }))
      .filter((e) => ids.has(e.to) && e.to !== e.from),
  );
  const { waves, blocked } = deployWaves(buildAdjacency(ids, edges));
  return { byId: new Map(components.map((c) => [c.id, c])), waves, blocked };
}

/** Why each type's runner cannot run here (e.g. no Terraform), checked once per type. */
async function unavailableRunners(
  estate: Estate,
  components: Iterable<Component>,
): Promise<Map<string, string>> {
  const reasons = new Map<string, string>();
  for (const type of new Set([...components].map((c) => c.type))) {
    try {
      await runnerForType(estate.settings, type);
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      reasons.set(type, error.fix ? `${error.message} (${error.fix})` : error.message);
    }
  }
  return reasons;
}

export async function deployEstate(estate: Estate, options: EstateRunOptions): Promise<EstateRunOutcome> {
  const { byId, waves, blocked } = plan(estate, options);
  const unavailable = await unavailableRunners(estate, byId.values());
  const notDeployed = new Set<string>();
  const results: ComponentRunResult[] = [];
  const finish = (result: ComponentRunResult) => {
    results.push(result);
    if (result.status === "skipped" || result.status === "failed") notDeployed.add(result.component);
    options.onResult?.(result);
  };
  for (const id of blocked) {
    finish({ component: id, status: "skipped", reason: "on or behind a dependency cycle" });
  }
  for (const wave of waves) {
    for (const id of wave) {
      const component = byId.get(id)!;
      if (options.signal?.aborted) {
        finish({ component: id, status: "skipped", reason: "interrupted" });
        continue;
      }
      const runnerProblem = unavailable.get(component.type);
      if (runnerProblem) {
        finish({ component: id, status: "skipped", reason: runnerProblem });
        continue;
      }
      const missingInputs = [
        ...new Set(
          component.references
            .filter((r) => r.form === "ref" && !r.external)
            .map((r) => formatComponentId(r.target))
            .filter((p) => notDeployed.has(p)),
        ),
      ].sort();
      if (missingInputs.length) {
        finish({
          component: id,
          status: "skipped",
          reason: `its $refs need the runtime of ${missingInputs.join(", ")}, which was not deployed`,
        });
        continue;
      }
      try {
        const deploy = await deployComponent(
          estate,
          { env: component.env, type: component.type, nickname: component.nickname },
          options,
        );
        const changed = deploy.plan.summary.hasChanges || deploy.runtime?.kind !== "unchanged";
        finish({ component: id, status: changed ? "deployed" : "unchanged", deploy });
      } catch (error) {
        if (!(error instanceof UserError)) throw error;
        finish({ component: id, status: "failed", reason: error.message });
      }
    }
  }
  return { env: options.env, waves, blocked, results };
}

/** Destroys in reverse deploy order; a component whose dependents failed to go is skipped. */
export async function destroyEstate(estate: Estate, options: EstateRunOptions): Promise<EstateRunOutcome> {
  const { byId, waves, blocked } = plan(estate, options);
  const unavailable = await unavailableRunners(estate, byId.values());
  const results: ComponentRunResult[] = [];
  for (const wave of [...waves].reverse()) {
    for (const id of [...wave].reverse()) {
      const component = byId.get(id)!;
      let result: ComponentRunResult;
      const runnerProblem = unavailable.get(component.type);
      if (options.signal?.aborted) result = { component: id, status: "skipped", reason: "interrupted" };
      else if (runnerProblem) result = { component: id, status: "skipped", reason: runnerProblem };
      else {
        try {
          await destroyComponent(
            estate,
            { env: component.env, type: component.type, nickname: component.nickname },
            options,
          );
          result = { component: id, status: "destroyed" };
        } catch (error) {
          if (!(error instanceof UserError)) throw error;
          result = { component: id, status: "failed", reason: error.message };
        }
      }
      results.push(result);
      options.onResult?.(result);
    }
  }
  return { env: options.env, waves, blocked, results };
}
