/**
 * The audit log in the graph's Gremlin server (Amazon Neptune in team mode): each entry is an
 * `auditEntry` vertex with a `touched` edge to the identity vertex of the component it is about
 * (the same vertex the graph store's dependency edges attach to), so "who changed what this
 * component depends on" is one traversal:
 *
 *   g.V('<ns>|n|dev:service/api').repeat(out('depends_on')).emit().dedup().in('touched')
 *
 * Ids increase with append order: a batch takes its numbers by moving the `auditHead` vertex's
 * `next` from the value it read (a compare-and-set in the same traversal that adds the entries,
 * one transaction on Neptune); the entries' string ids embed the numbers, and an id can only be
 * created once, so two writers racing for the same numbers cannot both succeed — the loser
 * re-reads and retries. Null fields are simply absent (Neptune stores no nulls).
 */
import gremlin from "gremlin";
import { prepareEntry, searchableFields, textMatcher } from "../../../core/audit/prepare-entry.js";
import type { JsonObject } from "../../../core/estate/model.js";
import type {
  AuditEntry,
  AuditLog,
  AuditQuery,
  AuditSource,
  AuditStatus,
  AuditVersions,
  NewAuditEntry,
} from "../../../ports/audit-log.js";
import type { GremlinConnection } from "../../graph-store/gremlin/connection.js";
import { DEFAULT_NAMESPACE, ids, LABEL } from "../../graph-store/gremlin/model.js";

const { P, t, cardinality, merge, order } = gremlin.process;
const __ = gremlin.process.statics;
type GraphTraversal = gremlin.process.GraphTraversal;

const MAX_ATTEMPTS = 5;

export interface GremlinAuditLogOptions {
  namespace?: string;
  /** Clock, for tests. */
  now?: () => Date;
}

type Props = Map<string, unknown[]>;

/** `type/nickname` of an `env:type/nickname` id. */
function componentKey(component: string): string {
  return component.slice(component.indexOf(":") + 1);
}

export class GremlinAuditLog implements AuditLog {
  readonly description: string;
  private readonly ns: string;
  private readonly id: ReturnType<typeof ids>;
  private readonly now: () => Date;

  constructor(
    private readonly connection: GremlinConnection,
    options: GremlinAuditLogOptions = {},
  ) {
    this.ns = options.namespace ?? DEFAULT_NAMESPACE;
    this.id = ids(this.ns);
    this.now = options.now ?? (() => new Date());
    this.description = `gremlin ${connection.endpoint} (namespace ${this.ns})`;
  }

  async append(entry: NewAuditEntry): Promise<AuditEntry> {
    return (await this.appendAll([entry]))[0]!;
  }

  async appendAll(entries: readonly NewAuditEntry[]): Promise<AuditEntry[]> {
    // every entry is checked before any is written
    const now = this.now();
    const prepared = entries.map((entry) => prepareEntry(entry, now));
    if (prepared.length === 0) return [];
    const g = await this.connection.g();
    await this.connection.toList(
      g
        .mergeV(
          new Map<unknown, unknown>([
            [t.id, this.id.auditHead],
            [t.label, LABEL.auditHead],
          ]),
        )
        .option(
          merge.onCreate,
          new Map<unknown, unknown>([
            ["ns", this.ns],
            ["next", 0],
          ]),
        ),
    );
    for (let attempt = 1; ; attempt++) {
      const [next] = await this.connection.toList<number>(g.V(this.id.auditHead).values("next"));
      const first = (next ?? 0) + 1;
      let chain = g
        .V(this.id.auditHead)
        .has("next", next ?? 0)
        .property(cardinality.single, "next", first + prepared.length - 1) as GraphTraversal;
      prepared.forEach((e, i) => {
        chain = this.addEntry(chain, first + i, e);
      });
      try {
        const [count] = await this.connection.toList<number>(chain.count());
        if (count === 1) return prepared.map((e, i) => ({ id: first + i, ...e }));
      } catch (error) {
        if (!/already exists/i.test(String((error as Error).message)) || attempt >= MAX_ATTEMPTS) throw error;
      }
      if (attempt >= MAX_ATTEMPTS)
        throw new Error(`audit log on ${this.connection.endpoint}: too many concurrent appends, try again`);
    }
  }

