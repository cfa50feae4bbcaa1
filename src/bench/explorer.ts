/**
 * Explorer benchmark: the deployed synthetic estate (see deployed-estate.ts) with a graph built,
 * served as `karma serve` serves it, opened in Debian's chromium (playwright-core). Times the
 * first render — navigation until the graph is drawn (large estates open aggregated per
 * environment/type) — beside a lower bound measured in the same run: fetching the graph document
 * the page draws and parsing it.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { chromium } from "playwright-core";
import { mountKarma } from "../adapters/http/api/app.js";
import { startServer } from "../adapters/http/server.js";
import { buildAndStoreGraph } from "../operations/graph.js";
import { inSession, setUpDeployedEstate } from "./deployed-estate.js";
import { bestOf, type CaseResult, peakRssMb } from "./harness.js";

export const EXPLORER_SUITE = "explorer";

const CHROMIUM = process.env.KARMA_CHROMIUM ?? "/usr/bin/chromium";

export async function benchExplorerCase(size: number): Promise<CaseResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `karma-bench-explorer-${size}-`));
  const { settings } = await setUpDeployedEstate(dir, size);
  await inSession(settings, (s) => buildAndStoreGraph(s));
  const server = await startServer({ port: 0, configure: (app) => mountKarma(app, { settings }) });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
  try {
    const lowerMs = await bestOf(3, async () =>
      JSON.parse(await (await fetch(`${server.url}/api/graph`)).text()),
    );
    const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    // warm the server's first-request work (module loads, SQLite caches) the lower bound also had
    await page.goto(`${server.url}/`);
    await page.waitForSelector("body[data-ready=true]", { timeout: 120_000 }); // the server is idle again
    const start = performance.now();
    await page.goto(`${server.url}/`);
    await page.waitForFunction(() => "karmaGraph" in globalThis, undefined, { timeout: 120_000 });
    const firstRenderMs = performance.now() - start;
    await page.waitForSelector("body[data-ready=true]", { timeout: 120_000 });
    const readyMs = performance.now() - start;
    const drawn = await page.evaluate(
      () =>
        (globalThis as unknown as { karmaGraph: { nodes(): { length: number } } }).karmaGraph.nodes().length,
    );
    return {
      suite: EXPLORER_SUITE,
      size,
      peakRssMb: peakRssMb(),
      measurements: [
        {
          name: "first render (open page → graph drawn)",
          ms: firstRenderMs,
          lowerBound: { name: "GET /api/graph + JSON.parse", ms: lowerMs },
          extra: { drawnNodes: drawn },
        },
        {
          name: "coloured by status, versions listed",
          ms: readyMs,
          lowerBound: { name: "GET /api/graph + JSON.parse", ms: lowerMs },
        },
      ],
    };
  } finally {
    await browser.close();
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
