/** The party's Nominated Contacts as DCC holds them (SM-08); changed through a catalogue request DCC fulfils. */
import { nominatedContactsOf, type NominatedContact } from '../store/contacts';
import type { Caller, Core } from './context';

export type { NominatedContact } from '../store/contacts';

export class ContactService {
  constructor(private readonly core: Core) {}

  list(caller: Caller): Promise<NominatedContact[]> {
    this.core.roles.require(caller.roles, 'portal.access');
    return nominatedContactsOf(this.core.db, caller.partyId);
  }
}
