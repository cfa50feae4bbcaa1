import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { UserError } from "../core/errors.js";
import { tempDir } from "../testing/cli.js";
import { readInputText } from "./read-input.js";

describe("readInputText", () => {
  it("reads a file argument", () => {
    const file = join(tempDir("read-input"), "patch.json");
    writeFileSync(file, '{"replicas": 3}');
    expect(readInputText(file, "patch", "fix it")).toBe('{"replicas": 3}');
  });

  it("names what could not be read, why, and the fix", () => {
    const missing = join(tempDir("read-input"), "nope.json");
    let thrown: unknown;
    try {
      readInputText(missing, "proposed changes", "write the file first");
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UserError);
    expect((thrown as UserError).message).toBe(`cannot read the proposed changes ${missing} (ENOENT)`);
    expect((thrown as UserError).fix).toBe("write the file first");
  });
});
