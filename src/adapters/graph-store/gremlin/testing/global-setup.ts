/**
 * Vitest global setup of the `gremlin` project: a Gremlin Server for every `*.gremlin.test.ts`
 * file of the run. KARMA_GREMLIN_ENDPOINT (set by .ci/run, or by a developer running
 * `npm run gremlin:start`) names a running server; otherwise one is started on a free port and
 * stopped at the end. When neither is possible the reason is handed to the tests, which fail in
 * CI and skip elsewhere (see `describeWithGremlin`).
 */
import type { TestProject } from "vitest/node";
import { gremlinServerMissing, startGremlinServer } from "../local-server.js";

declare module "vitest" {
  export interface ProvidedContext {
    gremlinEndpoint: string;
    gremlinMissing: string;
  }
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const given = process.env.KARMA_GREMLIN_ENDPOINT;
  if (given) {
    project.provide("gremlinEndpoint", given);
    return undefined;
  }
  const missing = gremlinServerMissing();
  if (missing !== undefined) {
    project.provide("gremlinMissing", missing);
    return undefined;
  }
  const server = await startGremlinServer();
  project.provide("gremlinEndpoint", server.endpoint);
  return () => server.stop();
}
