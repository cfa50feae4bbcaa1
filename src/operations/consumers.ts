/**
 * Reading who consumes what (`core/consumers`) for the components of the working tree: the links
 * their declared references make (`$ref`, by name) plus the pasted copies value inference found
 * (inferred edges of the latest stored graph) that their configs still hold. Status, drift, stale
 * detection and destroy's guard read consumers here; the planner gets the same links from its
 * graph edges.
 */

import { type ConsumerLink, consumerLinks, type LinkEdge } from "../core/consumers/links.js";
import type { Component, JsonValue } from "../core/estate/model.js";
import { fingerprint } from "../core/graph/builder.js";
import { getAtPointer } from "../core/json/pointer.js";
import { declaredEdges } from "../core/planning/edges.js";
import { latestInferredEvidenceEdges } from "./inferred-edges.js";
import type { Session } from "./session.js";

/** Fingerprint of a config or runtime leaf, when it is one inference matches (string or number). */
export function leafFingerprint(
  document: JsonValue | undefined,
  pointer: string,
  known?: Map<string, string>,
): string | undefined {
  const value = document === undefined ? undefined : getAtPointer(document, pointer);
  if (typeof value !== "string" && typeof value !== "number") return undefined;
  if (known === undefined) return fingerprint(value);
  // the fingerprint hashes the value's text; a pasted value is often held by many consumers
  const text = String(value);
  let print = known.get(text);
  if (print === undefined) {
    print = fingerprint(value);
    known.set(text, print);
  }
  return print;
}

/** Inferred edges of the latest stored graph whose consumer still holds the copied value. */
async function heldPastedEdges(
  session: Session,
  components: ReadonlyMap<string, Component>,
): Promise<LinkEdge[]> {
  const edges = await latestInferredEvidenceEdges(session);
  const known = new Map<string, string>();
  return edges.filter((e) => {
    if (e.evidence.form !== "inferred") return false;
    const consumer = components.get(e.from);
    if (!consumer) return false;
    // adopted (now a $ref) or edited: not a pasted copy any more
    return (
      e.evidence.fingerprint === undefined ||
      leafFingerprint(consumer.config, e.evidence.pointer, known) === e.evidence.fingerprint
    );
  });
}

/**
 * Every consumer link of `components` (all kinds), sorted by consumer then producer. With
 * `declaredOf`, declared links are made for those components only (a caller that needs no
 * others skips deriving every component's edges); pasted copies are read for all `components`.
 */
export async function readConsumerLinks(
  session: Session,
  components: readonly Component[],
  options: { declaredOf?: readonly Component[] } = {},
): Promise<ConsumerLink[]> {
  const byId = new Map(components.map((c) => [c.id, c]));
  const declared = (options.declaredOf ?? components).flatMap((c) => declaredEdges(c.id, c.references));
  return consumerLinks([...declared, ...(await heldPastedEdges(session, byId))]);
}
