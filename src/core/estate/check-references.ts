/**
 * Checks every reference against the estate: the target environment exists, the target component
 * exists there (external systems excepted), and no component references itself. A dangling
 * reference gets a fix naming the file to create and, when one is close, the name probably meant.
 */
import type { Problem } from "../errors.js";
import { componentKey, formatComponentId, formatComponentRef } from "../ids.js";
import type { ComponentAddress, Reference, ReferenceForm } from "./model.js";
import { componentConfigFile } from "./paths.js";
import { closestName } from "./suggest.js";

/** The components that exist on disk, per environment and type (including ones whose config is broken). */
export class ComponentIndex {
  private readonly envs = new Map<string, Map<string, Set<string>>>();

  constructor(readonly environments: readonly string[]) {
    for (const env of environments) this.envs.set(env, new Map());
  }

  add(address: ComponentAddress): void {
    const types = this.envs.get(address.env);
    if (!types) return;
    let nicknames = types.get(address.type);
    if (!nicknames) {
      nicknames = new Set();
      types.set(address.type, nicknames);
    }
    nicknames.add(address.nickname);
  }

  hasEnvironment(env: string): boolean {
    return this.envs.has(env);
  }

  has(address: ComponentAddress): boolean {
    return this.envs.get(address.env)?.get(address.type)?.has(address.nickname) ?? false;
  }

  typesIn(env: string): string[] {
    return [...(this.envs.get(env)?.keys() ?? [])].sort();
  }

  nicknamesOf(env: string, type: string): string[] {
    return [...(this.envs.get(env)?.get(type) ?? [])].sort();
  }

  /** Every type present in any environment. */
  allTypes(): Set<string> {
    const all = new Set<string>();
    for (const types of this.envs.values()) for (const type of types.keys()) all.add(type);
    return all;
  }
}

const FORM_LABEL: Record<ReferenceForm, string> = {
  ref: "$ref",
  "nickname-field": "nickname field",
  "src-pair": "src_type/src_nickname pair",
  "runtime-path": "runtime path",
  "depends-on": "depends_on entry",
};

export function checkReferences(
  consumer: ComponentAddress & { id: string; file: string },
  references: readonly Reference[],
  index: ComponentIndex,
  componentsDir: string,
): Problem[] {
  const problems: Problem[] = [];
  for (const reference of references) {
    if (reference.external) continue;
    const target = reference.target;
    // the common case first, building no strings: a known component that is not this one (equal
    // ids have equal lengths, so a length check spares formatting the id of nearly every target)
    const self =
      target.env.length + target.type.length + target.nickname.length + 2 === consumer.id.length &&
      formatComponentId(target) === consumer.id;
    if (!self && index.has(target)) continue;
    const name = formatComponentRef(target, consumer.env);
    const base = {
      file: consumer.file,
      component: consumer.id,
      pointer: reference.pointer,
      severity: "error" as const,
    };
    if (self) {
      problems.push({
        ...base,
        code: "ref.self",
        message: `${FORM_LABEL[reference.form]} "${name}" refers to this component itself`,
        fix: "remove it: a component cannot depend on its own outputs",
      });
      continue;
    }
    if (!index.hasEnvironment(target.env)) {
      const guess = closestName(target.env, index.environments);
      problems.push({
        ...base,
        code: "ref.unknown-environment",
        message: `${FORM_LABEL[reference.form]} "${name}" names environment "${target.env}", which karma.json does not declare`,
        fix: guess
          ? `did you mean "${formatComponentId({ ...target, env: guess })}"?`
          : `use one of the environments: ${index.environments.join(", ")}`,
      });
      continue;
    }
    problems.push({
      ...base,
      code: "ref.unknown-component",
      message: `${FORM_LABEL[reference.form]} "${name}" refers to a component that does not exist in environment ${target.env}`,
      fix: danglingFix(target, consumer.env, index, componentsDir),
    });
  }
  return problems;
}

function danglingFix(
  target: ComponentAddress,
  consumerEnv: string,
  index: ComponentIndex,
  componentsDir: string,
): string {
  const create = `create ${componentConfigFile({ paths: { components: componentsDir } }, target)}`;
  const nicknames = index.nicknamesOf(target.env, target.type);
  if (nicknames.length > 0) {
    const guess = closestName(target.nickname, nicknames);
    if (guess)
      return `did you mean "${formatComponentRef({ ...target, nickname: guess }, consumerEnv)}"? otherwise ${create}`;
  } else {
    const guess = closestName(target.type, index.typesIn(target.env));
    if (guess && index.nicknamesOf(target.env, guess).includes(target.nickname))
      return `did you mean "${formatComponentRef({ ...target, type: guess }, consumerEnv)}"? otherwise ${create}`;
    if (guess) return `${create}, or fix the type (did you mean type "${guess}"?)`;
  }
  const elsewhere = index.environments.filter((env) => env !== target.env && index.has({ ...target, env }));
  if (elsewhere.length > 0)
    return `${create}, or reference the one in ${elsewhere.join(", ")} as "${elsewhere[0]}:${componentKey(target)}"`;
  return `${create}, or fix the nickname`;
}
