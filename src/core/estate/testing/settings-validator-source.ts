/**
 * Generates `settings-validator.generated.ts`: karma.json's validator as ajv standalone code, so
 * no command compiles the schema (or loads ajv's compiler) at start-up. settings.test.ts fails
 * when the file no longer matches `settingsSchema`; regenerate with `npm run generate:validators`.
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Ajv } from "ajv";
import standaloneModule from "ajv/dist/standalone/index.js";
import { settingsSchema } from "../settings.js";

// ajv's standalone entry is CommonJS with `exports.default`; its default import is the module
const standaloneCode = standaloneModule.default;

export const GENERATED_FILE = fileURLToPath(new URL("../settings-validator.generated.ts", import.meta.url));

/** The generated module's text (same options as the runtime validator had: every error reported). */
export function settingsValidatorSource(): string {
  const ajv = new Ajv({ allErrors: true, strict: false, code: { source: true, esm: true, lines: true } });
  let code = standaloneCode(ajv, ajv.compile(settingsSchema));
  // ajv's ESM output still `require`s its runtime helpers; turn each into an import
  const imports: string[] = [];
  // A helper's CommonJS `exports.default` is the default import's `.default` under Node, but the
  // default import itself under vitest's interop: either way the function is taken.
  code = code.replace(
    /require\("(ajv\/dist\/runtime\/[a-z0-9]+)"\)(\.default)?/g,
    (_: string, path: string, dotDefault: string | undefined) => {
      const name = `runtime_${path.slice(path.lastIndexOf("/") + 1)}`;
      if (!imports.some((i) => i.includes(` ${name} `))) imports.push(`import ${name} from "${path}.js";`);
      return dotDefault ? `(${name}.default ?? ${name})` : name;
    },
  );
  return [
    "// Generated from settingsSchema (settings.ts) by src/core/estate/testing/settings-validator-source.ts",
    "// (`npm run generate:validators`); do not edit. ajv standalone code, checked by settings.test.ts.",
    "// @ts-nocheck",
    ...imports,
    code.replace(/^"use strict";\n?/, ""),
  ].join("\n");
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(GENERATED_FILE, `${settingsValidatorSource()}\n`);
  process.stdout.write(`wrote ${GENERATED_FILE}\n`);
}
