/**
 * Amazon Neptune IAM authentication: the WebSocket handshake (an HTTP GET of the endpoint) carries
 * SigV4 headers for the service `neptune-db`, signed with the default AWS credential chain (env,
 * profile, SSO, web identity, instance/container role) by `@smithy/signature-v4`, the signer the
 * AWS SDK itself uses. Neptune checks the signature on the upgrade request only; the frames that
 * follow are not signed.
 */
import { defaultProvider } from "@aws-sdk/credential-provider-node";
import { Hash } from "@smithy/hash-node";
import { SignatureV4 } from "@smithy/signature-v4";
import { UserError } from "../../../core/errors.js";

export const NEPTUNE_SERVICE = "neptune-db";

/** `…cluster-abc.us-east-1.neptune.amazonaws.com` → `us-east-1`. */
export function regionOfNeptuneHost(hostname: string): string | undefined {
  return /\.([a-z]{2}(?:-[a-z]+)+-\d)\.neptune\.amazonaws\.com$/.exec(hostname)?.[1];
}

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface SigV4Options {
  /** Signing region; default from the endpoint's host name, then AWS_REGION / AWS_DEFAULT_REGION. */
  region?: string;
  /** Credentials; default the AWS SDK's default provider chain. */
  credentials?: AwsCredentials | (() => Promise<AwsCredentials>);
  /** Signing time, for tests. */
  now?: () => Date;
}

/**
 * The headers to send with the WebSocket upgrade request to `endpoint` (`wss://host:8182/gremlin`):
 * `host`, `x-amz-date`, `authorization` and, for temporary credentials, `x-amz-security-token`.
 */
export async function neptuneHandshakeHeaders(
  endpoint: string,
  options: SigV4Options = {},
): Promise<Record<string, string>> {
  const url = new URL(endpoint);
  const region =
    options.region ??
    regionOfNeptuneHost(url.hostname) ??
    process.env.AWS_REGION ??
    process.env.AWS_DEFAULT_REGION;
  if (region === undefined)
    throw new UserError(
      `Cannot sign the Neptune handshake for ${endpoint}: no AWS region.`,
      'Set "region" in the "graph" section of karma.json, or AWS_REGION.',
    );
  const signer = new SignatureV4({
    credentials: options.credentials ?? defaultProvider(),
    region,
    service: NEPTUNE_SERVICE,
    sha256: Hash.bind(null, "sha256"),
  });
  // the signature covers the HTTP form of the URL; ws/wss only name the upgrade
  const protocol = url.protocol === "wss:" ? "https:" : "http:";
  const host = url.port ? `${url.hostname}:${url.port}` : url.hostname;
  const query: Record<string, string> = {};
  for (const [key, value] of url.searchParams) query[key] = value;
  let signed: { headers: Record<string, string> };
  try {
    signed = await signer.sign(
      {
        method: "GET",
        protocol,
        hostname: url.hostname,
        ...(url.port ? { port: Number(url.port) } : {}),
        path: url.pathname,
        query,
        headers: { host },
      },
      options.now ? { signingDate: options.now() } : {},
    );
  } catch (error) {
    throw new UserError(
      `Cannot sign the Neptune handshake for ${endpoint}: no AWS credentials (${(error as Error).message.split("\n")[0]}).`,
      "Configure the default credential chain (AWS_PROFILE, aws sso login, or an instance/task role).",
    );
  }
  return signed.headers;
}
