import type { ApplyOptions } from "./types.js";

/** The requester an apply's audit entries name when it is not the session's actor (the door is always the session's). */
export function actorOf(options: ApplyOptions): { actor?: string } {
  return options.requestedBy !== undefined ? { actor: options.requestedBy } : {};
}
