/**
 * The estate model: plain, serialisable records describing the config repo. Built by
 * `loadEstate` (adapters/fs) from files, validated by the pure functions in this folder.
 */
import type { Contracts } from "../contracts/model.js";
import type { Problem } from "../errors.js";

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** Where a store lives for one environment. */
export type StoreSettings =
  | { kind: "sqlite" /** relative to the estate root */; path: string }
  | {
      kind: "ssm";
      region?: string;
      profile?: string;
      endpoint?: string;
      /** Max parallel SSM calls. */
      concurrency?: number;
    };

export type GraphSettings =
  | { kind: "sqlite" }
  | {
      kind: "gremlin";
      /** `wss://<cluster>.neptune.amazonaws.com:8182/gremlin`, `ws://127.0.0.1:8182/gremlin`. */
      endpoint: string;
      /** Sign the WebSocket handshake with SigV4 (Neptune IAM auth). */
      iam?: boolean;
      /** SigV4 region; default from a Neptune host name, then AWS_REGION. */
      region?: string;
      /** Elements of this estate carry this namespace (several estates can share a cluster). Default "karma". */
      namespace?: string;
      /** Seconds to wait for the connection and for each request. Default 30. */
      timeout?: number;
    };

/** Where the audit log lives: the embedded SQLite file, or the gremlin graph's server. */
export type AuditSettings = { kind: "sqlite" } | { kind: "gremlin" };

export interface EnvironmentSettings {
  name: string;
  /** Effective parameter prefix for this environment (IAC_PREFIX > env prefix > project prefix > "/iac"). */
  prefix: string;
  store: StoreSettings;
}

/** How a component type is deployed. */
export interface TypeSettings {
  name: string;
  /** Directory of the Terraform/OpenTofu module, relative to the estate root. Default `types/<type>`. */
  module?: string;
  runner?: "terraform" | "command";
  /** argv for the command runner (no shell). */
  command?: string[];
  /** argv the command runner runs to undo a deployment (no shell); without it destroy runs nothing. */
  destroyCommand?: string[];
  /** Seconds one run (plan, apply, destroy) may take before it is stopped. */
  timeout?: number;
  /** JSON Schema file, relative to the estate root. Default `types/<type>/schema.json` if it exists. */
  schema?: string;
  /** Output contract (JSON Schema of the runtime). Default `types/<type>/outputs.schema.json` if it exists. */
  outputs?: string;
  /** argv `karma test` runs for command types (no shell), with the resolved inputs in the environment. */
  test?: string[];
}

/** `terraform` in karma.json. */
export interface TerraformSettings {
  /** Path (relative to the estate root) or name on PATH of `terraform`/`tofu`. */
  binary?: string;
  /** How long to wait for a state lock, e.g. "60s", "5m". */
  lockTimeout?: string;
  /**
   * The team's state backend instead of local state under `.karma/state/`. `config` entries become
   * `-backend-config=key=value`; values may use `{env}`, `{type}`, `{nickname}`.
   */
  backend?: { type: string; config?: Record<string, string> };
}

export interface ProjectSettings {
  /** Absolute path of the estate root (the directory holding karma.json). Used only as a label by the core. */
  root: string;
  /** Project-level parameter prefix (before per-environment overrides). */
  prefix: string;
  /** Project-level store, used by environments that set none. */
  store: StoreSettings;
  /** Sorted by name. */
  environments: EnvironmentSettings[];
  paths: {
    /** Component configs: `<components>/<env>/<type>/<nickname>/config.json`. Default "iac". */
    components: string;
    /** Type folders (schema.json, module). Default "types". */
    types: string;
    /** Karma's own working state (embedded DB, work dirs, logs). Default ".karma". */
    state: string;
  };
  types: Record<string, TypeSettings>;
  /** How Terraform/OpenTofu runs; absent means defaults (binary from KARMA_TERRAFORM or PATH, local state). */
  terraform?: TerraformSettings;
  graph: GraphSettings;
  audit: AuditSettings;
  /** Raw policy settings; interpreted by core/policies. */
  policies: JsonObject;
}

/** `type/nickname` plus the environment it lives in. */
export interface ComponentAddress {
  env: string;
  type: string;
  nickname: string;
}

export type ReferenceForm =
  /** `{"$ref": "[env:]type/nickname#/runtime/key"}` — key-level. */
  | "ref"
  /** `"<type>_nickname": "main"` (type resolved against known types, `s3_bucket` → `s3-bucket`). */
  | "nickname-field"
  /** `{"src_type": "s3-bucket", "src_nickname": "assets"}` in one object. */
  | "src-pair"
  /** `"…": "<prefix>/<type>/<nickname>/runtime"` or `/external/<type>/<nickname>/runtime`. */
  | "runtime-path"
  /** `"depends_on": ["type/nickname", "env:type/nickname"]` — ordering only. */
  | "depends-on";

export interface Reference {
  form: ReferenceForm;
  /** JSON pointer in the consumer's config where the reference is declared. */
  pointer: string;
  /** The producer. `env` is the consumer's env unless the reference names another one. */
  target: ComponentAddress;
  /** True for `/external/<type>/<nickname>/runtime` — a system not deployed by Karma. */
  external: boolean;
  /** For `ref`: JSON pointer into the producer's runtime (e.g. "/vpc_id"); "" means the whole runtime. */
  key?: string;
}

export interface Component extends ComponentAddress {
  /** `env:type/nickname` */
  id: string;
  /** Config file path relative to the estate root. */
  file: string;
  config: JsonObject;
  /** Canonical JSON of `config` — what gets published. */
  canonical: string;
  /** Every reference found in `config`, sorted by pointer. */
  references: Reference[];
}

export interface Estate {
  settings: ProjectSettings;
  /** Sorted by id. */
  components: Component[];
  /** Output contracts (`types/<type>/outputs.schema.json`) by type. */
  contracts: Contracts;
  /** Every problem found while loading and validating (errors and warnings). */
  problems: Problem[];
  /**
   * `sha256:<hex>` of everything the estate was built from — settings, every config file's path
   * and text, schemas, contracts, read problems — when the reader was asked for it (`load({
   * digest: true })`): two estates with the same digest are the same estate.
   */
  sourceDigest?: string;
}
