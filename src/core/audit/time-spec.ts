/**
 * Times a user types for `--since`, `--until`, `--before`, `--after`:
 *
 * - an ISO 8601 timestamp: `2026-11-28T14:30:00Z`, `2026-11-28T14:30:00+01:00`, `2026-11-28T14:30`
 *   (no zone = UTC, so the same command means the same instant on every machine);
 * - a date: `2026-11-28` — the start of that day (UTC), or its end when the time bounds a range
 *   from above (`--until 2026-11-28` includes the whole 28th);
 * - a duration ago: `90s`, `30m`, `2h`, `3d`, `1w` (also `2 hours`, `3days`);
 * - `now`.
 *
 * Pure: the current time is passed in.
 */
import { UserError } from "../errors.js";

export interface TimeSpecOptions {
  /** The current time, for relative specs. */
  now: Date;
  /** How a bare date is read: start of the day (default) or end of it (exclusive next midnight). */
  dateOnly?: "start" | "end";
  /** The option being parsed, for the error message, e.g. "--since". */
  option?: string;
}

const UNIT_MS: Record<string, number> = {
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

const UNIT_ALIASES: Record<string, string> = {
  s: "s",
  sec: "s",
  secs: "s",
  second: "s",
  seconds: "s",
  m: "m",
  min: "m",
  mins: "m",
  minute: "m",
  minutes: "m",
  h: "h",
  hr: "h",
  hrs: "h",
  hour: "h",
  hours: "h",
  d: "d",
  day: "d",
  days: "d",
  w: "w",
  week: "w",
  weeks: "w",
};

const RELATIVE = /^(\d+(?:\.\d+)?)\s*([a-z]+)(?:\s+ago)?$/;
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$/i;

function invalid(text: string, option: string | undefined, why: string): UserError {
  const what = option ? `${option} "${text}"` : `"${text}"`;
  return new UserError(
    `${what} is not a time I understand: ${why}`,
    "use an ISO timestamp (2026-11-28T14:30:00Z), a date (2026-11-28), a duration ago (30m, 2h, 3d, 1w) or now",
  );
}

function validCalendarDate(year: number, month: number, day: number): boolean {
  const probe = new Date(Date.UTC(year, month - 1, day));
  return probe.getUTCFullYear() === year && probe.getUTCMonth() === month - 1 && probe.getUTCDate() === day;
}

/** Parses a time spec; throws a `UserError` naming the option and the accepted forms. */
export function parseTimeSpec(text: string, options: TimeSpecOptions): Date {
  const spec = text.trim().toLowerCase();
  const { now, option } = options;
  if (spec === "") throw invalid(text, option, "it is empty");
  if (spec === "now") return new Date(now.getTime());

  const relative = RELATIVE.exec(spec);
  if (relative) {
    const unit = UNIT_ALIASES[relative[2]!];
    if (unit === undefined) throw invalid(text, option, `unknown unit "${relative[2]}"`);
    return new Date(now.getTime() - Math.round(Number(relative[1]) * UNIT_MS[unit]!));
  }

  const date = DATE_ONLY.exec(spec);
  if (date) {
    const [year, month, day] = [Number(date[1]), Number(date[2]), Number(date[3])];
    if (!validCalendarDate(year, month, day)) throw invalid(text, option, "no such date");
    const start = Date.UTC(year, month - 1, day);
    return new Date(options.dateOnly === "end" ? start + UNIT_MS.d! : start);
  }

  const dateTime = DATE_TIME.exec(text.trim());
  if (dateTime) {
    const [year, month, day] = [Number(dateTime[1]), Number(dateTime[2]), Number(dateTime[3])];
    const [hour, minute, second] = [Number(dateTime[4]), Number(dateTime[5]), Number(dateTime[6] ?? 0)];
    if (!validCalendarDate(year, month, day) || hour > 23 || minute > 59 || second > 59)
      throw invalid(text, option, "no such date or time");
    const millis = Number((dateTime[7] ?? "0").padEnd(3, "0").slice(0, 3));
    let ms = Date.UTC(year, month - 1, day, hour, minute, second, millis);
    const zone = dateTime[8];
    if (zone !== undefined && zone.toUpperCase() !== "Z") {
      const sign = zone.startsWith("-") ? -1 : 1;
      const digits = zone.slice(1).replace(":", "");
      const offset = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4));
      ms -= sign * offset * 60_000;
    }
    return new Date(ms);
  }

  throw invalid(text, option, "unrecognised format");
}
