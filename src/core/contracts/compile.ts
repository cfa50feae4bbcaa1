/**
 * `types/<type>/outputs.schema.json` files → compiled output contracts, with every problem:
 * schema errors (as for config schemas), examples that are not objects or break their own schema,
 * and a warning when there is no example (`karma test` feeds examples to consumers).
 */
import type { Problem } from "../errors.js";
import type { JsonObject } from "../estate/model.js";
import { compileSchemas, type SchemaFile } from "../estate/schemas.js";
import { parseJson } from "../json/parse.js";
import type { OutputContract } from "./model.js";

export interface CompiledContracts {
  byType: Map<string, OutputContract>;
  problems: Problem[];
}

export function compileContracts(files: readonly SchemaFile[]): CompiledContracts {
  const compiled = compileSchemas(files);
  const problems = [...compiled.problems];
  const byType = new Map<string, OutputContract>();
  for (const file of files) {
    const typeSchema = compiled.byType.get(file.type);
    const parsed = parseJson(file.text, file.path).value;
    if (!typeSchema || parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) continue;
    const schema = parsed as JsonObject;
    const examples: JsonObject[] = [];
    const listed = schema.examples;
    const at = (pointer: string, message: string, fix: string, severity: "error" | "warning" = "error") =>
      problems.push({ code: "contract.example", file: file.path, pointer, message, fix, severity });
    if (listed === undefined || (Array.isArray(listed) && listed.length === 0))
      at(
        "",
        `the output contract of type "${file.type}" has no examples`,
        'add "examples": [{…one runtime as the type publishes it…}]; karma test gives it to consumers as this producer\'s runtime',
        "warning",
      );
    else if (!Array.isArray(listed))
      at("/examples", '"examples" must be an array', 'write "examples": [{…}]');
    else
      listed.forEach((example, i) => {
        if (example === null || typeof example !== "object" || Array.isArray(example)) {
          at(
            `/examples/${i}`,
            "an example runtime must be a JSON object",
            "write the runtime as an object of outputs",
          );
          return;
        }
        if (!typeSchema.validate(example)) {
          const first = typeSchema.validate.errors?.[0];
          at(
            `/examples/${i}`,
            `the example does not satisfy its own contract: ${first?.instancePath || "(top level)"} ${first?.message ?? ""}`.trim(),
            `correct the example or the schema in ${file.path}`,
          );
          return;
        }
        examples.push(example);
      });
    byType.set(file.type, {
      type: file.type,
      file: file.path,
      schema,
      validate: typeSchema.validate,
      examples,
    });
  }
  return { byType, problems };
}
