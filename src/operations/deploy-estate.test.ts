/**
 * The whole demo estate, deployed for real: every dev component in waves with a real Terraform
 * (and the command runner), then again with no changes, then a change that flows to the
 * consumers whose $ref inputs changed, then a destroy of everything. And the same estate on a
 * machine without Terraform: the command-runner components deploy and the rest are skipped with
 * the reason.
 */
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadEstate } from "../adapters/fs/estate-loader.js";
import { readProjectSettings } from "../adapters/fs/settings-reader.js";
import { terraformForTests } from "../adapters/runners/terraform/binary-for-tests.js";
import type { Estate } from "../core/estate/model.js";
import { filesContaining, tempDir } from "../testing/cli.js";
import { seedDemoExternals } from "./demo.js";
import { deployEstate, destroyEstate, type EstateRunOutcome } from "./deploy-estate.js";
import { publishEstate } from "./publish.js";
import { writeDemoEstate } from "./scaffold.js";
import { openStores } from "./stores.js";

const binary = await terraformForTests();

const statuses = (outcome: EstateRunOutcome) =>
  Object.fromEntries(outcome.results.map((r) => [r.component, r.status]));

async function demoEstate(label: string, settings?: (raw: Record<string, unknown>) => void): Promise<Estate> {
  const dir = join(tempDir(label), "estate");
  writeDemoEstate(dir);
  if (settings) {
    const file = join(dir, "karma.json");
    const raw = JSON.parse(readFileSync(file, "utf8"));
    settings(raw);
    writeFileSync(file, JSON.stringify(raw));
  }
  const estate = await loadEstate(readProjectSettings(dir));
  await seedDemoExternals(estate.settings);
  await publishEstate(estate);
  return estate;
}

describe.skipIf(!binary)("the demo estate deployed with a real Terraform", () => {
  let estate: Estate;
  beforeAll(async () => {
    estate = await demoEstate("demo-deploy");
  });

  it("deploys everything in waves, then finds nothing to do", async () => {
    const first = await deployEstate(estate, { env: "dev" });
    expect(first.blocked).toEqual([]);
    expect(first.waves[0]).toEqual(["dev:dns-zone/main", "dev:network/main", "dev:s3-bucket/assets"]);
    expect(Object.values(statuses(first)).every((s) => s === "deployed")).toBe(true);
    expect(first.results).toHaveLength(estate.components.filter((c) => c.env === "dev").length);

    const site = first.results.find((r) => r.component === "dev:site/www")!.deploy!;
    expect(site.consumed.map((c) => c.producer)).toEqual(["dev:service/api"]);
    const db = first.results.find((r) => r.component === "dev:database/orders")!.deploy!;
    expect(db.runtime).toMatchObject({ kind: "written", secure: true });
    expect(first.results.find((r) => r.component === "dev:dns-zone/main")!.deploy!.runtime?.kind).toBe(
      "module-published",
    );

    // the database password (a sensitive output) is in the store, encrypted, and in no run log
    const stores = await openStores(estate.settings, estate.settings.environments);
    const runtime = await stores
      .get("dev")
      .getParameter("/iac/database/orders/runtime", { withDecryption: true });
    await stores.close();
    const password = JSON.parse(runtime.value).password as string;
    expect(password).toMatch(/^[0-9a-f]{24}$/);
    expect(filesContaining(join(estate.settings.root, ".karma/logs"), password)).toEqual([]);

    const second = await deployEstate(estate, { env: "dev" });
    expect(Object.values(statuses(second)).every((s) => s === "unchanged")).toBe(true);
  });

  it("a change re-deploys the component and the consumers whose inputs changed; destroy removes it all", async () => {
    const file = join(estate.settings.root, "iac/dev/service/api/config.json");
    writeFileSync(file, readFileSync(file, "utf8").replace('"port": 8080', '"port": 8088'));
    const changed = await loadEstate(estate.settings);
    await publishEstate(changed);
    const outcome = statuses(await deployEstate(changed, { env: "dev" }));
    expect(outcome).toMatchObject({
      "dev:service/api": "deployed",
      "dev:site/www": "deployed",
      "dev:network/main": "unchanged",
      "dev:database/orders": "unchanged",
    });
    const html = readFileSync(
      join(changed.settings.root, ".karma/demo-infra/dev/site/www/public/index.html"),
      "utf8",
    );
    expect(html).toContain("http://127.0.0.1:8088");

    const destroyed = await destroyEstate(changed, { env: "dev" });
    expect(Object.values(statuses(destroyed)).every((s) => s === "destroyed")).toBe(true);
    const infra = join(changed.settings.root, ".karma/demo-infra/dev");
    const left = readdirSync(infra).flatMap((t) => readdirSync(join(infra, t)).map((n) => `${t}/${n}`));
    // the command runner's monitoring dashboard has no destroy command: it stays, and says so
    expect(left).toEqual(["monitoring/ops"]);
    rmSync(join(changed.settings.root, ".."), { recursive: true, force: true });
  });
});

describe("the demo estate on a machine without Terraform", () => {
  it("deploys the command-runner components it can and skips the rest, saying why", async () => {
    const estate = await demoEstate("demo-no-tf", (raw) => {
      raw.terraform = { binary: "/nonexistent/terraform" };
    });
    const outcome = await deployEstate(estate, { env: "dev" });
    const byId = new Map(outcome.results.map((r) => [r.component, r]));
    expect(byId.get("dev:monitoring/ops")?.status).toBe("deployed");
    expect(byId.get("dev:network/main")).toMatchObject({ status: "skipped" });
    expect(byId.get("dev:network/main")?.reason).toMatch(/not found or not executable.*install OpenTofu/);
    expect(byId.get("dev:site-content/www")?.reason).toBe(
      "its $refs need the runtime of dev:site/www, which was not deployed",
    );
    rmSync(join(estate.settings.root, ".."), { recursive: true, force: true });
  });
});
