/**
 * Opening a URL in the user's browser, for `karma ui`: `$BROWSER` when set, else the platform's
 * opener (`open` on macOS, `start` on Windows, `xdg-open` elsewhere). Best effort by design — a
 * server over SSH or in a container has no browser, and that is no reason to fail — so every
 * outcome is reported, never thrown.
 */
import { spawn } from "node:child_process";

export type OpenOutcome = { opened: true; with: string } | { opened: false; reason: string };

/** The command that opens `url` here. */
export function openerFor(
  url: string,
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform,
): { command: string; args: string[] } {
  const browser = env.BROWSER?.trim();
  if (browser) return { command: browser, args: [url] };
  if (platform === "darwin") return { command: "open", args: [url] };
  if (platform === "win32") return { command: "cmd", args: ["/c", "start", '""', url] };
  return { command: "xdg-open", args: [url] };
}

/**
 * Starts the opener. Resolves once it started (or could not start); `onFailed` hears of an opener
 * that started but then failed (xdg-open with no browser to hand the URL to exits non-zero).
 * The opener is not waited for: a browser started directly may run until the user closes it.
 */
export function openUrl(
  url: string,
  onFailed: (reason: string) => void = () => {},
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): Promise<OpenOutcome> {
  const { command, args } = openerFor(url, env, platform);
  return new Promise((resolve) => {
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(command, args, { stdio: "ignore", detached: true });
    } catch (error) {
      resolve({
        opened: false,
        reason: `${command}: ${error instanceof Error ? error.message : String(error)}`,
      });
      return;
    }
    child.once("error", (error: NodeJS.ErrnoException) =>
      resolve({
        opened: false,
        reason: error.code === "ENOENT" ? `${command} was not found` : `${command}: ${error.message}`,
      }),
    );
    child.once("spawn", () => {
      child.once("exit", (code, signal) => {
        if (code !== 0) onFailed(`${command} ${signal ? `was killed (${signal})` : `exited with ${code}`}`);
      });
      // the opener must not keep `karma ui` from stopping on Ctrl-C
      child.unref();
      resolve({ opened: true, with: command });
    });
  });
}
