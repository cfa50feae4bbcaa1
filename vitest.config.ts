import { defineConfig } from "vitest/config";

/** Tests that need a real Gremlin Server are named `*.gremlin.test.ts`: their project's global
 * setup starts one (unless KARMA_GREMLIN_ENDPOINT names a running one), and vitest runs a
 * project's global setup only when one of its files is selected. */
const GREMLIN_TESTS = "src/**/*.gremlin.test.ts";

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true", NO_COLOR: "1" },
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["src/**/*.test.ts", "test/**/*.test.ts", "ui/**/*.test.ts"],
          exclude: [GREMLIN_TESTS],
        },
      },
      {
        extends: true,
        test: {
          name: "gremlin",
          include: [GREMLIN_TESTS],
          globalSetup: ["src/adapters/graph-store/gremlin/testing/global-setup.ts"],
          hookTimeout: 240_000,
        },
      },
    ],
  },
});
