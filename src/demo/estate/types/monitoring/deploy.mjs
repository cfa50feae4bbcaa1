// Command-runner deploy script: writes a dashboard definition for the monitored runtimes.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

let input = "";
for await (const chunk of process.stdin) input += chunk;
const { config, environment, nickname, component_name } = JSON.parse(input);
const dir = join(".karma", "demo-infra", environment, "monitoring", nickname);
mkdirSync(dir, { recursive: true });
const targets = Object.entries(config)
  .filter(([key]) => key.endsWith("_runtime_path"))
  .map(([key, path]) => ({ name: key.replace(/_runtime_path$/, ""), runtime: path }));
const dashboard = {
  title: `${component_name} (${environment})`,
  threshold_ms: config.alert_threshold_ms,
  targets,
};
writeFileSync(join(dir, "dashboard.json"), `${JSON.stringify(dashboard, null, 2)}\n`);
process.stdout.write(
  JSON.stringify({ dashboard_path: join(dir, "dashboard.json"), targets: targets.length }),
);
