/**
 * `karma plan` as an operation (CLI, apply and change requests share it): read the change —
 * a git range (`since`), or the working tree against what is published plus what is published but
 * not deployed (default) — run the detectors, take the dependency edges from the stored graph
 * (patched with the changed components' new references) or from a working-tree build, and hand
 * everything to the pure planner. With `terraform`, every affected component is also planned by
 * its runner.
 *
 * Which graph: `auto` (default) uses the latest stored graph version when there is one and the
 * plan comes from a git range — the dependents of a one-file change are then one recursive query
 * away instead of a load of the whole estate; otherwise the working tree is loaded and built.
 * Components the change touches always contribute their new edges, whatever the source.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { loadEstate } from "../adapters/fs/estate-loader.js";
import { baseCommit, changedSince, fileAt } from "../adapters/git/revisions.js";
import { graphDatabaseFile, openGraphStore } from "../adapters/graph-store/factory.js";
import { selectorContext } from "../adapters/graph-store/selector-context.js";
import type { StaleConsumer } from "../core/drift/stale.js";
import type { Problem } from "../core/errors.js";
import { UserError } from "../core/errors.js";
import type { Component, Estate, JsonObject, ProjectSettings, Reference } from "../core/estate/model.js";
import { checkAgainstSchema, compileSchemas, type SchemaFile } from "../core/estate/schemas.js";
import { type BuildComponentInput, type BuildRuntimeInput, buildGraph } from "../core/graph/builder.js";
import { inputFromEstate, inputFromStore } from "../core/graph/inputs.js";
import { isValidName, parseComponentId } from "../core/ids.js";
import { parseJson } from "../core/json/parse.js";
import { indexStoreTree, type StoreIndex } from "../core/parameters/store-index.js";
import { type ChangePlanInput, computeChangePlan, type PlanEdge } from "../core/planning/compute-plan.js";
import {
  type ConfigSnapshot,
  detectConfigChanges,
  detectModuleChanges,
  detectSchemaChanges,
  detectStale,
  detectUndeployed,
  type TypeFiles,
} from "../core/planning/detect.js";
import { declaredEdges, summariseEdges } from "../core/planning/edges.js";
import type {
  ChangeReason,
  PlanBase,
  PlanGraphSource,
  PlanReport,
  ToolPlan,
} from "../core/planning/model.js";
import type { PolicyMode } from "../core/policies/model.js";
import type { PolicySubject } from "../core/policies/rules.js";
import { readPolicies } from "../core/policies/settings.js";
import { extractReferences, indexTypes, type TypeIndex } from "../core/references/extract.js";
import { selectComponents } from "../core/selectors/evaluate.js";
import { computeStatus } from "../core/status/compute-status.js";
import type { GraphStore } from "../ports/graph-store.js";
import { readEnvironmentTrees } from "./environment-trees.js";
import { withCliSession } from "./legacy-session.js";
import { type ProvisionHooks, planComponent } from "./provision.js";
import { readStaleConsumers } from "./stale-consumers.js";
import { openStores } from "./stores.js";

export type PlanGraphChoice = "auto" | "stored" | "working-tree";

export interface PlanChangesOptions {
  /** Plan the change from the merge base of this revision and HEAD to the working tree. */
  since?: string;
  /** Only changes of the selected components (selector language) are planned, with their dependents. */
  selector?: string;
  /** Also plan every affected component with its runner (needs Terraform and credentials). */
  terraform?: boolean;
  /** `--approve`: approvable policy verdicts pass. */
  approve?: boolean;
  /** `apply` makes every policy violation an error. Default `plan`. */
  mode?: PolicyMode;
  graph?: PlanGraphChoice;
  /** With `since`: count untracked files too (default: only what git tracks is intent). */
  untracked?: boolean;
  /** Progress and cancellation for `terraform`. */
  hooks?: ProvisionHooks;
}

