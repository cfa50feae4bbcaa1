import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JsonObject } from "../../../core/estate/model.js";
import { type RunJob, RunnerFailedError, type RunProgress } from "../../../ports/runner.js";
import { CommandRunner } from "./runner.js";

const CANARY = "canary-0b5e-command-secret";

/** Real scripts run by /bin/sh via their shebang; the runner itself never uses a shell. */
const SCRIPTS: Record<string, string> = {
  "deploy.sh": `#!/bin/sh
# echo stdin back as part of the outputs, with what the environment said
input=$(cat)
echo "deploying $KARMA_TYPE/$KARMA_NICKNAME in $KARMA_ENVIRONMENT" >&2
printf '{"received": %s, "action": "%s", "config_env": %s, "prefix": "%s", "token": "${CANARY}", "$sensitive": ["token"]}\\n' "$input" "$KARMA_ACTION" "$KARMA_CONFIG" "$KARMA_IAC_PREFIX"
`,
  "slow.sh": `#!/bin/sh
echo "starting, will take a while" >&2
mkdir -p "$KARMA_WORK_DIR"
sleep 30 &
echo $! > "$KARMA_WORK_DIR/sleep.pid"
wait
echo '{}'
`,
  "garbage.sh": `#!/bin/sh
echo "Uploading 3 files..."
echo '{"url": "http://x"}'
`,
  "array.sh": `#!/bin/sh
echo '[1, 2]'
`,
  "fails.sh": `#!/bin/sh
echo "bucket does not exist" >&2
exit 7
`,
  "destroy.sh": `#!/bin/sh
echo "removing $KARMA_NICKNAME" >&2
echo "$KARMA_ACTION" > "$KARMA_WORK_DIR/destroyed"
`,
};

/** A zombie waiting for its reaper counts as stopped. */
function isRunning(pid: string): boolean {
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, "utf8"));
  } catch {
    return false;
  }
}

