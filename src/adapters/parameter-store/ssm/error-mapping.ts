/**
 * SDK failures → what Karma's callers understand: SSM service errors become `ParameterStoreError`
 * with the same name; credential, region, access and network problems become `UserError`s that
 * say how to fix them; anything else is an `InternalServerError` carrying its cause.
 */
import { UserError } from "../../../core/errors.js";
import { ParameterStoreError, type ParameterStoreErrorName } from "../../../ports/parameter-store.js";

const STORE_ERRORS: ReadonlySet<string> = new Set<ParameterStoreErrorName>([
  "ParameterNotFound",
  "ParameterAlreadyExists",
  "ParameterVersionNotFound",
  "ParameterMaxVersionLimitExceeded",
  "ParameterVersionLabelLimitExceeded",
  "ParameterLimitExceeded",
  "ParameterPatternMismatchException",
  "HierarchyLevelLimitExceededException",
  "HierarchyTypeMismatchException",
  "UnsupportedParameterType",
  "InvalidFilterKey",
  "InvalidFilterOption",
  "InvalidFilterValue",
  "InvalidNextToken",
  "InvalidResourceId",
  "InvalidKeyId",
  "TooManyTagsError",
  "TooManyUpdates",
  "ThrottlingException",
  "ValidationException",
  "InternalServerError",
]);

/** SSM errors outside the port's vocabulary that are really bad input. */
const VALIDATION_LIKE = new Set(["InvalidResourceType", "InvalidFilter", "InvalidAllowedPatternException"]);

const AUTH_ERRORS = new Set([
  "AccessDeniedException",
  "UnrecognizedClientException",
  "InvalidSignatureException",
  "ExpiredTokenException",
  "MissingAuthenticationTokenException",
  "InvalidClientTokenId",
]);

const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "ECONNRESET",
  "EAI_AGAIN",
  "ETIMEDOUT",
  "EHOSTUNREACH",
]);

export function toStoreError(error: unknown, where: string): Error {
  if (error instanceof ParameterStoreError || error instanceof UserError) return error;
  if (!(error instanceof Error)) return new ParameterStoreError("InternalServerError", String(error));
  const name = error.name;
  // AWS sends some errors without a message (ParameterNotFound from GetParameter).
  const message = error.message || `${name} from ${where}`;
  if (STORE_ERRORS.has(name))
    return new ParameterStoreError(name as ParameterStoreErrorName, message, { cause: error });
  if (VALIDATION_LIKE.has(name))
    return new ParameterStoreError("ValidationException", message, { cause: error });
  if (AUTH_ERRORS.has(name))
    return new UserError(
      `${where} refused the request (${name}): ${message}`,
      "check the AWS credentials and profile in use (AWS_PROFILE, AWS_ACCESS_KEY_ID) and that they allow ssm:* on the parameters",
      { cause: error },
    );
  if (name === "CredentialsProviderError" || /Could not load credentials/i.test(message))
    return new UserError(
      `no AWS credentials found for ${where}`,
      'set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (against "karma serve" any values work; the access key id may name the environment)',
      { cause: error },
    );
  if (/Region is missing/i.test(message))
    return new UserError(
      `no AWS region configured for ${where}`,
      'set "region" on the store in karma.json, or AWS_REGION, or a region in the AWS profile',
      { cause: error },
    );
  const code = (error as { code?: string }).code ?? (error.cause as { code?: string } | undefined)?.code;
  if ((code && NETWORK_CODES.has(code)) || name === "TimeoutError")
    return new UserError(
      `cannot reach ${where} (${code ?? name}): ${message}`,
      "check the endpoint and network; for a local store start it with `karma serve`",
      { cause: error },
    );
  return new ParameterStoreError("InternalServerError", `${where}: ${name}: ${message}`, { cause: error });
}
