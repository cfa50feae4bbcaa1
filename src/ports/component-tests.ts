/**
 * Running one component's own tests in isolation: Terraform/OpenTofu's native framework for
 * module types, the type's `test` command for command types. Implementations live in
 * adapters/component-tests.
 */
import type { TestCase } from "../core/component-tests/model.js";
import type { RunInputs } from "./runner.js";

export interface TestJob {
  /** `env:type/nickname`, for messages. */
  component: string;
  /** The inputs a deploy would get: config with `$ref`s resolved (here from the test's runtime source). */
  inputs: RunInputs;
  /** Scratch directory the tester owns (emptied first). */
  workDir: string;
  /** Values to keep out of output (resolved from SecureString runtimes). */
  secrets: readonly string[];
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface TestRun {
  cases: TestCase[];
  tool: string;
}

export interface ComponentTester {
  /** True when the type has tests to run (e.g. `*.tftest.hcl` files beside the module). */
  hasTests(): boolean;
  run(job: TestJob): Promise<TestRun>;
}

/** The tester a component type is tested with. */
export interface TesterChoice {
  kind: "terraform" | "command";
  /** Opens the tester (a Terraform type's binary is located only now). */
  tester: () => Promise<ComponentTester>;
  /** Whether the type has anything to run, known without locating a binary. */
  hasTests: boolean;
  timeoutMs?: number;
}
