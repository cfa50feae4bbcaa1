/**
 * The stack of an internal error, with each frame in a built file that has a source map beside it
 * (`x.js.map`: the CLI bundle's chunks, tsc's output) pointed back at the TypeScript source, so a
 * bug report names `src/…/x.ts:line`. Done here, on demand, rather than with Node's
 * `--enable-source-maps`, which would read every loaded chunk's map on every start-up.
 */
import { readFileSync } from "node:fs";
import { SourceMap, type SourceMapPayload } from "node:module";
import { fileURLToPath } from "node:url";

const FRAME_LOCATION = /(file:\/\/[^\s()]+?\.[cm]?js):(\d+):(\d+)/g;

function loadMap(fileUrl: string): SourceMap | undefined {
  try {
    const payload = JSON.parse(readFileSync(fileURLToPath(`${fileUrl}.map`), "utf8")) as SourceMapPayload;
    return new SourceMap(payload);
  } catch {
    return undefined; // no map (or an unreadable one): the frame stays as it is
  }
}

/** `stack` with every `file://….js:line:column` that a source map covers replaced by its source position. */
export function sourceMappedStack(stack: string): string {
  const maps = new Map<string, SourceMap | undefined>();
  return stack.replace(FRAME_LOCATION, (location, fileUrl: string, line: string, column: string) => {
    if (!maps.has(fileUrl)) maps.set(fileUrl, loadMap(fileUrl));
    const map = maps.get(fileUrl);
    // SourceMap positions are zero-based; stack positions one-based
    const entry = map?.findEntry(Number(line) - 1, Number(column) - 1);
    if (!entry || !("originalSource" in entry) || !entry.originalSource) return location;
    const source = new URL(entry.originalSource, fileUrl);
    const shown = source.protocol === "file:" ? fileURLToPath(source) : source.href;
    return `${shown}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
  });
}
