/**
 * The Runner contract (contract.ts) run unchanged over every runner: Terraform/OpenTofu (the
 * binary from KARMA_TERRAFORM or PATH; skipped without one) and the command runner (a Node
 * script). A new runner adds its fixture here.
 */
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CommandRunner } from "./command/runner.js";
import { RUNNER_CONTRACT_SECRET, type RunnerFixture, runnerContract } from "./contract.js";
import { terraformForTests } from "./terraform/binary-for-tests.js";
import { TerraformRunner } from "./terraform/runner.js";

const MODULE = `
variable "config" { type = any }
variable "nickname" { type = string }
variable "environment" { type = string }

resource "terraform_data" "thing" {
  input = var.config.name
}

resource "terraform_data" "fragile" {
  count      = try(var.config.fail, false) ? 1 : 0
  depends_on = [terraform_data.thing]
  provisioner "local-exec" { command = "echo 'disk on fire' >&2; exit 1" }
}

resource "terraform_data" "slow" {
  count = try(var.config.slow, false) ? 1 : 0
  provisioner "local-exec" { command = "sleep 60" }
}

output "name" { value = terraform_data.thing.output }
output "where" { value = "\${var.environment}/\${var.nickname}" }
output "password" {
  value     = "${RUNNER_CONTRACT_SECRET}-\${var.config.name}"
  sensitive = true
}
`;

const binary = await terraformForTests();

const terraform: RunnerFixture | undefined = binary && {
  async create(dir) {
    const module = join(dir, "types", "thing");
    mkdirSync(module, { recursive: true });
    writeFileSync(join(module, "main.tf"), MODULE);
    const runner = new TerraformRunner({
      binary,
      state: { kind: "local", root: join(dir, "state") },
      graceMs: 5_000,
    });
    return { runner, source: { kind: "module", dir: module } };
  },
  slowStarted: (p) => p.step === "apply" && /Provisioning with 'local-exec'/.test(p.message),
  plansNoChanges: true,
};

/** The same thing as a program: inputs on stdin, outputs on stdout, progress on stderr. */
const SCRIPT = `#!/usr/bin/env node
let text = "";
for await (const chunk of process.stdin) text += chunk;
const { config, nickname, environment } = JSON.parse(text);
if (process.env.KARMA_ACTION === "destroy") process.exit(0);
if (config.fail) {
  process.stderr.write("disk on fire\\n");
  process.exit(1);
}
if (config.slow) {
  process.stderr.write("SLOW-START\\n");
  await new Promise((resolve) => setTimeout(resolve, 60_000));
}
process.stdout.write(JSON.stringify({
  name: config.name,
  where: environment + "/" + nickname,
  password: "${RUNNER_CONTRACT_SECRET}-" + config.name,
  $sensitive: ["password"],
}));
`;

const command: RunnerFixture = {
  async create(dir) {
    const script = join(dir, "thing.mjs");
    writeFileSync(script, SCRIPT);
    chmodSync(script, 0o755);
    return {
      runner: new CommandRunner({ graceMs: 500 }),
      source: {
        kind: "command",
        argv: [process.execPath, script],
        destroyArgv: [process.execPath, script],
        cwd: dir,
      },
    };
  },
  slowStarted: (p) => p.message.includes("SLOW-START"),
  plansNoChanges: true,
};

runnerContract(`terraform (${binary ? `${binary.flavor} ${binary.version}` : "no binary"})`, terraform);
runnerContract("command", command);