/** What the detectors need, however the change was read. */
interface ChangeInputs {
  base: PlanBase;
  reasons: ChangeReason[];
  /** New intent of components whose config changed (absent for removed ones). */
  next: Map<string, Intent>;
  problems: Problem[];
  graph: { source: PlanGraphSource; edges: PlanEdge[]; nodes: string[] };
  /** The loaded estate, when the path that read the change loaded it. */
  estate?: Estate;
}

/** One component's config and references as the change leaves them. */
interface Intent {
  id: string;
  env: string;
  type: string;
  nickname: string;
  file: string;
  config: JsonObject;
  references: readonly Reference[];
}

// ── layout helpers ─────────────────────────────────────────────────────────────────────────

function dirNames(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory() && isValidName(e.name))
      .map((e) => e.name);
  } catch {
    return [];
  }
}

/** Every type name the estate uses: karma.json, type folders, and type folders under each environment. */
function typeIndexFor(settings: ProjectSettings): { index: TypeIndex; names: string[] } {
  const names = new Set(Object.keys(settings.types));
  for (const t of dirNames(join(settings.root, settings.paths.types))) names.add(t);
  for (const env of settings.environments)
    for (const t of dirNames(join(settings.root, settings.paths.components, env.name))) names.add(t);
  const sorted = [...names].sort();
  return { index: indexTypes(sorted), names: sorted };
}

function typeFiles(settings: ProjectSettings, types: readonly string[]): Map<string, TypeFiles> {
  const files = new Map<string, TypeFiles>();
  for (const type of types) {
    const declared = settings.types[type];
    files.set(type, {
      schema: declared?.schema ?? `${settings.paths.types}/${type}/schema.json`,
      module: declared?.module ?? `${settings.paths.types}/${type}`,
    });
  }
  return files;
}

function hasSchema(settings: ProjectSettings, type: string): boolean {
  const declared = settings.types[type]?.schema;
  return existsSync(join(settings.root, declared ?? `${settings.paths.types}/${type}/schema.json`));
}

/** `<components>/<env>/<type>/<nickname>/config.json` → its address, for known environments. */
function configAddress(
  settings: ProjectSettings,
  file: string,
): { env: string; type: string; nickname: string; id: string } | undefined {
  const head = `${settings.paths.components}/`;
  if (!file.startsWith(head)) return undefined;
  const parts = file.slice(head.length).split("/");
  if (parts.length !== 4 || parts[3] !== "config.json") return undefined;
  const [env, type, nickname] = parts as [string, string, string];
  if (!settings.environments.some((e) => e.name === env) || ![env, type, nickname].every(isValidName))
    return undefined;
  return { env, type, nickname, id: `${env}:${type}/${nickname}` };
}

/** Components of `types` found on disk (for schema/module changes), as {id, type}. */
function componentsOfTypes(
  settings: ProjectSettings,
  types: ReadonlySet<string>,
): { id: string; type: string }[] {
  const out: { id: string; type: string }[] = [];
  for (const env of settings.environments)
    for (const type of types)
      for (const nickname of dirNames(join(settings.root, settings.paths.components, env.name, type)))
        out.push({ id: `${env.name}:${type}/${nickname}`, type });
  return out;
}

function prefixOf(settings: ProjectSettings, env: string): string {
  return settings.environments.find((e) => e.name === env)?.prefix ?? settings.prefix;
}

/** Parses one side of a changed config; problems (malformed JSON, not an object) are collected. */
function intentFrom(
  settings: ProjectSettings,
  types: TypeIndex,
  address: { env: string; type: string; nickname: string; id: string },
  file: string,
  text: string,
  problems: Problem[] | undefined,
): Intent | undefined {
  const parsed = parseJson(text, file);
  problems?.push(...parsed.problems.map((p) => ({ ...p, component: address.id })));
  const value = parsed.value;
  if (value === undefined || value === null || typeof value !== "object" || Array.isArray(value)) {
    if (value !== undefined)
      problems?.push({
        code: "config.not-object",
        file,
        pointer: "",
        component: address.id,
        message: "a component config must be a JSON object",
        fix: 'wrap the settings in an object, e.g. {"name": "…"}',
        severity: "error",
      });
    return undefined;
  }
  const extracted = extractReferences(value, {
    env: address.env,
    prefix: prefixOf(settings, address.env),
    types,
    file,
    component: address.id,
  });
  problems?.push(...extracted.problems);
  return { ...address, file, config: value, references: extracted.references };
}

