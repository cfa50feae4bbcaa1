/** `karma test`: one component's tests, run in isolation; results as plain records. */

export type TestStatus = "passed" | "failed" | "skipped";

export interface TestCase {
  /** e.g. `network.tftest.hcl/network_id_follows_the_contract`, or `test` for a command. */
  name: string;
  status: TestStatus;
  /** Why it failed or was skipped (assertion messages, diagnostics). */
  message?: string;
}

export interface ComponentTestResult {
  component: string;
  type: string;
  /** How the tests ran: the native framework, a type's test command, or nothing to run. */
  kind: "terraform" | "command" | "none";
  status: TestStatus;
  /** Where the producers' runtime came from: contract examples, an environment, candidates. */
  runtimeFrom: string;
  cases: TestCase[];
  /** Set when the tests could not run (inputs unresolvable, tool missing) or on skip. */
  message?: string;
  /** Tool that ran them, e.g. "terraform 1.11.4". */
  tool?: string;
  /** Milliseconds, from the injected clock. */
  durationMs: number;
}

export interface TestReport {
  results: ComponentTestResult[];
  summary: Record<TestStatus, number> & { total: number };
}

export function summarise(results: readonly ComponentTestResult[]): TestReport {
  const summary = { total: results.length, passed: 0, failed: 0, skipped: 0 };
  for (const r of results) summary[r.status]++;
  return { results: [...results], summary };
}

/** A component's status from its cases: any failure fails it; no cases at all is a skip. */
export function statusOf(cases: readonly TestCase[]): TestStatus {
  if (cases.some((c) => c.status === "failed")) return "failed";
  if (cases.some((c) => c.status === "passed")) return "passed";
  return "skipped";
}
