/**
 * The SSM JSON 1.1 protocol as a web-standard handler (Request → Response), independent of the
 * HTTP server: `POST /` with `X-Amz-Target: AmazonSSM.<Operation>` and a JSON body; responses and
 * errors in AWS's shapes. `server.ts` routes requests here by their `X-Amz-Target` header.
 *
 * Environments: Karma keeps one parameter store per environment. A request's SigV4 access key id
 * picks the environment (`storeFor` decides: by convention an access key id equal to an
 * environment name selects it, any other id the server's default environment), so one server
 * serves every environment to clients that only differ in AWS_ACCESS_KEY_ID.
 */
import { randomUUID } from "node:crypto";
import type { ParameterWrite } from "../../../core/parameters/writes.js";
import type { ParameterStore } from "../../../ports/parameter-store.js";
import { awsMessage } from "./aws-messages.js";
import type { CallCounter } from "./call-counter.js";
import { operationNames, operations } from "./operations.js";
import { protocolErrors, SsmProtocolError, toProtocolError } from "./protocol-error.js";
import { parseBody, RequestReader } from "./request-reader.js";
import { parseAuthorization, verifySignature } from "./sigv4.js";
import type { TokenBucket } from "./token-bucket.js";
import { parameterWriteOf } from "./writes.js";

export const SSM_TARGET_PREFIX = "AmazonSSM.";
export const SSM_CONTENT_TYPE = "application/x-amz-json-1.1";

export interface SsmProtocolOptions {
  /** The store serving a request signed with `accessKeyId` (undefined when unsigned). */
  storeFor(accessKeyId: string | undefined): ParameterStore | Promise<ParameterStore>;
  /**
   * Secret access key per access key id. When given, every request must carry a valid SigV4
   * signature by one of these keys; otherwise any signature (or none) is accepted.
   */
  credentials?: ReadonlyMap<string, string>;
  /** Counts calls per operation (for the sync benchmark and `karma serve` statistics). */
  counter?: CallCounter;
  /** When given, requests beyond its rate get ThrottlingException, as SSM does. */
  throttle?: TokenBucket;
  /**
   * Called after each successful write (put, delete, label, tag), before the response is sent,
   * with the access key id that signed it: how writes through the SSM API reach the audit log.
   */
  onWrite?(write: ParameterWrite, accessKeyId: string | undefined): Promise<void> | void;
  /** Called with errors that are bugs or store failures (sent as InternalServerError). */
  onInternalError?(error: unknown, operation: string): void;
}

function jsonResponse(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": SSM_CONTENT_TYPE, "x-amzn-requestid": randomUUID() },
  });
}

export function errorResponse(error: SsmProtocolError): Response {
  // AWS omits the message member when it has nothing to say.
  const body = error.message === "" ? { __type: error.type } : { __type: error.type, message: error.message };
  const response = jsonResponse(error.status, body);
  response.headers.set("x-amzn-errortype", error.shortType);
  return response;
}

function headerRecord(request: Request): Record<string, string> {
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => {
    headers[name.toLowerCase()] = value;
  });
  return headers;
}

function parseAuthorizationLeniently(header: string | undefined) {
  try {
    return parseAuthorization(header);
  } catch {
    return undefined;
  }
}

export function createSsmProtocolHandler(
  options: SsmProtocolOptions,
): (request: Request) => Promise<Response> {
  return async (request) => {
    const target = request.headers.get("x-amz-target") ?? "";
    const operationName = target.startsWith(SSM_TARGET_PREFIX)
      ? target.slice(SSM_TARGET_PREFIX.length)
      : target;
    options.counter?.record(operationName || "(none)");
    try {
      if (options.throttle && !options.throttle.tryTake()) throw protocolErrors.throttling();
      const operation = Object.hasOwn(operations, operationName) ? operations[operationName] : undefined;
      if (!target.startsWith(SSM_TARGET_PREFIX) || operation === undefined)
        throw protocolErrors.unknownOperation(
          `Karma's SSM endpoint does not implement '${target}'. Supported: ${operationNames.map((n) => SSM_TARGET_PREFIX + n).join(", ")}.`,
        );
      if (request.method !== "POST")
        throw protocolErrors.unknownOperation("SSM operations are POST requests to /.");
      const bodyText = await request.text();
      const header = request.headers.get("authorization") ?? undefined;
      // Without configured credentials any signature goes: an unparsable one just selects no environment.
      const auth = options.credentials ? parseAuthorization(header) : parseAuthorizationLeniently(header);
      if (options.credentials) {
        if (!auth) throw protocolErrors.missingAuthentication();
        const secret = options.credentials.get(auth.accessKeyId);
        if (secret === undefined) throw protocolErrors.unrecognizedClient();
        await verifySignature(
          {
            method: request.method,
            url: new URL(request.url),
            headers: headerRecord(request),
            body: bodyText,
          },
          auth,
          secret,
        );
      }
      const store = await options.storeFor(auth?.accessKeyId);
      const body = parseBody(bodyText);
      const result = await operation(store, new RequestReader(body));
      if (options.onWrite) {
        const write = parameterWriteOf(operationName, body, result as Record<string, unknown>);
        if (write) await options.onWrite(write, auth?.accessKeyId);
      }
      return jsonResponse(200, result);
    } catch (error) {
      const wire = toProtocolError(error);
      if (wire && wire.status < 500)
        return errorResponse(
          new SsmProtocolError(wire.type, awsMessage(wire.type, operationName, wire.message), wire.status),
        );
      options.onInternalError?.(error, operationName);
      return errorResponse(wire ?? protocolErrors.internal());
    }
  };
}