function intentOf(c: Component): Intent {
  return {
    id: c.id,
    env: c.env,
    type: c.type,
    nickname: c.nickname,
    file: c.file,
    config: c.config,
    references: c.references,
  };
}

function snapshot(intent: Intent): ConfigSnapshot {
  return {
    id: intent.id,
    file: intent.file,
    config: intent.config,
    edges: summariseEdges(declaredEdges(intent.id, intent.references)),
  };
}

/** Schema violations of the changed components (the rest of the estate is `karma validate`'s business). */
function schemaProblems(settings: ProjectSettings, intents: readonly Intent[]): Problem[] {
  const types = [...new Set(intents.map((i) => i.type))].sort();
  const files: SchemaFile[] = [];
  for (const type of types) {
    const path = settings.types[type]?.schema ?? `${settings.paths.types}/${type}/schema.json`;
    try {
      files.push({ type, path, text: readFileSync(join(settings.root, path), "utf8") });
    } catch {
      // no schema for this type
    }
  }
  if (files.length === 0) return [];
  const compiled = compileSchemas(files);
  const problems = [...compiled.problems];
  for (const intent of intents) {
    const schema = compiled.byType.get(intent.type);
    if (!schema) continue;
    const refPointers = intent.references.filter((r) => r.form === "ref").map((r) => r.pointer);
    problems.push(
      ...checkAgainstSchema(schema, intent.config, { file: intent.file, component: intent.id }, refPointers),
    );
  }
  return problems;
}

// ── reading runtimes and published state ───────────────────────────────────────────────────

/** Runtimes for value inference; a plan still works without them (warning). */
async function tryRuntimes(
  settings: ProjectSettings,
  types: TypeIndex,
  problems: Problem[],
): Promise<BuildRuntimeInput[]> {
  try {
    const trees = await readEnvironmentTrees(settings);
    return trees.flatMap((t) => inputFromStore(t.env, t.prefix, t.parameters, t.external, types).runtimes);
  } catch (error) {
    problems.push({
      code: "plan.store-unreadable",
      message: `could not read runtimes from the stores: ${(error as Error).message}`,
      fix: "check the store settings in karma.json; the plan uses declared references only",
      severity: "warning",
    });
    return [];
  }
}

function workingTreeGraph(
  components: readonly BuildComponentInput[],
  runtimes: readonly BuildRuntimeInput[],
): ChangeInputs["graph"] {
  const graph = buildGraph({ source: { kind: "working-tree" }, components, runtimes });
  return { source: { kind: "working-tree" }, edges: graph.edges, nodes: graph.nodes.map((n) => n.id) };
}

function removedInput(intent: Intent): BuildComponentInput {
  // a removed component stays a node so its consumers' edges (and the policy on them) survive
  return { env: intent.env, type: intent.type, nickname: intent.nickname, config: {}, references: [] };
}

// ── the two ways of reading a change ───────────────────────────────────────────────────────

async function openStoredGraph(
  settings: ProjectSettings,
): Promise<{ store: GraphStore; version: number } | undefined> {
  if (settings.graph.kind === "sqlite" && !existsSync(graphDatabaseFile(settings))) return undefined;
  const store = openGraphStore(settings);
  const latest = await store.latestVersion().catch(() => undefined);
  if (!latest) {
    await store.close();
    return undefined;
  }
  return { store, version: latest.version };
}

