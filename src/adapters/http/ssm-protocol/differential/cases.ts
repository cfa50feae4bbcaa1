/**
 * The differential suite's cases: each is a few calls through a real AWS SDK, made the same way
 * against `karma serve` and against moto. Karma must give the outcome AWS documents (`expect`);
 * where moto gives the same, the two answers must match field by field (after masking what
 * legitimately differs: dates, account ids, ciphertexts). Where moto departs from AWS's
 * documented behaviour, `motoDiffers` says how, with the source, and moto is not compared.
 *
 * In every string, `{p}` becomes a path prefix of the case's own and `{arn}` the server's
 * parameter ARN prefix (`arn:aws:ssm:us-east-1:<account>:parameter`).
 */

export interface Call {
  op: string;
  params: Record<string, unknown>;
  /** A setup call whose outcome differs legitimately between servers (it is not checked). */
  mayFail?: boolean;
}

export type Expected = { ok: true; output?: Record<string, unknown> } | { error: string; message?: string };

export interface DifferentialCase {
  name: string;
  /** Calls made first, on both servers; their answers must succeed but are not compared. */
  setup?: Call[];
  /** The compared call. */
  call: Call;
  /** The outcome AWS documents; `output` fields (after `{p}`/`{arn}` substitution) must match. */
  expect: Expected;
  /** How and why moto departs from AWS here; moto's answer is then not compared. */
  motoDiffers?: string;
  /** Output fields AWS documents that moto leaves out: compared without them, and why. */
  motoOmits?: { fields: readonly string[]; reason: string };
}

const put = (name: string, value: string, extra: Record<string, unknown> = {}): Call => ({
  op: "PutParameter",
  params: { Name: name, Value: value, Type: "String", ...extra },
});
const get = (name: string, extra: Record<string, unknown> = {}): Call => ({
  op: "GetParameter",
  params: { Name: name, ...extra },
});

/** AWS API reference, ParameterMetadata: "ARN: The Amazon Resource Name (ARN) of the parameter". */
const DESCRIBE_ARN = { fields: ["ARN"], reason: "moto's DescribeParameters leaves out each parameter's ARN" };