  private addEntry(chain: GraphTraversal, seq: number, e: Omit<AuditEntry, "id">): GraphTraversal {
    const props: [string, string | number][] = [
      ["ns", this.ns],
      ["seq", seq],
      ["tsMs", Date.parse(e.timestamp)],
      ["timestamp", e.timestamp],
      ["action", e.action],
      ["status", e.status],
      ["actor", e.actor],
      ["source", e.source],
      ["before", JSON.stringify(e.before)],
      ["after", JSON.stringify(e.after)],
      ["message", e.message],
      ["details", JSON.stringify(e.details)],
    ];
    if (e.component !== null)
      props.push(["component", e.component], ["componentKey", componentKey(e.component)]);
    if (e.env !== null) props.push(["env", e.env]);
    if (e.inputsDigest !== null) props.push(["inputsDigest", e.inputsDigest]);
    if (e.logPath !== null) props.push(["logPath", e.logPath]);
    let next = chain.addV(LABEL.audit).property(t.id, this.id.audit(seq));
    for (const [key, value] of props) next = next.property(key, value);
    if (e.component === null) return next;
    const component = this.id.node(e.component);
    // the component's identity vertex, shared with the graph store (created if no graph has it yet)
    return next
      .addE(LABEL.touched)
      .to(
        __.mergeV(
          new Map<unknown, unknown>([
            [t.id, component],
            [t.label, "component"],
          ]),
        ).option(
          merge.onCreate,
          new Map<unknown, unknown>([
            ["ns", this.ns],
            ["nodeId", e.component],
          ]),
        ),
      )
      .property(t.id, `${this.id.audit(seq)}|t`)
      .property("ns", this.ns);
  }

  async query(query: AuditQuery = {}): Promise<AuditEntry[]> {
    const limit = query.limit;
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 0))
      throw new TypeError(`audit query limit must be a non-negative integer, got ${limit}`);
    if (limit === 0) return [];
    const g = await this.connection.g();
    let q = g.V().hasLabel(LABEL.audit).has("ns", this.ns) as GraphTraversal;
    if (query.component !== undefined)
      q = q.has(query.component.includes(":") ? "component" : "componentKey", query.component);
    if (query.action !== undefined) q = q.has("action", query.action);
    if (query.env !== undefined) q = q.has("env", query.env);
    if (query.status !== undefined) q = q.has("status", query.status);
    if (query.since !== undefined) q = q.has("tsMs", P.gte(query.since.getTime()));
    if (query.until !== undefined) q = q.has("tsMs", P.lt(query.until.getTime()));
    q = q.order().by("tsMs", order.desc).by("seq", order.desc);
    const matches = query.text === undefined ? undefined : textMatcher(query.text);
    // without a text filter the server applies the limit; with one, entries are filtered here
    if (matches === undefined && limit !== undefined) q = q.limit(limit);
    const rows = await this.connection.toList<Props>(q.valueMap());
    const out: AuditEntry[] = [];
    for (const row of rows) {
      const entry = fromProps(row);
      if (matches !== undefined && !searchableFields(entry).some(matches)) continue;
      out.push(entry);
      if (limit !== undefined && out.length >= limit) break;
    }
    return out;
  }

  async close(): Promise<void> {
    await this.connection.close();
  }
}

function fromProps(row: Props): AuditEntry {
  const get = <T>(key: string): T | undefined => row.get(key)?.[0] as T | undefined;
  return {
    id: get<number>("seq")!,
    timestamp: get<string>("timestamp")!,
    action: get<string>("action")!,
    status: get<AuditStatus>("status")!,
    actor: get<string>("actor")!,
    source: get<AuditSource>("source")!,
    component: get<string>("component") ?? null,
    env: get<string>("env") ?? null,
    inputsDigest: get<string>("inputsDigest") ?? null,
    before: JSON.parse(get<string>("before") ?? "{}") as AuditVersions,
    after: JSON.parse(get<string>("after") ?? "{}") as AuditVersions,
    logPath: get<string>("logPath") ?? null,
    message: get<string>("message") ?? "",
    details: JSON.parse(get<string>("details") ?? "{}") as JsonObject,
  };
}
