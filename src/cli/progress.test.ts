import { describe, expect, it } from "vitest";
import type { RunProgress } from "../ports/runner.js";
import { formatElapsed, printProgress } from "./progress.js";

const component = { env: "dev", type: "network", nickname: "main" };
const line = (message: string, elapsedMs: number): RunProgress => ({
  component,
  step: "apply",
  message,
  elapsedMs,
});
const beat = (elapsedMs: number): RunProgress => ({ ...line("still running", elapsedMs), heartbeat: true });

function printed(isTTY: boolean, events: RunProgress[]): string {
  let text = "";
  const print = printProgress({ isTTY, write: (t) => (text += t), dim: (t) => `<${t}>` });
  for (const e of events) print(e);
  return text;
}

describe("progress lines", () => {
  it("formats elapsed time compactly", () => {
    expect([0, 45_999, 60_000, 185_000, 3_720_000].map(formatElapsed)).toEqual([
      "0s",
      "45s",
      "1m00s",
      "3m05s",
      "1h02m",
    ]);
  });

  it("shows every tool line on a terminal, with component, step and elapsed time", () => {
    expect(printed(true, [line("aws_vpc.main: Creating...", 2_000), beat(30_000)])).toBe(
      "<  dev:network/main apply    2s  aws_vpc.main: Creating...>\n<  dev:network/main apply   30s  still running>\n",
    );
  });

  it("prints only the heartbeats in a CI log, so short runs stay quiet and long ones never look hung", () => {
    expect(printed(false, [line("aws_vpc.main: Creating...", 2_000), beat(30_000), beat(60_000)])).toBe(
      "  dev:network/main apply   30s  still running\n  dev:network/main apply 1m00s  still running\n",
    );
  });
});
