import { expect, it } from "vitest";
import { benchSsmSync } from "./ssm-sync.js";

it("incremental sync of a prefix with 1% changed costs at most a quarter of a naive read, with equal values", async () => {
  // The benchmark proper uses 20,000 parameters (npm run bench); the shape is the same at 2,000.
  const r = await benchSsmSync({ parameters: 2_000, changedFraction: 0.01 });
  expect(r.valuesMatch).toBe(true);
  expect(r.naive.byOperation).toEqual({ GetParametersByPath: 200 });
  expect(r.incremental.byOperation).toEqual({ DescribeParameters: 40, GetParameters: 2 });
  expect(r.incremental.fetched).toBe(20);
  expect(r.ratio).toBeLessThanOrEqual(0.25);
});
