/**
 * Output contracts: what a component type promises to publish as runtime
 * (`types/<type>/outputs.schema.json`, a JSON Schema with an `examples` entry). Consumers are
 * checked against it (`karma validate`), changes to it are classified (contract-aware planning),
 * runtime is checked against it after a deploy, and `karma test` feeds its examples to
 * consumers as their producers' runtime.
 */
import type { ValidateFunction } from "ajv";
import type { JsonObject, JsonValue } from "../estate/model.js";

/** Annotation marking a contract property as a secret (a Terraform `sensitive` output). */
export const SENSITIVE_KEYWORD = "x-sensitive";

export interface OutputContract {
  type: string;
  /** Estate-root-relative path of the schema file. */
  file: string;
  /** The parsed schema document (a JSON Schema object). */
  schema: JsonObject;
  validate: ValidateFunction;
  /** The schema's `examples` that are objects (a runtime is an object), in file order. */
  examples: JsonObject[];
}

export type Contracts = ReadonlyMap<string, OutputContract>;

/** What a contract says about one runtime key. */
export type KeyLookup =
  | {
      found: true;
      /** The subschema describing the key; `true` when the contract leaves it open. */
      schema: JsonValue;
    }
  | {
      found: false;
      /** The deepest pointer the contract does describe (the parent of the missing segment). */
      parent: string;
      /** The segment the contract lacks. */
      missing: string;
      /** Keys the contract declares at `parent`, sorted. */
      available: string[];
    };
