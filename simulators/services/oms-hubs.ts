/** A party's Communications Hubs: its stock by variant and status, and hubs installed at its premises (fixtures, through the control API). */
import { Conflict, InvalidInput, NotFound } from '../domain/errors';
import { HubStatus } from '../domain/hubs';
import { addHub, stockOf } from '../store/hubs';
import { findParty } from '../store/parties';
import type { Caller, Core } from './context';

export class HubService {
  constructor(private readonly core: Core) {}

  async stock(caller: Caller): ReturnType<typeof stockOf> {
    this.core.roles.require(caller.roles, 'oms.read');
    return stockOf(this.core.db, caller.partyId);
  }

  /** Hubs installed in a party's premises, for returns: all of them, or none. */
  async install(partyId: string, variant: string, ids: string[]): Promise<void> {
    if (new Set(ids).size !== ids.length) throw new InvalidInput('device_ids lists a hub more than once', '', 'device_ids');
    await this.core.db.transaction(async (tx) => {
      if (!(await findParty(tx, partyId))) throw new NotFound('Party');
      for (const device_id of ids) {
        // A hub added twice at once is refused here too: the second insert waits for the first, then finds it.
        if (!(await addHub(tx, { device_id, party_id: partyId, variant, status: HubStatus.Installed }, this.core.clock.now())))
          throw new Conflict(
            `Hub ${device_id} is already known to the platform`,
            'Each hub is installed once; use new device IDs.',
            'device_ids',
          );
      }
    });
  }
}
