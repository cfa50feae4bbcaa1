/**
 * `karma ui` as a user runs it (the built CLI): `karma serve`, then the explorer's URL handed to
 * a browser — `$BROWSER` here, a script that writes down the URL it was given. Without a browser
 * (none found, or one that fails) it keeps serving and prints the URL to open by hand.
 */
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { tempDir } from "../../testing/cli.js";
import { serve } from "../../testing/serve.js";

describe("karma ui", () => {
  let dir: string;
  let bin: string;
  beforeAll(() => {
    dir = tempDir("ui");
    writeFileSync(join(dir, "karma.json"), JSON.stringify({ environments: ["dev"] }));
    bin = tempDir("ui-browser");
  });

  function fakeBrowser(name: string, body: string): string {
    const path = join(bin, name);
    writeFileSync(path, `#!/bin/sh\n${body}\n`);
    chmodSync(path, 0o755);
    return path;
  }

  it("opens the explorer's URL with $BROWSER, and serves it", async () => {
    const seen = join(bin, "seen-url");
    const browser = fakeBrowser("browser", `printf '%s' "$1" > '${seen}'`);
    const served = await serve(["-C", dir, "ui", "--port", "0"], { BROWSER: browser });
    try {
      await expect.poll(() => existsSync(seen) && readFileSync(seen, "utf8")).toBe(`${served.url}/`);
      await expect
        .poll(() => served.output())
        .toContain(`karma ui: opening ${served.url}/ (with ${browser})`);
      const page = await fetch(`${served.url}/`, { headers: { Connection: "close" } });
      expect(page.status).toBe(200);
      expect(await page.text()).toContain("<title>Karma explorer</title>");
    } finally {
      expect(await served.stop()).toBe(0);
    }
  });

  it("without a browser it still serves and prints the URL to open", async () => {
    const served = await serve(["-C", dir, "ui", "--port", "0"], { BROWSER: join(bin, "no-such-browser") });
    try {
      await expect
        .poll(() => served.output())
        .toContain(
          `karma ui: could not open a browser (${join(bin, "no-such-browser")} was not found); open ${served.url}/ yourself`,
        );
      expect(
        (await fetch(`${served.url}/api/graph/versions`, { headers: { Connection: "close" } })).status,
      ).toBe(200);
    } finally {
      expect(await served.stop()).toBe(0);
    }
  });

  it("a browser that fails is reported the same way; --no-open only prints", async () => {
    const failing = fakeBrowser("failing", "exit 3");
    const served = await serve(["-C", dir, "ui", "--port", "0"], { BROWSER: failing });
    try {
      await expect
        .poll(() => served.output())
        .toContain(
          `karma ui: could not open a browser (${failing} exited with 3); open ${served.url}/ yourself`,
        );
    } finally {
      expect(await served.stop()).toBe(0);
    }
    const quiet = await serve(["-C", dir, "ui", "--port", "0", "--no-open"], { BROWSER: failing });
    expect(await quiet.stop()).toBe(0);
    expect(quiet.output()).toContain(`explorer at ${quiet.url}/`);
    expect(quiet.output()).not.toContain("karma ui:");
  });
});
