import { describe, expect, it } from "vitest";
import {
  explainInvalidName,
  formatComponentId,
  formatComponentRef,
  isValidName,
  parseComponentId,
  parseComponentRef,
  suggestValidName,
  typeKeyForm,
} from "./ids.js";

describe("names", () => {
  it.each(["vpc", "s3-bucket", "a.b_c-d", "0day"])("accepts %s", (name) => {
    expect(isValidName(name)).toBe(true);
    expect(explainInvalidName(name)).toBeUndefined();
  });

  it.each([
    ["", "empty"],
    ["Vpc", "upper-case"],
    ["-vpc", "must start"],
    ["vp c", '" "'],
    ["vpc/main", '"/"'],
    ["a..b", '".." (two dots in a row)'],
    ["a...", '".."'],
  ])("rejects %j (%s)", (name, why) => {
    expect(isValidName(name)).toBe(false);
    expect(explainInvalidName(name)).toContain(why);
  });

  it("suggests a valid spelling", () => {
    expect(suggestValidName("My Vpc")).toBe("my-vpc");
    expect(suggestValidName("_x")).toBe("x");
    expect(suggestValidName("a..b")).toBe("a.b");
  });
});

describe("component ids", () => {
  it("formats and parses both forms", () => {
    const a = { env: "dev", type: "vpc", nickname: "main" };
    expect(formatComponentId(a)).toBe("dev:vpc/main");
    expect(formatComponentRef(a, "dev")).toBe("vpc/main");
    expect(formatComponentRef(a, "prod")).toBe("dev:vpc/main");
    expect(parseComponentRef("vpc/main", "dev")).toEqual({ ok: true, address: a });
    expect(parseComponentRef("prod:vpc/main", "dev")).toEqual({ ok: true, address: { ...a, env: "prod" } });
    expect(parseComponentId("dev:vpc/main")).toEqual(a);
    expect(parseComponentId("vpc/main")).toBeUndefined();
  });

  it.each([
    ["vpc", "not of the form"],
    ["vpc/main/x", "not of the form"],
    ["Vpc/main", 'type "Vpc"'],
    ["vpc/", 'nickname ""'],
    ["DEV:vpc/main", 'environment "DEV"'],
  ])("explains why %j is not a reference", (text, reason) => {
    const parsed = parseComponentRef(text, "dev");
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toContain(reason);
  });

  it("writes types as key prefixes with underscores", () => {
    expect(typeKeyForm("s3-bucket")).toBe("s3_bucket");
    expect(typeKeyForm("a.b")).toBe("a_b");
  });
});
