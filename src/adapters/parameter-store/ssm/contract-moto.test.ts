/**
 * Conformance run 3: the ParameterStore contract through the AWS SDK against moto's SSM server,
 * an implementation independent of Karma. Cases where moto deviates from AWS are skipped for
 * moto only, each with the deviation as the reason; AWS's behaviour is what the contract checks.
 */
import { afterAll } from "vitest";
import { type ContractCase, describeParameterStoreContract } from "../contract.js";
import { SsmParameterStore } from "./ssm-parameter-store.js";
import { describeWithEngine, type MotoServer, motoMissing, startMotoServer } from "./testing/engines.js";

/** Where moto (5.x) is known to differ from AWS; observed against moto_server, checked against AWS's docs. */
const MOTO_DEVIATIONS: Partial<Record<ContractCase, string>> = {
  "name: allowed characters": "moto does not validate the characters of parameter names",
  "name: a hierarchy starts with a slash": 'moto accepts names containing "/" that do not start with "/"',
  "name: at most 1011 characters": "moto has no name-length check",
  "name: at most 15 hierarchy levels": "moto has no hierarchy-depth check",
  "put: allowedPattern is enforced": "moto stores AllowedPattern but does not enforce it",
  "tier: Standard values up to 4096 bytes": "moto has no value-size check",
  "tier: Advanced values up to 8192 bytes": "moto has no value-size check",
  "tier: Advanced cannot be downgraded to Standard": "moto does not enforce tier transitions",
  "tier: Intelligent-Tiering picks the tier by size":
    'moto echoes "Intelligent-Tiering" instead of the tier it picked',
  "type: SecureString is decrypted only when asked":
    'moto\'s "ciphertext" for a SecureString is "kms:<key>:<plaintext>", which contains the plaintext',
  "versions: numbered from 1 and selected with name:version":
    "moto omits Selector from GetParameter(s) responses for name:version",
  "labels: name:label selects the labelled version": "moto omits Selector from responses for name:label",
  "labels: a missing label is ParameterVersionNotFound":
    "moto answers ParameterNotFound where AWS answers ParameterVersionNotFound",
  "labels: unlabel": "moto answers ParameterNotFound where AWS answers ParameterVersionNotFound",
  "labels: invalid labels are returned, not attached":
    'moto accepts labels starting with "ssm" (AWS reserves them)',
  "getParametersByPath: pages of at most 10 with NextToken":
    "moto does not validate MaxResults (AWS: 1..10 → ValidationException)",
  "getParametersByPath: a forged NextToken is InvalidNextToken":
    "moto fails with HTTP 500 (an HTML page) on a NextToken it did not issue",
  "describe: pages of at most 50":
    "moto ignores MaxResults when ParameterFilters are given, and does not validate it",
  "delete: deleteParameters reports missing names":
    "moto does not enforce the 10-name limit of DeleteParameters",
  "put: the type cannot change (HierarchyTypeMismatchException)":
    "moto lets an overwrite change the parameter's type",
  "tags: at most 50 per resource (TooManyTagsError)": "moto does not enforce the 50-tag limit",
  "history and describe: a forged NextToken is InvalidNextToken":
    "moto fails with HTTP 500 (an HTML page) on a NextToken it did not issue",
};

let moto: Promise<MotoServer> | undefined;
afterAll(async () => {
  await (await moto)?.stop();
});

describeWithEngine("moto", motoMissing(), () => {
  describeParameterStoreContract(
    "ssm backend → moto server",
    async () => {
      moto ??= startMotoServer();
      const store = new SsmParameterStore({
        endpoint: (await moto).url,
        region: "us-east-1",
        credentials: { accessKeyId: "test", secretAccessKey: "test" },
      });
      return { store, cleanup: () => store.close() };
    },
    {
      skip: {
        ...MOTO_DEVIATIONS,
        "putParameters: atomic when a write conflicts":
          "the ssm backend writes one PutParameter at a time (SSM has no transactions); documented as not atomic",
      },
    },
  );
});
