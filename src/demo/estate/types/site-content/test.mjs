// `karma test site-content/*`: Karma runs this with the resolved inputs in the environment
// (KARMA_CONFIG_<KEY>, KARMA_CONFIG, KARMA_INPUTS); site_path comes from the site's contract example.
import { isAbsolute } from "node:path";

const config = JSON.parse(process.env.KARMA_CONFIG ?? "{}");
const failures = [];
if (typeof config.site_path !== "string" || !isAbsolute(config.site_path))
  failures.push("site_path must be an absolute path (a $ref to site/<nickname>#/path)");
for (const [file, html] of Object.entries(config.pages ?? {})) {
  if (!/^[a-z0-9-]+\.html$/.test(file)) failures.push(`page ${file}: name must be <name>.html`);
  if (typeof html !== "string" || html.length === 0) failures.push(`page ${file}: empty`);
}
for (const f of failures) console.error(f);
console.log(failures.length ? `${failures.length} problem(s)` : "site-content config ok");
process.exit(failures.length ? 1 : 0);
