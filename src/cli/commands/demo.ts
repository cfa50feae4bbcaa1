import { resolve } from "node:path";
import type { Command } from "commander";
import { loadEstate } from "../../adapters/fs/estate-loader.js";
import { readProjectSettings } from "../../adapters/fs/settings-reader.js";
import { formatProblem } from "../../core/errors.js";
import { DEMO_EXTERNAL_RUNTIME, seedDemoExternals } from "../../operations/demo.js";
import { deployEstate } from "../../operations/deploy-estate.js";
import { buildAndStoreGraph } from "../../operations/graph.js";
import { publishEstate } from "../../operations/publish.js";
import { writeDemoEstate } from "../../operations/scaffold.js";
import { estateStatus } from "../../operations/status.js";
import { style } from "../output.js";
import { printPublishResult } from "./publish.js";
import { printStatusReport } from "./status.js";

const step = (text: string) => process.stdout.write(`\n${style.bold(`==> ${text}`)}\n`);

export function register(program: Command): void {
  program
    .command("demo")
    .description(
      "write a sample estate and run the whole loop on the embedded store: validate, publish, graph, deploy (Terraform components where Terraform/OpenTofu is installed), status",
    )
    // `--dir`/`-C` is the global estate option: here it says where to write the demo
    .addHelpText("after", "\nWrites to ./karma-demo unless --dir (or -C) says where.")
    .option("--no-deploy", "stop after publishing (no Terraform, no scripts run)")
    .action(async (opts: { deploy: boolean }, cmd: Command) => {
      const target = cmd.optsWithGlobals<{ dir?: string }>().dir ?? "karma-demo";
      const dir = resolve(target);
      step(
        writeDemoEstate(dir) ? `wrote the demo estate to ${dir}` : `using the existing demo estate in ${dir}`,
      );

      const settings = readProjectSettings(dir);
      const estate = await loadEstate(settings);
      step("karma validate");
      for (const p of estate.problems) process.stdout.write(`${formatProblem(p)}\n`);
      const envs = settings.environments.map((e) => e.name).join(", ");
      process.stdout.write(
        `${estate.components.length} components in ${settings.environments.length} environments (${envs}); ${estate.problems.length} problems\n`,
      );

      const seeded = await seedDemoExternals(settings);
      step("seed an external system's runtime (SecureString)");
      process.stdout.write(
        `${DEMO_EXTERNAL_RUNTIME} ${seeded ? "written" : "already there"} (value never printed)\n`,
      );

      step("karma publish");
      printPublishResult(await publishEstate(estate));

      step("karma graph build");
      const built = await buildAndStoreGraph(settings);
      const { version } = built;
      const byKind = new Map<string, number>();
      for (const e of built.graph.edges) byKind.set(e.kind, (byKind.get(e.kind) ?? 0) + 1);
      process.stdout.write(
        `graph v${version.version}: ${version.nodeCount} nodes, ${version.edgeCount} edges (${[...byKind]
          .sort()
          .map(([k, n]) => `${n} ${k}`)
          .join(", ")}), ${version.findingCount} findings\n`,
      );

      if (opts.deploy) {
        for (const env of settings.environments) {
          step(`karma deploy (${env.name}, in dependency order)`);
          const outcome = await deployEstate(estate, {
            env: env.name,
            onResult: (r) =>
              process.stdout.write(
                `${r.status === "failed" ? style.red(r.status) : r.status === "skipped" ? style.yellow(r.status) : style.green(r.status)} ${r.component}${r.reason ? `: ${r.reason}` : ""}\n`,
              ),
          });
          const count = (status: string) => outcome.results.filter((r) => r.status === status).length;
          process.stdout.write(
            `${count("deployed")} deployed, ${count("unchanged")} unchanged, ${count("skipped")} skipped, ${count("failed")} failed\n`,
          );
        }
      }

      step("karma status");
      printStatusReport(await estateStatus(estate));

      step("next");
      const c = `karma -C ${target}`;
      process.stdout.write(
        [
          `${c} status                      # where each component stands`,
          `${c} validate --json             # every component, its references, any problems`,
          `${c} graph impact dev:network/main   # blast radius of the shared network`,
          `${c} graph export --format mermaid`,
          `${c} param ls /iac --recursive --env dev`,
          `${c} param get ${DEMO_EXTERNAL_RUNTIME} --env dev   # shows (secure); add --decrypt to see it`,
          `edit ${target}/iac/dev/service/api/config.json, then: ${c} publish --dry-run`,
          "",
        ].join("\n"),
      );
    });
}
