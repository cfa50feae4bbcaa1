/**
 * Finding the Terraform or OpenTofu binary and checking it is new enough. Order: the path in
 * karma.json, then `KARMA_TERRAFORM`, then `tofu` and `terraform` on PATH. An explicitly
 * configured binary that is missing or too old is an error, never silently replaced by another.
 */
import { execFile } from "node:child_process";
import { accessSync, constants, statSync } from "node:fs";
import { delimiter, isAbsolute, join, resolve } from "node:path";
import { messageOf, UserError } from "../../../core/errors.js";

export type TerraformFlavor = "terraform" | "tofu";

export interface TerraformBinary {
  path: string;
  flavor: TerraformFlavor;
  /** e.g. "1.5.7" */
  version: string;
}

/** terraform_data (the demo modules' only resource) arrived in Terraform 1.4; OpenTofu forked at 1.6. */
export const MINIMUM_VERSION: Readonly<Record<TerraformFlavor, string>> = {
  terraform: "1.4.0",
  tofu: "1.6.0",
};

export const INSTALL_HELP =
  "install OpenTofu ≥1.6 (https://opentofu.org/docs/intro/install/) or Terraform ≥1.4 " +
  "(https://developer.hashicorp.com/terraform/install), or build one with Go: " +
  "`go install github.com/hashicorp/terraform@v1.5.7`; then put it on PATH, set KARMA_TERRAFORM=/path/to/binary, " +
  'or set "terraform": {"binary": "..."} in karma.json';

export interface FindTerraformOptions {
  /** `terraform.binary` from karma.json (relative paths are resolved against `root`). */
  configured?: string;
  root?: string;
  env?: NodeJS.ProcessEnv;
}

interface Candidate {
  path: string;
  /** Where the candidate came from, for messages. */
  source: string;
  explicit: boolean;
}

export async function findTerraform(options: FindTerraformOptions = {}): Promise<TerraformBinary> {
  const env = options.env ?? process.env;
  const candidates: Candidate[] = [];
  if (options.configured) {
    candidates.push({
      path: resolveProgram(options.configured, options.root ?? process.cwd(), env.PATH),
      source: "karma.json terraform.binary",
      explicit: true,
    });
  } else if (env.KARMA_TERRAFORM) {
    candidates.push({
      path: resolveProgram(env.KARMA_TERRAFORM, process.cwd(), env.PATH),
      source: "KARMA_TERRAFORM",
      explicit: true,
    });
  } else {
    for (const name of ["tofu", "terraform"]) {
      const found = which(name, env.PATH);
      if (found) candidates.push({ path: found, source: "PATH", explicit: false });
    }
  }
  if (candidates.length === 0) {
    throw new UserError(
      "neither OpenTofu (`tofu`) nor Terraform (`terraform`) was found on PATH",
      INSTALL_HELP,
    );
  }
  const rejected: string[] = [];
  for (const candidate of candidates) {
    const verdict = await inspect(candidate.path, env);
    if ("binary" in verdict) return verdict.binary;
    const reason = `${candidate.path} (from ${candidate.source}): ${verdict.problem}`;
    if (candidate.explicit) throw new UserError(`cannot use ${reason}`, INSTALL_HELP);
    rejected.push(reason);
  }
  throw new UserError(`no usable Terraform or OpenTofu:\n  ${rejected.join("\n  ")}`, INSTALL_HELP);
}

async function inspect(
  path: string,
  env: NodeJS.ProcessEnv,
): Promise<{ binary: TerraformBinary } | { problem: string }> {
  if (!isExecutable(path)) return { problem: "not found or not executable" };
  let output: string;
  try {
    output = await versionOutput(path, env);
  } catch (error) {
    return { problem: `\`version\` failed: ${messageOf(error)}` };
  }
  const parsed = parseVersionOutput(output);
  if (!parsed)
    return {
      problem: `does not look like Terraform or OpenTofu (\`version\` printed "${output.split("\n")[0]}")`,
    };
  const minimum = MINIMUM_VERSION[parsed.flavor];
  if (compareVersions(parsed.version, minimum) < 0) {
    return {
      problem: `${parsed.flavor} ${parsed.version} is too old; Karma needs ${parsed.flavor} ≥${minimum}`,
    };
  }
  return { binary: { path, ...parsed } };
}

function versionOutput(path: string, env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    execFile(
      path,
      ["version"],
      { env: { ...env, CHECKPOINT_DISABLE: "1" }, timeout: 30_000 },
      (error, stdout) => (error ? reject(error) : resolvePromise(stdout)),
    );
  });
}

/** Parses the first line of `terraform version` / `tofu version`. */
export function parseVersionOutput(text: string): { flavor: TerraformFlavor; version: string } | undefined {
  const match = /^(Terraform|OpenTofu) v(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)/m.exec(text);
  if (!match?.[1] || !match[2]) return undefined;
  return { flavor: match[1] === "OpenTofu" ? "tofu" : "terraform", version: match[2] };
}

/** Numeric comparison of `major.minor.patch`; a pre-release sorts before its release. */
export function compareVersions(a: string, b: string): number {
  const split = (v: string) => {
    const [core = "", pre] = v.split("-", 2);
    return { nums: core.split(".").map((n) => Number.parseInt(n, 10) || 0), pre };
  };
  const x = split(a);
  const y = split(b);
  for (let i = 0; i < 3; i++) {
    const d = (x.nums[i] ?? 0) - (y.nums[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  if (x.pre && !y.pre) return -1;
  if (!x.pre && y.pre) return 1;
  return 0;
}

function resolveProgram(program: string, root: string, pathEnv: string | undefined): string {
  if (isAbsolute(program)) return program;
  if (program.includes("/")) return resolve(root, program);
  return which(program, pathEnv) ?? program;
}

export function which(name: string, pathEnv: string | undefined): string | undefined {
  for (const dir of (pathEnv ?? "").split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function isExecutable(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
