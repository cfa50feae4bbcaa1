/**
 * A publish killed between its store write and its audit entries (kill -9, power loss) would
 * leave configs in the store that no audit entry accounts for, and the next publish finds them
 * unchanged and records nothing. So each environment's batch is announced first by a `started`
 * entry naming the versions it will write, its `ok` entries point back to it (`details.batch`),
 * and the next publish, holding the same lock, records what an unfinished batch really wrote.
 */
import { digestInputs } from "../core/audit/digest.js";
import type { AuditEntry } from "../core/audit/entry.js";
import type { JsonValue } from "../core/estate/model.js";
import type { StoreIndex } from "../core/parameters/store-index.js";
import type { PublishEntry } from "../core/publish/plan-publish.js";
import type { Session } from "./session.js";

/** [component id, parameter name, version the write will create]. */
type IntendedWrite = [string, string, number];

export async function announceBatch(
  session: Session,
  env: string,
  entries: readonly PublishEntry[],
): Promise<AuditEntry> {
  const writes: IntendedWrite[] = entries.map((e) => [e.component.id, e.name, (e.previousVersion ?? 0) + 1]);
  const [started] = await session.record({
    action: "publish",
    status: "started",
    env,
    message: `publishing ${entries.length} config${entries.length === 1 ? "" : "s"} to ${env}`,
    details: { writes },
  });
  return started!;
}

const batchOf = (id: number) => new RegExp(`"batch":${id}[,}]`);

/**
 * Called holding the locks of `indexes`' environments, with their store contents read under
 * those locks: an unfinished batch of one of them cannot still be running. Only an
 * environment's newest batch can be unfinished: the publish after an unfinished one closes it
 * here before announcing its own.
 */
export async function recordInterruptedPublishes(
  session: Session,
  indexes: ReadonlyMap<string, StoreIndex>,
): Promise<void> {
  const audit = await session.auditLog();
  for (const index of indexes.values()) {
    const [batch] = await audit.query({ action: "publish", status: "started", env: index.env, limit: 1 });
    if (!batch) continue;
    // newest first, so this reads only the entries written since the batch was announced
    const closing = await audit.query({
      action: "publish",
      env: index.env,
      text: batchOf(batch.id),
      limit: 1,
    });
    if (closing.length > 0) continue;
    const writes = intendedWrites(batch.details.writes);
    const landed = writes.flatMap(([id, name, version]) => {
      const config = configOf(index, id);
      return config?.name === name && config.version === version
        ? [{ id, name, version, value: config.value }]
        : [];
    });
    await session.record([
      ...landed.map((w) => ({
        action: "publish",
        status: "ok" as const,
        component: w.id,
        env: index.env,
        inputsDigest: digestInputs(JSON.parse(w.value) as JsonValue),
        before: w.version > 1 ? { config: w.version - 1 } : {},
        after: { config: w.version },
        message: `published ${w.name} (by publish #${batch.id}, recorded after it stopped)`,
        details: { batch: batch.id, recovered: true },
      })),
      {
        action: "publish",
        status: "failed" as const,
        env: index.env,
        message: `interrupted: publish #${batch.id} by ${batch.actor}, started ${batch.timestamp}, never finished; it had written ${landed.length} of ${writes.length} configs`,
        details: { batch: batch.id, interrupted: true },
      },
    ]);
  }
}

function configOf(index: StoreIndex, id: string) {
  const key = id.slice(id.indexOf(":") + 1);
  return index.components.get(key)?.config;
}

function intendedWrites(value: JsonValue | undefined): IntendedWrite[] {
  if (!Array.isArray(value)) return [];
  return value.filter(
    (w): w is IntendedWrite =>
      Array.isArray(w) && typeof w[0] === "string" && typeof w[1] === "string" && typeof w[2] === "number",
  );
}
