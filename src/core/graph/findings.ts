/**
 * Human wording for graph findings, shared by `karma graph findings`, `karma status` and the UI.
 * Printing stays with the caller; these only build strings.
 */
import type { Finding } from "./model.js";

/** One line saying what is wrong. */
export function describeFinding(f: Finding): string {
  switch (f.kind) {
    case "dangling-component":
      return `${f.from} references ${f.to} at ${f.pointer || "/"} (${f.form}), which does not exist`;
    case "dangling-key":
      return `${f.from} reads runtime key ${f.producerKey} of ${f.to} at ${f.pointer || "/"}, which ${f.to} does not publish`;
    case "cycle":
      return `dependency cycle: ${f.path.join(" → ")}`;
    case "orphan":
      return `${f.node} is deployed (runtime published) but has no config${
        f.consumers.length ? `; still used by ${f.consumers.join(", ")}` : ""
      }`;
    case "cross-environment":
      return `${f.from} references ${f.to} in another environment at ${f.pointer || "/"} (${f.form})`;
  }
}

/** How to fix it. */
export function findingFix(f: Finding): string {
  switch (f.kind) {
    case "dangling-component":
      return "Fix the reference, or create and publish the component it names.";
    case "dangling-key":
      return "Reference a key the producer publishes, or make its module output that key and redeploy it.";
    case "cycle":
      return "Remove one of the references on the cycle; components must deploy in a definite order.";
    case "orphan":
      return "Destroy the deployed component, or restore its config.json and publish it.";
    case "cross-environment":
      return "Reference a component in the same environment, or keep the reference deliberately (it is only a warning).";
  }
}

/** Ids a finding is about (for filtering by component). */
export function findingNodes(f: Finding): string[] {
  switch (f.kind) {
    case "cycle":
      return f.members;
    case "orphan":
      return [f.node, ...f.consumers];
    default:
      return [f.from, f.to];
  }
}
