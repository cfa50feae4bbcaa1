/**
 * `npm run torture`: Karma's reliability suite. Kills, races, hostile input and secret canaries
 * against the built CLI, printed as a table of trials and outcomes; exits 1 on any failure.
 *
 *   npm run torture -- [--seed N] [--trials N] [--components N] [--only crash,serve-crash,concurrency,hostile,secrets]
 *
 * Randomness (kill moments, fuzz inputs) comes from one seed, printed first: rerun with
 * `--seed N` to reproduce a failure. CI runs a bounded version (`--trials 5`).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { concurrencySection } from "./concurrency.js";
import { crashSection, serveCrashSection } from "./crash.js";
import { seededRandom, Table } from "./harness.js";
import { hostileSection } from "./hostile.js";
import { secretsSection } from "./secrets.js";

const SECTIONS = ["crash", "serve-crash", "concurrency", "hostile", "secrets"] as const;
type Section = (typeof SECTIONS)[number];

interface Args {
  seed: number;
  trials: number;
  components: number;
  only: Set<Section>;
  keep: boolean;
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = {
    seed: Math.floor(Math.random() * 2 ** 31),
    trials: 20,
    components: 2000,
    only: new Set(SECTIONS),
    keep: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    const count = (v: string) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0) throw new Error(`${flag} must be a whole number, got "${v}"`);
      return n;
    };
    if (flag === "--seed") args.seed = count(value());
    else if (flag === "--trials") args.trials = count(value());
    else if (flag === "--components") args.components = count(value());
    else if (flag === "--keep") args.keep = true;
    else if (flag === "--only") {
      const names = value().split(",");
      for (const n of names)
        if (!(SECTIONS as readonly string[]).includes(n)) throw new Error(`unknown section "${n}"`);
      args.only = new Set(names as Section[]);
    } else throw new Error(`unknown option "${flag}"; see src/torture/main.ts`);
  }
  return args;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
  process.stdout.write(
    `karma torture: seed ${args.seed} (reproduce with: npm run torture -- --seed ${args.seed} --trials ${args.trials} --components ${args.components})\n`,
  );
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "karma-torture-"));
  const table = new Table();
  const random = seededRandom(args.seed);
  const sections: Record<Section, () => Promise<void>> = {
    crash: () =>
      crashSection(table, {
        work: path.join(work, "crash"),
        random,
        trials: args.trials,
        components: args.components,
        applyComponents: 12,
      }),
    "serve-crash": () =>
      serveCrashSection(table, { work: path.join(work, "serve-crash"), random, trials: args.trials }),
    concurrency: () => concurrencySection(table, { work: path.join(work, "concurrency"), runs: 3 }),
    hostile: () => hostileSection(table, { work: path.join(work, "hostile"), seed: args.seed }),
    secrets: () => secretsSection(table, { work: path.join(work, "secrets") }),
  };
  try {
    for (const name of SECTIONS) {
      if (!args.only.has(name)) continue;
      const started = Date.now();
      process.stderr.write(`--- ${name}\n`);
      await sections[name]().catch((error: unknown) =>
        // a section that cannot even set up is one failed trial, not a crash of the suite
        table.record(
          name,
          "section ran to the end",
          false,
          error instanceof Error ? error.message : String(error),
        ),
      );
      process.stderr.write(`    ${name} took ${Math.round((Date.now() - started) / 1000)} s\n`);
    }
    // the table first: removing a full run's work folder (gigabytes of estates) takes minutes
    process.stdout.write("\n");
    const { failed } = table.print();
    if (failed > 0)
      process.stdout.write(
        `reproduce with: npm run torture -- --seed ${args.seed} --trials ${args.trials}\n`,
      );
    return failed > 0 ? 1 : 0;
  } finally {
    if (args.keep) process.stderr.write(`work folder kept: ${work}\n`);
    else fs.rmSync(work, { recursive: true, force: true });
  }
}

process.exitCode = await main();
