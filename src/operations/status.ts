import type { Estate } from "../core/estate/model.js";
import { findingNodes } from "../core/graph/findings.js";
import type { Finding } from "../core/graph/model.js";
import { computeStatus, type StatusReport } from "../core/status/compute-status.js";
import { readConsumerLinks } from "./consumers.js";
import { latestGraphFindings } from "./graph.js";
import { type BlueGreenStatus, statusWithStores } from "./promote.js";
import { usesSlots } from "./provision/runtime-labels.js";
import { assertValid, universeOf } from "./publish.js";
import { resolveSelection } from "./selection.js";
import type { Session } from "./session.js";
import { readStaleConsumers } from "./stale-consumers.js";
import { sessionStores } from "./stores.js";

export interface EstateStatus extends StatusReport {
  /** Findings of the latest graph version (`karma graph build`), or null when none was built. */
  graph: { version: number; builtAt: string; findings: Finding[] } | null;
  /** Components deployed blue-green: live and candidate versions and which consumers took which. */
  bluegreen: BlueGreenStatus[];
}

export async function estateStatus(
  session: Session,
  estate: Estate,
  selector?: string,
): Promise<EstateStatus> {
  assertValid(estate);
  const stores = await sessionStores(session, estate.settings.environments);
  const indexes = await stores.readIndexes();
  const select = await resolveSelection(session, selector, universeOf(estate, indexes));
  const selected = estate.components.filter(select);
  const links = await readConsumerLinks(session, estate.components);
  const stale = await readStaleConsumers(selected, stores, indexes, links);
  const bluegreen: BlueGreenStatus[] = [];
  for (const c of selected)
    if (usesSlots(indexes.get(c.env)?.components.get(`${c.type}/${c.nickname}`)?.runtime))
      bluegreen.push(await statusWithStores(estate, c, stores));
  const report = computeStatus(selected, indexes, select, stale);
  const latest = await latestGraphFindings(session);
  const inScope = new Set(report.components.map((c) => c.id));
  const graph = latest && {
    version: latest.version.version,
    builtAt: latest.version.createdAt,
    // with a selector, only findings that touch a selected component
    findings: selector
      ? latest.findings.filter((f) => findingNodes(f).some((id) => inScope.has(id)))
      : latest.findings,
  };
  return { ...report, graph: graph ?? null, bluegreen };
}
