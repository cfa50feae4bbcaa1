/** What every `karma graph` read shares: its options, parsed, and the graph store it reads. */
import type { Command } from "commander";
import { UserError } from "../../../core/errors.js";
import type { Session } from "../../../operations/session.js";
import type { GraphStore } from "../../../ports/graph-store.js";
import { withSessionFrom } from "../../context.js";

export interface ReadOptions {
  json?: boolean;
  at?: string;
}

export function parsePositive(text: string | undefined, what: string): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) < 1) {
    throw new UserError(`${what} must be a positive whole number, got ${JSON.stringify(text)}.`);
  }
  return Number(text);
}

/** Runs `fn` on the estate's graph store, or the what-if area's with `--what-if`. */
export async function withGraph<T>(
  cmd: Command,
  fn: (store: GraphStore, session: Session) => Promise<T>,
): Promise<T> {
  const whatIf = cmd.opts<{ whatIf?: boolean }>().whatIf === true;
  return withSessionFrom(cmd, async (session) => fn(await session.graph({ whatIf }), session));
}

/** `deps` and `impact` options, parsed. */
export function walkOptions(opts: ReadOptions & { depth?: string }): { depth?: number; version?: number } {
  return { version: parsePositive(opts.at, "--at"), depth: parsePositive(opts.depth, "--depth") };
}
