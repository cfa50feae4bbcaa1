/**
 * The demo estate's Terraform modules, deployed for real with the Terraform runner: every dev
 * component in dependency order with `$ref`s resolved from the producers' outputs, a re-plan
 * with no changes, a config change that replaces and redeploys, and a destroy that removes the
 * local infrastructure. dns-zone reads its config and publishes its runtime through the
 * SSM-compatible endpoint served from a real embedded store, with curl and no provider.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JsonObject } from "../../../core/estate/model.js";
import { type ProducerRuntime, resolveReferences } from "../../../core/provisioning/resolve-references.js";
import type { RunJob } from "../../../ports/runner.js";
import { type RunningServer, startServer } from "../../http/server.js";
import { createSecretCipher } from "../../parameter-store/secrets.js";
import { SqliteParameterStore } from "../../parameter-store/sqlite/sqlite-store.js";
import type { TerraformBinary } from "./binary.js";
import { terraformForTests } from "./binary-for-tests.js";
import { TerraformRunner } from "./runner.js";

const binary: TerraformBinary | undefined = await terraformForTests();
const DEMO = resolve(import.meta.dirname, "../../../demo/estate");
const ORDER = [
  "network/main",
  "dns-zone/main",
  "database/orders",
  "s3-bucket/assets",
  "service/api",
  "service/worker",
  "site/www",
];

describe.skipIf(!binary)("demo estate modules, deployed with a real Terraform", () => {
  let estate: string;
  let store: SqliteParameterStore;
  let server: RunningServer;
  let runner: TerraformRunner;
  const runtimes = new Map<string, ProducerRuntime>();

  beforeAll(async () => {
    estate = mkdtempSync(join(tmpdir(), "karma-demo-tf-"));
    store = new SqliteParameterStore({
      file: join(estate, "karma.db"),
      namespace: "dev",
      secrets: createSecretCipher(randomBytes(32)),
    });
    server = await startServer({ port: 0, ssm: { storeFor: () => store } });
    runner = new TerraformRunner({
      binary: binary!,
      state: { kind: "local", root: join(estate, ".karma", "state") },
    });
  });
  afterAll(async () => {
    await server?.close();
    await store?.close();
    rmSync(estate, { recursive: true, force: true });
  });

  const readConfig = (key: string): JsonObject =>
    JSON.parse(readFileSync(join(DEMO, "iac", "dev", key, "config.json"), "utf8")) as JsonObject;

  const jobFor = (key: string, config: JsonObject): RunJob => {
    const [type = "", nickname = ""] = key.split("/");
    const resolved = resolveReferences(config, { env: "dev", component: `dev:${key}` }, runtimes);
    return {
      component: { env: "dev", type, nickname },
      source: { kind: "module", dir: join(DEMO, "types", type) },
      workDir: join(estate, ".karma", "work", "dev", type, nickname),
      inputs: {
        config: resolved.config,
        component_name: type,
        nickname,
        environment: "dev",
        iac_prefix: "/iac",
      },
      secrets: resolved.secrets,
      env: {
        AWS_ENDPOINT_URL_SSM: server.url,
        AWS_REGION: "us-east-1",
        AWS_ACCESS_KEY_ID: "karma",
        AWS_SECRET_ACCESS_KEY: "karma",
      },
      logFile: join(estate, ".karma", "logs", `${type}-${nickname}.log`),
    };
  };

  const deploy = async (key: string, config = readConfig(key)) => {
    const job = jobFor(key, config);
    const plan = await runner.plan(job);
    const result = await runner.apply(job, plan);
    runtimes.set(`dev:${key}`, {
      version: (runtimes.get(`dev:${key}`)?.version ?? 0) + 1,
      value: result.outputs.values,
      secure: result.outputs.sensitiveKeys.length > 0,
    });
    return { plan, result };
  };

  it("deploys every Terraform component of the dev estate, then re-plans with no changes", async () => {
    // dns-zone reads its published config from the store
    await store.putParameter({
      name: "/iac/dns-zone/main/config",
      type: "String",
      value: JSON.stringify(readConfig("dns-zone/main")),
    });

    for (const key of ORDER) await deploy(key);
    const infra = join(estate, ".karma", "demo-infra", "dev");

    const network = runtimes.get("dev:network/main")!.value as JsonObject;
    expect(network.cidr).toBe("10.10.0.0/16");
    expect(network.network_id).toMatch(/^net-[0-9a-f]{12}$/);
    expect(JSON.parse(readFileSync(join(infra, "network", "main", "network.json"), "utf8")).zones).toEqual([
      "a",
      "b",
    ]);

    const database = runtimes.get("dev:database/orders")!;
    expect(database.secure).toBe(true);
    expect((database.value as JsonObject).password).toMatch(/^[0-9a-f]{24}$/);
    expect(existsSync((database.value as JsonObject).path as string)).toBe(true);
    expect(readFileSync(join(estate, ".karma", "logs", "database-orders.log"), "utf8")).not.toContain(
      (database.value as JsonObject).password as string,
    );

    const api = runtimes.get("dev:service/api")!.value as JsonObject;
    expect(api).toEqual({ port: 8080, url: "http://127.0.0.1:8080" });
    expect(JSON.parse(readFileSync(join(infra, "service", "api", "service.json"), "utf8")).network_id).toBe(
      network.network_id,
    );

    const site = runtimes.get("dev:site/www")!.value as JsonObject;
    expect(readFileSync(join(site.path as string, "index.html"), "utf8")).toContain(
      'href="http://127.0.0.1:8080"',
    );
    expect(runtimes.get("dev:s3-bucket/assets")!.value).toMatchObject({
      bucket_arn: "arn:aws:s3:::karma-demo-dev-assets",
    });

    // dns-zone went through the SSM endpoint with curl: read its config, published its runtime
    const fromStore = JSON.parse(
      readFileSync(join(infra, "dns-zone", "main", "config-from-store.json"), "utf8"),
    );
    expect(JSON.parse(fromStore.Parameter.Value)).toEqual({ domain: "dev.karma.test", ttl: 300 });
    const published = await store.getParameter("/iac/dns-zone/main/runtime");
    expect(JSON.parse(published.value)).toEqual(runtimes.get("dev:dns-zone/main")!.value);

    for (const key of ORDER) {
      const again = await runner.plan(jobFor(key, readConfig(key)));
      expect({ key, hasChanges: again.summary.hasChanges }).toEqual({ key, hasChanges: false });
    }
  });

  it("a config change replaces and redeploys; consumers see the new runtime; destroy removes it all", async () => {
    const changed = { ...readConfig("network/main"), cidr: "10.99.0.0/16" };
    const { plan } = await deploy("network/main", changed);
    expect(plan.summary.changes.replace).toEqual(["terraform_data.network"]);
    const newId = (runtimes.get("dev:network/main")!.value as JsonObject).network_id;

    const apiPlan = await runner.plan(jobFor("service/api", readConfig("service/api")));
    expect(apiPlan.summary.changes.replace).toEqual(["terraform_data.service"]);
    await deploy("service/api");
    const infra = join(estate, ".karma", "demo-infra", "dev");
    expect(JSON.parse(readFileSync(join(infra, "service", "api", "service.json"), "utf8")).network_id).toBe(
      newId,
    );

    for (const key of [...ORDER].reverse()) {
      await runner.destroy(jobFor(key, key === "network/main" ? changed : readConfig(key)));
    }
    expect(readdirSync(infra).flatMap((type) => readdirSync(join(infra, type)))).toEqual([]);
  });
});
