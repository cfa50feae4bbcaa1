/**
 * LabelParameterVersion / UnlabelParameterVersion: a label names one version of a parameter;
 * labelling another version moves it. At most 10 labels per version, as in SSM.
 */
import { MAX_LABELS_PER_VERSION } from "../../../core/parameters/rules.js";
import type {
  LabelParameterVersionInput,
  LabelParameterVersionResult,
  UnlabelParameterVersionResult,
} from "../../../ports/parameter-store.js";
import { checkLabelLengths, isValidLabel } from "./labels.js";
import { resolveVersion } from "./names.js";
import { labelsOf } from "./rows.js";
import type { StoreContext } from "./store-context.js";
import { fail, unique } from "./validation.js";

export function labelParameterVersion(
  ctx: StoreContext,
  input: LabelParameterVersionInput,
): LabelParameterVersionResult {
  checkLabelLengths(input.labels);
  return ctx.db
    .transaction(() => {
      const version = resolveVersion(ctx, input.name, input.version);
      const invalidLabels = input.labels.filter((l) => !isValidLabel(l));
      const valid = unique(input.labels.filter(isValidLabel));
      const present = new Set(labelsOf(ctx, input.name, version));
      const added = valid.filter((l) => !present.has(l));
      if (present.size + added.length > MAX_LABELS_PER_VERSION) {
        fail(
          "ParameterVersionLabelLimitExceeded",
          `A parameter version can have maximum ${MAX_LABELS_PER_VERSION} labels. Version ${version} of ${input.name} has ${present.size}; move one or more labels to another version and try again.`,
        );
      }
      // The upsert moves a label that is attached to another version of the parameter.
      for (const label of added) ctx.sql.upsertLabel.run(ctx.ns, input.name, label, version);
      return { invalidLabels, parameterVersion: version };
    })
    .immediate();
}

export function unlabelParameterVersion(
  ctx: StoreContext,
  input: { name: string; version: number; labels: string[] },
): UnlabelParameterVersionResult {
  checkLabelLengths(input.labels);
  return ctx.db
    .transaction(() => {
      const version = resolveVersion(ctx, input.name, input.version);
      const removedLabels: string[] = [];
      const invalidLabels: string[] = [];
      for (const label of unique(input.labels)) {
        if (ctx.sql.deleteLabel.run(ctx.ns, input.name, version, label).changes > 0)
          removedLabels.push(label);
        else invalidLabels.push(label);
      }
      return { removedLabels, invalidLabels };
    })
    .immediate();
}
