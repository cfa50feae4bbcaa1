/**
 * Synthetic estates with a realistic shape, for benchmarks (graph, validate, publish):
 *
 *   network, dns-zone           a few shared roots per environment (heavy fan-in; half of the
 *                               clusters and databases sit on the first network)
 *   cluster                     ~2%: on a network
 *   database, s3-bucket         ~10% / ~5%: on a network (`$ref` to its id)
 *   service                     ~50%: on a cluster, a database, a zone; some on other services
 *                               (fan-out), some holding a database endpoint verbatim (inferred)
 *   site                        the rest: a service's url (`$ref`), a bucket (src pair), a zone
 *
 * Every reference form appears. Deterministic for a given size and seed. Each component also has
 * a runtime document with distinctive ids, so inference has something to match.
 */
import fs from "node:fs";
import path from "node:path";
import type { JsonObject } from "../core/estate/model.js";

export interface SyntheticComponent {
  env: string;
  type: string;
  nickname: string;
  config: JsonObject;
  runtime: JsonObject;
}

export interface SyntheticEstate {
  environments: string[];
  types: string[];
  components: SyntheticComponent[];
  /** `env:type/nickname` of the most shared root (a network) and of a leaf (a site). */
  sharedRoot: string;
  leaf: string;
}

export const SYNTHETIC_TYPES = ["network", "dns-zone", "cluster", "database", "s3-bucket", "service", "site"];

/** Small deterministic PRNG (LCG) so estates are reproducible. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 0x1_0000_0000;
  };
}

function hex(rand: () => number, length: number): string {
  let out = "";
  while (out.length < length)
    out += Math.floor(rand() * 0x1_0000_0000)
      .toString(16)
      .padStart(8, "0");
  return out.slice(0, length);
}

/**
 * `size` components in total, split over `environments` (default dev and prod, 70/30).
 * O(size).
 */
