/** The ssm backend's batch write against `karma serve`: not atomic, but it stops at the first failure. */
import { afterAll, beforeAll, expect, it } from "vitest";
import { isParameterStoreError } from "../../../ports/parameter-store.js";
import { type LocalSsm, startLocalSsm } from "../../http/testing/local-ssm.js";

let local: LocalSsm;
beforeAll(async () => {
  local = await startLocalSsm();
});
afterAll(async () => {
  await local?.close();
});

it("putParameters writes in order and starts no further write after the first failure", async () => {
  const client = local.client({ concurrency: 1 });
  await local.embedded.putParameter({ name: "/batch/exists", value: "old", type: "String" });
  const error = await client
    .putParameters([
      { name: "/batch/a", value: "1", type: "String" },
      { name: "/batch/exists", value: "new", type: "String" },
      { name: "/batch/c", value: "3", type: "String" },
    ])
    .catch((e: unknown) => e);
  expect(isParameterStoreError(error, "ParameterAlreadyExists")).toBe(true);
  const written = (await local.embedded.readTree("/batch")).map((p) => [p.name, p.value]);
  expect(written).toEqual([
    ["/batch/a", "1"],
    ["/batch/exists", "old"],
  ]);
});

it("putParameters validates every input before sending any, reporting all problems", async () => {
  const client = local.client();
  local.counter.reset();
  const error = await client
    .putParameters([
      { name: "/ok/x", value: "1", type: "String" },
      { name: "/bad name", value: "1", type: "String" },
      { name: "/too/big", value: "x".repeat(5000), type: "String" },
    ])
    .catch((e: unknown) => e);
  expect(isParameterStoreError(error, "ValidationException")).toBe(true);
  expect((error as Error).message).toContain("/bad name");
  expect((error as Error).message).toContain("/too/big");
  expect(local.counter.total()).toBe(0);
});
