/**
 * `--since REF`: the change is the files changed from the merge base of REF and HEAD to the
 * working tree. Dependents come from the latest stored graph (one recursive query) with the
 * region's edges re-read from the working tree, or from a working-tree build.
 */
import type { Problem } from "../../core/errors.js";
import { UserError } from "../../core/errors.js";
import { componentConfigFile } from "../../core/estate/paths.js";
import { inputFromEstate } from "../../core/graph/inputs.js";
import { parseComponentId } from "../../core/ids.js";
import type { PlanEdge } from "../../core/planning/compute-plan.js";
import {
  type ConfigSnapshot,
  detectConfigChanges,
  detectModuleChanges,
  detectSchemaChanges,
} from "../../core/planning/detect.js";
import { declaredEdges } from "../../core/planning/edges.js";
import type { ChangeReason, PlanBase } from "../../core/planning/model.js";
import type { Session } from "../session.js";
import type { ChangeInputs, PlanGraphChoice } from "./change.js";
import { removedInput, storedGraph, tryRuntimes, workingTreeGraph } from "./graph-edges.js";
import {
  componentsOfTypes,
  configAddress,
  type Intent,
  intentFrom,
  intentOf,
  schemaProblems,
  snapshot,
  typeFiles,
  typeIndexFor,
} from "./intents.js";

/** `--since REF`: files changed from the merge base to the working tree. */
export async function changeSince(
  session: Session,
  ref: string,
  choice: PlanGraphChoice,
  untracked: boolean,
): Promise<ChangeInputs> {
  const { settings, git } = session;
  // the base commit (for `git show`) and the changed files, concurrently
  const [commit, files] = await Promise.all([
    git.baseCommit(ref),
    git.changedSince(ref, [settings.paths.components, settings.paths.types], { untracked }),
  ]);
  const problems: Problem[] = [];
  const { index: types, names: typeNames } = typeIndexFor(session);

  const base = new Map<string, ConfigSnapshot>();
  const next = new Map<string, Intent>();
  const baseIntents = new Map<string, Intent>();
  const configIds: string[] = [];
  for (const file of files) {
    const address = configAddress(settings, file);
    if (!address) continue;
    configIds.push(address.id);
    const nowText = session.estate.readText(file);
    const thenText = await git.fileAt(commit, file);
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
    const layout = { components: componentsOfTypes(session, touchedTypes), types: layoutTypes };
    reasons.push(...detectSchemaChanges(files, layout), ...detectModuleChanges(files, layout));
  }
  problems.push(...schemaProblems(session, [...next.values()]));
  const planBase: PlanBase = { kind: "commit", ref, commit };

  const stored = choice === "working-tree" ? undefined : await storedGraph(session);
  if (!stored) {
    if (choice === "stored")
      throw new UserError(
        "no graph has been built yet, so --graph stored cannot be used",
        "run `karma graph build`, or plan with --graph working-tree",
      );
    const estate = await session.estate.load();
    const ids = new Set(reasons.map((r) => r.id));
    problems.length = 0;
    problems.push(...estate.problems.filter((p) => p.component !== undefined && ids.has(p.component)));
    const inEstate = new Map(estate.components.map((c) => [c.id, c]));
    for (const id of next.keys()) {
      const c = inEstate.get(id);
      if (c) next.set(id, intentOf(c));
    }
    const removed = [...baseIntents.values()].filter((i) => !inEstate.has(i.id)).map(removedInput);
    const runtimes = await tryRuntimes(session, types, problems);
    return {
      base: planBase,
      reasons,
      next,
      problems,
      graph: await workingTreeGraph(session, [...inputFromEstate(estate.components), ...removed], runtimes),
      estate,
    };
  }

  // The stored graph answers "who depends on the changed set" (one recursive query); the edges
  // inside that region come from the region's configs in the working tree — fresher than the
  // stored version, and a handful of file reads rather than a query per node. Inferred
  // dependencies (no declaration to read) keep the edge the walk reached them through.
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
    const file = componentConfigFile(settings, address);
    const text = session.estate.readText(file);
    if (text === undefined) continue; // runtime-only or external node: no config, no outgoing edges
    const intent = intentFrom(settings, types, { ...address, id }, file, text, undefined);
    if (intent) addDeclared(intent);
  }
  // inferred dependencies have no declaration to re-read: their stored edges (with the pasted
  // keys) stand, or at least the edge the walk reached them through
  for (const r of reached) {
    const producer = r.path[r.path.length - 2];
    if (producer === undefined || declaredPairs.has(`${r.id}\u0000${producer}`)) continue;
    const pasted = (await stored.store.edgesOf(r.id, { version: stored.version })).outgoing.filter(
      (e) => e.evidence.form === "inferred",
    );
    if (pasted.some((e) => e.to === producer)) edges.push(...pasted);
    else
      edges.push({
        from: r.id,
        to: producer,
        kind: "inferred",
        evidence: { form: "inferred", pointer: "" },
      });
  }
  return {
    base: planBase,
    reasons,
    next,
    problems,
    graph: { source: { kind: "stored", version: stored.version }, edges, nodes: region },
  };
}
