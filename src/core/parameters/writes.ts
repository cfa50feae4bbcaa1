/**
 * Writes to a parameter store as the audit log records them, whichever door they came through
 * (`karma param`, the SSM API of `karma serve`, a module writing through a deploy's endpoint).
 * Values never appear: only names, versions, labels and tag keys.
 */
import type { JsonObject } from "../estate/model.js";
import type { ParameterType } from "./model.js";

export type ParameterWrite =
  | { kind: "put"; name: string; version: number; type?: ParameterType; overwrite: boolean }
  | { kind: "delete"; names: readonly string[] }
  | { kind: "label"; name: string; version: number; labels: readonly string[] }
  | { kind: "unlabel"; name: string; version: number; labels: readonly string[] }
  | { kind: "tag"; name: string; keys: readonly string[] }
  | { kind: "untag"; name: string; keys: readonly string[] };

export interface DescribedWrite {
  /** `param_put`, `param_delete`, … */
  action: string;
  message: string;
  details: JsonObject;
}

export function describeParameterWrite(write: ParameterWrite): DescribedWrite {
  const action = `param_${write.kind}`;
  switch (write.kind) {
    case "put":
      return {
        action,
        message: `put ${write.name} v${write.version}${write.type ? ` (${write.type})` : ""}`,
        details: {
          name: write.name,
          version: write.version,
          overwrite: write.overwrite,
          ...(write.type ? { type: write.type } : {}),
        },
      };
    case "delete":
      return { action, message: `deleted ${write.names.join(", ")}`, details: { names: [...write.names] } };
    case "label":
    case "unlabel":
      return {
        action,
        message: `${write.kind === "label" ? "labelled" : "unlabelled"} ${write.name} v${write.version}: ${write.labels.join(", ")}`,
        details: { name: write.name, version: write.version, labels: [...write.labels] },
      };
    case "tag":
    case "untag":
      return {
        action,
        message: `${write.kind === "tag" ? "tagged" : "untagged"} ${write.name}: ${write.keys.join(", ")}`,
        details: { name: write.name, keys: [...write.keys] },
      };
    default: {
      const unknown: never = write;
      throw new TypeError(`unknown parameter write ${JSON.stringify(unknown)}`);
    }
  }
}
