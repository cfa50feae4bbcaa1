/**
 * The default change: the working tree against each environment's published config, plus what is
 * published but not deployed from it, stale consumers, and what the previous apply left failed or
 * skipped. `touched` (apply's `--since REF`) keeps only components touched by files changed since
 * REF, plus every component whose type's module or schema changed.
 */
import { describeStaleness, type StaleConsumer } from "../../core/drift/stale.js";
import type { Problem } from "../../core/errors.js";
import type { Component, Estate, JsonValue } from "../../core/estate/model.js";
import { componentConfigFile, componentParameterName } from "../../core/estate/paths.js";
import type { BuildComponentInput, BuildRuntimeInput } from "../../core/graph/builder.js";
import type { StoreTreeSnapshot } from "../../core/graph/input-hash.js";
import { inputFromEstate, inputFromStore } from "../../core/graph/inputs.js";
import { indexStoreTree, type StoreIndex } from "../../core/parameters/store-index.js";
import {
  type ConfigSnapshot,
  detectConfigChanges,
  detectStale,
  detectUndeployed,
} from "../../core/planning/detect.js";
import { publishedGraphKey } from "../../core/planning/graph-key.js";
import type { ChangeReason } from "../../core/planning/model.js";
import { indexTypes } from "../../core/references/extract.js";
import { componentsTouchedBy, type Touched } from "../../core/selectors/changed.js";
import { componentStatus } from "../../core/status/compute-status.js";
import { readConsumerLinks } from "../consumers.js";
import { addPublishedTypes, readEnvironmentTrees } from "../environment-trees.js";
import type { Session } from "../session.js";
import { readStaleConsumers, recordsConsumption } from "../stale-consumers.js";
import { sessionStores } from "../stores.js";
import type { ChangeInputs } from "./change.js";
import { type KeptGraphOptions, keptOrBuiltGraph, removedInput, workingTreeGraph } from "./graph-edges.js";
import { type Intent, intentOf, snapshot, typeFiles, typeIndexFor } from "./intents.js";

/** Consumers whose producers' runtimes changed a consumed key since they were deployed. */
async function readStale(
  session: Session,
  components: readonly Component[],
  indexes: ReadonlyMap<string, StoreIndex>,
): Promise<StaleConsumer[]> {
  const stores = await sessionStores(session, session.settings.environments);
  // only consumers whose runtime records what they consumed can be stale through a declared link
  const recorded = components.filter((c) => recordsConsumption(c, indexes));
  const links = await readConsumerLinks(session, components, { declaredOf: recorded });
  return readStaleConsumers(components, stores, indexes, links);
}

/** Default: the working tree against each environment's published config, plus undeployed and stale components. */
export async function changeAgainstPublished(
  session: Session,
  options: { touchedSince?: string } = {},
): Promise<ChangeInputs> {
  const { settings } = session;
  const estate = await session.estate.load({ digest: true });
  const problems: Problem[] = [...estate.problems];
  const { names } = typeIndexFor(session);
  const trees = await readEnvironmentTrees(session);
  // the type names the stores' parameters are read with: the estate's, and every published
  // component's type, whether or not the working tree has it (as `graph build` reads them)
  const typeNames = [...addPublishedTypes(new Set(names.filter((n) => n !== "")), trees)];
  const storeTypes = indexTypes(typeNames);
  // what the runtimes are read from, for the graph's content key
  const read: StoreTreeSnapshot[] = [];
  const indexes = new Map<string, StoreIndex>();
  const base = new Map<string, ConfigSnapshot>();
  const baseIntents = new Map<string, Intent>();
  // a published config whose text is the working tree's canonical JSON is unchanged: it is neither
  // parsed nor compared (on a large estate nearly every one is; parsing them all was most of the compare)
  const unchanged = new Set<string>();
  for (const tree of trees) {
    indexes.set(tree.env, indexStoreTree(tree.env, tree.prefix, tree.parameters));
    // by config parameter name: one lookup per parameter, no name parsing
    const byParameter = new Map<string, Component>();
    for (const c of estate.components)
      if (c.env === tree.env)
        byParameter.set(componentParameterName(tree.prefix, c.type, c.nickname, "config"), c);
    const compared = tree.parameters.filter((p) => {
      const c = byParameter.get(p.name);
      if (c === undefined || p.type === "SecureString" || c.canonical !== p.value) return true;
      unchanged.add(c.id);
      return false;
    });
    read.push({ env: tree.env, prefix: tree.prefix, parameters: compared, external: tree.external });
    // the published side of the changed configs; runtimes are parsed only if the graph is built
    const configs = compared.filter((p) => p.name.endsWith(CONFIG_SUFFIX));
    for (const c of inputFromStore(tree.env, tree.prefix, configs, [], storeTypes).components) {
      const id = `${c.env}:${c.type}/${c.nickname}`;
      const intent: Intent = {
        id,
        env: c.env,
        type: c.type,
        nickname: c.nickname,
        file: componentConfigFile(settings, c),
        config: c.config,
        references: c.references,
      };
      base.set(id, snapshot(intent));
      baseIntents.set(id, intent);
    }
  }
  const next = new Map(estate.components.map((c) => [c.id, intentOf(c)]));
  // a consumer stale only through pasted copies is not fixed by a redeploy: its config holds the
  // old value; it needs a person (or `karma refs adopt`), not a place in the waves
  const stale = await readStale(session, estate.components, indexes);
  const redeployable: StaleConsumer[] = [];
  for (const s of stale) {
    const declared = s.inputs.filter((i) => !i.pasted);
    if (declared.length) redeployable.push({ id: s.id, inputs: declared });
    if (declared.length < s.inputs.length)
      problems.push({
        code: "plan.pasted-stale",
        component: s.id,
        message: `${s.id} ${describeStaleness({ id: s.id, inputs: s.inputs.filter((i) => i.pasted) })}`,
        fix: `edit the value, or make it a $ref with \`karma refs adopt ${s.id}\``,
        severity: "warning",
      });
  }
  const reasons: ChangeReason[] = [
    ...detectConfigChanges(base, changedSnapshots(next, unchanged)),
    ...detectUndeployed(estate.components.map((c) => componentStatus(c, indexes.get(c.env)))),
    ...detectStale(redeployable),
    ...(await leftByPreviousApply(session, next)),
  ];
  const touched =
    options.touchedSince === undefined
      ? undefined
      : await touchedSince(session, estate, options.touchedSince);
  const kept = touched ? restrictToTouched(reasons, touched) : reasons;
  const gone = [...baseIntents.values()].filter((i) => !next.has(i.id));
  const key =
    estate.sourceDigest === undefined
      ? undefined
      : publishedGraphKey({
          estateDigest: estate.sourceDigest,
          removed: gone.map((i) => i.id),
          types: typeNames,
          trees: read,
        });
  // the graph's input: the working tree's components (the removed ones too, as nodes) over the
  // stores' runtimes, in the order a build of every parameter read would give
  const input = () => ({
    components: [...inputFromEstate(estate.components), ...gone.map(removedInput)],
    runtimes: read.flatMap(
      (t) =>
        inputFromStore(
          t.env,
          t.prefix,
          t.parameters.filter((p) => !p.name.endsWith(CONFIG_SUFFIX)),
          t.external,
          storeTypes,
        ).runtimes,
    ),
  });
  return {
    base: { kind: "published" },
    reasons: kept,
    next,
    problems,
    graph: await graphOf(session, key, input, { starts: kept.map((r) => r.id) }),
    estate,
  };
}

