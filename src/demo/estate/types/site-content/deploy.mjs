// Command-runner deploy script: publishes extra pages into the site directory that site/www
// created. Karma passes {config, component_name, nickname, environment, iac_prefix} as JSON on
// stdin ($refs already resolved) and reads a JSON object of outputs from stdout.
import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

let input = "";
for await (const chunk of process.stdin) input += chunk;
const { config } = JSON.parse(input);
if (typeof config.site_path !== "string") {
  process.stderr.write(
    "site-content: config.site_path must be the site's path (a $ref to site/<nickname>#/path)\n",
  );
  process.exit(1);
}
mkdirSync(config.site_path, { recursive: true });
const hash = createHash("sha256");
for (const [file, html] of Object.entries(config.pages ?? {}).sort()) {
  writeFileSync(join(config.site_path, file), html);
  hash.update(file).update(html);
  process.stderr.write(`wrote ${file}\n`);
}
process.stdout.write(
  JSON.stringify({ pages: Object.keys(config.pages ?? {}).sort(), content_sha256: hash.digest("hex") }),
);
