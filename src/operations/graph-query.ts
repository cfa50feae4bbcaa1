/**
 * `karma graph query --gremlin '<traversal>'`: a user's traversal, parsed on the client into
 * bytecode (never sent as a Groovy script), refused when it would change the graph unless writes
 * are allowed, and run against the store that holds the graph — which must speak Gremlin.
 */
import { UserError } from "../core/errors.js";
import type { JsonValue } from "../core/estate/model.js";
import { mutatingSteps, parseGremlin } from "../core/gremlin/parse.js";
import type { GraphStore } from "../ports/graph-store.js";

export async function queryGremlin(
  store: GraphStore,
  traversal: string,
  options: { allowWrites?: boolean } = {},
): Promise<JsonValue[]> {
  if (store.gremlin === undefined)
    throw new UserError(
      `Gremlin queries need the gremlin graph store; this estate's graph is in ${store.description}.`,
      'Set "graph": {"kind": "gremlin", "endpoint": "ws://…/gremlin"} in karma.json (and run `karma graph build`), or ask with `karma graph deps|impact|path|findings`.',
    );
  const steps = parseGremlin(traversal);
  const writes = mutatingSteps(steps);
  if (writes.length > 0 && !options.allowWrites)
    throw new UserError(
      `The traversal would change the graph (${[...new Set(writes)].map((s) => `${s}()`).join(", ")}); queries are read-only.`,
      "Add --allow-writes if you mean it (Karma's own builds may then disagree with what you wrote).",
    );
  return store.gremlin(steps);
}
