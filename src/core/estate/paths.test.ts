/** Parameter names → component parameters: exactly `<prefix>/<type>/<nickname>/config|runtime`. */
import { describe, expect, it } from "vitest";
import { parseComponentParameterName } from "./paths.js";

/** The rule spelled the plain way (split on "/"), as the oracle of the scanning implementation. */
function bySplit(prefix: string, name: string) {
  if (!name.startsWith(`${prefix}/`)) return undefined;
  const parts = name.slice(prefix.length + 1).split("/");
  if (parts.length !== 3) return undefined;
  const [type, nickname, kind] = parts as [string, string, string];
  if (kind !== "config" && kind !== "runtime") return undefined;
  return { type, nickname, kind };
}

describe("parseComponentParameterName", () => {
  it("recognises config and runtime parameters under the prefix, and nothing else", () => {
    expect(parseComponentParameterName("/iac", "/iac/vpc/main/config")).toEqual({
      type: "vpc",
      nickname: "main",
      kind: "config",
    });
    expect(parseComponentParameterName("/iac", "/iac/vpc/main/runtime")?.kind).toBe("runtime");
    for (const name of [
      "/iacx/vpc/main/config",
      "/iac/vpc/main",
      "/iac/vpc/main/config/x",
      "/iac/vpc/main/other",
      "/iac",
      "/iac/",
      "iac/vpc/main/config",
      "/iac/environment",
    ])
      expect(parseComponentParameterName("/iac", name)).toBeUndefined();
  });

  it("agrees with splitting on every name built from a few segments", () => {
    const pieces = ["", "/", "iac", "/iac", "vpc", "main", "config", "runtime", "x/y"];
    let checked = 0;
    for (const a of pieces)
      for (const b of pieces)
        for (const c of pieces)
          for (const d of pieces) {
            const name = `${a}/${b}/${c}/${d}`;
            for (const prefix of ["/iac", "", "/iac/vpc"]) {
              expect(parseComponentParameterName(prefix, name)).toEqual(bySplit(prefix, name));
              checked++;
            }
          }
    expect(checked).toBe(pieces.length ** 4 * 3);
  });
});
