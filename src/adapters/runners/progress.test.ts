import { tmpdir } from "node:os";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { RunProgress } from "../../ports/runner.js";
import { runChild } from "./child-process.js";
import { HEARTBEAT_MS, stepProgress } from "./progress.js";

const component = { env: "dev", type: "network", nickname: "main" };

describe("stepProgress", () => {
  it("stamps each line with the time since the step started", () => {
    let clock = 1_000;
    const seen: RunProgress[] = [];
    const progress = stepProgress(
      { component, onProgress: (p) => seen.push(p) },
      "apply",
      HEARTBEAT_MS,
      () => clock,
    );
    clock += 12_345.6;
    progress.line("aws_vpc.main: Creating...");
    expect(seen).toEqual([
      { component, step: "apply", message: "aws_vpc.main: Creating...", elapsedMs: 12_346 },
    ]);
    progress.heartbeat?.onBeat(30_000);
    expect(seen[1]).toEqual({
      component,
      step: "apply",
      message: "still running",
      elapsedMs: 30_000,
      heartbeat: true,
    });
  });

  it("asks for no heartbeat when nobody listens", () => {
    expect(stepProgress({ component }, "apply").heartbeat).toBeUndefined();
  });
});

describe("runChild heartbeat", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("beats every interval while a silent child runs, and stops when it ends", async () => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    const beats: number[] = [];
    const controller = new AbortController();
    const run = runChild({
      // silent until stopped: like a long `terraform apply` between two resources
      argv: [process.execPath, "-e", "setInterval(() => {}, 1 << 30)"],
      cwd: tmpdir(),
      env: process.env,
      signal: controller.signal,
      interruptSignal: "SIGTERM",
      heartbeat: { everyMs: 30_000, onBeat: (ms) => beats.push(ms) },
    });
    vi.advanceTimersByTime(95_000);
    expect(beats).toEqual([30_000, 60_000, 90_000]);
    controller.abort();
    const result = await run;
    expect(result.aborted).toBe(true);
    vi.advanceTimersByTime(120_000);
    expect(beats).toHaveLength(3);
  });
});
