// Bundles the explorer (ui/) with Cytoscape and its layout into dist/ui, so `karma serve` works
// offline. Run by `npm run build`; tests that drive the explorer build it the same way.
import { copyFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "dist", "ui");

export async function buildUi() {
  mkdirSync(out, { recursive: true });
  await build({
    entryPoints: [join(root, "ui", "app.ts")],
    bundle: true,
    format: "esm",
    target: "es2022",
    minify: true,
    sourcemap: false,
    legalComments: "none",
    outfile: join(out, "app.js"),
    logLevel: "warning",
  });
  copyFileSync(join(root, "ui", "index.html"), join(out, "index.html"));
  copyFileSync(join(root, "ui", "app.css"), join(out, "app.css"));
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildUi();
