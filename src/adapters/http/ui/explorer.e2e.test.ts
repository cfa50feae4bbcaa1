/**
 * The explorer in a real browser: Playwright (playwright-core) driving Debian's chromium against
 * `karma serve` on the deployed demo estate with canary secrets planted. Each step saves a
 * screenshot under test-artifacts/explorer/ (two of them are in the README).
 */
import { existsSync, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CANARIES,
  demoEstateWithCanaries,
  PLANTED_DRIFT,
  type Served,
  serveEstate,
} from "../../../testing/served-estate.js";

const CHROMIUM = process.env.KARMA_CHROMIUM ?? "/usr/bin/chromium";
const ARTIFACTS = resolve("test-artifacts/explorer");
const TOKEN = "explorer-token-0123456789";
const haveChromium = existsSync(CHROMIUM);

if (!haveChromium && process.env.CI === "true")
  throw new Error(`chromium is missing at ${CHROMIUM}: .ci/run installs Debian's chromium`);

describe.skipIf(!haveChromium)("the graph explorer in chromium", () => {
  let served: Served;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  async function shot(name: string): Promise<void> {
    await page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
  }

  /** Everything the page shows or holds, for the canary check. */
  async function pageText(): Promise<string> {
    return `${await page.content()}\n${await page.evaluate(() => document.body.textContent)}`;
  }

  const seen: string[] = [];

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const estate = await demoEstateWithCanaries();
    served = await serveEstate(estate.dir, { KARMA_API_TOKEN: TOKEN });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    page.on("pageerror", (error) => pageErrors.push(error.message));
    page.on("response", async (response) => {
      if (response.url().includes("/api/")) seen.push(await response.text().catch(() => ""));
    });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  it("loads the demo estate: environments as compound nodes, components coloured by status", async () => {
    await page.goto(`${served.url}/`);
    await page.waitForSelector("body[data-ready=true]");
    await expect
      .poll(() => page.locator("#message").textContent())
      .toMatch(/^graph v3: \d+ nodes, \d+ edges$/);
    const drawn = await page.evaluate((drifted) => {
      const cy = (window as unknown as { karmaGraph: import("cytoscape").Core }).karmaGraph;
      return {
        parents: cy
          .nodes(":parent")
          .map((n) => n.id())
          .sort(),
        apiStatus: cy.getElementById("dev:service/api").data("status") as string,
        driftedStatus: cy.getElementById(drifted).data("status") as string,
        apiParent: cy.getElementById("dev:service/api").parent().first().id(),
        consumes: cy.edges('[kind = "consumes"]').length,
      };
    }, PLANTED_DRIFT);
    expect(drawn.parents).toEqual(["env:dev", "env:prod"]);
    expect(drawn.apiParent).toBe("env:dev");
    expect(drawn.apiStatus).toBe("in-sync");
    // the last Terraform drift check found a change: coloured drifted, and the legend says so
    expect(drawn.driftedStatus).toBe("drifted");
    expect(await page.locator("#legend").textContent()).toContain("drifted");
    expect(drawn.consumes).toBeGreaterThan(0);
    await shot("1-estate");
  });

  it("searches with the selector language, and shows the CLI's error for a bad selector", async () => {
    await page.fill("#selector", "type=vpc &");
    await page.press("#selector", "Enter");
    await expect
      .poll(() => page.locator("#message").textContent())
      .toContain("invalid selector at column 11");
    expect(await page.locator("#message").textContent()).toContain("fix: Selectors look like");

    await page.fill("#selector", "...dev:network/main");
    await page.press("#selector", "Enter");
    await expect
      .poll(() => page.locator("#results h2").textContent())
      .toBe("8 matches for ...dev:network/main");
    expect(new URL(page.url()).searchParams.get("select")).toBe("...dev:network/main");
    await shot("2-search");
  });

  it("opens a node from the keyboard: the panel shows status, lineage, config, versions", async () => {
    const link = page.getByRole("button", { name: "dev:service/api", exact: true }).first();
    await link.focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => page.locator("#detail-title").textContent()).toBe("dev:service/api");
    expect(await page.locator("[data-state]").textContent()).toBe("in-sync");
    const lineage = page.getByRole("table", { name: "key-level lineage" });
    await expect.poll(() => lineage.textContent()).toContain("/network_id←dev:network/main/network_id");
    expect(await page.locator("#details pre").first().textContent()).toContain('"replicas": 2');
    expect(await page.getByRole("table", { name: "versions" }).textContent()).toContain("v1");
    expect(new URL(page.url()).searchParams.get("node")).toBe("dev:service/api");
    await shot("3-node");
  });

  it("shows the blast radius with counts per wave", async () => {
    await page.click("#impact");
    await expect
      .poll(() => page.locator("#impact-result h3").textContent())
      .toBe("blast radius: 4 dependents");
    expect(await page.getByRole("list", { name: "waves" }).textContent()).toBe(
      "wave 1: 1 componentwave 2: 3 componentswave 3: 1 component",
    );
    const lit = await page.evaluate(() => {
      const cy = (window as unknown as { karmaGraph: import("cytoscape").Core }).karmaGraph;
      return cy
        .nodes(".impacted")
        .map((n) => n.id())
        .sort();
    });
    expect(lit).toEqual(["dev:monitoring/ops", "dev:service/worker", "dev:site-content/www", "dev:site/www"]);
    expect(new URL(page.url()).searchParams.get("impact")).toBe("1");
    await shot("4-blast-radius");
  });

  it("overlays the plan of a proposed change (request-change dry run, with the token)", async () => {
    await page.fill("#patch", '{"replicas": 5}');
    await page.fill("#token", TOKEN);
    await page.click("#propose");
    await expect.poll(() => page.locator("#change-status").textContent()).toBe("approved");
    expect(await page.locator("#change-result").textContent()).toContain("changed keys: ~/replicas");
    await shot("5-proposed-change");
  });

  it("a shared URL opens the same view", async () => {
    const shared = page.url();
    const other = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    await other.goto(shared);
    await other.waitForSelector("body[data-ready=true]");
    expect(await other.locator("#detail-title").textContent()).toBe("dev:service/api");
    expect(await other.locator("#impact-result h3").textContent()).toBe("blast radius: 4 dependents");
    await other.close();
  });

  it("compares two graph versions", async () => {
    await page.click("#clear");
    await page.selectOption("#from", "2");
    await page.selectOption("#to", "3");
    await page.click("#versions button[type=submit]");
    await expect.poll(() => page.locator("#diff-title").textContent()).toBe("graph v2 → v3");
    expect(await page.locator("#details").textContent()).toContain("nodes added (1)dev:service/billing");
    const added = await page.evaluate(() => {
      const cy = (window as unknown as { karmaGraph: import("cytoscape").Core }).karmaGraph;
      return cy.nodes(".added").map((n) => n.id());
    });
    expect(added).toEqual(["dev:service/billing"]);
    expect(new URL(page.url()).searchParams.get("diff")).toBe("2..3");
    await shot("6-diff");
  });

  it("reads well in dark mode", async () => {
    await page.click("#theme");
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe("dark");
    await shot("7-diff-dark");
  });

  it("diffs backwards: what the older version lacks is drawn as removed; the slider shows any version", async () => {
    await page.selectOption("#from", "3");
    await page.selectOption("#to", "2");
    await page.click("#versions button[type=submit]");
    await expect.poll(() => page.locator("#diff-title").textContent()).toBe("graph v3 → v2");
    expect(await page.locator("#details").textContent()).toContain("nodes removed (1)dev:service/billing");
    const ghosts = await page.evaluate(() => {
      const cy = (window as unknown as { karmaGraph: import("cytoscape").Core }).karmaGraph;
      return {
        nodes: cy.nodes(".removed").map((n) => n.id()),
        edges: cy.edges(".removed").map((e) => e.source().id()),
      };
    });
    expect(ghosts.nodes).toEqual(["dev:service/billing"]);
    expect(ghosts.edges.length).toBeGreaterThan(0);
    expect(new Set(ghosts.edges)).toEqual(new Set(["dev:service/billing"]));
    await shot("8-diff-removed");

    await page.locator("#at").fill("1");
    await expect.poll(() => page.locator("#message").textContent()).toMatch(/^graph v1: \d+ nodes/);
    expect(new URL(page.url()).searchParams.get("at")).toBe("1");
    expect(new URL(page.url()).searchParams.get("diff")).toBeNull();
    expect(await page.locator("#at-label").textContent()).toBe("v1");
  });

  it("the side panel shows a drifted component's finding and a blue-green candidate beside live", async () => {
    await page.goto(`${served.url}/?node=${encodeURIComponent(PLANTED_DRIFT)}`);
    await page.waitForSelector("body[data-ready=true]");
    await expect.poll(() => page.locator("#drift").textContent()).toContain("drifted");
    expect(await page.locator("#drift").textContent()).toContain("found 1 to change");

    await page.goto(`${served.url}/?node=${encodeURIComponent("dev:site-content/www")}`);
    await page.waitForSelector("body[data-ready=true]");
    await expect.poll(() => page.locator("#bg-live").textContent()).toMatch(/^runtime v1\b/);
    expect(await page.locator("#bg-candidate").textContent()).toMatch(
      /^runtime v2 \(\w+\): karma promote moves live onto it$/,
    );
    expect(await page.getByRole("table", { name: "versions" }).textContent()).toContain("candidate");
    await shot("9-bluegreen");
  });

  it("never shows a canary secret, and the page raised no errors", async () => {
    await page.goto(`${served.url}/?node=${encodeURIComponent("dev:vault/main")}`);
    await page.waitForSelector("body[data-ready=true]");
    await expect
      .poll(() => page.locator("#details").textContent())
      .toContain("SecureString: the value is never shown");
    const texts = [await pageText()];
    await page.goto(`${served.url}/?node=${encodeURIComponent("dev:legacy/app")}`);
    await page.waitForSelector("body[data-ready=true]");
    await expect.poll(() => page.locator("#details").textContent()).toContain("[redacted]");
    texts.push(await pageText(), ...seen);
    for (const canary of Object.values(CANARIES))
      for (const text of texts) expect(text).not.toContain(canary);
    expect(pageErrors).toEqual([]);
    expect(served.output()).not.toContain("internal error");
  });
});
