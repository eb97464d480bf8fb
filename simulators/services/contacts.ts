/** The party's Nominated Contacts as DCC holds them (SM-08); changed through a catalogue request DCC fulfils. */
import type { Caller, Core } from './context';

export interface NominatedContact {
  role: string;
  name: string;
  email: string;
  updated_on: Date;
}

export class ContactService {
  constructor(private readonly core: Core) {}

  list(caller: Caller): Promise<NominatedContact[]> {
    this.core.roles.require(caller.roles, 'portal.access');
    return this.core.db.query<NominatedContact>(
      'SELECT role, name, email, updated_on FROM nominated_contact WHERE party_id = $1 ORDER BY role',
      [caller.partyId],
    );
  }
}
