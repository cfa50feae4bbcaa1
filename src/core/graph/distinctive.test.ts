import { describe, expect, it } from "vitest";
import { distinctiveReason, isSecretLookingKey } from "./distinctive.js";

describe("distinctiveReason", () => {
  it("names what makes a value an identity", () => {
    expect(distinctiveReason("vpc-0abc1234def567890")).toBe("aws-id");
    expect(distinctiveReason("Z0123456789ABCDEF")).toBe("aws-id");
    expect(distinctiveReason("arn:aws:s3:::assets")).toBe("arn");
    expect(distinctiveReason("ARN:aws:s3:::assets")).toBe("arn");
    expect(distinctiveReason("123e4567-e89b-12d3-a456-426614174000")).toBe("uuid");
    expect(distinctiveReason("https://api.example.com/v1")).toBe("url");
    expect(distinctiveReason("db.internal.example.com")).toBe("hostname");
    expect(distinctiveReason(123456789012)).toBe("large-number");
    expect(distinctiveReason("123456789012")).toBe("numeric-id");
    expect(distinctiveReason("assets-7f3a9c")).toBe("opaque-id");
    expect(distinctiveReason("generated-bucket-name-for-assets")).toBe("long-string");
  });

  it("rejects values people type by coincidence", () => {
    for (const common of ["true", "LocalHost", "application/json", "us-east-1", "eu-west-1", "us-gov-west-1"])
      expect(distinctiveReason(common), common).toBeUndefined();
    for (const value of ["v1.2.3", "V10.0.1", "1.29.0", "2024-01-02T03:04:05Z", "1500ms", "t3.medium"])
      expect(distinctiveReason(value), value).toBeUndefined();
    for (const value of ["db.r6g.large", "00000000", "ababababab", " vpc-0abc1234def567890", "1234567", 5432])
      expect(distinctiveReason(value), String(value)).toBeUndefined();
    // two distinct characters are a pattern, three can be an id
    expect(distinctiveReason("aaaaaaa1")).toBeUndefined();
    expect(distinctiveReason("aaaaaab1")).toBe("opaque-id");
  });
});

describe("isSecretLookingKey", () => {
  it("matches secret-looking key names anywhere in a pointer", () => {
    expect(isSecretLookingKey("/db/Password")).toBe(true);
    expect(isSecretLookingKey("api_key")).toBe(true);
    expect(isSecretLookingKey("/db/host")).toBe(false);
  });
});
