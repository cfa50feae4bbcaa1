/**
 * Everything a run needs before the runner starts: the component (and its environment), the
 * published config (refusing unpublished or out-of-date config), the producers' runtimes for its
 * `$ref`s, the runner for its type, and — for the embedded store — a local SSM endpoint so
 * modules that read the store themselves reach this environment's store.
 */
import { CANDIDATE, LIVE } from "../../core/contracts/labels.js";
import { UserError, ValidationFailedError } from "../../core/errors.js";
import type {
  Component,
  EnvironmentSettings,
  Estate,
  JsonObject,
  JsonValue,
} from "../../core/estate/model.js";
import {
  componentConfigFile,
  componentParameterName,
  componentWorkFolder,
  inEstate,
  runLogFile,
} from "../../core/estate/paths.js";
import { formatComponentId } from "../../core/ids.js";
import {
  type ConsumedRuntime,
  type ProducerRuntime,
  resolveReferences,
} from "../../core/provisioning/resolve-references.js";
import type { RuntimeSnapshot } from "../../core/provisioning/runtime-write.js";
import { isPublished } from "../../core/publish/plan-publish.js";
import { isParameterStoreError, type ParameterStore } from "../../ports/parameter-store.js";
import type { RunInputs, RunJob, RunnerChoice } from "../../ports/runner.js";
import type { Session, StoreEndpoint } from "../session.js";
import { type EnvironmentStores, sessionStores } from "../stores.js";
import { readResolvedRuntime } from "./runtime-labels.js";
import type { ProvisionHooks, ProvisionTarget } from "./types.js";

export interface Prepared {
  component: Component;
  env: EnvironmentSettings;
  stores: EnvironmentStores;
  store: ParameterStore;
  configVersion: number;
  consumed: ConsumedRuntime[];
  job: RunJob;
  runner: RunnerChoice;
  endpoint?: StoreEndpoint;
}

export function findComponent(
  estate: Estate,
  target: ProvisionTarget,
): { component: Component; env: EnvironmentSettings } {
  const envs = estate.settings.environments;
  let env: EnvironmentSettings | undefined;
  if (target.env !== undefined) {
    env = envs.find((e) => e.name === target.env);
    if (!env) {
      throw new UserError(
        `unknown environment "${target.env}"`,
        `use one of: ${envs.map((e) => e.name).join(", ") || "(none: add one to karma.json)"}`,
      );
    }
  } else {
    const candidates = estate.components.filter(
      (c) => c.type === target.type && c.nickname === target.nickname,
    );
    const names = [...new Set(candidates.map((c) => c.env))].sort();
    if (envs.length === 1) env = envs[0];
    else if (names.length === 1) env = envs.find((e) => e.name === names[0]);
    else if (names.length > 1) {
      throw new UserError(
        `${target.type}/${target.nickname} exists in several environments (${names.join(", ")})`,
        "pass --env <name>",
      );
    }
  }
  const component = estate.components.find(
    (c) =>
      c.type === target.type && c.nickname === target.nickname && (env === undefined || c.env === env.name),
  );
  if (!component || !env) {
    const where = env ? ` in environment "${env.name}"` : "";
    const file = componentConfigFile(estate.settings, { ...target, env: env?.name ?? "<env>" });
    const sameType = estate.components
      .filter((c) => c.type === target.type && (env === undefined || c.env === env.name))
      .map((c) => c.nickname);
    throw new UserError(
      `no component ${target.type}/${target.nickname}${where}`,
      sameType.length
        ? `existing ${target.type} components: ${sameType.join(", ")}; or create ${file}`
        : `create ${file}`,
    );
  }
  return { component, env };
}

export function assertComponentValid(estate: Estate, component: Component): void {
  const problems = estate.problems.filter(
    (p) => p.severity === "error" && (p.component === component.id || p.file === component.file),
  );
  if (problems.length > 0) {
    throw new ValidationFailedError(
      problems,
      `${component.id} is invalid; fix the problems above (nothing was run)`,
    );
  }
}

