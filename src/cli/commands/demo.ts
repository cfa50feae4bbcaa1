import { resolve } from "node:path";
import { type Command, Option } from "commander";
import { writeDemoEstateAt } from "../../adapters/fs/demo-estate.js";
import { openSession } from "../../adapters/session/open-session.js";
import { formatProblem } from "../../core/errors.js";
import { applyEstate } from "../../operations/apply.js";
import { DEMO_EXTERNAL_RUNTIME, seedDemoExternals } from "../../operations/demo.js";
import { buildAndStoreGraph } from "../../operations/graph.js";
import { publishEstate } from "../../operations/publish.js";
import { type Session, withSession } from "../../operations/session.js";
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
    .addOption(
      new Option("--graph <kind>", "where a new demo keeps its graph and audit log")
        .choices(["sqlite", "gremlin"])
        .default("sqlite"),
    )
    .option(
      "--gremlin-endpoint <url>",
      "Gremlin server for --graph gremlin (default $KARMA_GREMLIN_ENDPOINT, else ws://127.0.0.1:8182/gremlin)",
    )
    .action(async (opts: { deploy: boolean; graph: string; gremlinEndpoint?: string }, cmd: Command) => {
      const target = cmd.optsWithGlobals<{ dir?: string }>().dir ?? "karma-demo";
      const dir = resolve(target);
      const gremlinEndpoint =
        opts.graph === "gremlin"
          ? (opts.gremlinEndpoint ?? process.env.KARMA_GREMLIN_ENDPOINT ?? "ws://127.0.0.1:8182/gremlin")
          : undefined;
      step(
        (await writeDemoEstateAt(dir, { gremlinEndpoint }))
          ? `wrote the demo estate to ${dir}`
          : `using the existing demo estate in ${dir}`,
      );

      await withSession(openSession({ root: dir, source: "cli" }), (session) =>
        runDemo(session, target, opts.deploy),
      );
    });
}

async function runDemo(session: Session, target: string, deploy: boolean): Promise<void> {
  const { settings } = session;
  const estate = await session.estate.load();
  step("karma validate");
  for (const p of estate.problems) process.stdout.write(`${formatProblem(p)}\n`);
  const envs = settings.environments.map((e) => e.name).join(", ");
  process.stdout.write(
    `${estate.components.length} components in ${settings.environments.length} environments (${envs}); ${estate.problems.length} problems\n`,
  );

  const seeded = await seedDemoExternals(session);
  step("seed an external system's runtime (SecureString)");
  process.stdout.write(
    `${DEMO_EXTERNAL_RUNTIME} ${seeded ? "written" : "already there"} (value never printed)\n`,
  );

  step("karma publish");
  printPublishResult(await publishEstate(session, estate));

  step("karma graph build");
  const built = await buildAndStoreGraph(session);
  const { version } = built;
  const byKind = new Map<string, number>();
  for (const e of built.graph?.edges ?? []) byKind.set(e.kind, (byKind.get(e.kind) ?? 0) + 1);
  process.stdout.write(
    `graph v${version.version}: ${version.nodeCount} nodes, ${version.edgeCount} edges (${[...byKind]
      .sort()
      .map(([k, n]) => `${n} ${k}`)
      .join(", ")}), ${version.findingCount} findings\n`,
  );

  if (deploy) {
    step("karma apply (every environment, wave by wave)");
    const run = await applyEstate(session, estate, {
      keepGoing: true,
      skipUnavailableRunners: true,
      onEvent: (event) => {
        if (event.kind !== "ended") return;
        const r = event.result;
        const paint = r.status === "failed" ? style.red : r.status === "skipped" ? style.yellow : style.green;
        process.stdout.write(`${paint(r.status)} ${r.id}${r.reason ? `: ${r.reason}` : ""}\n`);
      },
    });
    const s = run.summary;
    process.stdout.write(
      `${s.deployed} deployed, ${s.unchanged} unchanged, ${s.unaffected} unaffected, ${s.skipped} skipped, ${s.failed} failed\n`,
    );
    if (s.skipped > 0)
      process.stdout.write(
        style.dim(
          "the skipped components need Terraform ≥1.4 or OpenTofu ≥1.6: install one (or `go install github.com/hashicorp/terraform@v1.5.7`), put it on PATH or set KARMA_TERRAFORM, then run `karma apply`\n",
        ),
      );
  }

  step("karma status");
  printStatusReport(await estateStatus(session, estate));

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
}
