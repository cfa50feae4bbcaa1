/**
 * Producers' runtime for a component under test, from their types' output contracts: the first
 * `examples` entry stands in for each producer the component `$ref`s, so nothing has to be
 * deployed. A producer whose type has no contract or no example is named, with the fix.
 */
import type { Problem } from "../errors.js";
import type { Component, Estate } from "../estate/model.js";
import { formatComponentId } from "../ids.js";
import type { ProducerRuntime } from "../provisioning/resolve-references.js";

export function exampleRuntimes(
  estate: Pick<Estate, "contracts" | "settings">,
  component: Component,
): { runtimes: Map<string, ProducerRuntime>; problems: Problem[] } {
  const runtimes = new Map<string, ProducerRuntime>();
  const problems: Problem[] = [];
  for (const ref of component.references) {
    if (ref.form !== "ref" || ref.external) continue;
    const id = formatComponentId(ref.target);
    if (runtimes.has(id)) continue;
    const contract = estate.contracts.get(ref.target.type);
    const example = contract?.examples[0];
    if (example) {
      runtimes.set(id, { version: 0, value: example });
      continue;
    }
    if (problems.some((p) => p.message.includes(`type "${ref.target.type}"`))) continue;
    const file = `${estate.settings.paths.types}/${ref.target.type}/outputs.schema.json`;
    problems.push({
      code: "test.no-example",
      severity: "error",
      file: component.file,
      component: component.id,
      pointer: ref.pointer,
      message: `producer type "${ref.target.type}" has ${contract ? "an output contract without examples" : "no output contract"}, so there is no runtime to test ${component.id} with`,
      fix: contract
        ? `add "examples": [{…}] to ${contract.file}`
        : `write ${file} with an example (karma types contract ${ref.target.type} --from-terraform drafts one), or pass --with-runtime <env>`,
    });
  }
  return { runtimes, problems };
}