describe("CommandRunner with real programs", () => {
  let dir: string;
  const runner = new CommandRunner({ graceMs: 500 });

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "karma-cmd-"));
    for (const [name, text] of Object.entries(SCRIPTS)) {
      writeFileSync(join(dir, name), text);
      chmodSync(join(dir, name), 0o755);
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  let seq = 0;
  const job = (script: string, config: JsonObject = { site: "www" }, extra: Partial<RunJob> = {}): RunJob => {
    const nickname = `n${++seq}`;
    return {
      component: { env: "dev", type: "upload", nickname },
      source: { kind: "command", argv: [`./${script}`, "--flag"], destroyArgv: ["./destroy.sh"], cwd: dir },
      workDir: join(dir, "work", nickname),
      inputs: { config, component_name: "upload", nickname, environment: "dev", iac_prefix: "/iac" },
      logFile: join(dir, "logs", `${nickname}.log`),
      ...extra,
    };
  };

  it("passes inputs on stdin and env, reads outputs from stdout, flags sensitive ones, logs stderr", async () => {
    const j = job("deploy.sh");
    const progress: string[] = [];
    j.onProgress = (p) => progress.push(p.message);
    const plan = await runner.plan(j);
    expect(plan.summary.changes.create).toEqual(["command:deploy.sh"]);
    const result = await runner.apply(j, plan);
    expect(result.outputs.values).toEqual({
      action: "apply",
      config_env: { site: "www" },
      prefix: "/iac",
      received: {
        config: { site: "www" },
        component_name: "upload",
        nickname: j.inputs.nickname,
        environment: "dev",
        iac_prefix: "/iac",
      },
      token: CANARY,
    });
    expect(result.outputs.sensitiveKeys).toEqual(["token"]);
    expect(progress).toEqual([`deploying upload/${j.inputs.nickname} in dev`]);
    const log = readFileSync(j.logFile, "utf8");
    expect(log).toContain("deploying upload/");
    expect(log).not.toContain(CANARY);

    // same inputs again: nothing to do; other inputs: an update
    expect((await runner.plan(j)).summary.hasChanges).toBe(false);
    expect(
      (await runner.plan({ ...j, inputs: { ...j.inputs, config: { site: "new" } } })).summary.changes.update,
    ).toEqual(["command:deploy.sh"]);
    expect(await runner.outputs(j)).toEqual(result.outputs);

    const destroyed = await runner.destroy(j);
    expect(destroyed.note).toBeUndefined();
    expect(readFileSync(join(j.workDir, "destroyed"), "utf8")).toBe("destroy\n");
    expect((await runner.outputs(j)).values).toEqual({});
  });

  it("a timeout stops the whole process tree and fails clearly", async () => {
    const j = job("slow.sh", {}, { timeoutMs: 500 });
    const error = await runner.apply(j).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RunnerFailedError);
    const failure = error as RunnerFailedError;
    expect(failure.reason).toBe("timeout");
    expect(failure.message).toMatch(/slow\.sh did not finish within 500 ms/);
    expect(failure.message).toContain("starting, will take a while");
    // the grandchild (sleep 30) went too, not just the script: it is gone long before it would
    // have ended by itself (the test's own timeout is the bound, no clock is read)
    const sleepPid = readFileSync(join(j.workDir, "sleep.pid"), "utf8").trim();
    while (isRunning(sleepPid)) await new Promise((r) => setImmediate(r));
    expect(isRunning(sleepPid)).toBe(false);
    expect(await runner.outputs(j)).toEqual({ values: {}, sensitiveKeys: [] });
  });

  it("output that is not a JSON object fails, naming the component and showing the first bytes", async () => {
    const j = job("garbage.sh");
    const error = (await runner.apply(j).catch((e: unknown) => e)) as RunnerFailedError;
    expect(error).toBeInstanceOf(RunnerFailedError);
    expect(error.reason).toBe("bad-output");
    expect(error.message).toContain(`dev:upload/${j.inputs.nickname}`);
    expect(error.message).toContain('stdout began: "Uploading 3 files...');
    expect(error.fix).toMatch(/stderr/);
    expect(existsSync(join(j.workDir, "last-run.json"))).toBe(false);

    const arrayError = (await runner.apply(job("array.sh")).catch((e: unknown) => e)) as RunnerFailedError;
    expect(arrayError.reason).toBe("bad-output");
    expect(arrayError.message).toMatch(/printed an array/);
  });

  it("a non-zero exit fails with the program's stderr", async () => {
    const j = job("fails.sh");
    const error = (await runner.apply(j).catch((e: unknown) => e)) as RunnerFailedError;
    expect(error.reason).toBe("failed");
    expect(error.toolExitCode).toBe(7);
    expect(error.message).toMatch(/fails\.sh exited 7:\n\s+bucket does not exist/);
    expect(error.logFile).toBe(j.logFile);
  });

  it("a missing program is a clear error", async () => {
    const j = job("nope.sh");
    const error = (await runner.apply(j).catch((e: unknown) => e)) as RunnerFailedError;
    expect(error).toBeInstanceOf(RunnerFailedError);
    expect(error.message).toMatch(/nope\.sh: not found/);
    expect(error.fix).toMatch(/karma\.json/);
  });

  it("reports a silent program as still running, with the time it has run", async () => {
    const beating = new CommandRunner({ graceMs: 500, heartbeatMs: 50 });
    const controller = new AbortController();
    const seen: RunProgress[] = [];
    const j = job(
      "slow.sh",
      {},
      {
        signal: controller.signal,
        onProgress: (p) => {
          seen.push(p);
          if (p.heartbeat) controller.abort();
        },
      },
    );
    await beating.apply(j).catch(() => undefined);
    expect(seen.find((p) => p.heartbeat)).toEqual({
      component: j.component,
      step: "command",
      message: "still running",
      elapsedMs: 50,
      heartbeat: true,
    });
  });

  it("an abort stops the program", async () => {
    const controller = new AbortController();
    const j = job("slow.sh", {}, { signal: controller.signal, onProgress: () => controller.abort() });
    const error = (await runner.apply(j).catch((e: unknown) => e)) as RunnerFailedError;
    expect(error.reason).toBe("aborted");
  });
});