/** `--since REF`: files changed from the merge base to the working tree. */
async function changeSince(
  settings: ProjectSettings,
  ref: string,
  choice: PlanGraphChoice,
  untracked: boolean,
): Promise<ChangeInputs> {
  const root = settings.root;
  // the base commit (for `git show`) and the changed files, concurrently
  const [commit, files] = await Promise.all([
    baseCommit(root, ref),
    changedSince(root, ref, [settings.paths.components, settings.paths.types], { untracked }),
  ]);
  const problems: Problem[] = [];
  const { index: types, names: typeNames } = typeIndexFor(settings);

  const base = new Map<string, ConfigSnapshot>();
  const next = new Map<string, Intent>();
  const baseIntents = new Map<string, Intent>();
  const configIds: string[] = [];
  for (const file of files) {
    const address = configAddress(settings, file);
    if (!address) continue;
    configIds.push(address.id);
    const path = join(root, file);
    const nowText = existsSync(path) ? readFileSync(path, "utf8") : undefined;
    const thenText = await fileAt(root, commit, file);
    const now =
      nowText === undefined ? undefined : intentFrom(settings, types, address, file, nowText, problems);
    const then =
      thenText === undefined ? undefined : intentFrom(settings, types, address, file, thenText, undefined);
    if (now) next.set(address.id, now);
    if (then) {
      base.set(address.id, snapshot(then));
      baseIntents.set(address.id, then);
    }
  }
  const nextSnapshots = new Map([...next].map(([id, intent]) => [id, snapshot(intent)]));
  const reasons: ChangeReason[] = detectConfigChanges(base, nextSnapshots, configIds);

  const layoutTypes = typeFiles(settings, typeNames);
  const touchedTypes = new Set(
    [...layoutTypes]
      .filter(([, t]) => files.some((f) => t.module !== undefined && f.startsWith(`${t.module}/`)))
      .map(([type]) => type),
  );
  if (touchedTypes.size > 0) {
    const layout = { components: componentsOfTypes(settings, touchedTypes), types: layoutTypes };
    reasons.push(...detectSchemaChanges(files, layout), ...detectModuleChanges(files, layout));
  }
  problems.push(...schemaProblems(settings, [...next.values()]));
  const planBase: PlanBase = { kind: "commit", ref, commit };

  const stored = choice === "working-tree" ? undefined : await openStoredGraph(settings);
  if (!stored) {
    if (choice === "stored")
      throw new UserError(
        "no graph has been built yet, so --graph stored cannot be used",
        "run `karma graph build`, or plan with --graph working-tree",
      );
    const estate = await loadEstate(settings);
    const ids = new Set(reasons.map((r) => r.id));
    problems.length = 0;
    problems.push(...estate.problems.filter((p) => p.component !== undefined && ids.has(p.component)));
    const inEstate = new Map(estate.components.map((c) => [c.id, c]));
    for (const id of next.keys()) {
      const c = inEstate.get(id);
      if (c) next.set(id, intentOf(c));
    }
    const removed = [...baseIntents.values()].filter((i) => !inEstate.has(i.id)).map(removedInput);
    const runtimes = await tryRuntimes(settings, types, problems);
    return {
      base: planBase,
      reasons,
      next,
      problems,
      graph: workingTreeGraph([...inputFromEstate(estate.components), ...removed], runtimes),
      estate,
    };
  }

  // The stored graph answers "who depends on the changed set" (one recursive query); the edges
  // inside that region come from the region's configs in the working tree — fresher than the
  // stored version, and a handful of file reads rather than a query per node. Inferred
  // dependencies (no declaration to read) keep the edge the walk reached them through.
  try {
    const starts = [...new Set(reasons.map((r) => r.id))].sort();
    const reached = starts.length ? await stored.store.dependents(starts, { version: stored.version }) : [];
    const region = [...new Set([...starts, ...reached.map((r) => r.id)])].sort();
    const edges: PlanEdge[] = [];
    const declaredPairs = new Set<string>();
    const addDeclared = (intent: Intent) => {
      for (const e of declaredEdges(intent.id, intent.references)) {
        edges.push(e);
        declaredPairs.add(`${e.from}\u0000${e.to}`);
      }
    };
    for (const id of region) {
      if (next.has(id)) addDeclared(next.get(id)!);
      if (next.has(id) || baseIntents.has(id)) continue;
      const address = parseComponentId(id);
      if (!address) continue;
      const file = `${settings.paths.components}/${address.env}/${address.type}/${address.nickname}/config.json`;
      let text: string;
      try {
        text = readFileSync(join(root, file), "utf8");
      } catch {
        continue; // runtime-only or external node: no config, no outgoing edges
      }
      const intent = intentFrom(settings, types, { ...address, id }, file, text, undefined);
      if (intent) addDeclared(intent);
    }
    for (const r of reached) {
      const producer = r.path[r.path.length - 2];
      if (producer === undefined || declaredPairs.has(`${r.id}\u0000${producer}`)) continue;
      edges.push({ from: r.id, to: producer, kind: "inferred", evidence: { form: "inferred", pointer: "" } });
    }
    return {
      base: planBase,
      reasons,
      next,
      problems,
      graph: { source: { kind: "stored", version: stored.version }, edges, nodes: region },
    };
  } finally {
    await stored.store.close();
  }
}

