import { rmSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { tempDir, writeFiles } from "../../testing/cli.js";
import { openSession } from "./open-session.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function estate(): string {
  const dir = writeFiles(tempDir("session"), {
    "karma.json": JSON.stringify({ prefix: "/iac", environments: ["dev", "prod"] }),
    "iac/dev/vpc/main/config.json": '{"cidr": "10.0.0.0/16"}\n',
  });
  dirs.push(dir);
  return dir;
}

describe("openSession", () => {
  it("opens each store once, on first use, and closes everything once", async () => {
    const session = openSession({ root: estate(), source: "cli", actor: "alice@host" });
    const [a, b] = await Promise.all([session.store("dev"), session.store("dev")]);
    expect(a).toBe(b);
    expect(await session.store("prod")).not.toBe(a);
    expect(await session.graph()).toBe(await session.graph());
    await session.close();
    await session.close();
    await expect(a.getParameter("/iac/vpc/main/config")).rejects.toThrow();
  });

  it("stamps audit entries with the session's actor, source and clock; an explicit actor wins", async () => {
    const now = new Date("2026-01-02T03:04:05.000Z");
    const session = openSession({ root: estate(), source: "ssm-api", actor: "alice@host", now: () => now });
    try {
      const [mine, theirs] = await session.record([
        { action: "publish", status: "ok" },
        { action: "param_put", status: "ok", actor: "AKIDEXAMPLE" },
      ]);
      expect(mine).toMatchObject({ actor: "alice@host", source: "ssm-api", timestamp: now.toISOString() });
      expect(theirs).toMatchObject({ actor: "AKIDEXAMPLE", source: "ssm-api" });
      expect((await (await session.auditLog()).query()).map((e) => e.action)).toEqual([
        "param_put",
        "publish",
      ]);
    } finally {
      await session.close();
    }
  });

  it("takes the actor from KARMA_ACTOR in the given environment", () => {
    const session = openSession({ root: estate(), source: "cli", env: { KARMA_ACTOR: "ci-bot" } });
    expect(session.actor).toBe("ci-bot");
    expect(session.estate.readText("iac/dev/vpc/main/config.json")).toContain("10.0.0.0/16");
    expect(session.estate.readText("iac/dev/vpc/none/config.json")).toBeUndefined();
  });

  it("names the environments there are for an unknown one", async () => {
    const session = openSession({ root: estate(), source: "cli" });
    await expect(session.store("qa")).rejects.toThrow(/unknown environment "qa"/);
    expect(() => session.environment("qa")).toThrow(/unknown environment/);
  });

  it("locks through the environment's store with the session's actor", async () => {
    const session = openSession({ root: estate(), source: "cli", actor: "alice@host" });
    try {
      const lock = await session.lock("dev");
      expect(await session.lock("dev")).toBe(lock);
      const handle = await lock.acquire("dev", {
        owner: session.actor,
        operation: "test",
        renewEvery: false,
      });
      expect((await lock.inspect("dev"))?.owner).toBe("alice@host");
      await handle.release();
    } finally {
      await session.close();
    }
  });
});
