/**
 * Provenance travels in each parameter version's Description (SSM keeps it per version, ≤1024
 * chars) as compact JSON, so any SSM client can see who wrote a version, from which commit, and —
 * for runtime — which config version and producer runtime versions it was produced from.
 */

export interface ConfigProvenance {
  by: "karma publish" | string;
  commit?: string;
  dirty?: boolean;
  actor: string;
}

export interface RuntimeProvenance {
  by: string;
  /** Version of `<prefix>/<type>/<nickname>/config` this runtime was produced from. */
  configVersion: number;
  /** Producer runtime versions consumed: `env:type/nickname` → version. */
  consumed?: Record<string, number>;
  tool?: string;
  commit?: string;
  actor?: string;
  /** Blue-green slot the runtime was deployed in; present once a component has had a candidate. */
  slot?: string;
}

const MAX_DESCRIPTION = 1024;

export function formatProvenance(value: ConfigProvenance | RuntimeProvenance): string {
  const text = JSON.stringify(value);
  if (text.length <= MAX_DESCRIPTION) return text;
  // consumed lists can be long; keep the essentials rather than fail the write
  const { consumed: _dropped, ...rest } = value as RuntimeProvenance;
  return JSON.stringify({ ...rest, truncated: true }).slice(0, MAX_DESCRIPTION);
}

/** Parses a description written by `formatProvenance`; anything else (hand-written) gives undefined. */
export function parseProvenance(
  description: string | undefined,
): Partial<RuntimeProvenance & ConfigProvenance> | undefined {
  if (!description?.startsWith("{")) return undefined;
  try {
    const value: unknown = JSON.parse(description);
    return value !== null && typeof value === "object"
      ? (value as Partial<RuntimeProvenance & ConfigProvenance>)
      : undefined;
  } catch {
    return undefined;
  }
}