/** Consumers whose producers' runtimes changed a consumed key since they were deployed. */
async function readStale(
  settings: ProjectSettings,
  components: readonly Component[],
  indexes: ReadonlyMap<string, StoreIndex>,
): Promise<StaleConsumer[]> {
  const stores = await openStores(settings, settings.environments);
  try {
    return await readStaleConsumers(components, stores, indexes);
  } finally {
    await stores.close();
  }
}

/** Default: the working tree against each environment's published config, plus undeployed and stale components. */
async function changeAgainstPublished(settings: ProjectSettings): Promise<ChangeInputs> {
  const estate = await loadEstate(settings);
  const problems: Problem[] = [...estate.problems];
  const { names } = typeIndexFor(settings);
  const trees = await readEnvironmentTrees(settings);
  const storeTypes = indexTypes(
    [
      ...names,
      ...trees.flatMap((t) => t.parameters.map((p) => p.name.slice(t.prefix.length + 1).split("/")[0] ?? "")),
    ].filter((n) => n !== ""),
  );
  const indexes = new Map<string, StoreIndex>();
  const base = new Map<string, ConfigSnapshot>();
  const baseIntents = new Map<string, Intent>();
  const runtimes: BuildRuntimeInput[] = [];
  for (const tree of trees) {
    indexes.set(tree.env, indexStoreTree(tree.env, tree.prefix, tree.parameters));
    const input = inputFromStore(tree.env, tree.prefix, tree.parameters, tree.external, storeTypes);
    runtimes.push(...input.runtimes);
    for (const c of input.components) {
      const id = `${c.env}:${c.type}/${c.nickname}`;
      const intent: Intent = {
        id,
        env: c.env,
        type: c.type,
        nickname: c.nickname,
        file: `${settings.paths.components}/${c.env}/${c.type}/${c.nickname}/config.json`,
        config: c.config,
        references: c.references,
      };
      base.set(id, snapshot(intent));
      baseIntents.set(id, intent);
    }
  }
  const next = new Map(estate.components.map((c) => [c.id, intentOf(c)]));
  const reasons: ChangeReason[] = [
    ...detectConfigChanges(base, new Map([...next].map(([id, i]) => [id, snapshot(i)]))),
    ...detectUndeployed(computeStatus(estate.components, indexes, () => true).components),
    ...detectStale(await readStale(settings, estate.components, indexes)),
  ];
  const removed = [...baseIntents.values()].filter((i) => !next.has(i.id)).map(removedInput);
  return {
    base: { kind: "published" },
    reasons,
    next,
    problems,
    graph: workingTreeGraph([...inputFromEstate(estate.components), ...removed], runtimes),
    estate,
  };
}

// ── selection, terraform, the plan ─────────────────────────────────────────────────────────

