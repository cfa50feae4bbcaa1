import { afterAll, beforeAll, expect, it } from "vitest";
import { isParameterStoreError } from "../../../ports/parameter-store.js";
import { SsmParameterStore } from "./ssm-parameter-store.js";
import { describeWithEngine, type MotoServer, motoMissing, startMotoServer } from "./testing/engines.js";

describeWithEngine("SsmParameterStore against moto (smoke)", motoMissing(), () => {
  let moto: MotoServer;
  let store: SsmParameterStore;
  beforeAll(async () => {
    moto = await startMotoServer();
    store = new SsmParameterStore({
      endpoint: moto.url,
      region: "us-east-1",
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
    });
  });
  afterAll(async () => {
    await store?.close();
    await moto?.stop();
  });

  it("puts, gets, describes and maps errors", async () => {
    await store.putParameter({ name: "/smoke/a", value: "1", type: "String" });
    await store.putParameter({ name: "/smoke/s", value: "secret", type: "SecureString" });
    expect((await store.getParameter("/smoke/a")).value).toBe("1");
    expect((await store.getParameter("/smoke/s", { withDecryption: true })).value).toBe("secret");
    expect((await store.getParameter("/smoke/s")).value).not.toBe("secret");
    const described = await store.describeParameters({
      parameterFilters: [{ key: "Path", option: "Recursive", values: ["/smoke"] }],
    });
    expect(described.items.map((m) => m.name).sort()).toEqual(["/smoke/a", "/smoke/s"]);
    const error = await store.getParameter("/smoke/none").catch((e: unknown) => e);
    expect(isParameterStoreError(error, "ParameterNotFound")).toBe(true);
    const exists = await store
      .putParameter({ name: "/smoke/a", value: "2", type: "String" })
      .catch((e: unknown) => e);
    expect(isParameterStoreError(exists, "ParameterAlreadyExists")).toBe(true);
  });
});
