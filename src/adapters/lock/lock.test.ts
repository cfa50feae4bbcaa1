import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { LockHeldError } from "../../ports/lock.js";
import { lazySecretCipher, loadSecretKey } from "../parameter-store/secrets.js";
import { SqliteParameterStore } from "../parameter-store/sqlite/sqlite-store.js";
import { environmentLockContract, type TestClock } from "./contract.js";
import { LeaseLock, type Repeat } from "./lease-lock.js";
import { lockParameterName, ParameterLockBackend } from "./parameter-store/parameter-lock-backend.js";
import { SqliteLockBackend } from "./sqlite/sqlite-lock-backend.js";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "karma-lock-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
let n = 0;

function sqliteFixture() {
  let file = "";
  const make = (clock: TestClock) => new LeaseLock(new SqliteLockBackend({ file }), clock);
  return {
    async fresh(clock: TestClock) {
      file = path.join(dir, `sqlite-${++n}.db`);
      return make(clock);
    },
    async another(clock: TestClock) {
      return make(clock);
    },
  };
}

function openStore(file: string) {
  return new SqliteParameterStore({
    file,
    namespace: "dev",
    secrets: lazySecretCipher(() => loadSecretKey(dir)),
  });
}

function parameterFixture() {
  let file = "";
  const stores: SqliteParameterStore[] = [];
  const make = (clock: TestClock) => {
    const store = openStore(file);
    stores.push(store);
    const lock = new LeaseLock(new ParameterLockBackend({ store, prefix: "/iac" }), clock);
    // The store belongs to the fixture: close it with the lock.
    const close = lock.close.bind(lock);
    lock.close = async () => {
      await close();
      await store.close();
    };
    return lock;
  };
  return {
    skip: {
      independentEnvironments:
        "one parameter store serves one environment, so its lock is that environment's",
    },
    async fresh(clock: TestClock) {
      file = path.join(dir, `param-${++n}.db`);
      return make(clock);
    },
    async another(clock: TestClock) {
      return make(clock);
    },
  };
}

environmentLockContract("sqlite", sqliteFixture());
environmentLockContract("parameter store (embedded SQLite store)", parameterFixture());

describe("ParameterLockBackend", () => {
  it("keeps the holder as JSON in <prefix>/.karma/lock and deletes it on release", async () => {
    const store = openStore(path.join(dir, `param-${++n}.db`));
    try {
      const lock = new LeaseLock(new ParameterLockBackend({ store, prefix: "/iac/" }));
      expect(lockParameterName("/iac/")).toBe("/iac/.karma/lock");
      expect(lock.description).toMatch(/^parameter \/iac\/\.karma\/lock in sqlite/);
      const handle = await lock.acquire("dev", { owner: "alice", operation: "apply", renewEvery: false });
      const stored = await store.getParameter("/iac/.karma/lock");
      expect(JSON.parse(stored.value)).toEqual(handle.holder);
      await handle.release();
      await expect(store.getParameter("/iac/.karma/lock")).rejects.toThrow(/not found/);
      await lock.close();
    } finally {
      await store.close();
    }
  });

  it("treats an unreadable lock value as held until its fallback lease ends", async () => {
    const store = openStore(path.join(dir, `param-${++n}.db`));
    try {
      await store.putParameter({ name: "/iac/.karma/lock", value: "garbage", type: "String" });
      let now = new Date();
      const lock = new LeaseLock(new ParameterLockBackend({ store, prefix: "/iac", fallbackTtlMs: 60_000 }), {
        now: () => now,
      });
      const error = await lock
        .acquire("dev", { owner: "bob", operation: "apply", renewEvery: false })
        .catch((e) => e);
      expect(error).toBeInstanceOf(LockHeldError);
      expect((error as Error).message).toContain("unreadable value in /iac/.karma/lock");
      now = new Date(now.getTime() + 61_000);
      const handle = await lock.acquire("dev", { owner: "bob", operation: "apply", renewEvery: false });
      expect(JSON.parse((await store.getParameter("/iac/.karma/lock")).value).owner).toBe("bob");
      await handle.release();
      await lock.close();
    } finally {
      await store.close();
    }
  });
});

/** A renewal schedule driven by hand: `tick()` runs every scheduled renewal once and waits for it. */
function handDriven(): { repeat: Repeat; tick: () => Promise<void> } {
  const ticks = new Set<() => Promise<void>>();
  return {
    repeat: (_ms, tick) => {
      ticks.add(tick);
      return () => ticks.delete(tick);
    },
    tick: async () => {
      await Promise.all([...ticks].map((t) => t()));
    },
  };
}

describe("LeaseLock background renewal", () => {
  it("renews a held lease by itself, so a long operation keeps its lock", async () => {
    const file = path.join(dir, `renew-${++n}.db`);
    let now = new Date("2026-01-01T00:00:00.000Z");
    const clock = () => now;
    const later = (ms: number) => {
      now = new Date(now.getTime() + ms);
    };
    const schedule = handDriven();
    const mine = new LeaseLock(new SqliteLockBackend({ file }), { now: clock, repeat: schedule.repeat });
    const theirs = new LeaseLock(new SqliteLockBackend({ file }), { now: clock });
    try {
      const handle = await mine.acquire("dev", {
        owner: "alice",
        operation: "apply",
        ttl: 400,
        renewEvery: 100,
      });
      // twice past the first lease's end, renewed on the way each time
      for (let i = 0; i < 8; i++) {
        later(100);
        await schedule.tick();
      }
      expect(handle.lost).toBe(false);
      await expect(theirs.acquire("dev", { owner: "bob", operation: "apply" })).rejects.toBeInstanceOf(
        LockHeldError,
      );
      await handle.release();
      const next = await theirs.acquire("dev", { owner: "bob", operation: "apply", renewEvery: false });
      expect(next.holder.owner).toBe("bob");
    } finally {
      await theirs.close();
      await mine.close();
    }
  });

  it("without renewal the same lease runs out and another holder may take it", async () => {
    const file = path.join(dir, `expire-${++n}.db`);
    let now = new Date("2026-01-01T00:00:00.000Z");
    const clock = () => now;
    const mine = new LeaseLock(new SqliteLockBackend({ file }), { now: clock });
    const theirs = new LeaseLock(new SqliteLockBackend({ file }), { now: clock });
    try {
      await mine.acquire("dev", { owner: "alice", operation: "apply", ttl: 400, renewEvery: false });
      now = new Date(now.getTime() + 800);
      const next = await theirs.acquire("dev", { owner: "bob", operation: "apply", renewEvery: false });
      expect(next.holder.owner).toBe("bob");
    } finally {
      await theirs.close();
      await mine.close();
    }
  });

  it("marks the handle lost when renewal finds the lock force-released", async () => {
    const file = path.join(dir, `lost-${++n}.db`);
    const schedule = handDriven();
    const lock = new LeaseLock(new SqliteLockBackend({ file }), { repeat: schedule.repeat });
    try {
      const handle = await lock.acquire("dev", {
        owner: "alice",
        operation: "apply",
        ttl: 60_000,
        renewEvery: 30,
      });
      await lock.forceRelease("dev");
      expect(handle.lost).toBe(false);
      await schedule.tick();
      expect(handle.lost).toBe(true);
    } finally {
      await lock.close();
    }
  });
});
