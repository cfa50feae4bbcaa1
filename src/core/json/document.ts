/**
 * The machine-readable documents Karma answers — `--json` on the CLI, the HTTP API — carry a
 * `version`, bumped on breaking changes to their shape, so both doors answer the same document.
 */
export const JSON_DOCUMENT_VERSION = 1;

export function versionedDocument<T extends object>(document: T): { version: number } & T {
  return { version: JSON_DOCUMENT_VERSION, ...document };
}
