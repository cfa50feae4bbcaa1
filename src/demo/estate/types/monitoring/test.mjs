// `karma test monitoring/*`: every *_runtime_path must name a runtime parameter, the threshold be positive.
const config = JSON.parse(process.env.KARMA_CONFIG ?? "{}");
const failures = [];
for (const [key, value] of Object.entries(config))
  if (key.endsWith("_runtime_path") && !/^\/[a-z0-9._/-]+\/runtime$/.test(String(value)))
    failures.push(`${key} must be a runtime parameter path, got ${JSON.stringify(value)}`);
if (!(Number(process.env.KARMA_CONFIG_ALERT_THRESHOLD_MS) > 0))
  failures.push("alert_threshold_ms must be positive");
for (const f of failures) console.error(f);
process.exit(failures.length ? 1 : 0);
