/**
 * AWS SDK shapes → port records. The SDK marks every member optional; SSM always sends the ones
 * read here, so a missing one falls back to SSM's documented default rather than failing.
 */
import type {
  ParameterStringFilter,
  Parameter as SdkParameter,
  ParameterHistory as SdkParameterHistory,
  ParameterMetadata as SdkParameterMetadata,
} from "@aws-sdk/client-ssm";
import type {
  Parameter,
  ParameterFilter,
  ParameterHistoryEntry,
  ParameterMetadata,
  ParameterTier,
  ParameterType,
} from "../../../ports/parameter-store.js";

function type(value: string | undefined): ParameterType {
  return (value ?? "String") as ParameterType;
}

function tier(value: string | undefined): ParameterTier {
  return (value ?? "Standard") as ParameterTier;
}

export function fromSdkParameter(p: SdkParameter): Parameter {
  const parameter: Parameter = {
    name: p.Name ?? "",
    type: type(p.Type),
    value: p.Value ?? "",
    version: p.Version ?? 0,
    lastModifiedDate: p.LastModifiedDate ?? new Date(0),
    arn: p.ARN ?? "",
    dataType: p.DataType ?? "text",
  };
  if (p.Selector) parameter.selector = p.Selector;
  return parameter;
}

export function fromSdkMetadata(m: SdkParameterMetadata): ParameterMetadata {
  const metadata: ParameterMetadata = {
    name: m.Name ?? "",
    type: type(m.Type),
    version: m.Version ?? 0,
    lastModifiedDate: m.LastModifiedDate ?? new Date(0),
    lastModifiedUser: m.LastModifiedUser ?? "",
    tier: tier(m.Tier),
    dataType: m.DataType ?? "text",
    arn: m.ARN ?? "",
  };
  if (m.Description !== undefined) metadata.description = m.Description;
  if (m.AllowedPattern !== undefined) metadata.allowedPattern = m.AllowedPattern;
  if (m.KeyId !== undefined) metadata.keyId = m.KeyId;
  return metadata;
}

export function fromSdkHistory(h: SdkParameterHistory): ParameterHistoryEntry {
  const entry: ParameterHistoryEntry = {
    name: h.Name ?? "",
    type: type(h.Type),
    value: h.Value ?? "",
    version: h.Version ?? 0,
    labels: h.Labels ?? [],
    lastModifiedDate: h.LastModifiedDate ?? new Date(0),
    lastModifiedUser: h.LastModifiedUser ?? "",
    tier: tier(h.Tier),
    dataType: h.DataType ?? "text",
  };
  if (h.Description !== undefined) entry.description = h.Description;
  if (h.AllowedPattern !== undefined) entry.allowedPattern = h.AllowedPattern;
  if (h.KeyId !== undefined) entry.keyId = h.KeyId;
  return entry;
}

export function toSdkFilters(
  filters: readonly ParameterFilter[] | undefined,
): ParameterStringFilter[] | undefined {
  return filters?.map((f) => ({ Key: f.key, Option: f.option, Values: f.values }));
}
