/**
 * Every CLI command lives in its own file under this folder and exports `register(program)`.
 * Commands compute data with the core and adapters; printing stays in the command file (or a
 * `print*` helper beside it); only `cli/main.ts` exits.
 *
 * Modules load lazily: `karma status` imports only status's module, not the AWS SDK, the HTTP
 * server or the Terraform plumbing, and `karma --help`, `karma -V` or a mistyped command import
 * none — commander lists (and suggests) commands from the summaries below, which
 * `index.test.ts` keeps equal to what each module registers. Add one entry per top-level command,
 * in help order.
 */
import { type Command, Help } from "commander";

interface CommandModule {
  register(program: Command): void;
}

interface CommandEntry {
  /** How commander's help lists the command (`Help.subcommandTerm` of the registered command). */
  readonly term: string;
  readonly description: string;
  readonly load: () => Promise<CommandModule>;
}

export const COMMANDS: Readonly<Record<string, CommandEntry>> = {
  init: {
    term: "init [options] [dir]",
    description: "scaffold an empty estate (karma.json, iac/<env>/, types/)",
    load: () => import("./init.js"),
  },
  demo: {
    term: "demo [options]",
    description:
      "write a sample estate and run the whole loop on the embedded store: validate, publish, graph, deploy (Terraform components where Terraform/OpenTofu is installed), status",
    load: () => import("./demo.js"),
  },
  validate: {
    term: "validate [options] [selector]",
    description: "check component configs, schemas and references; report every problem with its fix",
    load: () => import("./validate.js"),
  },
  publish: {
    term: "publish [options] [selector]",
    description: "publish changed component configs to each environment's parameter store",
    load: () => import("./publish.js"),
  },
  status: {
    term: "status [options] [selector]",
    description: "where each component stands: Git vs published config vs deployed runtime",
    load: () => import("./status.js"),
  },
  param: {
    term: "param",
    description: "read and write the parameter store directly (like `aws ssm`)",
    load: () => import("./param.js"),
  },
  graph: {
    term: "graph",
    description: "the dependency graph: build versions, query, export",
    load: () => import("./graph.js"),
  },
  plan: {
    term: "plan [options] [selector-or-type] [nickname]",
    description:
      "plan a change: `karma plan [selector]` shows changed components, dependents, waves and policy verdicts; `karma plan <type> <nickname>` shows one component's Terraform plan",
    load: () => import("./plan.js"),
  },
  "propose-change": {
    term: "propose-change [options] <type> <nickname>",
    description:
      "propose a change to a component's config (JSON merge patch): validate, plan, check policies, audit; --apply carries it out",
    load: () => import("./propose-change.js"),
  },
  apply: {
    term: "apply [options] [selector-or-plan]",
    description:
      "publish changed configs and deploy them wave by wave; dependents redeploy only when a key they consume changed",
    load: () => import("./apply.js"),
  },
  refs: {
    term: "refs",
    description: "references between components",
    load: () => import("./refs.js"),
  },
  deploy: {
    term: "deploy [options] <type> <nickname>",
    description: "deploy a component's published config and publish what was deployed as its runtime",
    load: () => import("./deploy.js"),
  },
  promote: {
    term: "promote [options] <type> <nickname>",
    description: "blue-green: make a component's candidate runtime the live one its consumers read",
    load: () => import("./promote.js"),
  },
  rollback: {
    term: "rollback [options] <type> <nickname>",
    description: "blue-green: drop a pending candidate, or make the previous live runtime live again",
    load: () => import("./promote.js"),
  },
  destroy: {
    term: "destroy [options] <type> <nickname>",
    description:
      "destroy a deployed component and delete its runtime (refused while deployed components depend on it)",
    load: () => import("./destroy.js"),
  },
  outputs: {
    term: "outputs [options] <type> <nickname>",
    description: "show a deployed component's outputs (sensitive values are never shown)",
    load: () => import("./outputs.js"),
  },
  test: {
    term: "test [options] [selector]",
    description: "run each component's tests in isolation, producers' runtime from their contract examples",
    load: () => import("./test.js"),
  },
  types: {
    term: "types",
    description: "component types: output contracts",
    load: () => import("./types.js"),
  },
  drift: {
    term: "drift [options] [selector]",
    description:
      "what differs from intent: unpublished, undeployed, stale consumers, orphans; with --terraform, resource drift",
    load: () => import("./drift.js"),
  },
  log: {
    term: "log",
    description: "the audit log: what Karma did, who did it, what changed",
    load: () => import("./log.js"),
  },
  lock: {
    term: "lock",
    description: "environment write locks (one writer per environment)",
    load: () => import("./lock.js"),
  },
  serve: {
    term: "serve [options]",
    description:
      "serve the graph explorer and HTTP API (/api), and the embedded parameter store over the AWS SSM API (for the AWS CLI, SDKs, Terraform)",
    load: () => import("./serve.js"),
  },
  ui: {
    term: "ui [options]",
    description:
      "open the graph explorer: karma serve, then its URL in a browser ($BROWSER or the system's; printed to open yourself when there is none)",
    load: () => import("./serve.js"),
  },
};

/** The command named on the command line: the first argument that is not a global option. */
function commandName(args: readonly string[]): string | undefined {
  const operands: string[] = [];
  for (let i = 0; i < args.length && operands.length < 2; i++) {
    const arg = args[i] ?? "";
    if (arg === "-C" || arg === "--dir") i++;
    else if (!arg.startsWith("-")) operands.push(arg);
  }
  // `karma help graph` shows graph's full help: it needs graph's module, not its summary
  return operands[0] === "help" && operands[1] !== undefined ? operands[1] : operands[0];
}

/**
 * Registers the named command's module only; with no known command (top-level help, `-V`, a
 * mistyped name), light stand-ins from the summaries, enough for commander's help and "did you
 * mean".
 */
export async function registerCommands(program: Command, args: readonly string[]): Promise<void> {
  const name = commandName(args);
  const entry = name !== undefined && Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (entry !== undefined) {
    (await entry.load()).register(program);
    return;
  }
  registerSummaries(program);
}

function registerSummaries(program: Command): void {
  const standard = new Help();
  program.configureHelp({
    ...program.configureHelp(),
    subcommandTerm: (cmd) => COMMANDS[cmd.name()]?.term ?? standard.subcommandTerm(cmd),
  });
  for (const [name, { description }] of Object.entries(COMMANDS)) {
    program
      .command(name)
      .description(description)
      // unreachable: a named command registers its real module instead
      .action(() => {
        throw new Error(`karma ${name} ran without its module loaded`);
      });
  }
}
