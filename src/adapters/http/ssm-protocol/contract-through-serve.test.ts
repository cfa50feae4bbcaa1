/**
 * Conformance run 2: the ParameterStore contract through the AWS SDK (`SsmParameterStore`)
 * against `karma serve`'s SSM endpoint backed by the embedded store.
 */
import { afterAll } from "vitest";
import { describeParameterStoreContract } from "../../parameter-store/contract.js";
import { type LocalSsm, startLocalSsm } from "../testing/local-ssm.js";

let local: Promise<LocalSsm> | undefined;
afterAll(async () => {
  await (await local)?.close();
});

describeParameterStoreContract(
  "ssm backend → karma serve (embedded store)",
  async () => {
    local ??= startLocalSsm();
    const client = (await local).client();
    return { store: client, cleanup: () => client.close() };
  },
  {
    skip: {
      "putParameters: atomic when a write conflicts":
        "the ssm backend writes one PutParameter at a time (SSM has no transactions); documented as not atomic",
    },
  },
);
