/**
 * The contract every EnvironmentLock passes. Run it from the implementation's test:
 *
 *   environmentLockContract("sqlite", async (clock) => new LeaseLock(backend, clock));
 *
 * `create` returns a lock on empty storage that uses the given clock and sleep; each call for
 * the same test must share storage when `shared` is true (a second process's view).
 */
import { afterEach, describe, expect, it } from "vitest";
import { withEnvironmentLock } from "../../operations/with-lock.js";
import { type EnvironmentLock, LockHeldError, LockLostError } from "../../ports/lock.js";

export interface TestClock {
  now: () => Date;
  sleep: (ms: number) => Promise<void>;
  /** Which processes of this host run (the contract pretends holders died). */
  isAlive?: (pid: number) => boolean;
  /** This lock's host name (the contract pretends a holder is elsewhere). */
  host?: string;
}

/** `fresh()` empties the storage; `another()` opens a second lock object on the same storage. */
export interface LockFixture {
  fresh(clock: TestClock): Promise<EnvironmentLock>;
  another(clock: TestClock): Promise<EnvironmentLock>;
  /** Tests this implementation skips, each with the reason. */
  skip?: { independentEnvironments?: string };
}

export function environmentLockContract(name: string, fixture: LockFixture): void {
  describe(`EnvironmentLock contract: ${name}`, () => {
    const START = Date.parse("2026-11-28T10:00:00.000Z");
    let time = START;
    /** Runs while a waiter sleeps; the fake sleep advances the clock. */
    let onSleep: (() => Promise<void>) | undefined;
    const dead = new Set<number>();
    const clock: TestClock = {
      isAlive: (pid) => !dead.has(pid),
      now: () => new Date(time),
      sleep: async (ms) => {
        time += ms;
        await onSleep?.();
      },
    };
    const advance = (ms: number) => {
      time += ms;
    };
    const opened: EnvironmentLock[] = [];
    const open = async (which: "fresh" | "another", host?: string) => {
      const lock = await fixture[which](host === undefined ? clock : { ...clock, host });
      opened.push(lock);
      return lock;
    };
    afterEach(async () => {
      onSleep = undefined;
      dead.clear();
      time = START;
      for (const lock of opened.splice(0).reverse()) await lock.close();
    });

    const alice = { owner: "alice@laptop", operation: "apply", renewEvery: false as const, ttl: 60_000 };
    const bob = { owner: "bob@ci", operation: "deploy vpc/main", renewEvery: false as const, ttl: 60_000 };

    it("takes a free lock, shows its holder, and frees it on release", async () => {
      const lock = await open("fresh");
      expect(await lock.inspect("dev")).toBeNull();
      const handle = await lock.acquire("dev", alice);
      const holder = await lock.inspect("dev");
      expect(holder).toEqual(handle.holder);
      expect(holder).toMatchObject({
        env: "dev",
        owner: "alice@laptop",
        operation: "apply",
        acquiredAt: "2026-11-28T10:00:00.000Z",
        expiresAt: "2026-11-28T10:01:00.000Z",
      });
      expect(holder!.pid).toBeGreaterThan(0);
      expect(holder!.host).not.toBe("");
      await handle.release();
      await handle.release(); // idempotent
      expect(await lock.inspect("dev")).toBeNull();
    });

    it("refuses a held lock with LockHeldError naming the holder and how to release it", async () => {
      const first = await open("fresh");
      const second = await open("another");
      await first.acquire("dev", alice);
      const error = await second.acquire("dev", bob).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LockHeldError);
      expect((error as LockHeldError).holder.owner).toBe("alice@laptop");
      expect((error as LockHeldError).message).toMatch(
        /environment "dev" is locked by alice@laptop .*running "apply"/,
      );
      expect((error as LockHeldError).fix).toContain("karma lock release --force --env dev");
      expect((await second.inspect("dev"))!.owner).toBe("alice@laptop");
    });

    const independent = fixture.skip?.independentEnvironments;
    it.skipIf(independent !== undefined)(
      `locks environments independently${independent ? ` (skipped: ${independent})` : ""}`,
      async () => {
        const lock = await open("fresh");
        await lock.acquire("dev", alice);
        const prod = await lock.acquire("prod", bob);
        expect(prod.holder.env).toBe("prod");
      },
    );

    it("lets exactly one of many simultaneous acquirers win", async () => {
      await open("fresh");
      const locks = await Promise.all([1, 2, 3, 4, 5].map(() => open("another")));
      const results = await Promise.allSettled(
        locks.map((l, i) => l.acquire("dev", { ...alice, owner: `p${i}` })),
      );
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      for (const r of results.filter((r) => r.status === "rejected"))
        expect((r as PromiseRejectedResult).reason).toBeInstanceOf(LockHeldError);
    });

    it("waits for the holder to release when asked to wait", async () => {
      const first = await open("fresh");
      const second = await open("another");
      const held = await first.acquire("dev", alice);
      let sleeps = 0;
      onSleep = async () => {
        if (++sleeps === 3) await held.release();
      };
      const seen: string[] = [];
      const handle = await second.acquire("dev", { ...bob, wait: 30_000, onWait: (h) => seen.push(h.owner) });
      expect(handle.holder.owner).toBe("bob@ci");
      expect(seen).toEqual(["alice@laptop"]);
      expect(sleeps).toBe(3);
    });

    it("gives up after the wait with the holder's name", async () => {
      const first = await open("fresh");
      const second = await open("another");
      await first.acquire("dev", { ...alice, ttl: 3_600_000 });
      const error = await second.acquire("dev", { ...bob, wait: 5_000 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LockHeldError);
      expect((error as Error).message).toMatch(/alice@laptop.*waited 5s/);
    });

    it("lets anyone take over an expired lock; the old handle finds out and does not free the new one", async () => {
      const first = await open("fresh");
      const second = await open("another");
      const old = await first.acquire("dev", alice);
      advance(61_000);
      const fresh = await second.acquire("dev", bob);
      expect((await first.inspect("dev"))!.lockId).toBe(fresh.holder.lockId);
      await expect(old.renew()).rejects.toBeInstanceOf(LockLostError);
      expect(old.lost).toBe(true);
      await old.release();
      expect((await second.inspect("dev"))!.owner).toBe("bob@ci");
    });

    it("renewing extends the lease", async () => {
      const first = await open("fresh");
      const second = await open("another");
      const handle = await first.acquire("dev", alice);
      advance(50_000);
      await handle.renew();
      expect(handle.holder.expiresAt).toBe("2026-11-28T10:01:50.000Z");
      advance(50_000);
      await expect(second.acquire("dev", bob)).rejects.toBeInstanceOf(LockHeldError);
      expect((await second.inspect("dev"))!.expiresAt).toBe("2026-11-28T10:01:50.000Z");
    });

    it("force release removes the lock whoever holds it and returns the holder", async () => {
      const first = await open("fresh");
      const second = await open("another");
      const handle = await first.acquire("dev", alice);
      const removed = await second.forceRelease("dev");
      expect(removed).toEqual(handle.holder);
      expect(await second.forceRelease("dev")).toBeNull();
      expect(await first.inspect("dev")).toBeNull();
      await expect(handle.renew()).rejects.toThrow(LockLostError);
      const next = await second.acquire("dev", bob);
      await handle.release();
      expect((await first.inspect("dev"))!.lockId).toBe(next.holder.lockId);
    });

    it("withEnvironmentLock releases after the work, also when it fails, and reports a lost lock", async () => {
      const lock = await open("fresh");
      const other = await open("another");
      expect(await withEnvironmentLock(lock, "dev", alice, async (h) => h.holder.owner)).toBe("alice@laptop");
      expect(await lock.inspect("dev")).toBeNull();
      await expect(
        withEnvironmentLock(lock, "dev", alice, async () => {
          throw new Error("boom");
        }),
      ).rejects.toThrow("boom");
      expect(await lock.inspect("dev")).toBeNull();
      await expect(
        withEnvironmentLock(lock, "dev", alice, async () => {
          await other.forceRelease("dev");
          await other.acquire("dev", bob);
        }),
      ).rejects.toThrow(/lost: it is now held by bob@ci/);
      expect((await lock.inspect("dev"))!.owner).toBe("bob@ci");
    });

    it("takes over at once a lock whose holder on this host is no longer running, and says so", async () => {
      const first = await open("fresh");
      const second = await open("another");
      const old = await first.acquire("dev", { ...alice, ttl: 3_600_000 });
      dead.add(old.holder.pid);
      const seen: string[] = [];
      const handle = await second.acquire("dev", { ...bob, onTakeOver: (h) => seen.push(h.lockId) });
      expect(seen).toEqual([old.holder.lockId]);
      expect((await second.inspect("dev"))!.lockId).toBe(handle.holder.lockId);
      await old.release(); // the "dead" handle must not free its successor's lock
      expect((await second.inspect("dev"))!.owner).toBe("bob@ci");
    });

    it("a holder on another host keeps its lease even if a process with its pid is gone here", async () => {
      const elsewhere = await open("fresh", "build-7");
      const here = await open("another");
      const old = await elsewhere.acquire("dev", { ...alice, ttl: 3_600_000 });
      dead.add(old.holder.pid);
      const seen: string[] = [];
      const error = await here
        .acquire("dev", { ...bob, onTakeOver: (h) => seen.push(h.lockId) })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LockHeldError);
      expect((error as LockHeldError).message).toMatch(/alice@laptop \(pid \d+ on build-7\)/);
      expect(seen).toEqual([]);
      expect(await here.forceRelease("dev")).toMatchObject({ host: "build-7" });
    });

    it("a live holder on this host keeps its lock", async () => {
      const first = await open("fresh");
      const second = await open("another");
      await first.acquire("dev", { ...alice, ttl: 3_600_000 });
      await expect(second.acquire("dev", bob)).rejects.toBeInstanceOf(LockHeldError);
    });
  });
}
