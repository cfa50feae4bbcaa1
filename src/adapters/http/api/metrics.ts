/**
 * `/metrics` in the Prometheus text format (prom-client). Each scrape reads a fresh
 * `estateMetrics` snapshot (resource drift as `karma drift --terraform` last recorded it: a
 * Terraform check runs plans, far too slow for a scrape); `karma_drifted_components` counts what
 * the last `GET /api/drift` this server answered found not in sync.
 */
import { Gauge, Registry } from "prom-client";
import { envOfId } from "../../../core/ids.js";
import { COMPONENT_STATES } from "../../../core/status/compute-status.js";
import type { DriftReport } from "../../../operations/drift.js";
import type { EstateMetrics } from "../../../operations/estate-metrics.js";

export interface ApiMetrics {
  registry: Registry;
  /** Exports `snapshot` and returns the text exposition. */
  render(snapshot: EstateMetrics, now: Date): Promise<string>;
  /** Remembers the outcome of a drift check for the drift gauges. */
  recordDrift(report: DriftReport, environments: readonly string[], at: Date): void;
}

export function createApiMetrics(): ApiMetrics {
  const registry = new Registry();
  const gauge = (name: string, help: string, labelNames: string[] = ["env"]) =>
    new Gauge({ name, help, labelNames, registers: [registry] });
  const components = gauge(
    "karma_components",
    "Components by environment and status (as `karma status` reports them)",
    ["env", "status"],
  );
  const stale = gauge(
    "karma_stale_consumers",
    "Components deployed from their latest config whose consumed producer keys changed since",
  );
  const drifted = gauge(
    "karma_drifted_components",
    "Components not in sync or with resource drift at the last drift check (GET /api/drift)",
  );
  const resourceDrift = gauge(
    "karma_resource_drifted_components",
    "Components whose last Terraform drift check (karma drift --terraform) found changes, with no deploy since",
  );
  const driftCheck = gauge("karma_drift_check_timestamp_seconds", "When the last drift check ran", []);
  const applyOk = gauge(
    "karma_last_apply_success",
    "1 when the last apply touching the environment succeeded, 0 when it failed",
  );
  const applyDuration = gauge(
    "karma_last_apply_duration_seconds",
    "Duration of the last apply touching the environment",
  );
  const applyTime = gauge(
    "karma_last_apply_timestamp_seconds",
    "When the last apply touching the environment finished",
  );
  const graphVersion = gauge("karma_graph_version", "Latest ready graph version", []);
  const graphAge = gauge(
    "karma_graph_version_age_seconds",
    "Seconds since the latest graph version was built",
    [],
  );

  return {
    registry,
    async render(snapshot, now) {
      components.reset();
      stale.reset();
      for (const [env, byState] of snapshot.components) {
        for (const state of COMPONENT_STATES) components.set({ env, status: state }, byState.get(state) ?? 0);
        stale.set({ env }, byState.get("stale") ?? 0);
      }
      resourceDrift.reset();
      for (const [env, count] of snapshot.resourceDrift) resourceDrift.set({ env }, count);
      applyOk.reset();
      applyDuration.reset();
      applyTime.reset();
      for (const [env, apply] of snapshot.lastApply) {
        applyOk.set({ env }, apply.ok ? 1 : 0);
        applyDuration.set({ env }, apply.durationSeconds);
        applyTime.set({ env }, apply.finishedAt.getTime() / 1000);
      }
      graphVersion.reset();
      graphAge.reset();
      if (snapshot.graph) {
        graphVersion.set(snapshot.graph.version);
        graphAge.set(Math.max(0, (now.getTime() - snapshot.graph.createdAt.getTime()) / 1000));
      }
      return registry.metrics();
    },
    recordDrift(report, environments, at) {
      const counts = new Map(environments.map((env) => [env, new Set<string>()]));
      for (const c of report.components) counts.get(c.env)?.add(c.id);
      for (const d of report.terraform ?? []) if (d.status === "drift") counts.get(envOfId(d.id))?.add(d.id);
      drifted.reset();
      for (const [env, ids] of counts) drifted.set({ env }, ids.size);
      driftCheck.set(at.getTime() / 1000);
    },
  };
}
