/**
 * Parameters as Karma's domain sees them: SSM Parameter Store's types, tiers, error names and the
 * shape of a stored value. The parameter store port (`ports/parameter-store.ts`) re-exports these;
 * they live here so that the pure core can name them without importing a port.
 */

export type ParameterType = "String" | "StringList" | "SecureString";
export type ParameterTier = "Standard" | "Advanced" | "Intelligent-Tiering";

/** SSM's error names. Each backend maps its own failures onto exactly these. */
export type ParameterStoreErrorName =
  | "ParameterNotFound"
  | "ParameterAlreadyExists"
  | "ParameterVersionNotFound"
  | "ParameterMaxVersionLimitExceeded"
  | "ParameterVersionLabelLimitExceeded"
  | "ParameterLimitExceeded"
  | "ParameterPatternMismatchException"
  | "HierarchyLevelLimitExceededException"
  | "HierarchyTypeMismatchException"
  | "UnsupportedParameterType"
  | "InvalidFilterKey"
  | "InvalidFilterOption"
  | "InvalidFilterValue"
  | "InvalidNextToken"
  | "InvalidResourceId"
  | "InvalidKeyId"
  | "TooManyTagsError"
  | "TooManyUpdates"
  | "ThrottlingException"
  | "AccessDeniedException"
  | "ValidationException"
  | "InternalServerError";

/** A parameter value as returned by GetParameter / GetParameters / GetParametersByPath. */
export interface Parameter {
  name: string;
  type: ParameterType;
  /** Decrypted only when `withDecryption` was asked for; otherwise SecureString values are ciphertext-like placeholders. */
  value: string;
  version: number;
  /** Set when the request used a `name:version` or `name:label` selector, e.g. ":3" or ":prod". */
  selector?: string;
  lastModifiedDate: Date;
  arn: string;
  dataType: string;
}

/** A latest-version parameter with its version's description (Karma keeps provenance there). */
export interface TreeParameter extends Parameter {
  description?: string;
}
