/** The estates the torture sections work on, written fresh into a folder and committed to Git. */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { writeJson } from "./harness.js";

/** Makes `dir` a Git repository with everything committed. */
export function commitAll(dir: string): void {
  const git = (...args: string[]) =>
    execFileSync("git", ["-c", "user.email=torture@karma.invalid", "-c", "user.name=torture", ...args], {
      cwd: dir,
      stdio: "ignore",
    });
  git("init", "-q", "-b", "main");
  git("add", "-A");
  git("commit", "-qm", "estate");
}

/** `n` components of type `svc` in `dev`, each depending on an earlier one: publish and graph build work. */
export function bigEstate(dir: string, n: number): string {
  writeJson(path.join(dir, "karma.json"), { environments: ["dev"] });
  for (let i = 0; i < n; i++) {
    const nick = `c${String(i).padStart(5, "0")}`;
    const config: Record<string, unknown> = { size: i, name: `component ${i}`, tags: { team: `t${i % 7}` } };
    if (i > 0) config.depends_on = [`svc/c${String((i * 7) % i).padStart(5, "0")}`];
    writeJson(path.join(dir, "iac/dev/svc", nick, "config.json"), config);
  }
  commitAll(dir);
  return dir;
}

/**
 * A command runner that echoes JSON outputs from the config, optionally marking some sensitive
 * (`$sensitive`), so apply needs no Terraform.
 */
const STEP = `let input = "";
for await (const chunk of process.stdin) input += chunk;
const { config, nickname } = JSON.parse(input);
const out = { id: nickname + "-" + (config.n ?? 0), upstream: config.upstream ?? null };
if (config.secret) { out.password = process.env.TORTURE_CANARY ?? "no canary"; out.$sensitive = ["password"]; }
process.stdout.write(JSON.stringify(out));
`;

/** `n` command components in `dev`: a chain of $refs, each consuming the previous one's id. */
export function commandEstate(
  dir: string,
  n: number,
  extra: (i: number) => Record<string, unknown> = () => ({}),
): string {
  writeJson(path.join(dir, "karma.json"), {
    environments: ["dev"],
    types: { step: { runner: "command", command: ["node", "types/step/deploy.mjs"], timeout: 60 } },
  });
  fs.mkdirSync(path.join(dir, "types/step"), { recursive: true });
  fs.writeFileSync(path.join(dir, "types/step/deploy.mjs"), STEP);
  for (let i = 0; i < n; i++) {
    const config: Record<string, unknown> = { n: 1, ...extra(i) };
    if (i % 3 !== 0) config.upstream = { $ref: `step/s${String(i - 1).padStart(3, "0")}#/id` };
    writeJson(path.join(dir, "iac/dev/step", `s${String(i).padStart(3, "0")}`, "config.json"), config);
  }
  commitAll(dir);
  return dir;
}

export function commitChanges(dir: string, message: string): void {
  const git = (...args: string[]) =>
    execFileSync("git", ["-c", "user.email=torture@karma.invalid", "-c", "user.name=torture", ...args], {
      cwd: dir,
      stdio: "ignore",
    });
  git("add", "-A");
  git("commit", "-qm", message);
}
