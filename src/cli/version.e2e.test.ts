import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runKarma } from "../testing/cli.js";

describe("karma --version", () => {
  it("prints the package version and exits 0", () => {
    const { version } = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8"));
    for (const flag of ["--version", "-V"]) {
      const run = runKarma([flag]);
      expect(run.code).toBe(0);
      expect(run.stdout).toBe(`${version}\n`);
    }
  });
});
