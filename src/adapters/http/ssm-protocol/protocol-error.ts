/**
 * Errors on the SSM JSON 1.1 wire. AWS answers every client error with HTTP 400 and a JSON body
 * `{"__type": "<Name>", "message": "…"}`; framework-level errors (unknown operation, malformed
 * body) carry the Coral namespace prefix exactly as AWS sends them, which the SDKs and the CLI
 * strip (`…#SerializationException` → `SerializationException`).
 */
import { isParameterStoreError } from "../../../ports/parameter-store.js";

const CORAL = "com.amazon.coral.service#";

export class SsmProtocolError extends Error {
  constructor(
    /** The `__type` sent on the wire. */
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = "SsmProtocolError";
  }

  /** The error name clients see once the namespace prefix is stripped. */
  get shortType(): string {
    return this.type.slice(this.type.lastIndexOf("#") + 1);
  }
}

export const protocolErrors = {
  unknownOperation: (detail: string) => new SsmProtocolError(`${CORAL}UnknownOperationException`, detail),
  serialization: (detail: string) => new SsmProtocolError(`${CORAL}SerializationException`, detail),
  validation: (messages: readonly string[]) =>
    new SsmProtocolError(
      "ValidationException",
      `${messages.length} validation error${messages.length === 1 ? "" : "s"} detected: ${messages.join("; ")}`,
    ),
  missingAuthentication: () =>
    new SsmProtocolError("MissingAuthenticationTokenException", "Request is missing Authentication Token"),
  unrecognizedClient: () =>
    new SsmProtocolError(
      "UnrecognizedClientException",
      "The security token included in the request is invalid.",
    ),
  invalidSignature: (detail: string) => new SsmProtocolError("InvalidSignatureException", detail),
  throttling: () => new SsmProtocolError("ThrottlingException", "Rate exceeded"),
  payloadTooLarge: (limit: number) =>
    new SsmProtocolError(
      "RequestEntityTooLargeException",
      `Request body is larger than ${limit} bytes.`,
      413,
    ),
  internal: () => new SsmProtocolError("InternalServerError", "An internal error occurred.", 500),
};

/** Any thrown value → the wire error AWS would send; `undefined` for internal bugs. */
export function toProtocolError(error: unknown): SsmProtocolError | undefined {
  if (error instanceof SsmProtocolError) return error;
  if (isParameterStoreError(error)) {
    const status = error.name === "InternalServerError" ? 500 : 400;
    return new SsmProtocolError(error.name, error.message, status);
  }
  return undefined;
}
