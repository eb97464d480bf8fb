/**
 * What a party's administrator sets up next (issue 18): shown from their first sign-in until it is
 * done, so that nobody meets a role trap. DCC's onboarding gives the first administrator only
 * ORG_ADMIN and SERVICE_USER; the users, the OMS roles (with a Region) and file submission are the
 * administrator's to give. The words about roles are the role catalogue's (RoleCatalogue.howToGet).
 */
import { countOtherActiveAccounts } from '../store/accounts';
import type { Caller, Core } from './context';

export async function setupSteps(core: Core, caller: Caller): Promise<string[]> {
  const { roles, db } = core;
  if (!roles.grants(caller.roles, 'accounts.admin')) return [];
  /** Whether the caller or another active account of the party holds one of `held`. */
  const anyone = async (held: readonly string[]) =>
    held.some((r) => caller.roles.includes(r)) ||
    (await countOtherActiveAccounts(db, { partyId: caller.partyId, except: caller.accountId, roles: held })) > 0;
  const steps: string[] = [];
  if (!(await otherAccounts(core, caller)))
    steps.push("Create your colleagues' accounts on the Users page and give each the Job Type Roles of their work.");
  if (!(await anyone(roles.regionalRoles)))
    steps.push(`To use OMS (CH stock, forecasts, orders, returns): ${roles.howToGet('oms.read', caller.roles)}`);
  if (!(await anyone(roles.grantingRoles('files.submit'))))
    steps.push(`To submit ADT and quarantine files: ${roles.howToGet('files.submit', caller.roles)}`);
  return steps;
}

async function otherAccounts(core: Core, caller: Caller): Promise<boolean> {
  return (await countOtherActiveAccounts(core.db, { partyId: caller.partyId, except: caller.accountId, roles: core.roles.roleNames })) > 0;
}
