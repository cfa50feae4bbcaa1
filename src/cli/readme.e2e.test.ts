/**
 * The README's first-hour commands, run verbatim in a shell as a new user types them: the quick
 * start's `npx karma demo`, then the tour's SSM lines (export credentials, `karma serve --auth
 * sigv4 &`, the `aws … ssm get-parameter` line) with the Debian AWS CLI, and the explorer
 * section's token, `karma serve` and curl lines against the HTTP API. A README edit that breaks
 * them, or a server change that makes them fail, fails here.
 *
 * `karma serve` listens on the README's port 4510, so the shell runs in its own network
 * namespace (`unshare -n`, as root) where no other test or helper can hold that port.
 */
import { type ChildProcessWithoutNullStreams, execFileSync, spawn } from "node:child_process";
import { mkdirSync, readFileSync, symlinkSync } from "node:fs";
import net from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import {
  AWS_CLI,
  awsCliMissing,
  describeWithEngine,
} from "../adapters/parameter-store/ssm/testing/engines.js";
import { KARMA_BIN, tempDir } from "../testing/cli.js";

const README = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
const PORT = 4510;

/** The body of the first ```sh block after the heading `## <title>`. */
function shBlock(title: string): string[] {
  const section = README.slice(README.indexOf(`\n## ${title}\n`));
  const match = /```sh\n([\s\S]*?)```/.exec(section);
  if (!match?.[1]) throw new Error(`README: no sh block under "## ${title}"`);
  return match[1].split("\n").filter((l) => l.trim() !== "");
}

/** Every ```sh block under the heading `## <title>` (up to the next `## `), continuation lines joined. */
function shBlocks(title: string): string[][] {
  const start = README.indexOf(`\n## ${title}\n`);
  if (start < 0) throw new Error(`README: no "## ${title}"`);
  const end = README.indexOf("\n## ", start + 1);
  const section = README.slice(start, end < 0 ? undefined : end);
  return [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) =>
    (m[1] ?? "")
      .replace(/\\\n\s*/g, "")
      .split("\n")
      .filter((l) => l.trim() !== ""),
  );
}

/** The tour's lines from the credentials export through the `aws` line, as printed. */
function tourSsmLines(): string[] {
  const tour = shBlock("A tour");
  const from = tour.findIndex((l) => l.startsWith("export AWS_ACCESS_KEY_ID="));
  const to = tour.findIndex((l) => l.startsWith("aws "));
  if (from < 0 || to < from) throw new Error("README tour: no `export AWS_ACCESS_KEY_ID=…` … `aws …` lines");
  return tour.slice(from, to + 1);
}

/** How to get a private port 4510: a network namespace, else the machine's own if it is free. */
function isolation(): { prefix: string[]; missing?: string } {
  try {
    execFileSync("unshare", ["-n", "ip", "link", "set", "lo", "up"], { stdio: "ignore" });
    return { prefix: ["unshare", "-n", "bash", "-c", "ip link set lo up && exec bash"] };
  } catch {
    return { prefix: ["bash"] };
  }
}

async function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/** A bash fed line by line; output is collected and waited on by content, never by time. */
class Shell {
  readonly child: ChildProcessWithoutNullStreams;
  out = "";
  err = "";
  private waiters: Array<() => void> = [];

  constructor(argv: string[], cwd: string, env: NodeJS.ProcessEnv) {
    this.child = spawn(argv[0]!, argv.slice(1), { cwd, env, detached: true });
    const feed = (which: "out" | "err") => (chunk: Buffer) => {
      this[which] += chunk.toString("utf8");
      for (const w of this.waiters) w();
    };
    this.child.stdout.on("data", feed("out"));
    this.child.stderr.on("data", feed("err"));
    this.child.on("close", () => {
      for (const w of this.waiters) w();
    });
  }