export const CASES: readonly DifferentialCase[] = [
  {
    name: "PutParameter creates version 1 in the Standard tier",
    call: put("{p}/a", "one"),
    expect: { ok: true, output: { Version: 1, Tier: "Standard" } },
  },
  {
    name: "GetParameter returns the value, version, ARN and data type",
    setup: [put("{p}/a", "one")],
    call: get("{p}/a"),
    expect: {
      ok: true,
      output: { Parameter: { Name: "{p}/a", Value: "one", Version: 1, ARN: "{arn}{p}/a", DataType: "text" } },
    },
  },
  {
    name: "StringList values are stored as given",
    setup: [put("{p}/list", "a,b,c", { Type: "StringList" })],
    call: get("{p}/list"),
    expect: { ok: true, output: { Parameter: { Type: "StringList", Value: "a,b,c" } } },
  },
  {
    name: "SecureString is decrypted only when asked",
    setup: [put("{p}/secret", "s3cret", { Type: "SecureString" })],
    call: get("{p}/secret", { WithDecryption: true }),
    expect: { ok: true, output: { Parameter: { Type: "SecureString", Value: "s3cret" } } },
  },
  {
    name: "PutParameter on an existing name without Overwrite is ParameterAlreadyExists",
    setup: [put("{p}/a", "one")],
    call: put("{p}/a", "two"),
    expect: { error: "ParameterAlreadyExists" },
  },
  {
    name: "PutParameter with Overwrite writes version 2",
    setup: [put("{p}/a", "one")],
    call: put("{p}/a", "two", { Overwrite: true }),
    expect: { ok: true, output: { Version: 2 } },
  },
  {
    name: "GetParameter of a missing name is ParameterNotFound, naming the parameter",
    call: get("{p}/missing"),
    expect: { error: "ParameterNotFound", message: "Parameter {p}/missing not found." },
  },
  {
    name: "GetParameter accepts the parameter's full ARN as Name",
    setup: [put("{p}/by-arn", "found")],
    call: get("{arn}{p}/by-arn"),
    // AWS API reference, GetParameter: "Name: The name or Amazon Resource Name (ARN) of the parameter".
    expect: {
      ok: true,
      output: { Parameter: { Name: "{p}/by-arn", Value: "found", ARN: "{arn}{p}/by-arn" } },
    },
  },
  {
    name: "GetParameter accepts an ARN with a version selector",
    setup: [put("{p}/arn-v", "v1"), put("{p}/arn-v", "v2", { Overwrite: true })],
    call: get("{arn}{p}/arn-v:1"),
    expect: { ok: true, output: { Parameter: { Value: "v1", Version: 1, Selector: ":1" } } },
    motoDiffers: "moto omits Selector from GetParameter responses for name:version",
  },
  {
    name: "GetParameters accepts ARNs and lists unknown names as invalid",
    setup: [put("{p}/x", "x")],
    call: { op: "GetParameters", params: { Names: ["{arn}{p}/x", "{p}/nope"] } },
    // AWS API reference, GetParameters: "Names: The names or Amazon Resource Names (ARNs) of the parameters".
    expect: { ok: true, output: { Parameters: [{ Name: "{p}/x" }], InvalidParameters: ["{p}/nope"] } },
    motoDiffers: "moto looks ARNs up as plain names in GetParameters and lists them as invalid",
  },
  {
    name: "GetParameterHistory accepts the parameter's ARN",
    setup: [put("{p}/h", "v1"), put("{p}/h", "v2", { Overwrite: true })],
    call: { op: "GetParameterHistory", params: { Name: "{arn}{p}/h" } },
    expect: { ok: true },
    motoDiffers: "moto looks the ARN up as a plain name and answers ParameterNotFound",
  },
  {
    name: "name:version selects a version and echoes the selector",
    setup: [put("{p}/v", "v1"), put("{p}/v", "v2", { Overwrite: true })],
    call: get("{p}/v:1"),
    expect: { ok: true, output: { Parameter: { Value: "v1", Version: 1, Selector: ":1" } } },
    motoDiffers: "moto omits Selector from GetParameter responses for name:version",
  },
  {
    name: "a missing version is ParameterVersionNotFound",
    setup: [put("{p}/v", "v1")],
    call: get("{p}/v:9"),
    expect: { error: "ParameterVersionNotFound" },
  },
  {
    name: "name:label selects the labelled version",
    setup: [
      put("{p}/l", "v1"),
      put("{p}/l", "v2", { Overwrite: true }),
      { op: "LabelParameterVersion", params: { Name: "{p}/l", ParameterVersion: 1, Labels: ["stable"] } },
    ],
    call: get("{p}/l:stable"),
    expect: { ok: true, output: { Parameter: { Value: "v1", Version: 1, Selector: ":stable" } } },
    motoDiffers: "moto omits Selector from GetParameter responses for name:label",
  },
  {
    name: "LabelParameterVersion reports invalid labels instead of failing",
    setup: [put("{p}/l", "v1")],
    call: {
      op: "LabelParameterVersion",
      params: { Name: "{p}/l", Labels: ["ok-label", "9starts-with-digit", "awsreserved"] },
    },
    expect: {
      ok: true,
      output: { InvalidLabels: ["9starts-with-digit", "awsreserved"], ParameterVersion: 1 },
    },
  },
  {
    name: "UnlabelParameterVersion removes a label",
    setup: [
      put("{p}/u", "v1"),
      { op: "LabelParameterVersion", params: { Name: "{p}/u", ParameterVersion: 1, Labels: ["a", "b"] } },
    ],
    call: {
      op: "UnlabelParameterVersion",
      params: { Name: "{p}/u", ParameterVersion: 1, Labels: ["a", "zz"] },
    },
    expect: { ok: true, output: { RemovedLabels: ["a"], InvalidLabels: ["zz"] } },
  },
  {
    name: "GetParametersByPath without Recursive returns one level",
    setup: [put("{p}/tree/a", "1"), put("{p}/tree/b", "2"), put("{p}/tree/deep/c", "3")],
    call: { op: "GetParametersByPath", params: { Path: "{p}/tree" } },
    expect: { ok: true },
  },
  {
    name: "GetParametersByPath with Recursive returns every level",
    setup: [put("{p}/tree/a", "1"), put("{p}/tree/deep/c", "3")],
    call: { op: "GetParametersByPath", params: { Path: "{p}/tree", Recursive: true } },
    expect: { ok: true },
  },
  {
    name: "GetParametersByPath filters by label",
    setup: [
      put("{p}/lf/a", "1"),
      put("{p}/lf/b", "2"),
      { op: "LabelParameterVersion", params: { Name: "{p}/lf/a", ParameterVersion: 1, Labels: ["live"] } },
    ],
    call: {
      op: "GetParametersByPath",
      params: { Path: "{p}/lf", ParameterFilters: [{ Key: "Label", Option: "Equals", Values: ["live"] }] },
    },
    expect: { ok: true },
  },
  {
    name: "GetParametersByPath under /aws/service answers as a path with nothing under it",
    call: { op: "GetParametersByPath", params: { Path: "/aws/service/ami-amazon-linux-latest" } },
    // AWS serves its public parameters there; Karma serves none and answers as AWS does for a
    // path holding nothing, rather than rejecting the reserved prefix.
    expect: { ok: true, output: { Parameters: [] } },
    motoDiffers: "moto ships a snapshot of AWS's public parameters (made-up AMI ids); Karma serves none",
  },
  {
    name: "GetParametersByPath with MaxResults above 10 is a ValidationException",
    call: { op: "GetParametersByPath", params: { Path: "/", MaxResults: 11 } },
    expect: { error: "ValidationException" },
  },
  {
    name: "GetParameters with more than 10 names is a ValidationException",
    call: { op: "GetParameters", params: { Names: Array.from({ length: 11 }, (_, i) => `{p}/n${i}`) } },
    expect: { error: "ValidationException" },
  },
  {
    name: "GetParameterHistory lists every version in order",
    setup: [put("{p}/h", "v1", { Description: "first" }), put("{p}/h", "v2", { Overwrite: true })],
    call: { op: "GetParameterHistory", params: { Name: "{p}/h" } },
    expect: { ok: true },
  },
  {
    name: "GetParameterHistory of a missing name is ParameterNotFound",
    call: { op: "GetParameterHistory", params: { Name: "{p}/nothing" } },
    expect: { error: "ParameterNotFound" },
  },
  {
    name: "DescribeParameters filters by name prefix",
    setup: [put("{p}/d/a", "1", { Description: "about a" }), put("{p}/d/b", "2", { Type: "SecureString" })],
    call: {
      op: "DescribeParameters",
      params: { ParameterFilters: [{ Key: "Name", Option: "BeginsWith", Values: ["{p}/d/"] }] },
    },
    expect: { ok: true },
    motoOmits: DESCRIBE_ARN,
  },
  {
    name: "DescribeParameters filters by type",
    setup: [put("{p}/t/a", "1"), put("{p}/t/b", "2", { Type: "SecureString" })],
    call: {
      op: "DescribeParameters",
      params: {
        ParameterFilters: [
          { Key: "Path", Option: "Recursive", Values: ["{p}/t"] },
          { Key: "Type", Values: ["SecureString"] },
        ],
      },
    },
    expect: { ok: true },
    motoOmits: DESCRIBE_ARN,
  },
  {
    name: "DescribeParameters refuses Filters and ParameterFilters together",
    call: {
      op: "DescribeParameters",
      params: {
        Filters: [{ Key: "Name", Values: ["x"] }],
        ParameterFilters: [{ Key: "Name", Values: ["x"] }],
      },
    },
    expect: { error: "ValidationException" },
  },
  {
    name: "DeleteParameter removes the parameter",
    setup: [put("{p}/del", "x"), { op: "DeleteParameter", params: { Name: "{p}/del" } }],
    call: get("{p}/del"),
    expect: { error: "ParameterNotFound" },
  },
  {
    name: "DeleteParameter of a missing name is ParameterNotFound",
    call: { op: "DeleteParameter", params: { Name: "{p}/never" } },
    expect: { error: "ParameterNotFound" },
  },
  {
    name: "DeleteParameters reports deleted and invalid names",
    setup: [put("{p}/m/a", "1")],
    call: { op: "DeleteParameters", params: { Names: ["{p}/m/a", "{p}/m/none"] } },
    expect: { ok: true, output: { DeletedParameters: ["{p}/m/a"], InvalidParameters: ["{p}/m/none"] } },
  },
  {
    name: "tags: add, list and remove",
    setup: [
      put("{p}/tagged", "x", { Tags: [{ Key: "team", Value: "core" }] }),
      {
        op: "AddTagsToResource",
        params: { ResourceType: "Parameter", ResourceId: "{p}/tagged", Tags: [{ Key: "env", Value: "dev" }] },
      },
      {
        op: "RemoveTagsFromResource",
        params: { ResourceType: "Parameter", ResourceId: "{p}/tagged", TagKeys: ["team"] },
      },
    ],
    call: { op: "ListTagsForResource", params: { ResourceType: "Parameter", ResourceId: "{p}/tagged" } },
    expect: { ok: true, output: { TagList: [{ Key: "env", Value: "dev" }] } },
  },
  {
    name: "Tags with Overwrite is a ValidationException",
    setup: [put("{p}/to", "x")],
    call: put("{p}/to", "y", { Overwrite: true, Tags: [{ Key: "a", Value: "b" }] }),
    expect: { error: "ValidationException" },
  },
  {
    name: "AllowedPattern is enforced",
    call: put("{p}/pat", "abc", { AllowedPattern: "^\\d+$" }),
    expect: { error: "ParameterPatternMismatchException" },
    motoDiffers: "moto stores AllowedPattern but does not enforce it",
  },
  {
    name: "AllowedPattern that backtracks catastrophically is answered at once",
    call: put("{p}/redos", `${"a".repeat(3000)}!`, { AllowedPattern: "^(a+)+$" }),
    expect: { error: "ParameterPatternMismatchException" },
    motoDiffers: "moto stores AllowedPattern but does not enforce it",
  },
  {
    name: "DataType aws:ec2:image with an AMI id creates the parameter",
    setup: [put("{p}/ami", "ami-0123456789abcdef0", { DataType: "aws:ec2:image" })],
    call: get("{p}/ami"),
    expect: {
      ok: true,
      output: { Parameter: { DataType: "aws:ec2:image", Value: "ami-0123456789abcdef0" } },
    },
  },
  {
    name: "DataType aws:ec2:image with a value that is not an AMI id does not create the parameter",
    // AWS validates asynchronously: PutParameter answers 200 and the parameter is not created.
    // Karma refuses the PutParameter at once (it has no event channel to report the failure on).
    setup: [{ ...put("{p}/bad-ami", "not-an-ami", { DataType: "aws:ec2:image" }), mayFail: true }],
    call: get("{p}/bad-ami"),
    expect: { error: "ParameterNotFound" },
    motoDiffers: "moto creates aws:ec2:image parameters whatever their value",
  },
  {
    name: "an unknown DataType is a ValidationException",
    call: put("{p}/dt", "x", { DataType: "json" }),
    expect: { error: "ValidationException" },
  },
  {
    name: "names prefixed with aws or ssm are reserved",
    call: put("ssm-mine", "x"),
    expect: { error: "ValidationException" },
  },
  {
    name: "writing under /aws is AccessDeniedException",
    call: put("/aws/mine", "x"),
    expect: { error: "AccessDeniedException", message: "No access to reserved parameter name: /aws/mine." },
  },
  {
    name: "a Standard value above 4 KB is a ValidationException",
    call: put("{p}/big", "x".repeat(4097)),
    expect: { error: "ValidationException" },
    motoDiffers: "moto has no value-size check",
  },
  {
    name: "an Advanced value up to 8 KB is accepted",
    call: put("{p}/adv", "x".repeat(5000), { Tier: "Advanced" }),
    expect: { ok: true, output: { Version: 1, Tier: "Advanced" } },
  },
  {
    name: "SecureString without decryption is not the plaintext",
    setup: [put("{p}/enc", "plain-secret", { Type: "SecureString" })],
    call: get("{p}/enc"),
    expect: { ok: true, output: { Parameter: { Type: "SecureString" } } },
  },
  {
    name: "SecureString with a custom KeyId reports the key in DescribeParameters",
    setup: [put("{p}/kms/a", "x", { Type: "SecureString", KeyId: "alias/karma-test" })],
    call: {
      op: "DescribeParameters",
      params: { ParameterFilters: [{ Key: "Name", Values: ["{p}/kms/a"] }] },
    },
    expect: { ok: true, output: { Parameters: [{ KeyId: "alias/karma-test" }] } },
    motoOmits: DESCRIBE_ARN,
  },
  {
    name: "GetParametersByPath pages with MaxResults and NextToken",
    setup: [put("{p}/pg/a", "1"), put("{p}/pg/b", "2"), put("{p}/pg/c", "3")],
    call: { op: "GetParametersByPath", params: { Path: "{p}/pg", MaxResults: 2 } },
    expect: { ok: true, output: { Parameters: [{ Name: "{p}/pg/a" }, { Name: "{p}/pg/b" }] } },
    motoOmits: { fields: ["NextToken"], reason: "page tokens are opaque and differ by construction" },
  },
  {
    name: "GetParameterHistory pages with MaxResults",
    setup: [
      put("{p}/hp", "v1"),
      put("{p}/hp", "v2", { Overwrite: true }),
      put("{p}/hp", "v3", { Overwrite: true }),
    ],
    call: { op: "GetParameterHistory", params: { Name: "{p}/hp", MaxResults: 2 } },
    expect: { ok: true, output: { Parameters: [{ Value: "v1" }, { Value: "v2" }] } },
    motoOmits: { fields: ["NextToken"], reason: "page tokens are opaque and differ by construction" },
  },
  {
    name: "a label moves to the version it is attached to last",
    setup: [
      put("{p}/mv", "v1"),
      put("{p}/mv", "v2", { Overwrite: true }),
      { op: "LabelParameterVersion", params: { Name: "{p}/mv", ParameterVersion: 1, Labels: ["prod"] } },
      { op: "LabelParameterVersion", params: { Name: "{p}/mv", ParameterVersion: 2, Labels: ["prod"] } },
    ],
    call: { op: "GetParameterHistory", params: { Name: "{p}/mv" } },
    expect: { ok: true, output: { Parameters: [{ Version: 1 }, { Version: 2, Labels: ["prod"] }] } },
  },
  {
    name: "LabelParameterVersion of a missing version is ParameterVersionNotFound",
    setup: [put("{p}/lv", "v1")],
    call: { op: "LabelParameterVersion", params: { Name: "{p}/lv", ParameterVersion: 5, Labels: ["x"] } },
    expect: { error: "ParameterVersionNotFound" },
  },
  {
    name: "Intelligent-Tiering picks Standard for a small value",
    call: put("{p}/it", "small", { Tier: "Intelligent-Tiering" }),
    expect: { ok: true, output: { Version: 1, Tier: "Standard" } },
    motoDiffers: 'moto echoes "Intelligent-Tiering" instead of the tier it picked',
  },
  {
    name: "an Advanced parameter cannot be downgraded to Standard",
    setup: [put("{p}/down", "x", { Tier: "Advanced" })],
    call: put("{p}/down", "y", { Overwrite: true, Tier: "Standard" }),
    expect: { error: "ValidationException" },
    motoDiffers: "moto does not enforce tier transitions",
  },
  {
    name: "Overwrite keeps the description when none is given",
    setup: [put("{p}/desc", "v1", { Description: "kept" }), put("{p}/desc", "v2", { Overwrite: true })],
    call: {
      op: "DescribeParameters",
      params: { ParameterFilters: [{ Key: "Name", Values: ["{p}/desc"] }] },
    },
    expect: { ok: true, output: { Parameters: [{ Description: "kept", Version: 2 }] } },
    motoOmits: DESCRIBE_ARN,
  },
  {
    // AWS API reference, ParameterStringFilter: "For DescribeParameters, all of the listed
    // patterns are valid except Label."
    name: "DescribeParameters refuses a Label filter",
    setup: [
      put("{p}/dl/a", "1"),
      put("{p}/dl/b", "2"),
      { op: "LabelParameterVersion", params: { Name: "{p}/dl/b", ParameterVersion: 1, Labels: ["blue"] } },
    ],
    call: {
      op: "DescribeParameters",
      params: {
        ParameterFilters: [
          { Key: "Path", Option: "Recursive", Values: ["{p}/dl"] },
          { Key: "Label", Values: ["blue"] },
        ],
      },
    },
    expect: { error: "InvalidFilterKey" },
  },
  {
    name: "DescribeParameters filters by tag",
    setup: [put("{p}/dt/a", "1", { Tags: [{ Key: "team", Value: "web" }] }), put("{p}/dt/b", "2")],
    call: {
      op: "DescribeParameters",
      params: {
        ParameterFilters: [
          { Key: "Path", Option: "Recursive", Values: ["{p}/dt"] },
          { Key: "tag:team", Values: ["web"] },
        ],
      },
    },
    expect: { ok: true, output: { Parameters: [{ Name: "{p}/dt/a" }] } },
    motoOmits: DESCRIBE_ARN,
  },
  {
    name: "GetParameters with a version selector echoes the selector",
    setup: [put("{p}/gs", "v1"), put("{p}/gs", "v2", { Overwrite: true })],
    call: { op: "GetParameters", params: { Names: ["{p}/gs:1", "{p}/gs:7"] } },
    expect: {
      ok: true,
      output: {
        Parameters: [{ Name: "{p}/gs", Value: "v1", Selector: ":1" }],
        InvalidParameters: ["{p}/gs:7"],
      },
    },
    motoDiffers: "moto omits Selector from GetParameters responses",
  },
  {
    name: "ListTagsForResource of a missing parameter is InvalidResourceId",
    call: { op: "ListTagsForResource", params: { ResourceType: "Parameter", ResourceId: "{p}/none" } },
    expect: { error: "InvalidResourceId" },
  },
  {
    name: "an empty Value is a ValidationException",
    call: put("{p}/empty", ""),
    expect: { error: "ValidationException" },
  },
  {
    name: "more than 15 hierarchy levels is HierarchyLevelLimitExceededException",
    call: put(`{p}${"/l".repeat(15)}`, "x"),
    expect: { error: "HierarchyLevelLimitExceededException" },
    motoDiffers: "moto has no hierarchy-depth check",
  },
];