export function generateSyntheticEstate(
  size: number,
  options: { environments?: string[]; seed?: number } = {},
): SyntheticEstate {
  const environments = options.environments ?? ["dev", "prod"];
  const rand = random(options.seed ?? 42);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
  const components: SyntheticComponent[] = [];
  const shares =
    environments.length === 1
      ? [1]
      : environments.map((_, i) => (i === 0 ? 0.7 : 0.3 / (environments.length - 1)));
  let leaf = "";

  environments.forEach((env, e) => {
    const n = Math.max(12, Math.round(size * shares[e]!));
    const count = (fraction: number, min: number) => Math.max(min, Math.round(n * fraction));
    const networks = count(0.002, 2);
    const zones = count(0.001, 1);
    const clusters = count(0.02, 2);
    const databases = count(0.1, 2);
    const buckets = count(0.05, 1);
    const services = count(0.5, 2);
    const sites = Math.max(1, n - networks - zones - clusters - databases - buckets - services);
    const add = (type: string, nickname: string, config: JsonObject, runtime: JsonObject) => {
      components.push({ env, type, nickname, config, runtime });
    };
    const name = (prefix: string, i: number) => `${prefix}-${String(i).padStart(5, "0")}`;
    // half of everything sits on the first network (the shared "core" network every estate has)
    const networkFor = (i: number) => (i % 2 === 0 ? 0 : i % networks);

    const networkIds: string[] = [];
    for (let i = 0; i < networks; i++) {
      const id = `vpc-${hex(rand, 17)}`;
      networkIds.push(id);
      add(
        "network",
        name("net", i),
        { cidr: `10.${i % 256}.0.0/16`, region: "eu-west-1" },
        {
          network_id: id,
          subnet_ids: [`subnet-${hex(rand, 17)}`, `subnet-${hex(rand, 17)}`],
          arn: `arn:aws:ec2:eu-west-1:123456789012:vpc/${id}`,
        },
      );
    }
    for (let i = 0; i < zones; i++) {
      add(
        "dns-zone",
        name("zone", i),
        { domain: `zone${i}.${env}.example.com` },
        { zone_id: `Z${hex(rand, 20).toUpperCase()}` },
      );
    }
    for (let i = 0; i < clusters; i++) {
      add(
        "cluster",
        name("cl", i),
        { network_nickname: name("net", networkFor(i)), version: "1.29" },
        {
          cluster_arn: `arn:aws:eks:eu-west-1:123456789012:cluster/${env}-cl-${i}`,
          endpoint: `https://${hex(rand, 32)}.gr7.eu-west-1.eks.amazonaws.com`,
        },
      );
    }
    const dbEndpoints: string[] = [];
    for (let i = 0; i < databases; i++) {
      const endpoint = `db-${i}.${hex(rand, 12)}.eu-west-1.rds.amazonaws.com`;
      dbEndpoints.push(endpoint);
      const net = networkFor(i);
      add(
        "database",
        name("db", i),
        {
          network_id: { $ref: `network/${name("net", net)}#/network_id` },
          engine: "postgres",
          size: "db.r6g.large",
        },
        { endpoint, port: 5432, arn: `arn:aws:rds:eu-west-1:123456789012:db:${env}-db-${i}` },
      );
    }
    for (let i = 0; i < buckets; i++) {
      add(
        "s3-bucket",
        name("bucket", i),
        { versioning: true },
        { bucket_arn: `arn:aws:s3:::karma-${env}-bucket-${i}-${hex(rand, 6)}` },
      );
    }
    for (let i = 0; i < services; i++) {
      const config: JsonObject = {
        cluster_nickname: name("cl", Math.floor(rand() * clusters)),
        database_nickname: name("db", i % databases),
        dns_zone_nickname: name("zone", i % zones),
        port: 8080,
        replicas: 1 + (i % 3),
      };
      // fan-out: some services call earlier services
      if (i > 10 && rand() < 0.2) config.depends_on = [`service/${name("svc", Math.floor(rand() * i))}`];
      // undeclared dependency, found by inference: a database endpoint pasted verbatim
      if (rand() < 0.1) config.legacy_db_host = dbEndpoints[Math.floor(rand() * databases)]!;
      // a runtime path reference
      if (rand() < 0.05)
        config.network_runtime_path = `/iac/network/${pick([name("net", 0), name("net", networks - 1)])}/runtime`;
      add("service", name("svc", i), config, {
        url: `https://svc-${i}-${hex(rand, 8)}.${env}.example.com`,
        port: 8080,
      });
    }
    for (let i = 0; i < sites; i++) {
      const svc = Math.floor(rand() * services);
      add(
        "site",
        name("site", i),
        {
          api_url: { $ref: `service/${name("svc", svc)}#/url` },
          origin: { src_type: "s3-bucket", src_nickname: name("bucket", i % buckets) },
          dns_zone_nickname: name("zone", i % zones),
          cache_ttl: 300,
        },
        { distribution_id: `E${hex(rand, 13).toUpperCase()}`, domain: `d${hex(rand, 12)}.cloudfront.net` },
      );
      if (e === 0 && i === 0) leaf = `${env}:site/${name("site", i)}`;
    }
  });
  return {
    environments,
    types: SYNTHETIC_TYPES,
    components,
    sharedRoot: `${environments[0]}:network/net-00000`,
    leaf,
  };
}

/** The config file of a component, relative to the estate root. */
export function syntheticConfigFile(c: Pick<SyntheticComponent, "env" | "type" | "nickname">): string {
  return `iac/${c.env}/${c.type}/${c.nickname}/config.json`;
}

/**
 * Writes a real estate directory: `karma.json` and `iac/<env>/<type>/<nickname>/config.json`
 * (embedded store under `.karma/`). Runtime values are not written to disk; publish them with
 * `runtimeParameters` when a benchmark needs deployed state.
 */
export function writeSyntheticEstate(dir: string, estate: SyntheticEstate): void {
  fs.mkdirSync(dir, { recursive: true });
  const settings = {
    name: "synthetic",
    prefix: "/iac",
    environments: estate.environments,
    types: Object.fromEntries(estate.types.map((t) => [t, { runner: "terraform" }])),
    policies: {},
  };
  fs.writeFileSync(path.join(dir, "karma.json"), `${JSON.stringify(settings, null, 2)}\n`);
  fs.writeFileSync(path.join(dir, ".gitignore"), ".karma/\n");
  const made = new Set<string>();
  for (const c of estate.components) {
    const file = path.join(dir, syntheticConfigFile(c));
    const folder = path.dirname(file);
    if (!made.has(folder)) {
      fs.mkdirSync(folder, { recursive: true });
      made.add(folder);
    }
    fs.writeFileSync(file, `${JSON.stringify(c.config, null, 2)}\n`);
  }
}
