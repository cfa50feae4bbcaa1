/**
 * The explorer's data service: every read and write goes through here, to the HTTP API of the
 * server that served the page. The UI imports only types from the server's code.
 */

import type { DriftedComponent } from "../src/core/drift/resource-checks.js";
import type { JsonObject } from "../src/core/estate/model.js";
import type { GraphDiff } from "../src/core/graph/diff.js";
import type { Graph } from "../src/core/graph/model.js";
import type { ComponentDetail } from "../src/operations/component-detail.js";
import type { SelectionImpact } from "../src/operations/graph-queries.js";
import type { ChangeRequestResult } from "../src/operations/propose-change.js";
import type { EstateStatus } from "../src/operations/status.js";
import type { GraphVersionInfo } from "../src/ports/graph-store.js";

export type {
  ComponentDetail,
  DriftedComponent,
  EstateStatus,
  Graph,
  GraphDiff,
  GraphVersionInfo,
  SelectionImpact,
};

export type ReviewStatus = "approved" | "needs-review" | "rejected";
export type ChangeRequestAnswer = Omit<ChangeRequestResult, "status"> & {
  status: ReviewStatus;
  outcome: ChangeRequestResult["status"];
};

/** An answer the server refused: its message and fix are the CLI's. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly fix: string | undefined,
    readonly status: number,
  ) {
    super(message);
  }
}

const TOKEN_KEY = "karma.token";

export function savedToken(): string {
  return sessionStorage.getItem(TOKEN_KEY) ?? "";
}

export function saveToken(token: string): void {
  sessionStorage.setItem(TOKEN_KEY, token);
}

async function call<T>(path: string, init: RequestInit = {}): Promise<T> {
  const headers = new Headers(init.headers);
  const token = savedToken();
  if (token) headers.set("Authorization", `Bearer ${token}`);
  if (init.body !== undefined) headers.set("Content-Type", "application/json");
  const response = await fetch(path, { ...init, headers });
  const body = (await response.json().catch(() => ({}))) as { error?: string; fix?: string };
  if (!response.ok)
    throw new ApiError(body.error ?? `${response.status} ${response.statusText}`, body.fix, response.status);
  return body as T;
}

const query = (params: Record<string, string | number | undefined>) => {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== "") search.set(k, String(v));
  const text = search.toString();
  return text ? `?${text}` : "";
};

export const api = {
  graph: (select?: string, at?: number) =>
    call<Graph & { version: number }>(`/api/graph${query({ select, at })}`),
  versions: () => call<{ versions: GraphVersionInfo[] }>("/api/graph/versions"),
  diff: (from: number, to: number) =>
    call<{ from: number; to: number; diff: GraphDiff }>(`/api/graph/diff${query({ from, to })}`),
  status: () => call<EstateStatus>("/api/status"),
  driftedResources: () => call<{ components: DriftedComponent[] }>("/api/drift/resources"),
  component: (id: string, at?: number) => {
    const [env, rest] = [id.slice(0, id.indexOf(":")), id.slice(id.indexOf(":") + 1)];
    const [type, nick] = rest.split("/");
    return call<ComponentDetail>(
      `/api/components/${encodeURIComponent(env)}/${encodeURIComponent(type ?? "")}/${encodeURIComponent(nick ?? "")}${query({ at })}`,
    );
  },
  impact: (select: string, at?: number) => call<SelectionImpact>(`/api/impact${query({ select, at })}`),
  requestChange: (component: string, proposed: JsonObject) =>
    call<ChangeRequestAnswer>("/api/request-change", {
      method: "POST",
      body: JSON.stringify({ component, proposed_change: proposed, dry_run: true, requested_by: "explorer" }),
    }),
};
