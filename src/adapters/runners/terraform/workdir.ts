/**
 * The per-component working directory. The module is copied fresh into `root/` for every run
 * (so a type's module can be shared by many components without their `.terraform`, plans or
 * generated files colliding), next to Karma's generated files:
 *
 *   <workDir>/root/                    copy of the type's module
 *   <workDir>/root/karma.auto.tfvars.json   config, component_name, nickname, environment, iac_prefix
 *   <workDir>/root/karma_override.tf.json   the backend: local state under .karma/state/ by default
 *   <workDir>/data/                    TF_DATA_DIR: providers and backend init survive between runs
 *   <workDir>/plan.tfplan              the saved plan `apply` carries out
 *
 * The module's own `.terraform.lock.hcl` wins; without one, the lock file Terraform wrote in an
 * earlier run is kept so providers are not re-resolved every time.
 */
import { cpSync, existsSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { UserError } from "../../../core/errors.js";
import type { ComponentAddress } from "../../../core/estate/model.js";
import type { RunInputs } from "../../../ports/runner.js";
import { makePrivateDir } from "../../fs/private-files.js";

/** Where Terraform keeps a component's state. */
export type TerraformStateSettings =
  /** Local state file at `<root>/<env>/<type>/<nickname>/terraform.tfstate`. */
  | { kind: "local"; root: string }
  /**
   * The team's backend (e.g. `s3`): the override file declares `backend "<type>" {}` and each
   * config entry becomes `-backend-config=key=value`. Values may use `{env}`, `{type}` and
   * `{nickname}`; an s3/azurerm backend without `key` gets `<type>/<nickname>/terraform.tfstate`.
   */
  | { kind: "backend"; type: string; config: Readonly<Record<string, string>> };

export interface PreparedWorkDir {
  rootDir: string;
  dataDir: string;
  planFile: string;
  /** `-backend-config=…` arguments for `init`. */
  backendArgs: string[];
}

export const TFVARS_FILE = "karma.auto.tfvars.json";
export const OVERRIDE_FILE = "karma_override.tf.json";
const LOCK_FILE = ".terraform.lock.hcl";

export function workDirPaths(workDir: string): Pick<PreparedWorkDir, "rootDir" | "dataDir" | "planFile"> {
  return {
    rootDir: join(workDir, "root"),
    dataDir: join(workDir, "data"),
    planFile: join(workDir, "plan.tfplan"),
  };
}

export function localStateFile(root: string, address: ComponentAddress): string {
  return join(root, address.env, address.type, address.nickname, "terraform.tfstate");
}

/**
 * Files Terraform writes with its own mode (0644) that hold values, sensitive ones included: the
 * local state and its backup, the backend settings cached in the data dir, the saved plan.
 */
export function valueFiles(
  workDir: string,
  address: ComponentAddress,
  state: TerraformStateSettings,
): string[] {
  const { dataDir, planFile } = workDirPaths(workDir);
  const files = [join(dataDir, "terraform.tfstate"), planFile];
  if (state.kind === "local") {
    const stateFile = localStateFile(state.root, address);
    files.push(stateFile, `${stateFile}.backup`);
  }
  return files;
}

export function prepareWorkDir(
  workDir: string,
  moduleDir: string,
  address: ComponentAddress,
  inputs: RunInputs,
  state: TerraformStateSettings,
): PreparedWorkDir {
  if (!existsSync(moduleDir) || !statSync(moduleDir).isDirectory()) {
    throw new UserError(
      `the module for type "${address.type}" is missing: ${moduleDir} is not a directory`,
      `create the module there, or point "types.${address.type}.module" in karma.json at it`,
    );
  }
  const paths = workDirPaths(workDir);
  makePrivateDir(workDir);
  const previousLock = join(paths.rootDir, LOCK_FILE);
  const keptLock = existsSync(previousLock) ? readFileSync(previousLock) : undefined;
  rmSync(paths.rootDir, { recursive: true, force: true });
  cpSync(moduleDir, paths.rootDir, {
    recursive: true,
    filter: (source) => {
      const name = basename(source);
      return !(
        name === ".terraform" ||
        name === ".git" ||
        /\.tfstate(\.|$)/.test(name) ||
        name === TFVARS_FILE
      );
    },
  });
  if (keptLock && !existsSync(previousLock)) writeFileSync(previousLock, keptLock);
  makePrivateDir(paths.dataDir);

  writeFileSync(join(paths.rootDir, TFVARS_FILE), `${JSON.stringify(inputs, null, 2)}\n`, { mode: 0o600 });

  let backendArgs: string[] = [];
  let backend: Record<string, Record<string, string>>;
  if (state.kind === "local") {
    const stateFile = localStateFile(state.root, address);
    makePrivateDir(join(stateFile, ".."));
    backend = { local: { path: escapeTemplate(stateFile) } };
  } else {
    backend = { [state.type]: {} };
    backendArgs = backendConfigArgs(state, address);
  }
  // An override file replaces whatever backend the module declares, and adds one where it declares none.
  writeFileSync(
    join(paths.rootDir, OVERRIDE_FILE),
    `${JSON.stringify({ terraform: { backend } }, null, 2)}\n`,
  );
  return { ...paths, backendArgs };
}

export function backendConfigArgs(
  state: Extract<TerraformStateSettings, { kind: "backend" }>,
  address: ComponentAddress,
): string[] {
  const config: Record<string, string> = { ...state.config };
  if (config.key === undefined && (state.type === "s3" || state.type === "azurerm")) {
    config.key = "{type}/{nickname}/terraform.tfstate";
  }
  return Object.keys(config)
    .sort()
    .map((k) => `-backend-config=${k}=${fillPlaceholders(config[k] ?? "", address)}`);
}

function fillPlaceholders(value: string, address: ComponentAddress): string {
  return value
    .replaceAll("{env}", address.env)
    .replaceAll("{type}", address.type)
    .replaceAll("{nickname}", address.nickname);
}

/** JSON-syntax Terraform strings are templates: a literal `${` or `%{` must be doubled. */
function escapeTemplate(text: string): string {
  return text.replaceAll("${", "$${").replaceAll("%{", "%%{");
}
