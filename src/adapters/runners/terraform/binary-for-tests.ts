/**
 * Test support: the real Terraform/OpenTofu the integration tests run against, found the way
 * Karma finds it (KARMA_TERRAFORM, else `tofu`/`terraform` on PATH). On CI (`CI=true`) a missing
 * binary fails the tests; elsewhere they are skipped with the reason printed.
 */
import { compareVersions, findTerraform, type TerraformBinary } from "./binary.js";

export async function terraformForTests(): Promise<TerraformBinary | undefined> {
  try {
    return await findTerraform({ env: process.env });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (process.env.CI === "true") {
      throw new Error(`CI needs a real Terraform or OpenTofu for these tests: ${reason}`);
    }
    process.stderr.write(`skipping Terraform integration tests: ${reason}\n`);
    return undefined;
  }
}

/**
 * The binary `karma test` runs `.tftest.hcl` files with (KARMA_TERRAFORM_TEST, else the deploy
 * binary), when it has the native test framework (≥1.6). Missing or too old fails on CI.
 */
export async function terraformTestForTests(): Promise<TerraformBinary | undefined> {
  const explicit = process.env.KARMA_TERRAFORM_TEST;
  let binary: TerraformBinary | undefined;
  let reason = "";
  try {
    binary = await findTerraform({ ...(explicit ? { configured: explicit } : {}), env: process.env });
    if (compareVersions(binary.version, "1.6.0") < 0) {
      reason = `${binary.flavor} ${binary.version} at ${binary.path} has no \`test\` command (needs ≥1.6); set KARMA_TERRAFORM_TEST`;
      binary = undefined;
    }
  } catch (error) {
    reason = error instanceof Error ? error.message : String(error);
  }
  if (binary) return binary;
  if (process.env.CI === "true")
    throw new Error(`CI needs Terraform/OpenTofu ≥1.6 for karma test: ${reason}`);
  process.stderr.write(`skipping karma test integration tests: ${reason}\n`);
  return undefined;
}
