/**
 * `karma test [selector]`: each selected component's own tests, in isolation. Its config is the
 * one in Git (what publish writes), with `$ref`s resolved from a runtime source instead of a
 * deployment: the producers' contract examples (default), their live runtime in another
 * environment (`withRuntime`), or their blue-green candidates (`against: "candidate"`). Nothing
 * is deployed. Audited as one `test` entry with every component's outcome.
 */
import { exampleRuntimes } from "../core/component-tests/example-runtimes.js";
import {
  type ComponentTestResult,
  statusOf,
  summarise,
  type TestReport,
} from "../core/component-tests/model.js";
import { CANDIDATE, LIVE } from "../core/contracts/labels.js";
import { messageOf, type Problem, ValidationFailedError } from "../core/errors.js";
import type { Component, Estate } from "../core/estate/model.js";
import { componentParameterName, inEstate, testWorkFolder } from "../core/estate/paths.js";
import { formatComponentId } from "../core/ids.js";
import { parseJsonOrText } from "../core/json/lenient.js";
import { type ProducerRuntime, resolveReferences } from "../core/provisioning/resolve-references.js";
import { readResolvedRuntime } from "./provision/runtime-labels.js";
import { resolveSelection } from "./selection.js";
import type { Session } from "./session.js";

export interface TestOptions {
  selector?: string;
  /** Producers' live runtime from this environment's store instead of contract examples. */
  withRuntime?: string;
  /** Producers' candidate runtime (their live one where they have no candidate). */
  against?: "candidate";
  signal?: AbortSignal;
  /** Progress: each component as it ends. */
  onResult?: (result: ComponentTestResult) => void;
}

type RuntimeSource = (
  component: Component,
) => Promise<{ runtimes: Map<string, ProducerRuntime>; problems: Problem[]; from: string }>;

/** Producers' runtime read from a store: `env` overrides where they live; `label` picks the version. */
function storeSource(
  session: Session,
  estate: Estate,
  options: { env?: string; label: typeof LIVE | typeof CANDIDATE },
): RuntimeSource {
  return async (component) => {
    const runtimes = new Map<string, ProducerRuntime>();
    const problems: Problem[] = [];
    const from: string[] = [];
    for (const ref of component.references) {
      if (ref.form !== "ref" || ref.external) continue;
      const id = formatComponentId(ref.target);
      if (runtimes.has(id)) continue;
      const env = session.environment(options.env ?? ref.target.env);
      const store = await session.store(env.name);
      const name = componentParameterName(env.prefix, ref.target.type, ref.target.nickname, "runtime");
      const candidate =
        options.label === CANDIDATE ? await readResolvedRuntime(store, name, CANDIDATE) : undefined;
      const runtime = candidate ?? (await readResolvedRuntime(store, name, LIVE));
      if (!runtime) continue; // resolveReferences names the missing runtime
      runtimes.set(id, {
        version: runtime.version,
        value: parseJsonOrText(runtime.value),
        secure: runtime.type === "SecureString",
      });
      from.push(
        `${ref.target.type}/${ref.target.nickname}@${env.name} v${runtime.version}${candidate ? ` (${CANDIDATE})` : ""}`,
      );
    }
    return {
      runtimes,
      problems,
      from:
        options.label === CANDIDATE
          ? `candidates: ${from.join(", ") || "none"}`
          : `runtime of environment ${options.env}: ${from.join(", ") || "none"}`,
    };
  };
}

export async function testComponents(
  session: Session,
  estate: Estate,
  options: TestOptions = {},
): Promise<TestReport> {
  const select = await resolveSelection(session, options.selector, estate.components);
  const selected = estate.components.filter(select);
  if (options.withRuntime !== undefined) session.environment(options.withRuntime);
  const source: RuntimeSource =
    options.against === "candidate"
      ? storeSource(session, estate, { label: CANDIDATE })
      : options.withRuntime !== undefined
        ? storeSource(session, estate, { env: options.withRuntime, label: LIVE })
        : async (component) => ({ ...exampleRuntimes(estate, component), from: "contract examples" });

  const results: ComponentTestResult[] = [];
  for (const component of selected) {
    const started = session.now().getTime();
    const result = await testOne(session, estate, component, source, options);
    const done = { ...result, durationMs: session.now().getTime() - started };
    results.push(done);
    options.onResult?.(done);
  }
  const report = summarise(results);
  await session.record({
    action: "test",
    status: report.summary.failed > 0 ? "failed" : "ok",
    message: `${report.summary.passed} passed, ${report.summary.failed} failed, ${report.summary.skipped} skipped`,
    details: {
      ...(options.selector ? { selector: options.selector } : {}),
      runtime: options.against === "candidate" ? "candidate" : (options.withRuntime ?? "contract examples"),
      results: Object.fromEntries(results.map((r) => [r.component, r.status])),
    },
  });
  return report;
}

async function testOne(
  session: Session,
  estate: Estate,
  component: Component,
  source: RuntimeSource,
  options: TestOptions,
): Promise<Omit<ComponentTestResult, "durationMs">> {
  const choice = await session.tester(component.type);
  const base = {
    component: component.id,
    type: component.type,
    kind: choice.kind,
    cases: [],
    runtimeFrom: "",
  };
  if (!choice.hasTests)
    return {
      ...base,
      kind: "none",
      status: "skipped",
      message:
        choice.kind === "terraform"
          ? `no *.tftest.hcl beside the module of type "${component.type}"`
          : `type "${component.type}" declares no "test" command in karma.json`,
    };
  const invalid = estate.problems.filter((p) => p.severity === "error" && p.component === component.id);
  const { runtimes, problems, from } = await source(component);
  const fail = (message: string) => ({ ...base, runtimeFrom: from, status: "failed" as const, message });
  if (invalid.length + problems.length > 0)
    return fail(
      [...invalid, ...problems]
        .map(
          (p) =>
            `${p.file ?? ""}${p.pointer ? `#${p.pointer}` : ""}: ${p.message}${p.fix ? ` (fix: ${p.fix})` : ""}`,
        )
        .join("\n"),
    );
  let resolved: ReturnType<typeof resolveReferences>;
  try {
    resolved = resolveReferences(
      component.config,
      { env: component.env, file: component.file, component: component.id },
      runtimes,
    );
  } catch (error) {
    if (!(error instanceof ValidationFailedError)) throw error;
    return fail(error.problems.map((p) => `${p.pointer ?? ""}: ${p.message}`).join("\n"));
  }
  const env = session.environment(component.env);
  try {
    const tester = await choice.tester();
    const run = await tester.run({
      component: component.id,
      inputs: {
        config: resolved.config,
        component_name: component.type,
        nickname: component.nickname,
        environment: component.env,
        iac_prefix: env.prefix,
      },
      workDir: inEstate(estate.settings, testWorkFolder(estate.settings, component)),
      secrets: resolved.secrets,
      ...(choice.timeoutMs !== undefined ? { timeoutMs: choice.timeoutMs } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    return { ...base, runtimeFrom: from, cases: run.cases, tool: run.tool, status: statusOf(run.cases) };
  } catch (error) {
    return fail(messageOf(error));
  }
}
