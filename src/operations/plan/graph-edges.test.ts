/**
 * The plan's working-tree graph is kept in the what-if area under the content hash of its inputs:
 * a second plan of the same tree reads it instead of rebuilding, a changed config rebuilds it, and
 * it never becomes the estate's latest graph.
 */
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEMO_TEMPLATE } from "../../adapters/fs/demo-estate.js";
import { readProjectSettings } from "../../adapters/fs/settings-reader.js";
import { openGraphStore } from "../../adapters/graph-store/factory.js";
import { openSession } from "../../adapters/session/open-session.js";
import type { ProjectSettings } from "../../core/estate/model.js";
import { componentParameterName } from "../../core/estate/paths.js";
import { inputFromEstate } from "../../core/graph/inputs.js";
import { computeChangePlan } from "../../core/planning/compute-plan.js";
import { readPolicies } from "../../core/policies/settings.js";
import { tempDir } from "../../testing/cli.js";
import { makePlan as makePlanIn } from "../plan.js";
import { withSession } from "../session.js";
import { tryRuntimes, workingTreeGraph } from "./graph-edges.js";
import { typeIndexFor } from "./intents.js";

/** One plan as one command makes it: a session of its own, closed afterwards. */
async function makePlan(settings: ProjectSettings) {
  const session = openSession({ settings, source: "cli" });
  try {
    return await makePlanIn(session);
  } finally {
    await session.close();
  }
}

async function whatIfVersions(settings: ProjectSettings) {
  const store = openGraphStore(settings, { whatIf: true });
  try {
    return await store.listVersions();
  } finally {
    await store.close();
  }
}

describe("the plan's working-tree graph", () => {
  it("is read back while the inputs' content hash is unchanged, and rebuilt when a config changes", async () => {
    const dir = join(tempDir("plan-graph-cache"), "estate");
    cpSync(DEMO_TEMPLATE, dir, { recursive: true });
    const settings = readProjectSettings(dir);

    const first = await makePlan(settings);
    const [kept, ...more] = await whatIfVersions(settings);
    expect(more).toEqual([]);
    expect(kept!.source).toMatchObject({ kind: "working-tree", inputs: expect.stringMatching(/^sha256:/) });
    expect(first.plan.waves.length).toBeGreaterThan(1);

    // same tree: no new version, the same plan
    const second = await makePlan(settings);
    expect((await whatIfVersions(settings)).map((v) => v.version)).toEqual([kept!.version]);
    expect(second.plan).toEqual(first.plan);

    // the plan takes its edges from the kept version: a version of the same inputs without edges
    // (written here by hand) puts every component in one wave — a rebuild would not
    const store = openGraphStore(settings, { whatIf: true });
    try {
      const graph = await store.readGraph({ version: kept!.version });
      await store.writeVersion({ source: graph.source, nodes: graph.nodes, edges: [], findings: [] });
    } finally {
      await store.close();
    }
    expect((await makePlan(settings)).plan.waves).toHaveLength(1);

    // a changed config is a changed input: rebuilt (dependencies back) and kept
    const file = join(dir, "iac/dev/service/api/config.json");
    const config = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
    writeFileSync(file, JSON.stringify({ ...config, replicas: 7 }, null, 2));
    const rebuilt = await makePlan(settings);
    expect(rebuilt.plan.waves.length).toBe(first.plan.waves.length);
    expect(await whatIfVersions(settings)).toHaveLength(3);
    await makePlan(settings);
    expect(await whatIfVersions(settings)).toHaveLength(3);

    // so is a runtime written to a store (value inference reads runtimes), with the tree unchanged
    await withSession(openSession({ settings, source: "cli" }), async (session) => {
      const dev = settings.environments.find((e) => e.name === "dev")!;
      await (await session.store("dev")).putParameters([
        {
          name: componentParameterName(dev.prefix, "network", "main", "runtime"),
          value: '{"vpc_id":"vpc-1"}',
          type: "String",
          overwrite: true,
        },
      ]);
    });
    await makePlan(settings);
    expect(await whatIfVersions(settings)).toHaveLength(4);

    // never the estate's graph
    const estateGraph = openGraphStore(settings);
    try {
      expect(await estateGraph.latestVersion()).toBeUndefined();
    } finally {
      await estateGraph.close();
    }
  });

  it("read back for the components a change starts from, gives the plan the whole graph gives", async () => {
    const dir = join(tempDir("plan-graph-region"), "estate");
    cpSync(DEMO_TEMPLATE, dir, { recursive: true });
    const settings = readProjectSettings(dir);
    await withSession(openSession({ settings, source: "cli" }), async (session) => {
      const estate = await session.estate.load();
      const components = inputFromEstate(estate.components);
      const runtimes = await tryRuntimes(session, typeIndexFor(session).index, []);
      await workingTreeGraph(session, components, runtimes); // built and kept
      const whole = await workingTreeGraph(session, components, runtimes); // the kept version, whole
      const planOf = (id: string, graph: typeof whole) =>
        computeChangePlan({
          base: { kind: "published" },
          graph: graph.source,
          reasons: [{ kind: "retry", id, detail: "test" }],
          edges: graph.edges,
          nodes: graph.nodes,
          policies: readPolicies(settings.policies),
          mode: "plan",
        });
      let smaller = 0;
      for (const { id } of estate.components) {
        const region = await workingTreeGraph(session, components, runtimes, { starts: [id] });
        if (region.nodes.length < whole.nodes.length) smaller++;
        expect(planOf(id, region)).toEqual(planOf(id, whole));
      }
      // the region was read, not the whole version: a leaf's region is the leaf alone
      expect(smaller).toBe(estate.components.length);
      expect(await whatIfVersions(settings)).toHaveLength(1);
    });
  });
});
