/**
 * Runs one child process for a runner: argv without a shell, stdout/stderr split into lines as
 * they arrive, an optional timeout, and a clean stop on abort. The child gets its own process
 * group, so a terminal Ctrl-C reaches only Karma, which then interrupts the child exactly once
 * (Terraform treats a second SIGINT as "stop now, leave the lock") and can stop the whole tree.
 */
import { spawn } from "node:child_process";

export interface ChildRunOptions {
  argv: readonly string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Written to stdin, which is then closed. Without it stdin is empty. */
  stdin?: string;
  signal?: AbortSignal;
  timeoutMs?: number;
  /** First signal on abort/timeout: SIGINT lets Terraform finish the current step and release its lock. */
  interruptSignal?: NodeJS.Signals;
  /** How long to wait after each signal before escalating (interrupt → SIGTERM → SIGKILL). */
  graceMs?: number;
  onStdoutLine?: (line: string) => void;
  onStderrLine?: (line: string) => void;
  /** Keep stdout in the result (up to this many bytes; more is an overflow). */
  captureStdoutBytes?: number;
  /** Called every `everyMs` while the child runs, with the time since it started. */
  heartbeat?: { everyMs: number; onBeat: (elapsedMs: number) => void };
}

export interface ChildRunResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** Captured stdout (only with `captureStdoutBytes`). */
  stdout: string;
  stdoutOverflow: boolean;
  /** The last lines of stderr, for error messages. */
  stderrTail: string[];
  timedOut: boolean;
  aborted: boolean;
}

/** Thrown when the program cannot be started at all (not found, not executable). */
export class ChildStartError extends Error {
  override name = "ChildStartError";
  constructor(
    readonly program: string,
    readonly code: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(`cannot run ${program}: ${code === "ENOENT" ? "not found" : (code ?? "unknown error")}`, options);
  }
}

const STDERR_TAIL_LINES = 40;

export function runChild(options: ChildRunOptions): Promise<ChildRunResult> {
  const [program, ...args] = options.argv;
  if (program === undefined) throw new Error("runChild: empty argv");
  const grace = options.graceMs ?? 10_000;
  return new Promise((resolvePromise, reject) => {
    if (options.signal?.aborted) {
      resolvePromise(emptyResult({ aborted: true }));
      return;
    }
    const child = spawn(program, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ["pipe", "pipe", "pipe"],
      detached: true,
      shell: false,
    });
    let stdout = "";
    let stdoutBytes = 0;
    let stdoutOverflow = false;
    const stderrTail: string[] = [];
    let timedOut = false;
    let aborted = false;
    const timers: NodeJS.Timeout[] = [];
    const beat = options.heartbeat;
    let beats = 0;
    // counted, not measured: beat n is n intervals in, whatever the clock does in between
    const heartbeat =
      beat && beat.everyMs > 0
        ? setInterval(() => beat.onBeat(++beats * beat.everyMs), beat.everyMs)
        : undefined;
    heartbeat?.unref();
    let stopping = false;
    let closed = false;

    const signalGroup = (sig: NodeJS.Signals) => {
      // The group, not just the child: grandchildren (a shell's jobs, local-exec) go too. Checked
      // against `closed` rather than the child's exit, since grandchildren may outlive it.
      if (child.pid === undefined || closed) return;
      try {
        process.kill(-child.pid, sig);
      } catch {
        // the group is already gone
      }
    };
    const stop = () => {
      if (stopping) return;
      stopping = true;
      signalGroup(options.interruptSignal ?? "SIGTERM");
      timers.push(
        setTimeout(() => {
          signalGroup("SIGTERM");
          timers.push(setTimeout(() => signalGroup("SIGKILL"), grace));
        }, grace),
      );
    };
    const onAbort = () => {
      aborted = true;
      stop();
    };
    options.signal?.addEventListener("abort", onAbort, { once: true });
    if (options.timeoutMs !== undefined && options.timeoutMs > 0) {
      timers.push(
        setTimeout(() => {
          timedOut = true;
          stop();
        }, options.timeoutMs),
      );
    }

    const stdoutLines = lineSplitter((line) => options.onStdoutLine?.(line));
    const stderrLines = lineSplitter((line) => {
      stderrTail.push(line);
      if (stderrTail.length > STDERR_TAIL_LINES) stderrTail.shift();
      options.onStderrLine?.(line);
    });
    child.stdout.setEncoding("utf8");
    child.stderr.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      if (options.captureStdoutBytes !== undefined) {
        stdoutBytes += Buffer.byteLength(chunk);
        if (stdoutBytes > options.captureStdoutBytes) stdoutOverflow = true;
        else stdout += chunk;
      }
      stdoutLines.push(chunk);
    });
    child.stderr.on("data", (chunk: string) => stderrLines.push(chunk));
    // A child that exits without reading stdin makes the write fail with EPIPE; that is not our error.
    child.stdin.on("error", () => {});
    child.stdin.end(options.stdin ?? "");

    child.once("error", (error: NodeJS.ErrnoException) => {
      cleanup();
      reject(new ChildStartError(program, error.code, { cause: error }));
    });
    child.once("close", (exitCode, signal) => {
      closed = true;
      cleanup();
      stdoutLines.flush();
      stderrLines.flush();
      resolvePromise({ exitCode, signal, stdout, stdoutOverflow, stderrTail, timedOut, aborted });
    });

    function cleanup() {
      clearInterval(heartbeat);
      for (const t of timers) clearTimeout(t);
      options.signal?.removeEventListener("abort", onAbort);
    }
  });
}

function emptyResult(over: Partial<ChildRunResult>): ChildRunResult {
  return {
    exitCode: null,
    signal: null,
    stdout: "",
    stdoutOverflow: false,
    stderrTail: [],
    timedOut: false,
    aborted: false,
    ...over,
  };
}

function lineSplitter(onLine: (line: string) => void) {
  let pending = "";
  return {
    push(chunk: string) {
      pending += chunk;
      let nl = pending.indexOf("\n");
      while (nl !== -1) {
        onLine(pending.slice(0, nl).replace(/\r$/, ""));
        pending = pending.slice(nl + 1);
        nl = pending.indexOf("\n");
      }
    },
    flush() {
      if (pending !== "") onLine(pending);
      pending = "";
    },
  };
}
