/** What the API's route modules share: the server's options, and Hono's environment per request. */
import type { ProjectSettings } from "../../../core/estate/model.js";
import type { Session } from "../../../operations/session.js";
import type { ApiMetrics } from "./metrics.js";

export interface ApiOptions {
  settings: ProjectSettings;
  /** Bearer token for writes (KARMA_API_TOKEN); without one, writes are refused. */
  token?: string;
  /** Reads need the token too (the server listens beyond loopback). */
  readToken?: boolean;
  /** Change requests may be applied (`dry_run: false`): `karma serve --allow-apply`. */
  allowApply?: boolean;
  /** Injected for tests. */
  now?: () => Date;
  onInternalError?: (error: unknown, route: string) => void;
}

/** Hono's environment for the API's handlers: the request's session. */
export type ApiEnv = { Variables: { session: Session } };

/** What a route module is given besides the app: the options, the clock and the metrics. */
export interface RouteDeps {
  options: ApiOptions;
  now: () => Date;
  metrics: ApiMetrics;
}
