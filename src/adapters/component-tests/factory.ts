/**
 * The tester for a type: Terraform/OpenTofu's test framework for module types (the binary from
 * `KARMA_TERRAFORM_TEST` when set — CI keeps an older Terraform for deploys — else the one Karma
 * deploys with), the type's `test` command for command types.
 */
import { join, resolve } from "node:path";
import type { ProjectSettings } from "../../core/estate/model.js";
import { runnerKindOf, typeSettingsOf } from "../../core/estate/runner-kind.js";
import type { TesterChoice } from "../../ports/component-tests.js";
import { findTerraform, type TerraformBinary } from "../runners/terraform/binary.js";
import { CommandTester } from "./command-tester.js";
import { TerraformTester, testFiles } from "./terraform-tester.js";

export function testerForType(settings: ProjectSettings, typeName: string): TesterChoice {
  const type = typeSettingsOf(settings, typeName);
  const timeoutMs = type.timeout !== undefined ? type.timeout * 1000 : undefined;
  const extra = timeoutMs !== undefined ? { timeoutMs } : {};
  if (runnerKindOf(type) === "command") {
    const tester = new CommandTester(type.test, settings.root);
    return { kind: "command", hasTests: tester.hasTests(), tester: async () => tester, ...extra };
  }
  const moduleDir = resolve(settings.root, type.module ?? join(settings.paths.types, typeName));
  return {
    kind: "terraform",
    hasTests: testFiles(moduleDir).length > 0,
    tester: async () => new TerraformTester(moduleDir, await testBinary(settings)),
    ...extra,
  };
}

let cached: { key: string; binary: Promise<TerraformBinary> } | undefined;

function testBinary(settings: ProjectSettings): Promise<TerraformBinary> {
  const configured = process.env.KARMA_TERRAFORM_TEST ?? settings.terraform?.binary;
  const key = `${settings.root}\0${configured ?? ""}\0${process.env.KARMA_TERRAFORM ?? ""}`;
  if (cached?.key !== key)
    cached = { key, binary: findTerraform({ ...(configured ? { configured } : {}), root: settings.root }) };
  return cached.binary;
}
