/**
 * The SSM endpoint's protocol behaviour over real HTTP: framework errors as AWS sends them,
 * validation, body limits, throttling (with the SDK backing off), and SigV4 verification with
 * signatures made by the AWS SDK itself.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UserError } from "../../../core/errors.js";
import { isParameterStoreError } from "../../../ports/parameter-store.js";
import { type LocalSsm, startLocalSsm } from "../testing/local-ssm.js";
import { TokenBucket } from "./token-bucket.js";

async function post(url: string, target: string | undefined, body: string) {
  const headers: Record<string, string> = { "content-type": "application/x-amz-json-1.1" };
  if (target !== undefined) headers["x-amz-target"] = target;
  const response = await fetch(url, { method: "POST", headers, body });
  return {
    status: response.status,
    body: (await response.json()) as Record<string, unknown>,
    headers: response.headers,
  };
}

describe("SSM JSON 1.1 endpoint", () => {
  let local: LocalSsm;
  beforeAll(async () => {
    local = await startLocalSsm();
  });
  afterAll(async () => {
    await local?.close();
  });

  it("answers an operation with AWS's content type and epoch-second timestamps", async () => {
    const before = Math.floor(Date.now() / 1000);
    await post(
      local.server.url,
      "AmazonSSM.PutParameter",
      JSON.stringify({ Name: "/w/a", Value: "1", Type: "String" }),
    );
    const got = await post(local.server.url, "AmazonSSM.GetParameter", JSON.stringify({ Name: "/w/a" }));
    expect(got.status).toBe(200);
    expect(got.headers.get("content-type")).toBe("application/x-amz-json-1.1");
    const parameter = got.body.Parameter as Record<string, unknown>;
    expect(typeof parameter.LastModifiedDate).toBe("number");
    // seconds (not milliseconds) of the write, which happened between `before` and now
    expect(parameter.LastModifiedDate).toBeGreaterThanOrEqual(before);
    expect(parameter.LastModifiedDate).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000));
    expect(parameter).toMatchObject({
      Name: "/w/a",
      Type: "String",
      Value: "1",
      Version: 1,
      DataType: "text",
    });
  });

  it("refuses unknown operations, missing targets and other services like AWS", async () => {
    const unknown = await post(local.server.url, "AmazonSSM.SendCommand", "{}");
    expect(unknown.status).toBe(400);
    expect(unknown.body.__type).toBe("com.amazon.coral.service#UnknownOperationException");
    const other = await post(local.server.url, "DynamoDB_20120810.ListTables", "{}");
    expect(other.body.__type).toBe("com.amazon.coral.service#UnknownOperationException");
    const missing = await post(local.server.url, undefined, "{}");
    expect(missing.status).toBe(400);
    expect(missing.body.__type).toBe("com.amazon.coral.service#UnknownOperationException");
  });

  it("answers malformed bodies with SerializationException", async () => {
    const broken = await post(local.server.url, "AmazonSSM.GetParameter", '{"Name": ');
    expect(broken.status).toBe(400);
    expect(broken.body.__type).toBe("com.amazon.coral.service#SerializationException");
    const array = await post(local.server.url, "AmazonSSM.GetParameter", "[]");
    expect(array.body.__type).toBe("com.amazon.coral.service#SerializationException");
    const wrongType = await post(local.server.url, "AmazonSSM.GetParameter", '{"Name": 5}');
    expect(wrongType.body.__type).toBe("com.amazon.coral.service#SerializationException");
  });

  it("lists every validation error in AWS's wording", async () => {
    const result = await post(
      local.server.url,
      "AmazonSSM.GetParametersByPath",
      JSON.stringify({ MaxResults: 11 }),
    );
    expect(result.body).toEqual({
      __type: "ValidationException",
      message:
        "2 validation errors detected: Value null at 'path' failed to satisfy constraint: Member must not be null; Value '11' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 10",
    });
    const tooMany = await post(
      local.server.url,
      "AmazonSSM.GetParameters",
      JSON.stringify({ Names: Array.from({ length: 11 }, (_, i) => `/n${i}`) }),
    );
    expect(tooMany.body.__type).toBe("ValidationException");
    expect(tooMany.body.message).toContain("Member must have length less than or equal to 10");
  });

  it("passes store errors through by name, with a message naming the parameter", async () => {
    const missing = await post(
      local.server.url,
      "AmazonSSM.GetParameter",
      JSON.stringify({ Name: "/w/none" }),
    );
    expect(missing.body).toEqual({ __type: "ParameterNotFound", message: "Parameter /w/none not found." });
    const history = await post(
      local.server.url,
      "AmazonSSM.GetParameterHistory",
      JSON.stringify({ Name: "/w/none" }),
    );
    expect(history.body.__type).toBe("ParameterNotFound");
    expect(history.body.message).toContain("/w/none");
  });

  it("accepts unsigned and oddly signed requests when no credentials are configured", async () => {
    const response = await fetch(local.server.url, {
      method: "POST",
      headers: {
        "content-type": "application/x-amz-json-1.1",
        "x-amz-target": "AmazonSSM.DescribeParameters",
        authorization: "Bearer something-else",
      },
      body: "{}",
    });
    expect(response.status).toBe(200);
  });

  it("refuses tag operations on other resource types", async () => {
    const result = await post(
      local.server.url,
      "AmazonSSM.ListTagsForResource",
      JSON.stringify({ ResourceType: "Document", ResourceId: "x" }),
    );
    expect(result.body.__type).toBe("InvalidResourceType");
  });

  it("refuses bodies over the limit before reading them", async () => {
    const big = JSON.stringify({ Name: "/w/big", Value: "x".repeat(2 * 1024 * 1024), Type: "String" });
    const result = await post(local.server.url, "AmazonSSM.PutParameter", big);
    expect(result.status).toBe(413);
    expect(result.body.__type).toBe("RequestEntityTooLargeException");
  });

  it("maps errors for the SDK: a missing parameter is ParameterNotFound with a useful message", async () => {
    const error = await local
      .client()
      .getParameter("/w/none")
      .catch((e: unknown) => e);
    expect(isParameterStoreError(error, "ParameterNotFound")).toBe(true);
    expect((error as Error).message).not.toBe("");
  });

  it("counts calls per operation", async () => {
    local.counter.reset();
    const client = local.client();
    await client.getParameters(["/w/a"]);
    await client.getParameters(["/w/a"]);
    await client.describeParameters();
    expect(local.counter.snapshot()).toEqual({ DescribeParameters: 1, GetParameters: 2 });
  });
});

describe("throttling", () => {
  let local: LocalSsm;
  beforeAll(async () => {
    // A bucket of 5 requests refilling at 20/s: a burst of 40 calls is throttled many times.
    local = await startLocalSsm({ throttle: new TokenBucket(20, 5) });
  });
  afterAll(async () => {
    await local?.close();
  });

  it("answers ThrottlingException over the rate; the SDK's retry backs off and every call succeeds", async () => {
    const client = local.client({
      concurrency: 8,
      retry: { mode: "adaptive", maxAttempts: 20 },
    });
    await client.putParameter({ name: "/t/a", value: "v", type: "String" });
    local.counter.reset();
    const results = await Promise.all(Array.from({ length: 40 }, () => client.getParameter("/t/a")));
    expect(results.every((p) => p.value === "v")).toBe(true);
    // More requests than calls: the throttled ones were retried.
    expect(local.counter.total()).toBeGreaterThan(40);
  });

  it("gives up after maxAttempts with ThrottlingException", async () => {
    const client = local.client({ concurrency: 8, retry: { mode: "standard", maxAttempts: 1 } });
    const outcomes = await Promise.allSettled(Array.from({ length: 30 }, () => client.getParameter("/t/a")));
    const rejected = outcomes.filter((o) => o.status === "rejected");
    expect(rejected.length).toBeGreaterThan(0);
    expect(isParameterStoreError((rejected[0] as PromiseRejectedResult).reason, "ThrottlingException")).toBe(
      true,
    );
  });
});

describe("server errors", () => {
  it("the SDK retries a 500 (InternalServerError) like any transient failure", async () => {
    let failures = 1;
    const local = await startLocalSsm({
      onWrite: () => {
        if (failures-- > 0) throw new Error("audit log unavailable");
      },
      onInternalError: () => {},
    });
    try {
      const client = local.client({ retry: { mode: "standard", maxAttempts: 3 } });
      const put = await client.putParameter({ name: "/t/b", value: "v", type: "String", overwrite: true });
      // the first attempt wrote and then failed with 500; the retry wrote again
      expect(local.counter.snapshot()).toMatchObject({ PutParameter: 2 });
      expect(put.version).toBe(2);
    } finally {
      await local.close();
    }
  });
});

describe("SigV4 verification", () => {
  let local: LocalSsm;
  beforeAll(async () => {
    local = await startLocalSsm({ credentials: new Map([["dev", "right-secret"]]) });
  });
  afterAll(async () => {
    await local?.close();
  });

  it("accepts requests the AWS SDK signed with the configured secret", async () => {
    const client = local.client({ credentials: { accessKeyId: "dev", secretAccessKey: "right-secret" } });
    await client.putParameter({ name: "/s/a", value: "v", type: "String" });
    expect((await client.getParameter("/s/a")).value).toBe("v");
  });

  it("refuses a wrong secret, an unknown key and unsigned requests", async () => {
    const wrong = local.client({ credentials: { accessKeyId: "dev", secretAccessKey: "wrong" } });
    const error = await wrong.getParameter("/s/a").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toContain("InvalidSignatureException");

    const unknown = local.client({ credentials: { accessKeyId: "nobody", secretAccessKey: "right-secret" } });
    const unknownError = await unknown.getParameter("/s/a").catch((e: unknown) => e);
    expect((unknownError as Error).message).toContain("UnrecognizedClientException");

    const unsigned = await post(local.server.url, "AmazonSSM.GetParameter", JSON.stringify({ Name: "/s/a" }));
    expect(unsigned.body.__type).toBe("MissingAuthenticationTokenException");
  });
});
