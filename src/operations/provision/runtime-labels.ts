/**
 * Reading a runtime parameter's blue-green labels (see core/contracts/labels.ts) and the version
 * consumers resolve. Components that never had a candidate carry no `slot` in their runtime
 * provenance and cost nothing extra: their latest version is live.
 */
import { CANDIDATE, LIVE, liveVersion, PREVIOUS, type RuntimeLabels } from "../../core/contracts/labels.js";
import type { ProjectSettings } from "../../core/estate/model.js";
import { componentWorkFolder, inEstate } from "../../core/estate/paths.js";
import { parseProvenance } from "../../core/provenance/provenance.js";
import type { RuntimeSnapshot } from "../../core/provisioning/runtime-write.js";
import { allPages, isParameterStoreError, type ParameterStore } from "../../ports/parameter-store.js";
import type { RunJob } from "../../ports/runner.js";
import { readParameter } from "./prepare.js";

export interface LabelledRuntime {
  labels: RuntimeLabels;
  /** Version → its snapshot (value decrypted) for the labelled and latest versions. */
  versions: Map<number, RuntimeSnapshot>;
}

/** Every version's labels (history read in pages); undefined when the parameter does not exist. */
export async function readRuntimeLabels(
  store: ParameterStore,
  name: string,
): Promise<LabelledRuntime | undefined> {
  const versions = new Map<number, RuntimeSnapshot>();
  const labels: Partial<RuntimeLabels> = {};
  try {
    const history = await allPages((nextToken) =>
      store.getParameterHistory({ name, withDecryption: true, ...(nextToken ? { nextToken } : {}) }),
    );
    for (const entry of history) {
      const snapshot: RuntimeSnapshot = {
        version: entry.version,
        value: entry.value,
        type: entry.type,
        ...(entry.description !== undefined ? { description: entry.description } : {}),
      };
      if (labels.latest === undefined || entry.version > labels.latest) labels.latest = entry.version;
      for (const label of entry.labels)
        if (label === LIVE || label === CANDIDATE || label === PREVIOUS) labels[label] = entry.version;
      versions.set(entry.version, snapshot);
    }
  } catch (error) {
    if (isParameterStoreError(error, "ParameterNotFound")) return undefined;
    throw error;
  }
  if (labels.latest === undefined) return undefined;
  return { labels: labels as RuntimeLabels, versions };
}

/** True when the runtime has been deployed in slots (a candidate was ever deployed). */
export function usesSlots(latest: RuntimeSnapshot | undefined): boolean {
  return parseProvenance(latest?.description)?.slot !== undefined;
}

/**
 * The runtime consumers read: the version labelled `label` (default `live`) when the component
 * uses slots and has one, else the latest version.
 */
export async function readResolvedRuntime(
  store: ParameterStore,
  name: string,
  label: typeof LIVE | typeof CANDIDATE = LIVE,
): Promise<RuntimeSnapshot | undefined> {
  const latest = await readParameter(store, name);
  if (!latest || !usesSlots(latest)) return label === LIVE ? latest : undefined;
  const all = await readRuntimeLabels(store, name);
  const version = all?.labels[label] ?? (label === LIVE ? all?.labels.latest : undefined);
  return version === undefined ? (label === LIVE ? latest : undefined) : all?.versions.get(version);
}

export interface SlotChoice {
  /** Labels before the run; undefined when the component has no runtime yet. */
  runtime?: LabelledRuntime;
  /** Whether the runtime uses slots (a candidate was ever deployed). */
  slotted: boolean;
  liveSlot: string;
  /** The slot this run deploys into. */
  slot: string;
}

const BLUE = "blue";
const GREEN = "green";

/** Which slot a run deploys into: the live one, or for a candidate the other one. */
export async function chooseSlot(
  store: ParameterStore,
  name: string,
  candidate: boolean,
): Promise<SlotChoice> {
  const latest = await readParameter(store, name);
  const slotted = usesSlots(latest);
  const runtime = slotted || candidate ? await readRuntimeLabels(store, name) : undefined;
  const live = runtime && runtime.versions.get(liveVersion(runtime.labels));
  const liveSlot = parseProvenance(live?.description)?.slot ?? BLUE;
  const slot = candidate ? (liveSlot === BLUE ? GREEN : BLUE) : liveSlot;
  return { ...(runtime ? { runtime } : {}), slotted: slotted || candidate, liveSlot, slot };
}

/** The job moved into `slot`'s own work dir (and, for Terraform, its own state). */
export function jobInSlot(settings: ProjectSettings, job: RunJob, slot: string): RunJob {
  return { ...job, workDir: inEstate(settings, componentWorkFolder(settings, job.component, slot)), slot };
}
