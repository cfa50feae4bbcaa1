/**
 * Everything known about one component, for the API's component page and the explorer's side
 * panel: its graph node with producers and consumers (edges with evidence and the keys they
 * carry), findings, where it stands (the same `estateStatus` as `karma status`), and its
 * published config and runtime with their version history.
 *
 * Secrets never leave here: SecureString parameters are read without decryption and returned as
 * `secure: true` with no value (a runtime with sensitive outputs is stored as a SecureString),
 * and values under secret-looking keys are replaced by `[redacted]` (the audit log's redaction).
 */
import { redactSecrets } from "../core/audit/redact.js";
import { CANDIDATE, PREVIOUS } from "../core/contracts/labels.js";
import { NotFoundError, UserError } from "../core/errors.js";
import type { JsonObject, JsonValue } from "../core/estate/model.js";
import { componentParameterName, type ParameterKind } from "../core/estate/paths.js";
import { findingNodes } from "../core/graph/findings.js";
import type { Finding, GraphNode } from "../core/graph/model.js";
import { formatComponentId } from "../core/ids.js";
import { parseJson } from "../core/json/parse.js";
import { parseProvenance } from "../core/provenance/provenance.js";
import type { ComponentStatus } from "../core/status/compute-status.js";
import type { NodeEdges } from "../ports/graph-store.js";
import { allPages, isParameterStoreError, type ParameterStore } from "../ports/parameter-store.js";
import { type BlueGreenStatus, bluegreenStatus } from "./promote.js";
import type { Session } from "./session.js";
import { estateStatus } from "./status.js";

/** How many versions of each parameter the detail lists (newest first). */
const HISTORY_LIMIT = 20;

export interface ParameterVersion {
  version: number;
  modified: string;
  /** Labels on this version (`live`, `candidate`, `previous` for blue-green runtimes). */
  labels?: string[];
  /** Who or what wrote it, and from which commit / config version (Karma's provenance). */
  provenance?: JsonObject;
}

export interface PublishedDocument {
  /** The parameter does not exist (never published / never deployed). */
  present: boolean;
  /** A SecureString: the value is never read or shown. */
  secure: boolean;
  /** The latest value, secret-looking keys redacted; null when absent, secure or not JSON. */
  value: JsonValue | null;
  /** JSON pointers of values that were redacted. */
  redacted: string[];
  versions: ParameterVersion[];
}

export interface ComponentDetail {
  id: string;
  env: string;
  type: string;
  nickname: string;
  /** The node in the graph version read, or null when the component is not in it. */
  node: GraphNode | null;
  graphVersion: number | null;
  /** Edges where this component is the consumer: what it depends on (its producers). */
  producers: NodeEdges["outgoing"];
  /** Edges where this component is the producer: what depends on it (its consumers). */
  consumers: NodeEdges["incoming"];
  findings: Finding[];
  /** As `karma status` reports it; null when the component is not in Git (or the estate is invalid). */
  status: ComponentStatus | null;
  /** Why `status` is null, when it is. */
  statusProblem?: string;
  config: PublishedDocument;
  runtime: PublishedDocument;
  /**
   * For a component deployed blue-green (it has had a candidate): the live and candidate runtime
   * versions, their slots and which consumers took which — `karma bluegreen status`'s answer.
   */
  bluegreen?: BlueGreenStatus;
}

async function readDocument(store: ParameterStore, name: string): Promise<PublishedDocument> {
  const versions: ParameterVersion[] = [];
  let latest: { type: string; value: string } | undefined;
  try {
    const history = await allPages((nextToken) =>
      store.getParameterHistory({ name, withDecryption: false, nextToken }),
    );
    for (const entry of history) {
      const provenance = parseProvenance(entry.description);
      versions.push({
        version: entry.version,
        modified: entry.lastModifiedDate.toISOString(),
        ...(entry.labels.length > 0 ? { labels: [...entry.labels].sort() } : {}),
        ...(provenance ? { provenance: provenance as JsonObject } : {}),
      });
      latest = entry;
    }
  } catch (error) {
    if (isParameterStoreError(error, "ParameterNotFound"))
      return { present: false, secure: false, value: null, redacted: [], versions: [] };
    throw error;
  }
  versions.sort((a, b) => b.version - a.version);
  const secure = latest?.type === "SecureString";
  let value: JsonValue | null = null;
  let redacted: string[] = [];
  if (latest && !secure) {
    const parsed = parseJson(latest.value, name);
    if (parsed.value !== undefined) {
      const shown = redactSecrets({ value: parsed.value });
      value = shown.details.value ?? null;
      redacted = shown.redacted.map((p) => p.slice("/value".length));
    }
  }
  return { present: true, secure, value, redacted, versions: versions.slice(0, HISTORY_LIMIT) };
}

/** True once the runtime has had a candidate: a version labelled so, or deployed in a slot. */
function deployedBlueGreen(runtime: PublishedDocument): boolean {
  return runtime.versions.some(
    (v) => v.labels?.includes(CANDIDATE) || v.labels?.includes(PREVIOUS) || v.provenance?.slot !== undefined,
  );
}

async function statusOf(
  session: Session,
  id: string,
): Promise<{ status: ComponentStatus | null; problem?: string }> {
  try {
    const report = await estateStatus(session, await session.estate.load(), id);
    return { status: report.components.find((c) => c.id === id) ?? null };
  } catch (error) {
    if (error instanceof UserError) return { status: null, problem: error.message };
    throw error;
  }
}

async function graphPart(session: Session, id: string, version: number | undefined) {
  const store = await session.graph();
  const latest = version ?? (await store.latestVersion())?.version;
  if (latest === undefined) return undefined;
  const node = await store.getNode(id, { version: latest });
  const edges = node ? await store.edgesOf(id, { version: latest }) : { outgoing: [], incoming: [] };
  const findings = node
    ? (await store.findings({ version: latest })).filter((f) => findingNodes(f).includes(id))
    : [];
  return { version: latest, node: node ?? null, edges, findings };
}

export async function componentDetail(
  session: Session,
  address: { env: string; type: string; nickname: string },
  options: { version?: number } = {},
): Promise<ComponentDetail> {
  const env = session.environment(address.env);
  const id = formatComponentId(address);
  const graph = await graphPart(session, id, options.version);
  const store = await session.store(env.name);
  const read = (kind: ParameterKind) =>
    readDocument(store, componentParameterName(env.prefix, address.type, address.nickname, kind));
  const config = await read("config");
  const runtime = await read("runtime");
  const { status, problem } = await statusOf(session, id);
  const bluegreen =
    status !== null && deployedBlueGreen(runtime)
      ? await bluegreenStatus(session, await session.estate.load(), address)
      : undefined;
  if (!graph?.node && !config.present && !runtime.present && status === null)
    throw new NotFoundError(
      `no component ${id}: it is not in the graph, the store or Git`,
      "check the environment, type and nickname (see `karma status`)",
    );
  return {
    id,
    ...address,
    node: graph?.node ?? null,
    graphVersion: graph?.version ?? null,
    producers: graph?.edges.outgoing ?? [],
    consumers: graph?.edges.incoming ?? [],
    findings: graph?.findings ?? [],
    status,
    ...(problem !== undefined ? { statusProblem: problem } : {}),
    config,
    runtime,
    ...(bluegreen ? { bluegreen } : {}),
  };
}
