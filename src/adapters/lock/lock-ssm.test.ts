/**
 * The parameter-store lock through the real SSM client (AWS SDK v3) against `karma serve` — the
 * path an environment on `store: ssm` takes, with SSM's wire semantics (ParameterAlreadyExists on
 * a no-overwrite create, DeleteParameter, versions).
 */
import { afterAll } from "vitest";
import { type LocalSsm, startLocalSsm } from "../http/testing/local-ssm.js";
import { environmentLockContract, type TestClock } from "./contract.js";
import { LeaseLock } from "./lease-lock.js";
import { ParameterLockBackend } from "./parameter-store/parameter-lock-backend.js";

const servers: LocalSsm[] = [];
afterAll(async () => {
  for (const server of servers) await server.close();
});

let current: LocalSsm | undefined;
const lockOn = (local: LocalSsm, clock: TestClock) =>
  new LeaseLock(new ParameterLockBackend({ store: local.client(), prefix: "/iac" }), clock);

environmentLockContract("parameter store (SSM SDK client → karma serve)", {
  skip: {
    independentEnvironments: "one parameter store serves one environment, so its lock is that environment's",
  },
  async fresh(clock) {
    current = await startLocalSsm();
    servers.push(current);
    return lockOn(current, clock);
  },
  async another(clock) {
    if (!current) throw new Error("fresh() first");
    return lockOn(current, clock);
  },
});
