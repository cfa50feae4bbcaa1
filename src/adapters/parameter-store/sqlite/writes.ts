/**
 * Writes: PutParameter (a new version, attributes carried over from the current one, at most 100
 * versions kept) and DeleteParameter(s). Each call is one immediate transaction; a batch of puts
 * rolls back as a whole.
 */
import {
  checkValueSize,
  MAX_VERSIONS,
  STANDARD_VALUE_LIMIT,
  valueSize,
} from "../../../core/parameters/rules.js";
import type {
  DeleteParametersResult,
  ParameterTier,
  ParameterType,
  PutParameterInput,
  PutParameterResult,
} from "../../../ports/parameter-store.js";
import { checkAllowedPattern } from "./allowed-pattern.js";
import { checkPutInput } from "./put-input.js";
import { labelsOf } from "./rows.js";
import type { StoreContext } from "./store-context.js";
import { checkBatch, checkDataType, DEFAULT_KEY_ID, fail, failWith, notFound, unique } from "./validation.js";

export function putParameter(ctx: StoreContext, input: PutParameterInput): PutParameterResult {
  return ctx.db.transaction(() => put(ctx, input)).immediate();
}

export function putParameters(ctx: StoreContext, inputs: readonly PutParameterInput[]): PutParameterResult[] {
  // One transaction: any failure (validation or state, e.g. ParameterAlreadyExists) rolls back
  // every write of the batch.
  return ctx.db.transaction(() => inputs.map((input) => put(ctx, input))).immediate();
}

function put(ctx: StoreContext, input: PutParameterInput): PutParameterResult {
  checkPutInput(input);
  const { name, value } = input;
  const existing = ctx.sql.latest.get(ctx.ns, name);
  const currentVersion = existing?.version ?? 0;
  if (input.expectedVersion !== undefined && input.expectedVersion !== currentVersion) {
    fail(
      "TooManyUpdates",
      `Parameter ${name} is at version ${currentVersion}, not the expected version ${input.expectedVersion}: it was changed concurrently. Re-read it and retry.`,
    );
  }
  if (existing && !input.overwrite) {
    fail("ParameterAlreadyExists", `The parameter ${name} already exists. To overwrite it, set overwrite.`);
  }
  if (existing && input.type !== undefined && input.type !== existing.type) {
    fail(
      "HierarchyTypeMismatchException",
      `Parameter Store doesn't support changing a parameter type: ${name} is ${existing.type}, not ${input.type}. Delete it and create it again with the new type, or omit the type to keep it.`,
    );
  }
  const type: ParameterType | undefined = input.type ?? existing?.type;
  if (type === undefined) {
    fail("ValidationException", `A parameter type is required when you create a parameter (${name}).`);
  }
  if (input.keyId !== undefined && type !== "SecureString") {
    fail("ValidationException", `KeyId is only allowed for SecureString parameters (${name} is ${type}).`);
  }

  const tier = effectiveTier(name, value, input.tier, existing?.tier);
  failWith(checkValueSize(value, tier));

  // Attributes omitted on overwrite carry over from the current version, as in SSM.
  const allowedPattern = input.allowedPattern ?? existing?.allowed_pattern ?? undefined;
  if (allowedPattern !== undefined) checkAllowedPattern(name, value, allowedPattern);
  const description = input.description ?? existing?.description ?? null;
  const dataType = input.dataType ?? existing?.data_type ?? "text";
  checkDataType(name, value, dataType, existing?.data_type);
  const keyId = type === "SecureString" ? (input.keyId ?? existing?.key_id ?? DEFAULT_KEY_ID) : null;

  if (existing) makeRoomForVersion(ctx, name);
  const version = currentVersion + 1;
  const secret = type === "SecureString" ? ctx.secure.encrypt(name, value) : null;
  if (existing) ctx.sql.updateParameter.run(version, ctx.ns, name);
  else ctx.sql.insertParameter.run(ctx.ns, name, version);
  ctx.sql.insertVersion.run({
    namespace: ctx.ns,
    name,
    version,
    type,
    value: type === "SecureString" ? null : value,
    secret,
    description,
    allowed_pattern: allowedPattern ?? null,
    tier,
    data_type: dataType,
    key_id: keyId,
    modified_ms: ctx.now().getTime(),
    modified_user: ctx.user,
  });
  if (!existing) for (const tag of input.tags ?? []) ctx.sql.upsertTag.run(ctx.ns, name, tag.key, tag.value);
  return { version, tier };
}

/**
 * Standard unless asked otherwise; Intelligent-Tiering picks Standard when the value fits; an
 * Advanced parameter stays Advanced and can never be downgraded.
 */
function effectiveTier(
  name: string,
  value: string,
  requested: ParameterTier | undefined,
  current: "Standard" | "Advanced" | undefined,
): "Standard" | "Advanced" {
  if (current === "Advanced") {
    if (requested === "Standard") {
      fail(
        "ValidationException",
        `This parameter (${name}) uses the advanced-parameter tier. You can't downgrade a parameter from the advanced-parameter tier to the standard-parameter tier. If necessary, you can delete the advanced parameter and recreate it as a standard parameter.`,
      );
    }
    return "Advanced";
  }
  if (requested === "Advanced") return "Advanced";
  if (requested === "Intelligent-Tiering")
    return valueSize(value) > STANDARD_VALUE_LIMIT ? "Advanced" : "Standard";
  return "Standard";
}

/** At 100 versions the oldest goes — unless it carries a label, which SSM refuses to drop. */
function makeRoomForVersion(ctx: StoreContext, name: string): void {
  const { n, oldest } = ctx.sql.versionCount.get(ctx.ns, name)!;
  if (n < MAX_VERSIONS) return;
  if (labelsOf(ctx, name, oldest).length > 0) {
    fail(
      "ParameterMaxVersionLimitExceeded",
      `You attempted to create a new version of ${name} by calling the PutParameter API with the overwrite flag. Version ${oldest}, the oldest version, can't be deleted because it has a label associated with it. Move the label to another version of the parameter, and try again.`,
    );
  }
  ctx.sql.deleteVersion.run(ctx.ns, name, oldest);
}

export function deleteParameter(ctx: StoreContext, name: string): void {
  const changes = ctx.db.transaction(() => ctx.sql.deleteParameter.run(ctx.ns, name).changes).immediate();
  if (changes === 0) throw notFound(name);
}

export function deleteParameters(ctx: StoreContext, names: readonly string[]): DeleteParametersResult {
  checkBatch(names, "names");
  return ctx.db
    .transaction(() => {
      const deletedParameters: string[] = [];
      const invalidParameters: string[] = [];
      for (const name of unique(names)) {
        if (ctx.sql.deleteParameter.run(ctx.ns, name).changes > 0) deletedParameters.push(name);
        else invalidParameters.push(name);
      }
      return { deletedParameters, invalidParameters };
    })
    .immediate();
}
