import { UserError } from "../errors.js";
import type { Cycle } from "../graph/cycles.js";

/** The affected set cannot be ordered: it contains a dependency cycle. Carries every cycle found. */
export class PlanCycleError extends UserError {
  override name = "PlanCycleError";
  constructor(readonly cycles: readonly Cycle[]) {
    const shown = cycles.map((c) => `  ${c.path.join(" → ")}`).join("\n");
    super(
      `the change cannot be planned: the affected components contain ${cycles.length === 1 ? "a dependency cycle" : `${cycles.length} dependency cycles`} (→ = depends on)\n${shown}`,
      "break each cycle by removing one of its references (a $ref, *_nickname field or depends_on entry); `karma graph cycles` lists every cycle of the estate",
    );
  }
}
