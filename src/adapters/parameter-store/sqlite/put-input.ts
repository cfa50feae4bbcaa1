/** PutParameter's checks on the request alone, before the stored parameter is looked at, in SSM's order. */
import { checkParameterName } from "../../../core/parameters/rules.js";
import type { PutParameterInput } from "../../../ports/parameter-store.js";
import { checkTags, DATA_TYPES, fail, failWith } from "./validation.js";

export function checkPutInput(input: PutParameterInput): void {
  const { name, value } = input;
  // The /aws hierarchy is AWS's own (public parameters, Secrets Manager references): writing
  // there is an access error in AWS, not a validation error like other reserved prefixes.
  if (/^\/aws/i.test(name) && name.indexOf("/", 1) > 0)
    fail("AccessDeniedException", `No access to reserved parameter name: ${name}.`);
  failWith(checkParameterName(name));
  if (typeof value !== "string" || value.length === 0) {
    fail(
      "ValidationException",
      "1 validation error detected: Value at 'value' failed to satisfy constraint: Member must have length greater than or equal to 1.",
    );
  }
  if (input.overwrite && input.tags !== undefined && input.tags.length > 0) {
    fail(
      "ValidationException",
      "Invalid request: tags and overwrite can't be used together. To create a parameter with tags, please remove overwrite flag. To update tags for an existing parameter, please use AddTagsToResource or RemoveTagsFromResource.",
    );
  }
  if (input.type !== undefined && !["String", "StringList", "SecureString"].includes(input.type)) {
    fail(
      "ValidationException",
      `1 validation error detected: Value '${input.type}' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [SecureString, StringList, String].`,
    );
  }
  if (input.tier !== undefined && !["Standard", "Advanced", "Intelligent-Tiering"].includes(input.tier)) {
    fail(
      "ValidationException",
      `1 validation error detected: Value '${input.tier}' at 'tier' failed to satisfy constraint: Member must satisfy enum value set: [Advanced, Intelligent-Tiering, Standard].`,
    );
  }
  if (input.dataType !== undefined && !DATA_TYPES.includes(input.dataType)) {
    fail(
      "ValidationException",
      `The following data type is not supported: ${input.dataType} (Data type names are all lowercase.)`,
    );
  }
  if (input.description !== undefined && input.description.length > 1024) {
    fail(
      "ValidationException",
      "1 validation error detected: Value at 'description' failed to satisfy constraint: Member must have length less than or equal to 1024.",
    );
  }
  if (input.tags) checkTags(input.tags);
}
