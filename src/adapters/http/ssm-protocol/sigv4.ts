/**
 * SigV4 on incoming SSM requests. Every AWS client signs; Karma always parses the Authorization
 * header (its access key id selects the environment, see `handler.ts`) and, when credentials are
 * configured, re-computes the signature with `@smithy/signature-v4` — the signer the AWS SDK
 * itself uses — and compares it in constant time.
 */
import { timingSafeEqual } from "node:crypto";
import { Hash } from "@smithy/hash-node";
import { SignatureV4 } from "@smithy/signature-v4";
import { protocolErrors } from "./protocol-error.js";

export interface SigV4Authorization {
  accessKeyId: string;
  /** yyyymmdd from the credential scope. */
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

const AUTHORIZATION = /^AWS4-HMAC-SHA256\s+(.*)$/;
/** AWS refuses signatures whose date is further than this from the server's clock. */
const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

/** Parses `AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…`; undefined when absent. */
export function parseAuthorization(header: string | undefined): SigV4Authorization | undefined {
  if (header === undefined || header.trim() === "") return undefined;
  const match = AUTHORIZATION.exec(header.trim());
  if (!match)
    throw protocolErrors.invalidSignature("Only AWS4-HMAC-SHA256 (SigV4) authorization is supported.");
  const fields = new Map<string, string>();
  for (const part of (match[1] ?? "").split(",")) {
    const eq = part.indexOf("=");
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const credential = fields.get("Credential")?.split("/");
  const signedHeaders = fields.get("SignedHeaders");
  const signature = fields.get("Signature");
  if (credential?.length !== 5 || !signedHeaders || !signature)
    throw protocolErrors.invalidSignature(
      "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters.",
    );
  const [accessKeyId, date, region, service] = credential as [string, string, string, string, string];
  return { accessKeyId, date, region, service, signedHeaders: signedHeaders.split(";"), signature };
}

/** `20240131T120000Z` → Date. */
function parseAmzDate(value: string | undefined): Date | undefined {
  const m = value && /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  return new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!));
}

export interface SignedRequest {
  method: string;
  url: URL;
  /** Lower-case header names. */
  headers: Record<string, string>;
  body: string;
}

/**
 * Throws `InvalidSignatureException` unless `auth.signature` is what `secretAccessKey` yields for
 * this request, and the request date is within AWS's 15-minute window of `now`.
 */
export async function verifySignature(
  request: SignedRequest,
  auth: SigV4Authorization,
  secretAccessKey: string,
  now: Date = new Date(),
): Promise<void> {
  const signingDate = parseAmzDate(request.headers["x-amz-date"]);
  if (!signingDate)
    throw protocolErrors.invalidSignature("Signed requests need an X-Amz-Date header (yyyyMMddTHHmmssZ).");
  if (Math.abs(now.getTime() - signingDate.getTime()) > MAX_CLOCK_SKEW_MS)
    throw protocolErrors.invalidSignature(
      `Signature expired: ${request.headers["x-amz-date"]} is outside the 15 minute window around the server time.`,
    );
  const headers: Record<string, string> = {};
  for (const name of auth.signedHeaders) {
    const value = request.headers[name];
    if (value === undefined)
      throw protocolErrors.invalidSignature(`Signed header '${name}' is missing from the request.`);
    headers[name] = value;
  }
  const signer = new SignatureV4({
    credentials: { accessKeyId: auth.accessKeyId, secretAccessKey },
    region: auth.region,
    service: auth.service,
    sha256: Hash.bind(null, "sha256"),
    uriEscapePath: true,
    // Sign exactly the headers the client signed; never add x-amz-content-sha256 of our own.
    applyChecksum: false,
  });
  const query: Record<string, string | string[]> = {};
  for (const [key, value] of request.url.searchParams) {
    const previous = query[key];
    query[key] =
      previous === undefined ? value : [...(Array.isArray(previous) ? previous : [previous]), value];
  }
  const signed = await signer.sign(
    {
      method: request.method,
      protocol: request.url.protocol,
      hostname: request.url.hostname,
      port: request.url.port ? Number(request.url.port) : undefined,
      path: request.url.pathname,
      query,
      headers,
      body: request.body,
    },
    { signingDate, signableHeaders: new Set(auth.signedHeaders) },
  );
  const expected = /Signature=([0-9a-f]+)/.exec(String(signed.headers.authorization ?? ""))?.[1] ?? "";
  const a = Buffer.from(expected);
  const b = Buffer.from(auth.signature);
  if (a.length !== b.length || !timingSafeEqual(a, b))
    throw protocolErrors.invalidSignature(
      "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
    );
}
