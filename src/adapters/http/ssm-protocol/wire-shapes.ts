/**
 * Port records → SSM wire shapes: PascalCase members, `LastModifiedDate` as epoch seconds (a JSON
 * number, fractional like AWS's), optional members omitted rather than null.
 */
import type {
  Parameter,
  ParameterHistoryEntry,
  ParameterMetadata,
  Tag,
} from "../../../ports/parameter-store.js";

export type WireObject = Record<string, unknown>;

/** Epoch seconds with millisecond precision, as the AWS JSON protocols encode timestamps. */
export function epochSeconds(date: Date): number {
  return date.getTime() / 1000;
}

function compact(object: WireObject): WireObject {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined));
}

export function wireParameter(p: Parameter): WireObject {
  return compact({
    Name: p.name,
    Type: p.type,
    Value: p.value,
    Version: p.version,
    Selector: p.selector,
    LastModifiedDate: epochSeconds(p.lastModifiedDate),
    ARN: p.arn,
    DataType: p.dataType,
  });
}

export function wireMetadata(m: ParameterMetadata): WireObject {
  return compact({
    Name: m.name,
    ARN: m.arn,
    Type: m.type,
    KeyId: m.keyId,
    LastModifiedDate: epochSeconds(m.lastModifiedDate),
    LastModifiedUser: m.lastModifiedUser,
    Description: m.description,
    AllowedPattern: m.allowedPattern,
    Version: m.version,
    Tier: m.tier,
    Policies: [],
    DataType: m.dataType,
  });
}

export function wireHistoryEntry(h: ParameterHistoryEntry): WireObject {
  return compact({
    Name: h.name,
    Type: h.type,
    KeyId: h.keyId,
    LastModifiedDate: epochSeconds(h.lastModifiedDate),
    LastModifiedUser: h.lastModifiedUser,
    Description: h.description,
    Value: h.value,
    AllowedPattern: h.allowedPattern,
    Version: h.version,
    Labels: h.labels,
    Tier: h.tier,
    Policies: [],
    DataType: h.dataType,
  });
}

export function wireTag(t: Tag): WireObject {
  return { Key: t.key, Value: t.value };
}