export async function readParameter(
  store: ParameterStore,
  name: string,
): Promise<RuntimeSnapshot | undefined> {
  try {
    const p = await store.getParameter(name, { withDecryption: true });
    // the description (provenance) comes with metadata, not with the value
    const { items } = await store.describeParameters({
      parameterFilters: [{ key: "Name", option: "Equals", values: [name] }],
    });
    const description = items.find((m) => m.name === name && m.version === p.version)?.description;
    return {
      version: p.version,
      value: p.value,
      type: p.type,
      ...(description === undefined ? {} : { description }),
    };
  } catch (error) {
    if (isParameterStoreError(error, "ParameterNotFound")) return undefined;
    throw error;
  }
}

function publishCommand(component: Component): string {
  return `karma publish ${component.id}`;
}

/** The published config; refuses when there is none or it differs from Git. */
export async function publishedConfig(
  store: ParameterStore,
  env: EnvironmentSettings,
  component: Component,
): Promise<{ version: number; config: JsonObject }> {
  const name = componentParameterName(env.prefix, component.type, component.nickname, "config");
  const published = await readParameter(store, name);
  if (!published) {
    throw new UserError(
      `${component.id} has no published config (${name} does not exist), so there is nothing to deploy`,
      `publish it first: ${publishCommand(component)}`,
    );
  }
  if (!isPublished(component, published.value)) {
    throw new UserError(
      `the config of ${component.id} in Git (${component.file}) differs from the published version ${published.version}; Karma deploys only published config`,
      `publish it first: ${publishCommand(component)}`,
    );
  }
  return { version: published.version, config: JSON.parse(published.value) as JsonObject };
}

/**
 * The runtime of every producer the config `$ref`s, read from the producer's environment store:
 * the version labelled `live` (the latest for components that never had a candidate), or the
 * `candidate` version for producers in `against`.
 */
export async function producerRuntimes(
  estate: Estate,
  component: Component,
  stores: EnvironmentStores,
  against: ReadonlySet<string> = new Set(),
) {
  const runtimes = new Map<string, ProducerRuntime>();
  // every producer it names, by `$ref` or by name: the versions read become the runtime's
  // provenance, which is what makes any consumer detectably stale later
  for (const ref of component.references) {
    if (ref.external) continue;
    const id = formatComponentId(ref.target);
    if (runtimes.has(id)) continue;
    const env = estate.settings.environments.find((e) => e.name === ref.target.env);
    if (!env) continue; // an unknown environment is reported by resolveReferences as a missing runtime
    const runtime = await readResolvedRuntime(
      stores.get(env.name),
      componentParameterName(env.prefix, ref.target.type, ref.target.nickname, "runtime"),
      against.has(id) ? CANDIDATE : LIVE,
    );
    if (!runtime) continue;
    let value: JsonValue;
    try {
      value = JSON.parse(runtime.value) as JsonValue;
    } catch {
      value = runtime.value;
    }
    runtimes.set(id, { version: runtime.version, value, secure: runtime.type === "SecureString" });
  }
  return runtimes;
}

/** Environment for the child so that modules reading the store themselves reach this environment's store. */
export async function storeAccess(
  session: Session,
  env: EnvironmentSettings,
): Promise<{ vars: Record<string, string>; endpoint?: StoreEndpoint }> {
  if (env.store.kind === "sqlite") {
    const endpoint = await session.serveStore(env.name);
    return {
      endpoint,
      vars: {
        AWS_ENDPOINT_URL_SSM: endpoint.url,
        AWS_REGION: "us-east-1",
        AWS_DEFAULT_REGION: "us-east-1",
        // the local endpoint accepts any signature; these only keep SDKs and providers from searching
        AWS_ACCESS_KEY_ID: "karma-local",
        AWS_SECRET_ACCESS_KEY: "karma-local",
        AWS_EC2_METADATA_DISABLED: "true",
      },
    };
  }
  const vars: Record<string, string> = {};
  if (env.store.region) {
    vars.AWS_REGION = env.store.region;
    vars.AWS_DEFAULT_REGION = env.store.region;
  }
  if (env.store.profile) vars.AWS_PROFILE = env.store.profile;
  if (env.store.endpoint) vars.AWS_ENDPOINT_URL_SSM = env.store.endpoint;
  return { vars };
}

