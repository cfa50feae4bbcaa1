import type { Estate } from "../core/estate/model.js";
import { computeStatus, type StatusReport } from "../core/status/compute-status.js";
import { assertValid, universeOf } from "./publish.js";
import { resolveSelection } from "./selection.js";
import { openStores } from "./stores.js";

export async function estateStatus(estate: Estate, selector?: string): Promise<StatusReport> {
  assertValid(estate);
  const stores = await openStores(estate.settings, estate.settings.environments);
  try {
    const indexes = await stores.readIndexes();
    const select = await resolveSelection(estate.settings, selector, universeOf(estate, indexes));
    return computeStatus(estate.components.filter(select), indexes, select);
  } finally {
    await stores.close();
  }
}
