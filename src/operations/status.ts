import type { ComponentAddress, Estate } from "../core/estate/model.js";
import { computeStatus, type StatusReport } from "../core/status/compute-status.js";
import { assertValid } from "./publish.js";
import { openStores } from "./stores.js";

export async function estateStatus(
  estate: Estate,
  select: (address: ComponentAddress) => boolean = () => true,
): Promise<StatusReport> {
  assertValid(estate);
  const stores = await openStores(estate.settings, estate.settings.environments);
  try {
    return computeStatus(estate.components.filter(select), await stores.readIndexes(), select);
  } finally {
    await stores.close();
  }
}
