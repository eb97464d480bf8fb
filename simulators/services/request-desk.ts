/**
 * DCC's service desk on service requests, a persona of the control API: it fulfils, rejects or closes
 * an item, each once, and a fulfilled Nominated Contacts update changes the party's contacts (SM-08);
 * it raises a party's quarantine incident, awaiting the User's Quarantine Command Action (SM-06).
 */
import { z } from 'zod';
import { assertDeskMove, catalogItem } from '../domain/catalog';
import { InvalidInput, NotFound } from '../domain/errors';
import { SYS_ID } from '../domain/ids';
import { ADMIN_ROLE } from '../domain/roles';
import { firstActiveAccountWithRole } from '../store/accounts';
import { upsertNominatedContact } from '../store/contacts';
import { findRequestItem, updateRequestItem, type RequestItemRow } from '../store/requests';
import type { Caller, Core } from './context';
import type { IncidentService } from './incidents';
import type { TransferService } from './oms-transfers';
import { parseInput } from './validate';

const DeskChange = z.object({ state: z.enum(['fulfilled', 'closed', 'rejected']), reason: z.string().max(2000).optional() }).strict();
const Quarantine = z.object({ party_id: z.string().regex(SYS_ID), description: z.string().min(5).max(4000) }).strict();

export class RequestDeskService {
  constructor(
    private readonly core: Core,
    private readonly incidents: IncidentService,
    private readonly transfers: TransferService,
  ) {}

  /** Fulfils, rejects or closes an item, each once; a CH transfer's item is the receiving party's to decide while the transfer is pending. */
  async decide(itemSysId: string, body: unknown): Promise<RequestItemRow> {
    const change = parseInput(DeskChange, body);
    return this.core.db.transaction(async (tx) => {
      const item = SYS_ID.test(itemSysId) ? await findRequestItem(tx, null, itemSysId, true) : undefined;
      if (!item) throw new NotFound('Request item');
      if (change.state === 'rejected' && !change.reason) throw new InvalidInput('Say why the request is rejected', '', 'reason');
      assertDeskMove(item.number, item.state, change.state);
      await this.transfers.assertDeskMayDecide(tx, item);
      const next = {
        ...item,
        state: change.state,
        rejection_reason: change.reason ?? item.rejection_reason,
        sys_updated_on: this.core.clock.now(),
        sys_updated_by: 'DCC Service Desk',
      };
      await updateRequestItem(tx, next);
      if (change.state === 'fulfilled' && catalogItem(item.cat_item).onFulfil === 'nominated-contact') {
        // The order required each of these variables (requests.ts).
        const { contact_role = '', contact_name = '', contact_email = '' } = item.variables;
        await upsertNominatedContact(tx, item.party_id, {
          role: contact_role,
          name: contact_name,
          email: contact_email,
          updated_on: next.sys_updated_on,
        });
      }
      return next;
    });
  }

  /** Raises a quarantine incident for a party, on hold awaiting the User's Quarantine Command Action (SM-06). */
  async raiseQuarantine(body: unknown): Promise<{ sys_id: string; number: string }> {
    const input = parseInput(Quarantine, body);
    const account = await firstActiveAccountWithRole(this.core.db, input.party_id, ADMIN_ROLE);
    if (!account) throw new NotFound('Party');
    // DCC raises it in the party's name, for its administrator: the service desk holds the raising component.
    const caller: Caller = {
      accountId: account.id,
      partyId: account.party_id,
      username: 'DCC Service Desk',
      roles: ['SERVICE_USER'],
      amr: [],
    };
    const incident = await this.incidents.raise(caller, {
      short_description: 'Communications quarantined: answer with a Quarantine Command Action',
      description: input.description,
      category: 'quarantine',
      impact: '2',
      urgency: '2',
    });
    await this.incidents.serviceDesk(incident.sys_id, { state: 3, on_hold_reason: 'awaiting_caller', comments: input.description });
    return { sys_id: incident.sys_id, number: incident.number };
  }
}
