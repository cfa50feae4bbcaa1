/**
 * `karma refs adopt [selector]`: turn pasted copies into declared references. A consumer whose
 * config holds a literal equal to a producer's runtime value (an inferred link, `consumers.ts`)
 * gets `{"$ref": "<producer>#<key>"}` in its place, written into config.json with the file's own
 * formatting kept (jsonc-parser edits only the value). A copy that matches several producers is
 * left alone with the reason: which one is meant is for a person to say.
 */
import jsonc from "jsonc-parser";
import { consumerLinks } from "../core/consumers/links.js";
import type { Problem } from "../core/errors.js";
import type { Estate } from "../core/estate/model.js";
import { inputFromEstate } from "../core/graph/inputs.js";
import { formatComponentId, parseComponentId } from "../core/ids.js";
import { parsePointer } from "../core/json/pointer.js";
import { readConsumerLinks } from "./consumers.js";
import { tryRuntimes, workingTreeGraph } from "./plan/graph-edges.js";
import { typeIndexFor } from "./plan/intents.js";
import { assertValid } from "./publish.js";
import { resolveSelection } from "./selection.js";
import type { Session } from "./session.js";

export interface Adoption {
  id: string;
  file: string;
  pointer: string;
  /** The `$ref` written. */
  ref: string;
}

export interface AdoptResult {
  adopted: Adoption[];
  /** Copies left alone, with why. */
  skipped: Array<{ id: string; pointer: string; reason: string }>;
  /** False with `dryRun`: nothing was written. */
  written: boolean;
}

/** Indentation the file already uses (for the lines jsonc-parser writes). */
function formattingOf(text: string): jsonc.FormattingOptions {
  const indent = /\n([ \t]+)"/.exec(text)?.[1] ?? "  ";
  return {
    insertSpaces: !indent.includes("\t"),
    tabSize: indent.includes("\t") ? 1 : indent.length,
    eol: text.includes("\r\n") ? "\r\n" : "\n",
  };
}

export async function adoptRefs(
  session: Session,
  estate: Estate,
  options: { selector?: string; dryRun?: boolean } = {},
): Promise<AdoptResult> {
  assertValid(estate);
  const select = await resolveSelection(session, options.selector, estate.components);
  const selected = estate.components.filter(select);
  // pasted copies as value inference finds them now, plus those the stored graph remembers
  // (a producer value that moved since is no longer equal, but the copy is still a copy)
  const problems: Problem[] = [];
  const runtimes = await tryRuntimes(session, typeIndexFor(session).index, problems);
  const now = (await workingTreeGraph(session, inputFromEstate(estate.components), runtimes)).edges;
  const remembered = (await readConsumerLinks(session, estate.components)).filter((l) => l.pasted.length);
  const links = consumerLinks(now.filter((e) => e.evidence.form === "inferred"));
  const byCopy = new Map<string, Set<string>>();
  const keyOf = new Map<string, string>();
  for (const link of [...links, ...remembered])
    for (const p of link.pasted) {
      const at = `${link.consumer}\u0000${p.pointer}`;
      const producers = byCopy.get(at) ?? new Set<string>();
      producers.add(link.producer);
      byCopy.set(at, producers);
      keyOf.set(`${at}\u0000${link.producer}`, p.producerKey);
    }

  const result: AdoptResult = { adopted: [], skipped: [], written: false };
  const edits = new Map<string, { file: string; text: string }>();
  for (const c of selected) {
    const copies = [...byCopy]
      .filter(([at]) => at.startsWith(`${c.id}\u0000`))
      .sort(([a], [b]) => (a < b ? -1 : 1));
    for (const [at, producers] of copies) {
      const pointer = at.slice(c.id.length + 1);
      if (producers.size > 1) {
        result.skipped.push({
          id: c.id,
          pointer,
          reason: `the value matches ${[...producers].sort().join(" and ")}; write the $ref to the one meant yourself`,
        });
        continue;
      }
      const producer = [...producers][0]!;
      const address = parseComponentId(producer)!;
      const name = address.env === c.env ? `${address.type}/${address.nickname}` : formatComponentId(address);
      const ref = `${name}#${keyOf.get(`${at}\u0000${producer}`) ?? ""}`;
      const entry = edits.get(c.id) ?? {
        file: c.file,
        text: session.estate.readText(c.file) ?? "",
      };
      const path = parsePointer(pointer) ?? [];
      const segments = path.map((s) => (/^\d+$/.test(s) ? Number(s) : s));
      entry.text = jsonc.applyEdits(
        entry.text,
        jsonc.modify(entry.text, segments, { $ref: ref }, { formattingOptions: formattingOf(entry.text) }),
      );
      edits.set(c.id, entry);
      result.adopted.push({ id: c.id, file: c.file, pointer, ref });
    }
  }
  if (!options.dryRun) {
    for (const { file, text } of edits.values()) session.estate.writeText(file, text);
    result.written = true;
  }
  return result;
}
