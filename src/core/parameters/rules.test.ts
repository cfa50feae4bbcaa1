/** Parameter-name rules: the hierarchy depth PutParameter allows (15 levels). */
import { describe, expect, it } from "vitest";
import { checkParameterName, MAX_HIERARCHY_LEVELS } from "./rules.js";

const qualified = (levels: number) => `/${Array.from({ length: levels }, (_, i) => `l${i}`).join("/")}`;

describe("checkParameterName", () => {
  it("allows up to 15 levels and rejects the 16th, counting the levels of a qualified name", () => {
    expect(checkParameterName(qualified(MAX_HIERARCHY_LEVELS))).toBeUndefined();
    expect(checkParameterName(qualified(MAX_HIERARCHY_LEVELS + 1))).toMatchObject({
      error: "HierarchyLevelLimitExceededException",
      message: expect.stringContaining(`has ${MAX_HIERARCHY_LEVELS + 1}.`),
    });
  });

  it("takes an unqualified name as one level, and reports empty segments before counting", () => {
    expect(checkParameterName("plain-name")).toBeUndefined();
    expect(checkParameterName(`${qualified(16)}/`)?.message).toBe(
      "Parameter name must not contain empty path segments.",
    );
  });
});
