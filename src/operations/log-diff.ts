/**
 * Gathers what `computeLogDiff` needs from the stores and the audit log: for each environment,
 * the history of every component parameter written after `before` (metadata first — a parameter
 * whose latest version predates the window cannot have changed in it, so its history is never
 * fetched), and the audit entries of the window. SecureString values are never decrypted.
 */

import type { GraphVersionStamp, GraphWindow, LogDiff, ParameterTimeline } from "../core/audit/log-diff.js";
import { computeLogDiff, graphVersionAt } from "../core/audit/log-diff.js";
import { UserError } from "../core/errors.js";
import { parseComponentParameterName } from "../core/estate/paths.js";
import type { GraphDiff } from "../core/graph/diff.js";
import { formatComponentId } from "../core/ids.js";
import type { AuditLog } from "../ports/audit-log.js";
import { allPages, type ParameterStore } from "../ports/parameter-store.js";
import { selectEnvironment } from "./environments.js";
import type { Session } from "./session.js";

/** The component parameters of one environment's store, with their versions, written after `before`. */
export async function readParameterTimelines(
  store: ParameterStore,
  env: string,
  prefix: string,
  before: Date,
): Promise<ParameterTimeline[]> {
  const timelines: ParameterTimeline[] = [];
  for (const parameter of await store.readTree(prefix)) {
    if (parameter.lastModifiedDate.getTime() <= before.getTime()) continue;
    const parsed = parseComponentParameterName(prefix, parameter.name);
    if (!parsed) continue;
    const history = await allPages((nextToken) =>
      store.getParameterHistory({ name: parameter.name, withDecryption: false, nextToken }),
    );
    timelines.push({
      env,
      component: formatComponentId({ env, type: parsed.type, nickname: parsed.nickname }),
      kind: parsed.kind,
      name: parameter.name,
      versions: history.map((h) =>
        h.type === "SecureString"
          ? { version: h.version, modifiedAt: h.lastModifiedDate, secure: true }
          : { version: h.version, modifiedAt: h.lastModifiedDate, secure: false, value: h.value },
      ),
    });
  }
  return timelines;
}

/** The part of a graph store `log diff` uses (satisfied by `GraphStore`). */
export interface GraphVersionSource {
  listVersions(): Promise<GraphVersionStamp[]>;
  diff(from: number, to: number): Promise<GraphDiff>;
}

/** Graph versions in effect at both ends of the window, and their diff. */
export async function readGraphWindow(
  graph: GraphVersionSource,
  before: Date,
  after: Date,
): Promise<GraphWindow> {
  const versions = await graph.listVersions();
  const beforeVersion = graphVersionAt(versions, before);
  const afterVersion = graphVersionAt(versions, after);
  const diff =
    beforeVersion !== null && afterVersion !== null && beforeVersion !== afterVersion
      ? await graph.diff(beforeVersion, afterVersion)
      : null;
  return { beforeVersion, afterVersion, diff };
}

export interface CollectLogDiffInput {
  before: Date;
  after: Date;
  /** Each environment to look at, with its open store and prefix. */
  environments: ReadonlyArray<{ env: string; prefix: string; store: ParameterStore }>;
  audit: AuditLog;
  /** Only audit entries of this environment (and estate-wide ones); default all. */
  env?: string;
  /** When a graph store is available. */
  graph?: GraphVersionSource;
}

export async function collectLogDiff(input: CollectLogDiffInput): Promise<LogDiff> {
  const { before, after } = input;
  const timelines: ParameterTimeline[] = [];
  for (const { env, prefix, store } of input.environments)
    timelines.push(...(await readParameterTimelines(store, env, prefix, before)));
  // since is inclusive, the window excludes `before` itself; computeLogDiff trims exactly.
  const entries = (await input.audit.query({ since: before, until: new Date(after.getTime() + 1) })).filter(
    (e) => input.env === undefined || e.env === null || e.env === input.env,
  );
  const graph = input.graph ? await readGraphWindow(input.graph, before, after) : undefined;
  return computeLogDiff({ before, after, timelines, entries, graph });
}

/**
 * `karma log diff`: what changed between `before` and `after` in the stores of every environment
 * (or only `env`), the audit log and the graph (when a graph store can be opened here).
 */
export async function logDiff(
  session: Session,
  window: { before: Date; after: Date; env?: string },
): Promise<LogDiff> {
  const { settings } = session;
  const envs =
    window.env !== undefined
      ? [selectEnvironment(settings, window.env)]
      : settings.environments.length > 0
        ? settings.environments
        : [selectEnvironment(settings)];
  const environments = [];
  for (const env of envs)
    environments.push({ env: env.name, prefix: env.prefix, store: await session.store(env.name) });
  let graph: GraphVersionSource | undefined;
  try {
    graph = await session.graph();
  } catch (error) {
    // graph changes then come from the audit log alone
    if (!(error instanceof UserError)) throw error;
  }
  return collectLogDiff({
    before: window.before,
    after: window.after,
    environments,
    audit: await session.auditLog(),
    ...(graph ? { graph } : {}),
    ...(window.env !== undefined ? { env: window.env } : {}),
  });
}