  until(done: () => boolean, what: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (done()) {
          this.waiters = this.waiters.filter((w) => w !== check);
          resolve();
        } else if (this.child.exitCode !== null || this.child.signalCode !== null) {
          reject(new Error(`the shell ended while waiting for ${what}:\n${this.out}\n${this.err}`));
        }
      };
      this.waiters.push(check);
      check();
    });
  }

  /** Runs one line; resolves with its exit status and what it printed on stdout. */
  async run(line: string): Promise<{ status: number; stdout: string; stderr: string }> {
    const marker = `__karma_readme_${Math.random().toString(36).slice(2)}`;
    const [outStart, errStart] = [this.out.length, this.err.length];
    this.child.stdin.write(`${line}\necho "${marker} $?"\n`);
    const pattern = new RegExp(`${marker} (\\d+)\\n`);
    await this.until(() => pattern.test(this.out), line);
    const status = Number(pattern.exec(this.out)![1]);
    const stdout = this.out.slice(outStart, this.out.indexOf(marker, outStart));
    return { status, stdout, stderr: this.err.slice(errStart) };
  }

  kill(): void {
    if (this.child.pid === undefined || this.child.exitCode !== null) return;
    try {
      process.kill(-this.child.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
}

const { prefix } = isolation();
const namespaced = prefix[0] === "unshare";
const missing =
  awsCliMissing() ??
  (!namespaced && !(await portFree(PORT))
    ? `port ${PORT} is taken and no network namespace is available (unshare -n needs root)`
    : undefined);

describeWithEngine("README commands, verbatim", missing, () => {
  let shell: Shell;
  let home: string;
  let shellEnv: NodeJS.ProcessEnv;

  beforeAll(() => {
    home = tempDir("readme");
    // `npx karma` as in a fresh clone after `npm install`: the package's bin, no registry lookup
    mkdirSync(join(home, "node_modules", ".bin"), { recursive: true });
    symlinkSync(KARMA_BIN, join(home, "node_modules", ".bin", "karma"));
    // the Debian AWS CLI the conformance tests use, whatever else `aws` is on PATH
    mkdirSync(join(home, "bin"));
    symlinkSync(AWS_CLI, join(home, "bin", "aws"));
    const env: NodeJS.ProcessEnv = {
      PATH: `${join(home, "bin")}:${process.env.PATH ?? "/usr/bin:/bin"}`,
      HOME: home,
      AWS_CONFIG_FILE: join(home, ".aws", "config"),
      AWS_SHARED_CREDENTIALS_FILE: join(home, ".aws", "credentials"),
      AWS_PAGER: "",
      NO_COLOR: "1",
      npm_config_yes: "false",
      ...(process.env.KARMA_TERRAFORM ? { KARMA_TERRAFORM: process.env.KARMA_TERRAFORM } : {}),
    };
    shellEnv = env;
    shell = new Shell(prefix, home, env);
  });
  afterAll(() => shell?.kill());

  it("shows `karma serve --auth sigv4` with the shell's credentials first", () => {
    const serveLines = README.split("\n").filter((l) => /^(npx )?karma .*\bserve\b/.test(l));
    expect(serveLines[0]).toMatch(/serve --auth sigv4/);
    const lines = tourSsmLines();
    expect(lines[0]).toMatch(/^export AWS_ACCESS_KEY_ID=\S+ AWS_SECRET_ACCESS_KEY=/);
    expect(lines.some((l) => /serve --auth sigv4 &/.test(l))).toBe(true);
  });

  it("runs the quick start's demo, then the tour's serve and aws lines as printed", async () => {
    const quick = shBlock("Quick start").flatMap((l) => l.split("&&").map((s) => s.trim()));
    const demo = quick.find((l) => l.startsWith("npx karma demo"));
    expect(demo, "README quick start: npx karma demo").toBeDefined();
    const made = await shell.run(demo!);
    expect(made.status, made.stderr).toBe(0);

    let aws: Awaited<ReturnType<Shell["run"]>> | undefined;
    for (const line of tourSsmLines()) {
      if (/&\s*(#.*)?$/.test(line)) {
        shell.child.stdin.write(`${line}\n`);
        await shell.until(
          () => /karma serve: SSM API at .*auth: sigv4/.test(shell.out + shell.err),
          "karma serve to listen",
        );
      } else {
        const run = await shell.run(line);
        expect(run.status, `${line}\n${run.stderr}`).toBe(0);
        if (line.startsWith("aws ")) aws = run;
      }
    }
    expect(JSON.parse(aws!.stdout).Parameter).toMatchObject({
      Name: "/iac/network/main/config",
      Type: "String",
      Version: 1,
    });
    expect(JSON.parse(JSON.parse(aws!.stdout).Parameter.Value)).toHaveProperty("cidr");

    // sigv4 really verifies: the same line signed with another secret is refused
    const awsLine = tourSsmLines().find((l) => l.startsWith("aws "))!;
    const forged = await shell.run(`AWS_SECRET_ACCESS_KEY=not-the-secret ${awsLine}`);
    expect(forged.status).not.toBe(0);
    expect(forged.stderr).toMatch(/signature/i);
    expect(forged.stdout).toBe("");
  });

  // the tour's server holds port 4510 in the first shell's namespace: a second namespace has it free
  it.skipIf(!namespaced)("runs the explorer section's serve and curl lines as printed", async () => {
    const shell = new Shell(prefix, home, shellEnv);
    try {
      await explorerSection(shell);
    } finally {
      shell.kill();
    }
  });
});

/** The explorer section's first block (token, serve) and its curl block, in `shell`, on the demo. */
async function explorerSection(shell: Shell): Promise<void> {
  const [start, calls] = shBlocks("The explorer and the HTTP API");
  expect(start?.some((l) => /karma -C karma-demo serve\b/.test(l))).toBe(true);
  for (const line of start ?? []) {
    if (/\bkarma -C karma-demo ui\b/.test(line)) continue; // would open a second server
    if (/\bkarma -C karma-demo serve\b/.test(line)) {
      shell.child.stdin.write(`${line.replace(/\s+#.*$/, "")} &\n`);
      await shell.until(
        () => /karma serve: explorer at http:\/\/127\.0\.0\.1:4510\//.test(shell.out),
        "karma serve's explorer to listen",
      );
    } else {
      const run = await shell.run(line);
      expect(run.status, `${line}\n${run.stderr}`).toBe(0);
    }
  }
  const outputs: string[] = [];
  for (const line of calls ?? []) {
    const run = await shell.run(line);
    expect(run.status, `${line}\n${run.stderr}`).toBe(0);
    outputs.push(run.stdout);
  }
  const [impact, component, plan, change, log] = outputs;
  expect(JSON.parse(impact ?? "")[0]).toEqual(["dev:network/main"]);
  expect(component).toMatch(/^"in-sync"\n/);
  expect(plan).toMatch(/"changed": 1,/);
  expect(JSON.parse(change ?? "")).toMatchObject({ status: "approved", component: "dev:service/api" });
  expect(log).toMatch(/change_request\s+ok\s+dev:service\/api\s+alice/);
}
