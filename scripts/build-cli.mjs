// Bundles the CLI (src/cli/main.ts and everything it imports from src/) into dist/cli-bundle/, which
// bin/karma.js loads. Why: Node 20 has no compile cache, and resolving, reading and compiling ~50
// separate modules (plus commander through the CommonJS wrapper) was most of a read command's
// start-up. Code splitting keeps every lazy `import()` lazy: a command's chunk loads only when that
// command runs. Packages stay external (loaded from node_modules as before, and only when imported)
// except the few on every start-up path, which are small and pure JavaScript.
// Run by `npm run build` after tsc (the rest of dist/ — benches, torture, tests' helpers — stays tsc's).
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
export const BUNDLE_DIR = join(root, "dist", "cli-bundle");

/**
 * Packages bundled in: loaded by every (or nearly every) command, small, no files of their own.
 * better-sqlite3's JavaScript too, imported only by driver.bundled.ts (see there for its addon).
 */
const BUNDLED_PACKAGES = /^(commander|ajv\/dist\/runtime\/|better-sqlite3(\/package\.json)?$)/;

/** The bundle's SQLite driver: driver.bundled.ts instead of driver.ts (which requires the package whole). */
const bundledSqliteDriver = {
  name: "bundled-sqlite-driver",
  setup(b) {
    b.onResolve({ filter: /^\.\/driver\.js$/ }, (args) =>
      dirname(args.importer) === join(root, "src", "adapters", "sqlite")
        ? { path: join(root, "src", "adapters", "sqlite", "driver.bundled.ts") }
        : undefined,
    );
  },
};

/**
 * Code that computes paths from `import.meta.url` (the demo estate, the explorer's assets,
 * package.json) expects the URL of its own module under dist/; in a chunk that URL would be the
 * chunk's. So each source file's `import.meta.url` becomes the URL its tsc output has beside
 * the bundle: every chunk lives in BUNDLE_DIR, so the relative path is the same from any of them.
 */
const moduleUrlPerFile = {
  name: "module-url-per-file",
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, (args) => {
      const source = readFileSync(args.path, "utf8");
      if (!source.includes("import.meta.url")) return undefined;
      const distFile = join(root, "dist", relative(join(root, "src"), args.path)).replace(/\.ts$/, ".js");
      const fromBundle = relative(BUNDLE_DIR, distFile).split("\\").join("/");
      return {
        contents: source.replaceAll(
          "import.meta.url",
          `new URL(${JSON.stringify(fromBundle)}, import.meta.url).href`,
        ),
        loader: "ts",
      };
    });
  },
};

/**
 * The bundled CommonJS packages (commander) `require` Node built-ins only; an ES module has no
 * `require`, so each chunk gets this one. `child_process` is handed out lazily: commander needs it
 * only to run executable subcommands, which Karma has none of, and loading it costs a few ms.
 */
const REQUIRE_SHIM = `import { createRequire as __karmaCreateRequire } from "node:module";
const __karmaBuiltin = (id) => process.getBuiltinModule?.(id) ?? __karmaCreateRequire(import.meta.url)(id);
const require = (id) => id.replace(/^node:/, "") === "child_process"
  ? new Proxy({}, { get: (_, key) => __karmaBuiltin(id)[key] })
  : __karmaBuiltin(id);`;

const externalPackages = {
  name: "external-packages",
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) =>
      BUNDLED_PACKAGES.test(args.path) ? undefined : { path: args.path, external: true },
    );
  },
};

export async function buildCli() {
  rmSync(BUNDLE_DIR, { recursive: true, force: true });
  mkdirSync(BUNDLE_DIR, { recursive: true });
  const result = await build({
    absWorkingDir: root,
    entryPoints: { karma: join(root, "src", "cli", "main.ts") },
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    outdir: BUNDLE_DIR,
    chunkNames: "[name]-[hash]",
    banner: { js: REQUIRE_SHIM },
    // not minified: the stack of an internal error stays readable even without its source map
    sourcemap: "linked",
    sourcesContent: false,
    metafile: true,
    tsconfig: join(root, "tsconfig.build.json"),
    plugins: [bundledSqliteDriver, moduleUrlPerFile, externalPackages],
    logLevel: "warning",
  });
  // which source modules each chunk holds: the start-up e2e test reads it to name what a command loaded
  writeFileSync(join(BUNDLE_DIR, "meta.json"), JSON.stringify(result.metafile));
  return BUNDLE_DIR;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildCli();
