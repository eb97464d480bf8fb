/**
 * Who the signed-in person is, as the platform knows them: their account, their organisation and the
 * Functional Components their Job Type Roles grant. One read for the API's `me` and the portal's profile.
 */
import { NotFound } from '../domain/errors';
import { findAccount, type Account } from '../store/accounts';
import { findParty } from '../store/parties';
import type { Caller, Core } from './context';

export interface Profile {
  account: Account;
  partyName: string;
  components: string[];
}

export class ProfileService {
  constructor(private readonly core: Core) {}

  async me(caller: Caller): Promise<Profile> {
    this.core.roles.require(caller.roles, 'portal.access');
    const [party, account] = await Promise.all([findParty(this.core.db, caller.partyId), findAccount(this.core.db, caller.accountId)]);
    if (!account || !party) throw new NotFound('Account');
    return { account, partyName: party.name, components: [...this.core.roles.componentsOf(caller.roles)].sort() };
  }
}
