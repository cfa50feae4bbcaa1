/**
 * `karma validate`: every problem of the estate at once — its own, dependency cycles among the
 * configs, and contract checks against the built graph — for the selected components.
 */
import type { Problem } from "../core/errors.js";
import type { ComponentAddress, Estate } from "../core/estate/model.js";
import { SETTINGS_FILE, typeSchemaFile } from "../core/estate/paths.js";
import { compareProblems, hasErrors } from "../core/estate/validate.js";
import { cycleProblems } from "../core/graph/cycle-problems.js";
import { parseComponentId } from "../core/ids.js";
import { inferredContractProblems } from "./contracts.js";
import { resolveSelection } from "./selection.js";
import type { Session } from "./session.js";

export interface ValidationReport {
  valid: boolean;
  /** Ids of the components checked (loadable ones), sorted. */
  components: string[];
  /** Sorted by file, position, pointer. */
  problems: Problem[];
}

export async function validateEstate(
  session: Session,
  selector: string | undefined,
): Promise<ValidationReport> {
  const estate = await session.estate.load();
  const more = [...cycleProblems(estate.components), ...(await inferredContractProblems(session, estate))];
  return validationReport(
    session,
    more.length ? { ...estate, problems: [...estate.problems, ...more].sort(compareProblems) } : estate,
    selector,
  );
}

/** The problems that concern the selected components (all of them without a selector). */
async function validationReport(
  session: Session,
  estate: Estate,
  selector: string | undefined,
): Promise<ValidationReport> {
  if (selector === undefined || selector === "") {
    return {
      valid: !hasErrors(estate.problems),
      components: estate.components.map((c) => c.id),
      problems: estate.problems,
    };
  }
  // components whose config does not even parse are only known through their problems
  const candidates = new Map<string, ComponentAddress>(estate.components.map((c) => [c.id, c]));
  for (const p of estate.problems) {
    const address = p.component === undefined ? undefined : parseComponentId(p.component);
    if (address && p.component) candidates.set(p.component, address);
  }
  const selected = await resolveSelection(session, selector, candidates.values());
  const ids = new Set([...candidates].filter(([, address]) => selected(address)).map(([id]) => id));
  const selectedTypes = new Set([...ids].map((id) => parseComponentId(id)?.type));
  const schemaFiles = new Set([...selectedTypes].map((type) => typeSchemaFile(estate.settings, type ?? "")));
  const problems = estate.problems.filter((p) =>
    p.component !== undefined
      ? ids.has(p.component)
      : p.file === undefined || p.file === SETTINGS_FILE || schemaFiles.has(p.file),
  );
  return {
    valid: !hasErrors(problems),
    components: estate.components.filter((c) => ids.has(c.id)).map((c) => c.id),
    problems,
  };
}