/** The kept graph under `key`, else built; without a key (no source digest), under the input's hash. */
function graphOf(
  session: Session,
  key: string | undefined,
  input: () => { components: BuildComponentInput[]; runtimes: BuildRuntimeInput[] },
  options: KeptGraphOptions,
): Promise<ChangeInputs["graph"]> {
  if (key !== undefined) return keptOrBuiltGraph(session, key, input, options);
  const { components, runtimes } = input();
  return workingTreeGraph(session, components, runtimes, options);
}

/** Snapshots of the working tree's intents whose configs are not known unchanged. */
function changedSnapshots(
  next: ReadonlyMap<string, Intent>,
  unchanged: ReadonlySet<string>,
): Map<string, ConfigSnapshot> {
  const snapshots = new Map<string, ConfigSnapshot>();
  for (const [id, intent] of next) if (!unchanged.has(id)) snapshots.set(id, snapshot(intent));
  return snapshots;
}

/** A config parameter's name ends so (`<prefix>/<type>/<nickname>/config`); runtimes' do not. */
const CONFIG_SUFFIX = "/config";

/** What the last apply that ran left failed or skipped (refusals and start markers change nothing). */
async function leftByPreviousApply(
  session: Session,
  known: { has(id: string): boolean },
): Promise<ChangeReason[]> {
  const audit = await session.auditLog();
  const [last] = (await audit.query({ action: "apply", limit: 50 })).filter(
    (e) => e.status === "ok" || e.status === "failed",
  );
  if (last?.status !== "failed") return [];
  const list = (v: JsonValue | undefined) =>
    Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
  const reasons: ChangeReason[] = [];
  for (const [ids, what] of [
    [list(last.details.failed), "failed"],
    [list(last.details.skipped), "was skipped"],
  ] as const)
    for (const id of ids)
      if (known.has(id))
        reasons.push({
          kind: "retry",
          id,
          detail: `${what} in the previous apply (audit entry ${last.id})`,
        });
  return reasons;
}

async function touchedSince(session: Session, estate: Estate, ref: string): Promise<Touched[]> {
  const { settings } = estate;
  const files = await session.git.changedFiles(ref);
  const types = typeFiles(settings, [
    ...new Set([...Object.keys(settings.types), ...estate.components.map((c) => c.type)]),
  ]);
  return componentsTouchedBy(files, { components: estate.components, types });
}

/**
 * Only what files changed since `ref` touched: pending components whose own files changed, and
 * every component of a type whose module or schema changed (a reason of its own). Retries stay.
 */
function restrictToTouched(reasons: readonly ChangeReason[], touched: readonly Touched[]): ChangeReason[] {
  const own = new Set(touched.filter((t) => t.reason === "config").map((t) => t.id));
  const kept = reasons.filter((r) => r.kind === "retry" || own.has(r.id));
  for (const t of touched) {
    if (t.reason === "config") continue;
    const type = t.id.slice(t.id.indexOf(":") + 1, t.id.indexOf("/"));
    kept.push(
      t.reason === "schema"
        ? { kind: "schema", id: t.id, type, file: t.file }
        : { kind: "module", id: t.id, type, files: [t.file] },
    );
  }
  return kept;
}