export type Action = "plan" | "deploy" | "destroy" | "outputs";

export async function prepare(
  session: Session,
  estate: Estate,
  target: ProvisionTarget,
  action: Action,
  hooks: ProvisionHooks,
): Promise<Prepared> {
  const { component, env } = findComponent(estate, target);
  assertComponentValid(estate, component);
  const settings = estate.settings;
  const neededEnvs = new Set([
    env.name,
    ...component.references.filter((r) => !r.external).map((r) => r.target.env),
  ]);
  const stores = await sessionStores(
    session,
    settings.environments.filter((e) => neededEnvs.has(e.name)),
  );
  let endpoint: StoreEndpoint | undefined;
  try {
    const store = stores.get(env.name);
    const runner = await session.runner(component.type);
    const workDir = inEstate(settings, componentWorkFolder(settings, component));

    let configVersion = 0;
    let consumed: ConsumedRuntime[] = [];
    let secrets: string[] = [];
    let inputs: RunInputs | undefined;
    const base = {
      component_name: component.type,
      nickname: component.nickname,
      environment: env.name,
      iac_prefix: env.prefix,
    };
    /** The published config with its `$ref`s resolved from the producers' latest runtimes. */
    const fromPublished = async (): Promise<RunInputs> => {
      const published = await publishedConfig(store, env, component);
      configVersion = published.version;
      const runtimes = await producerRuntimes(estate, component, stores);
      const resolved = resolveReferences(
        published.config,
        { env: env.name, file: component.file, component: component.id },
        runtimes,
      );
      ({ consumed, secrets } = resolved);
      const byRef = new Set(consumed.map((c) => c.producer));
      for (const [producer, runtime] of runtimes)
        if (!byRef.has(producer)) consumed.push({ producer, version: runtime.version, keys: [] });
      consumed.sort((a, b) => (a.producer < b.producer ? -1 : 1));
      return { config: resolved.config, ...base };
    };
    if (action === "destroy" || action === "outputs") {
      // Tearing down must work even when the config was unpublished or producers are gone:
      // fall back to the inputs of the last run.
      try {
        inputs = await fromPublished();
      } catch (error) {
        inputs = runner.runner.lastInputs(workDir);
        if (!inputs) throw error;
      }
    } else {
      inputs = await fromPublished();
    }

    const access = action === "outputs" ? { vars: {} } : await storeAccess(session, env);
    endpoint = access.endpoint;
    const job: RunJob = {
      component: { env: component.env, type: component.type, nickname: component.nickname },
      source: runner.source,
      workDir,
      inputs,
      secrets,
      env: access.vars,
      logFile: inEstate(settings, runLogFile(settings, component, action, session.now())),
      ...(runner.timeoutMs !== undefined ? { timeoutMs: runner.timeoutMs } : {}),
      ...(hooks.signal ? { signal: hooks.signal } : {}),
      ...(hooks.onProgress ? { onProgress: hooks.onProgress } : {}),
    };
    return {
      component,
      env,
      stores,
      store,
      configVersion,
      consumed,
      job,
      runner,
      ...(endpoint ? { endpoint } : {}),
    };
  } catch (error) {
    await endpoint?.close();
    throw error;
  }
}

/** Stops what `prepare` started (the stores belong to the session). */
export async function release(prepared: Prepared): Promise<void> {
  await prepared.endpoint?.close();
}
