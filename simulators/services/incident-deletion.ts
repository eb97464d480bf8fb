/**
 * Deleting an incident through the Table API: an ACL decided by configuration, as ServiceNow decides
 * deletes by the table's delete ACL. FSM keeps incidents, so by default no one may delete one (403,
 * saying to cancel instead); `incidents.deleteRoles` (assumed) names the roles that may delete their
 * own party's incidents. Another party's incident is not found, as ever. What is kept of a deleted
 * incident is in store/deletions.ts.
 */
import { Forbidden, NotFound } from '../domain/errors';
import { deleteIncidentRecord } from '../store/deletions';
import { findIncident } from '../store/incidents';
import type { Caller, Core } from './context';

/** The refusal of any delete no ACL allows: the answer says what to do instead. */
export const DELETE_REFUSED = 'Records cannot be deleted. To withdraw an incident, set its state to 8 (Canceled).';

export async function deleteIncident(core: Core, caller: Caller, sysId: string): Promise<void> {
  const allowed = core.config.incidents.deleteRoles;
  if (!caller.roles.some((role) => allowed.includes(role))) throw new Forbidden(DELETE_REFUSED);
  await core.db.transaction(async (tx) => {
    if (!(await findIncident(tx, caller.partyId, sysId, true))) throw new NotFound();
    await deleteIncidentRecord(tx, caller.partyId, sysId, caller.username, core.clock.now());
  });
}
