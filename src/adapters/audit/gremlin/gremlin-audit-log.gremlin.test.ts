import gremlin from "gremlin";
import { afterAll, describe, expect, it } from "vitest";
import { contractGraph } from "../../graph-store/contract.js";
import { GremlinConnection } from "../../graph-store/gremlin/connection.js";
import {
  describeWithGremlin,
  dropNamespace,
  gremlinEndpoint,
  openTestGraphStore,
  testNamespace,
} from "../../graph-store/gremlin/testing/subject.js";
import { auditLogContract } from "../contract.js";
import { GremlinAuditLog } from "./gremlin-audit-log.js";

describeWithGremlin("GremlinAuditLog on a real Gremlin Server", () => {
  const namespaces: string[] = [];
  afterAll(async () => {
    for (const ns of namespaces) await dropNamespace(gremlinEndpoint(), ns);
  });
  const open = (now?: () => Date, namespace = testNamespace()) => {
    namespaces.push(namespace);
    return new GremlinAuditLog(new GremlinConnection({ endpoint: gremlinEndpoint() }), { namespace, now });
  };

  auditLogContract("gremlin", async (now) => open(now));

  describe("entries linked to components", () => {
    it("answers 'who changed what this component depends on' with one traversal", async () => {
      const { store, namespace } = openTestGraphStore();
      namespaces.push(namespace);
      const log = open(undefined, namespace);
      try {
        await store.writeVersion(contractGraph("site>svc", "svc>db", "other>x"));
        await log.append({
          action: "publish",
          status: "ok",
          actor: "alice",
          source: "cli",
          component: "dev:t/db",
        });
        await log.append({
          action: "deploy",
          status: "ok",
          actor: "bob",
          source: "cli",
          component: "dev:t/x",
        });
        await log.append({
          action: "deploy",
          status: "ok",
          actor: "carol",
          source: "cli",
          component: "dev:t/site",
        });
        const connection = new GremlinConnection({ endpoint: gremlinEndpoint() });
        try {
          const g = await connection.g();
          const actors = await connection.toList<string>(
            g
              .V(`${namespace}|n|dev:t/site`)
              .repeat(gremlin.process.statics.out("depends_on"))
              .emit()
              .dedup()
              .in_("touched")
              .values("actor"),
          );
          expect(actors).toEqual(["alice"]);
        } finally {
          await connection.close();
        }
      } finally {
        await log.close();
        await store.close();
      }
    });

    it("keeps ids increasing across separate connections appending at the same time", async () => {
      const namespace = testNamespace();
      const logs = [open(undefined, namespace), open(undefined, namespace), open(undefined, namespace)];
      try {
        const base = { action: "publish", status: "ok", actor: "a", source: "cli" } as const;
        const stored = (
          await Promise.all(
            logs.map((log, i) =>
              log.appendAll([
                { ...base, message: `w${i}a` },
                { ...base, message: `w${i}b` },
              ]),
            ),
          )
        ).flat();
        expect(new Set(stored.map((e) => e.id)).size).toBe(6);
        expect((await logs[0]!.query()).length).toBe(6);
      } finally {
        for (const log of logs) await log.close();
      }
    });
  });
});
