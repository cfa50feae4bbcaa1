/**
 * Which SSM requests write, and what they wrote, read from a successful request and its response
 * (so the audit log can record writes made through the SSM API without touching each operation).
 */
import type { ParameterType } from "../../../core/parameters/model.js";
import type { ParameterWrite } from "../../../core/parameters/writes.js";

type Body = Record<string, unknown>;

const isBody = (v: unknown): v is Body => typeof v === "object" && v !== null && !Array.isArray(v);
const text = (body: Body, key: string): string => {
  const v = body[key];
  return typeof v === "string" ? v : "";
};
const texts = (body: Body, key: string): string[] => {
  const v = body[key];
  return Array.isArray(v) ? v.filter((item): item is string => typeof item === "string") : [];
};
const num = (body: Body, key: string): number => {
  const v = body[key];
  return typeof v === "number" ? v : 0;
};
const tagKeys = (body: Body): string[] =>
  Array.isArray(body.Tags) ? body.Tags.map((t: unknown) => (isBody(t) ? text(t, "Key") : "")) : [];
const PARAMETER_TYPES: readonly ParameterType[] = ["String", "StringList", "SecureString"];
const parameterType = (v: unknown): ParameterType | undefined => PARAMETER_TYPES.find((t) => t === v);

export function parameterWriteOf(
  operation: string,
  request: Body,
  response: Body,
): ParameterWrite | undefined {
  switch (operation) {
    case "PutParameter": {
      const type = parameterType(request.Type);
      return {
        kind: "put",
        name: text(request, "Name"),
        version: num(response, "Version"),
        ...(type ? { type } : {}),
        overwrite: request.Overwrite === true,
      };
    }
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
