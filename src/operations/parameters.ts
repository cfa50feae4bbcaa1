/**
 * Direct writes to an environment's parameter store (`karma param put|label|rm`), each recorded
 * in the audit log with the session's actor and source, and the audit record of a write that
 * came through the SSM API.
 */
import { describeParameterWrite, type ParameterWrite } from "../core/parameters/writes.js";
import type {
  DeleteParametersResult,
  LabelParameterVersionInput,
  LabelParameterVersionResult,
  PutParameterInput,
  PutParameterResult,
} from "../ports/parameter-store.js";
import type { AuditRecord, Session } from "./session.js";

/** Batch limit of DeleteParameters. */
const DELETE_PAGE = 10;

export function parameterWriteRecord(env: string, write: ParameterWrite): AuditRecord {
  return { status: "ok", env, ...describeParameterWrite(write) };
}

export async function putParameter(
  session: Session,
  env: string,
  input: PutParameterInput,
): Promise<PutParameterResult> {
  const result = await (await session.store(env)).putParameter(input);
  await session.record(
    parameterWriteRecord(env, {
      kind: "put",
      name: input.name,
      version: result.version,
      ...(input.type ? { type: input.type } : {}),
      overwrite: input.overwrite === true,
    }),
  );
  return result;
}

export async function labelParameter(
  session: Session,
  env: string,
  input: LabelParameterVersionInput,
): Promise<LabelParameterVersionResult> {
  const result = await (await session.store(env)).labelParameterVersion(input);
  const invalid = new Set(result.invalidLabels);
  const labels = input.labels.filter((l) => !invalid.has(l));
  if (labels.length > 0)
    await session.record(
      parameterWriteRecord(env, {
        kind: "label",
        name: input.name,
        version: result.parameterVersion,
        labels,
      }),
    );
  return result;
}

/** Deletes in batches of ten; returns what was deleted and what was not found, sorted. */
export async function deleteParameters(
  session: Session,
  env: string,
  names: readonly string[],
): Promise<DeleteParametersResult> {
  const store = await session.store(env);
  const deleted: string[] = [];
  const missing: string[] = [];
  for (let i = 0; i < names.length; i += DELETE_PAGE) {
    const result = await store.deleteParameters(names.slice(i, i + DELETE_PAGE));
    deleted.push(...result.deletedParameters);
    missing.push(...result.invalidParameters);
  }
  if (deleted.length > 0) await session.record(parameterWriteRecord(env, { kind: "delete", names: deleted }));
  return { deletedParameters: deleted.sort(), invalidParameters: missing.sort() };
}
