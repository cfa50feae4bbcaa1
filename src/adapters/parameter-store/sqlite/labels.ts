/** Parameter label rules and `name:version` / `name:label` selectors, as SSM defines them. */
import { ParameterStoreError } from "../../../ports/parameter-store.js";

export const MAX_LABEL_LENGTH = 100;

/**
 * True when SSM would attach `label`: letters, digits, `.`, `-`, `_`; not starting with a digit
 * or with "aws"/"ssm" (case-insensitive). Invalid labels are reported in `InvalidLabels`, not thrown.
 */
export function isValidLabel(label: string): boolean {
  if (!/^[a-zA-Z0-9._-]+$/.test(label)) return false;
  if (/^[0-9]/.test(label)) return false;
  const lower = label.toLowerCase();
  return !lower.startsWith("aws") && !lower.startsWith("ssm");
}

/** Labels longer than 100 characters (or empty) fail request validation as a whole. */
export function checkLabelLengths(labels: readonly string[]): void {
  if (labels.length < 1 || labels.length > 10) {
    throw new ParameterStoreError(
      "ValidationException",
      `1 validation error detected: Value at 'labels' failed to satisfy constraint: Member must have length between 1 and 10 (got ${labels.length}).`,
    );
  }
  const bad = labels.find((l) => l.length < 1 || l.length > MAX_LABEL_LENGTH);
  if (bad !== undefined) {
    throw new ParameterStoreError(
      "ValidationException",
      `1 validation error detected: Value '${bad.slice(0, 120)}' at 'labels' failed to satisfy constraint: Member must have length between 1 and ${MAX_LABEL_LENGTH}.`,
    );
  }
}

export type Selector =
  | { kind: "latest" }
  | { kind: "version"; version: number }
  | { kind: "label"; label: string };

export interface SelectedName {
  name: string;
  selector: Selector;
  /** The selector as SSM echoes it back, e.g. ":3" or ":prod". */
  text?: string;
}

/** Splits `name:3` / `name:prod`. Names cannot contain ":", so the first colon separates. */
export function parseSelector(raw: string): SelectedName {
  const colon = raw.indexOf(":");
  if (colon < 0) return { name: raw, selector: { kind: "latest" } };
  const name = raw.slice(0, colon);
  const rest = raw.slice(colon + 1);
  if (name === "" || rest === "" || rest.includes(":")) {
    throw new ParameterStoreError(
      "ValidationException",
      `Invalid parameter name or selector "${raw}": use name, name:version or name:label.`,
    );
  }
  if (/^[0-9]+$/.test(rest)) {
    return { name, selector: { kind: "version", version: Number(rest) }, text: `:${rest}` };
  }
  return { name, selector: { kind: "label", label: rest }, text: `:${rest}` };
}
