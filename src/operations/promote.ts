/**
 * Blue-green promotion of a shared component: `karma promote` moves the `live` label of its
 * runtime onto the candidate (refusing a candidate that breaks the type's output contract) and
 * `karma rollback` moves it back (see core/contracts/labels.ts). Both run under the environment
 * lock and are audited; consumers then differ from the live version they should read, so the
 * normal planner lists them as stale and `karma apply` redeploys them in waves, with policies,
 * locks and audit. `bluegreenStatus` shows both versions and which consumers took which.
 */

import { consumerLinks } from "../core/consumers/links.js";
import { CANDIDATE, LIVE, liveVersion, promoteMoves, rollbackMoves } from "../core/contracts/labels.js";
import { checkRuntime } from "../core/contracts/runtime.js";
import { UserError } from "../core/errors.js";
import type { Estate, JsonValue } from "../core/estate/model.js";
import { componentParameterName } from "../core/estate/paths.js";
import { formatComponentId } from "../core/ids.js";
import { declaredEdges } from "../core/planning/edges.js";
import { parseProvenance } from "../core/provenance/provenance.js";
import { dependentsFrom } from "../core/provisioning/dependents.js";
import { findComponent, readParameter } from "./provision/prepare.js";
import { audit } from "./provision/record.js";
import { readRuntimeLabels } from "./provision/runtime-labels.js";
import type { ProvisionHooks, ProvisionTarget } from "./provision/types.js";
import type { Session } from "./session.js";
import { type EnvironmentStores, sessionStores, withLocks } from "./stores.js";

export interface ConsumerTake {
  id: string;
  /** The producer runtime version its deployed runtime was built from; undefined when never deployed. */
  consumedVersion?: number;
  /** Which label that version carries now. */
  took?: "live" | "candidate" | "other";
}

export interface BlueGreenStatus {
  component: string;
  latest: number;
  live: number;
  candidate?: number;
  previous?: number;
  /** Slot of each labelled version. */
  slots: { live?: string; candidate?: string };
  /** Consumers reading this component's runtime by `$ref`, sorted. */
  consumers: ConsumerTake[];
}

export interface MoveOutcome extends BlueGreenStatus {
  action: "promote" | "rollback";
  liveBefore: number;
  /** Audit entry of the move. */
  auditEntry?: number;
}

function parse(text: string | undefined): JsonValue {
  try {
    return JSON.parse(text ?? "null") as JsonValue;
  } catch {
    return text ?? null;
  }
}

export async function statusWithStores(
  estate: Estate,
  target: ProvisionTarget,
  stores: EnvironmentStores,
): Promise<BlueGreenStatus> {
  const { component, env } = findComponent(estate, target);
  const name = componentParameterName(env.prefix, component.type, component.nickname, "runtime");
  const runtime = await readRuntimeLabels(stores.get(env.name), name);
  if (!runtime)
    throw new UserError(
      `${component.id} has no runtime: it was never deployed`,
      `deploy it first: karma deploy ${component.type} ${component.nickname} --env ${env.name}`,
    );
  const { labels, versions } = runtime;
  const live = liveVersion(labels);
  const slotOf = (v: number | undefined) =>
    v === undefined ? undefined : (parseProvenance(versions.get(v)?.description)?.slot ?? "blue");
  const consumers: ConsumerTake[] = [];
  const declared = consumerLinks(estate.components.flatMap((c) => declaredEdges(c.id, c.references)));
  for (const d of dependentsFrom(declared, component.id)) {
    const consumer = estate.components.find((c) => c.id === d.id)!;
    if (!consumer.references.some((r) => r.form === "ref" && formatComponentId(r.target) === component.id))
      continue;
    const consumerEnv = estate.settings.environments.find((e) => e.name === consumer.env)!;
    const own = await readParameter(
      stores.get(consumerEnv.name),
      componentParameterName(consumerEnv.prefix, consumer.type, consumer.nickname, "runtime"),
    );
    const consumedVersion = parseProvenance(own?.description)?.consumed?.[component.id];
    consumers.push({
      id: consumer.id,
      ...(consumedVersion !== undefined
        ? {
            consumedVersion,
            took:
              consumedVersion === live
                ? "live"
                : consumedVersion === labels.candidate
                  ? "candidate"
                  : "other",
          }
        : {}),
    });
  }
  const liveSlot = slotOf(live);
  const candidateSlot = slotOf(labels.candidate);
  return {
    component: component.id,
    latest: labels.latest,
    live,
    ...(labels.candidate !== undefined ? { candidate: labels.candidate } : {}),
    ...(labels.previous !== undefined ? { previous: labels.previous } : {}),
    slots: {
      ...(liveSlot ? { live: liveSlot } : {}),
      ...(candidateSlot ? { candidate: candidateSlot } : {}),
    },
    consumers,
  };
}

