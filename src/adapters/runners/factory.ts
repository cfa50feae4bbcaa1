/**
 * Picks the runner for a component type from karma.json: `runner: "command"` (or a `command`
 * without a runner) → the command runner; otherwise Terraform/OpenTofu with the type's module
 * (`types/<type>` unless `module` says otherwise). Binary discovery runs once per process.
 */
import { resolve } from "node:path";
import type { ProjectSettings } from "../../core/estate/model.js";
import { runnerKindOf, typeSettingsOf } from "../../core/estate/runner-kind.js";
import type { RunnerChoice, RunSource } from "../../ports/runner.js";
import { CommandRunner } from "./command/runner.js";
import { localStateRoot } from "./layout.js";
import { findTerraform, type TerraformBinary } from "./terraform/binary.js";
import { TerraformRunner } from "./terraform/runner.js";

const binaries = new Map<string, Promise<TerraformBinary>>();

export async function runnerForType(settings: ProjectSettings, typeName: string): Promise<RunnerChoice> {
  const type = typeSettingsOf(settings, typeName);
  const timeoutMs = type.timeout !== undefined ? type.timeout * 1000 : undefined;
  const kind = runnerKindOf(type);
  if (kind === "command") {
    const source: RunSource = {
      kind: "command",
      argv: type.command ?? [],
      ...(type.destroyCommand ? { destroyArgv: type.destroyCommand } : {}),
      cwd: settings.root,
    };
    return { kind, runner: new CommandRunner(), source, ...(timeoutMs !== undefined ? { timeoutMs } : {}) };
  }
  const key = `${settings.root}\0${settings.terraform?.binary ?? ""}\0${process.env.KARMA_TERRAFORM ?? ""}`;
  let binary = binaries.get(key);
  if (!binary) {
    binary = findTerraform({
      ...(settings.terraform?.binary ? { configured: settings.terraform.binary } : {}),
      root: settings.root,
    });
    binaries.set(key, binary);
    binary.catch(() => binaries.delete(key));
  }
  const backend = settings.terraform?.backend;
  const runner = new TerraformRunner({
    binary: await binary,
    state: backend
      ? { kind: "backend", type: backend.type, config: backend.config ?? {} }
      : { kind: "local", root: localStateRoot(settings) },
    ...(settings.terraform?.lockTimeout ? { lockTimeout: settings.terraform.lockTimeout } : {}),
  });
  const source: RunSource = {
    kind: "module",
    dir: resolve(settings.root, type.module ?? `${settings.paths.types}/${typeName}`),
  };
  return { kind, runner, source, ...(timeoutMs !== undefined ? { timeoutMs } : {}) };
}
