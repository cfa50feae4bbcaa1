/**
 * Opaque, query-bound NextTokens and MaxResults bounds for the paged SSM operations. A token
 * records where the previous page stopped (keyset paging, stable under concurrent writes) and a
 * fingerprint of the query, so a token replayed against another query is rejected the way SSM
 * rejects it: `InvalidNextToken`.
 */
import crypto from "node:crypto";
import { ParameterStoreError } from "../../../ports/parameter-store.js";

interface TokenBody {
  /** Fingerprint of the operation and its query. */
  q: string;
  /** Sort key of the last item returned. */
  a: string | number;
}

export function queryFingerprint(operation: string, query: unknown): string {
  return crypto
    .createHash("sha256")
    .update(`${operation}\0${JSON.stringify(query)}`)
    .digest("base64url")
    .slice(0, 16);
}

export function encodeToken(fingerprint: string, after: string | number): string {
  const body: TokenBody = { q: fingerprint, a: after };
  return Buffer.from(JSON.stringify(body), "utf8").toString("base64url");
}

/** Returns the sort key to continue after, or undefined for the first page. */
export function decodeToken(token: string | undefined, fingerprint: string): string | number | undefined {
  if (token === undefined) return undefined;
  const invalid = () => new ParameterStoreError("InvalidNextToken", "The specified token isn't valid.");
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
  } catch {
    throw invalid();
  }
  if (typeof body !== "object" || body === null) throw invalid();
  const { q, a } = body as Partial<TokenBody>;
  if (q !== fingerprint || (typeof a !== "string" && typeof a !== "number")) throw invalid();
  return a;
}

/** Validates MaxResults (1..max) the way SSM does and returns it, defaulting to `max`. */
export function pageSize(maxResults: number | undefined, max: number): number {
  if (maxResults === undefined) return max;
  if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > max) {
    throw new ParameterStoreError(
      "ValidationException",
      `1 validation error detected: Value '${maxResults}' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and ${max}.`,
    );
  }
  return maxResults;
}
