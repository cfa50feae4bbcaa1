/**
 * The explorer's files (built by `npm run build` into `dist/ui`: index.html, app.js, app.css)
 * served at `/`. The bundle carries Cytoscape and its layout, so the page works offline.
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Hono } from "hono";

/** `<package>/dist/ui`, whether this module runs from `src/` (tests) or `dist/`. */
export const UI_DIR = resolve(fileURLToPath(import.meta.url), "../../../../../dist/ui");

const FILES: Record<string, string> = {
  "/": "index.html",
  "/app.js": "app.js",
  "/app.css": "app.css",
};

const TYPES: Record<string, string> = {
  html: "text/html; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
};

/** The page may load only its own script and style and talk only to this server. */
const CSP =
  "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'";

export function serveExplorer(app: Hono, dir: string = UI_DIR): void {
  for (const [path, file] of Object.entries(FILES)) {
    app.get(path, (c) => {
      let body: string;
      try {
        body = readFileSync(join(dir, file), "utf8");
      } catch {
        return c.text(
          `the explorer is not built (${join(dir, file)} is missing): run \`npm run build\`\n`,
          503,
        );
      }
      return c.body(body, 200, {
        "Content-Type": TYPES[file.slice(file.lastIndexOf(".") + 1)] ?? "application/octet-stream",
        "Content-Security-Policy": CSP,
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "no-cache",
      });
    });
  }
}
