/**
 * `--lock-timeout <duration>`, as Terraform's `-lock-timeout`: how long a command that writes an
 * environment waits for the lock another command holds before giving up (default 0s: at once).
 */
import { Option } from "commander";
import { UserError } from "../core/errors.js";

const UNITS_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

/** `90`, `90s`, `5m`, `1h`, `500ms` → milliseconds (a bare number is seconds). */
export function parseLockTimeout(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(text);
  if (!match)
    throw new UserError(
      `--lock-timeout must be a duration like 30s, 5m or 1h, got "${text}"`,
      "e.g. --lock-timeout 5m (0s fails at once when another command holds the lock)",
    );
  return Math.round(Number(match[1]) * UNITS_MS[match[2] ?? "s"]!);
}

export function lockTimeoutOption(): Option {
  return new Option(
    "--lock-timeout <duration>",
    "wait this long for an environment lock another command holds, e.g. 30s, 5m (default 0s: fail at once)",
  ).argParser(parseLockTimeout);
}
