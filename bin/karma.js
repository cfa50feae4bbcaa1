#!/usr/bin/env node
// Thin launcher: the CLI is bundled into dist/cli-bundle/ by `npm run build` (and `npm install`,
// via the prepare script; see scripts/build-cli.mjs for why it is a bundle).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
await import("../dist/cli-bundle/karma.js");
