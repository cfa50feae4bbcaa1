/**
 * Which SSM requests write, and what they wrote, read from a successful request and its response
 * (so the audit log can record writes made through the SSM API without touching each operation).
 */
import type { ParameterType } from "../../../core/parameters/model.js";
import type { ParameterWrite } from "../../../core/parameters/writes.js";

type Body = Record<string, unknown>;

const text = (body: Body, key: string): string =>
  typeof body[key] === "string" ? (body[key] as string) : "";
const texts = (body: Body, key: string): string[] =>
  Array.isArray(body[key]) ? (body[key] as unknown[]).filter((v): v is string => typeof v === "string") : [];
const num = (body: Body, key: string): number => (typeof body[key] === "number" ? (body[key] as number) : 0);
const tagKeys = (body: Body): string[] =>
  Array.isArray(body.Tags)
    ? (body.Tags as unknown[]).map((t) => (t && typeof t === "object" ? text(t as Body, "Key") : ""))
    : [];

export function parameterWriteOf(
  operation: string,
  request: Body,
  response: Body,
): ParameterWrite | undefined {
  switch (operation) {
    case "PutParameter":
      return {
        kind: "put",
        name: text(request, "Name"),
        version: num(response, "Version"),
        ...(request.Type ? { type: request.Type as ParameterType } : {}),
        overwrite: request.Overwrite === true,
      };
    case "DeleteParameter":
      return { kind: "delete", names: [text(request, "Name")] };
    case "DeleteParameters": {
      const names = texts(response, "DeletedParameters");
      return names.length > 0 ? { kind: "delete", names } : undefined;
    }
    case "LabelParameterVersion": {
      const invalid = new Set(texts(response, "InvalidLabels"));
      const labels = texts(request, "Labels").filter((l) => !invalid.has(l));
      return labels.length > 0
        ? { kind: "label", name: text(request, "Name"), version: num(response, "ParameterVersion"), labels }
        : undefined;
    }
    case "UnlabelParameterVersion": {
      const labels = texts(response, "RemovedLabels");
      return labels.length > 0
        ? { kind: "unlabel", name: text(request, "Name"), version: num(request, "ParameterVersion"), labels }
        : undefined;
    }
    case "AddTagsToResource":
      return { kind: "tag", name: text(request, "ResourceId"), keys: tagKeys(request) };
    case "RemoveTagsFromResource":
      return { kind: "untag", name: text(request, "ResourceId"), keys: texts(request, "TagKeys") };
    default:
      return undefined;
  }
}
