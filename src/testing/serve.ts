/** Test helper: `karma serve` as a user runs it (the built CLI), on a free port. */
import { type ChildProcess, spawn } from "node:child_process";
import { KARMA_BIN } from "./cli.js";

export interface Served {
  child: ChildProcess;
  url: string;
  output: () => string;
  stop(): Promise<number | null>;
}

/** Starts `karma serve` and waits for the line announcing its URL. */
export function serve(args: readonly string[], env: Record<string, string> = {}): Promise<Served> {
  const child = spawn(process.execPath, [KARMA_BIN, ...args], {
    env: { ...process.env, NO_COLOR: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (c: Buffer) => {
    output += c.toString();
  });
  child.stderr?.on("data", (c: Buffer) => {
    output += c.toString();
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`karma serve did not start:\n${output}`)), 60_000);
    const check = () => {
      const match = /SSM API at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (!match) return;
      clearTimeout(timer);
      child.stdout?.off("data", check);
      resolve({
        child,
        url: match[1]!,
        output: () => output,
        stop: () =>
          new Promise((done) => {
            child.once("exit", (code) => done(code));
            child.kill("SIGTERM");
          }),
      });
    };
    child.stdout?.on("data", check);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`karma serve exited with ${code}:\n${output}`));
    });
  });
}