/** Both versions of a component's runtime and which consumers took which. */
export async function bluegreenStatus(
  session: Session,
  estate: Estate,
  target: ProvisionTarget,
): Promise<BlueGreenStatus> {
  return statusWithStores(estate, target, await sessionStores(session, estate.settings.environments));
}

/** `karma promote` (`live` → candidate) or `karma rollback` (`live` → previous, or drop the candidate). */
export async function moveLive(
  session: Session,
  estate: Estate,
  target: ProvisionTarget,
  action: "promote" | "rollback",
  hooks: ProvisionHooks = {},
): Promise<MoveOutcome> {
  const { component, env } = findComponent(estate, target);
  const name = componentParameterName(env.prefix, component.type, component.nickname, "runtime");
  const stores = await sessionStores(session, estate.settings.environments);
  const record = (
    status: "ok" | "refused",
    message: string,
    versions: { before?: number; after?: number } = {},
  ) =>
    audit(
      session,
      {
        action,
        status,
        component: component.id,
        env: env.name,
        message,
        ...(versions.before !== undefined ? { before: { runtime: versions.before } } : {}),
        ...(versions.after !== undefined ? { after: { runtime: versions.after } } : {}),
      },
      hooks,
    );
  return withLocks(session, [env], { operation: `${action} ${component.id}` }, async () => {
    const store = stores.get(env.name);
    const runtime = await readRuntimeLabels(store, name);
    if (!runtime || (runtime.labels.candidate === undefined && runtime.labels.previous === undefined)) {
      await record("refused", "no candidate was ever deployed");
      throw new UserError(
        `${component.id} has no candidate runtime to ${action}`,
        `deploy one beside the live version first: karma deploy ${component.type} ${component.nickname} --env ${env.name} --candidate`,
      );
    }
    const liveBefore = liveVersion(runtime.labels);
    const moves = action === "promote" ? promoteMoves(runtime.labels) : rollbackMoves(runtime.labels);
    if ("refused" in moves) {
      await record("refused", moves.refused, { before: liveBefore });
      throw new UserError(
        `cannot ${action} ${component.id}: ${moves.refused}`,
        action === "promote"
          ? `deploy a new candidate: karma deploy ${component.type} ${component.nickname} --env ${env.name} --candidate`
          : "nothing to undo",
      );
    }
    if (action === "promote") {
      const contract = estate.contracts.get(component.type);
      const candidate = runtime.versions.get(runtime.labels.candidate!);
      const problems =
        contract && candidate
          ? checkRuntime(contract, parse(candidate.value), {
              component: component.id,
              secure: candidate.type === "SecureString",
            })
          : [];
      if (problems.length > 0) {
        await record("refused", `candidate v${candidate!.version} breaks ${contract!.file}`, {
          before: liveBefore,
        });
        throw new UserError(
          `cannot promote ${component.id}: its candidate runtime v${candidate!.version} breaks the output contract ${contract!.file} (${problems.map((p) => p.pointer || "(top level)").join(", ")})`,
          "fix the module and deploy a new candidate, or roll it back: karma rollback " +
            `${component.type} ${component.nickname} --env ${env.name}`,
        );
      }
    }
    for (const move of moves.moves)
      await store.labelParameterVersion({ name, version: move.version, labels: [move.label] });
    for (const u of moves.unlabel)
      await store.unlabelParameterVersion({ name, version: u.version, labels: [u.label] });
    const status = await statusWithStores(estate, target, stores);
    await record(
      "ok",
      `${LIVE} moved from v${liveBefore} to v${status.live}${status.candidate !== undefined ? `; ${CANDIDATE} is v${status.candidate}` : ""}`,
      { before: liveBefore, after: status.live },
    );
    return { ...status, action, liveBefore };
  });
}