async function selectReasons(
  settings: ProjectSettings,
  selector: string,
  reasons: ChangeReason[],
): Promise<ChangeReason[]> {
  const universe = [...new Set(reasons.map((r) => r.id))].flatMap((id) => {
    const address = parseComponentId(id);
    return address ? [{ id, ...address }] : [];
  });
  const stored = await openStoredGraph(settings);
  try {
    const context = selectorContext({
      components: universe,
      settings,
      ...(stored ? { graph: stored.store } : {}),
    });
    const selected = new Set(await selectComponents(selector, context));
    return reasons.filter((r) => selected.has(r.id));
  } finally {
    await stored?.store.close();
  }
}

function shown(settings: ProjectSettings, path: string): string {
  const rel = relative(settings.root, path);
  return rel.startsWith("..") ? path : rel;
}

async function terraformPlans(
  estate: Estate,
  report: PlanReport,
  hooks: ProvisionHooks,
): Promise<ToolPlan[]> {
  const plans: ToolPlan[] = [];
  for (const wave of report.plan.waves) {
    for (const entry of wave) {
      const address = parseComponentId(entry.id)!;
      try {
        const outcome = await withCliSession(estate.settings, (s) =>
          planComponent(s, estate, address, hooks),
        );
        const { summary } = outcome.plan;
        plans.push({
          id: entry.id,
          status: "planned",
          counts: { ...summary.counts },
          hasChanges: summary.hasChanges,
          outputChanges: summary.outputChanges,
          logFile: shown(estate.settings, outcome.plan.logFile),
        });
      } catch (error) {
        if (!(error instanceof Error)) throw error;
        const fix = error instanceof UserError && error.fix ? ` (${error.fix})` : "";
        plans.push({ id: entry.id, status: "failed", message: `${error.message.split("\n")[0]}${fix}` });
      }
    }
  }
  return plans;
}

function subjectsOf(
  settings: ProjectSettings,
  next: ReadonlyMap<string, Intent>,
): Map<string, PolicySubject> {
  const schemaKnown = new Map<string, boolean>();
  const subjects = new Map<string, PolicySubject>();
  for (const intent of next.values()) {
    if (!schemaKnown.has(intent.type)) schemaKnown.set(intent.type, hasSchema(settings, intent.type));
    subjects.set(intent.id, {
      id: intent.id,
      env: intent.env,
      type: intent.type,
      nickname: intent.nickname,
      config: intent.config,
      references: intent.references,
      hasSchema: schemaKnown.get(intent.type)!,
    });
  }
  return subjects;
}

/** Everything `computeChangePlan` needs besides the change itself. */
export function planInputFrom(
  settings: ProjectSettings,
  change: Pick<ChangeInputs, "base" | "reasons" | "graph"> & { next: ReadonlyMap<string, Intent> },
  options: Pick<PlanChangesOptions, "approve" | "mode">,
): ChangePlanInput {
  return {
    base: change.base,
    graph: change.graph.source,
    reasons: change.reasons,
    edges: change.graph.edges,
    nodes: change.graph.nodes,
    policies: readPolicies(settings.policies),
    mode: options.mode ?? "plan",
    approved: options.approve === true,
    subjects: subjectsOf(settings, change.next),
  };
}

/**
 * The change plan of the estate at `settings.root`. Throws `PlanCycleError` when the affected set
 * cannot be ordered, and UserErrors for unreadable git ranges or stores.
 */
export async function planChanges(
  settings: ProjectSettings,
  options: PlanChangesOptions = {},
): Promise<PlanReport> {
  const choice = options.graph ?? "auto";
  const change =
    options.since !== undefined
      ? await changeSince(
          settings,
          options.since,
          options.terraform ? "working-tree" : choice,
          options.untracked === true,
        )
      : await changeAgainstPublished(settings);
  if (options.selector !== undefined && options.selector !== "")
    change.reasons = await selectReasons(settings, options.selector, change.reasons);
  const plan = computeChangePlan(planInputFrom(settings, change, options));
  const report: PlanReport = { plan, problems: change.problems };
  if (options.terraform) {
    const estate = change.estate ?? (await loadEstate(settings));
    report.terraform = await terraformPlans(estate, report, options.hooks ?? {});
  }
  return report;
}
