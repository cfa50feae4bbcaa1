/**
 * Test support: the real Terraform/OpenTofu the integration tests run against, found the way
 * Karma finds it (KARMA_TERRAFORM, else `tofu`/`terraform` on PATH). On CI (`CI=true`) a missing
 * binary fails the tests; elsewhere they are skipped with the reason printed.
 */
import { findTerraform, type TerraformBinary } from "./binary.js";

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
