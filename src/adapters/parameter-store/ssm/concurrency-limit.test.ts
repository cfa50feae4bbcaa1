import { describe, expect, it } from "vitest";
import { ConcurrencyLimit } from "./concurrency-limit.js";
import { backoffDelay, DEFAULT_RETRY_POLICY, retryThrottled } from "./throttling-retry.js";

describe("ConcurrencyLimit", () => {
  it("never runs more than `limit` tasks at once and runs them all", async () => {
    const limit = new ConcurrencyLimit(3);
    let running = 0;
    let peak = 0;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        limit.run(async () => {
          running++;
          peak = Math.max(peak, running);
          await new Promise((resolve) => setTimeout(resolve, 2));
          running--;
          return i;
        }),
      ),
    );
    expect(peak).toBe(3);
    expect(results).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it("frees the slot when a task fails", async () => {
    const limit = new ConcurrencyLimit(1);
    await expect(limit.run(() => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    await expect(limit.run(async () => "next")).resolves.toBe("next");
  });
});

describe("throttling retry", () => {
  const throttled = () => Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException" });

  it("backs off with full jitter, capped", () => {
    const policy = { maxAttempts: 10, baseDelayMs: 100, maxDelayMs: 1000 };
    expect(backoffDelay(0, policy, () => 0.999)).toBe(99);
    expect(backoffDelay(3, policy, () => 0.5)).toBe(400);
    expect(backoffDelay(9, policy, () => 0.999)).toBe(999);
    expect(backoffDelay(5, policy, () => 0)).toBe(0);
    expect(DEFAULT_RETRY_POLICY.maxAttempts).toBeGreaterThan(1);
  });

  it("retries throttling only, up to maxAttempts", async () => {
    let calls = 0;
    const value = await retryThrottled(
      async () => {
        if (++calls < 3) throw throttled();
        return "ok";
      },
      { maxAttempts: 5, baseDelayMs: 1, maxDelayMs: 2 },
    );
    expect([value, calls]).toEqual(["ok", 3]);

    calls = 0;
    await expect(
      retryThrottled(
        async () => {
          calls++;
          throw new Error("validation");
        },
        { maxAttempts: 5, baseDelayMs: 1, maxDelayMs: 2 },
      ),
    ).rejects.toThrow("validation");
    expect(calls).toBe(1);

    calls = 0;
    await expect(
      retryThrottled(
        async () => {
          calls++;
          throw throttled();
        },
        { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 2 },
      ),
    ).rejects.toThrow("Rate exceeded");
    expect(calls).toBe(4);
  });
});
