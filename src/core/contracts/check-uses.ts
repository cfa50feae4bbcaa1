/**
 * Consumers against their producers' contracts: every key use whose producer's type has an output
 * contract must read a key the contract declares. Each miss names the consumer file, the key path,
 * the contract file that lacks it and the closest declared key. Pure; O(uses × key depth).
 */
import type { Problem } from "../errors.js";
import { closestName } from "../estate/suggest.js";
import { formatComponentRef } from "../ids.js";
import { lookupKey } from "./lookup.js";
import type { Contracts } from "./model.js";
import type { KeyUse } from "./uses.js";

export function checkKeyUses(uses: readonly KeyUse[], contracts: Contracts): Problem[] {
  const problems: Problem[] = [];
  for (const use of uses) {
    const contract = contracts.get(use.producer.type);
    if (!contract) continue;
    const lookup = lookupKey(contract.schema, use.key);
    if (lookup.found) continue;
    const consumerEnv = use.consumer.slice(0, use.consumer.indexOf(":"));
    const name = formatComponentRef(use.producer, consumerEnv);
    const guess = closestName(lookup.missing, lookup.available);
    const suggestion = guess ? `${lookup.parent}/${guess}` : undefined;
    const how =
      use.form === "ref"
        ? `$ref "${name}#${use.key}"`
        : `the value here (inferred from ${name} runtime key ${use.key})`;
    problems.push({
      code: "contract.key-missing",
      severity: use.form === "ref" ? "error" : "warning",
      file: use.file,
      component: use.consumer,
      pointer: use.pointer,
      message: `${how} reads "${use.key}", which the output contract of ${use.producer.type} (${contract.file}) does not declare`,
      fix: suggestion
        ? `did you mean "${name}#${suggestion}"? otherwise add "${lookup.missing}" to ${contract.file}`
        : `use one of ${lookup.available.map((k) => `#${lookup.parent}/${k}`).join(", ") || "(the contract declares no keys here)"}, or add "${lookup.missing}" to ${contract.file}`,
    });
  }
  return problems;
}
