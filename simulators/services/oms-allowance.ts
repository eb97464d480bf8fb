/**
 * The OMS account allowance (ACC-05): four OMS accounts per Region per party come without charge.
 * Beyond that, an account is refused or flagged as chargeable, as configured.
 */
import type { SimConfig } from '../config';
import { Conflict, InvalidInput } from '../domain/errors';
import { REGIONS } from '../domain/party';
import type { RoleCatalogue } from '../domain/roles';
import { countOtherActiveAccounts } from '../store/accounts';
import type { Queryable } from '../store/db';

/** Whether the account, active with these roles in this Region, is chargeable; refused when the configuration says so. */
export async function omsAllowance(
  tx: Queryable,
  { roles: catalogue, config }: { roles: RoleCatalogue; config: SimConfig },
  account: { partyId: string; id: string; roles: readonly string[]; region: string | undefined },
): Promise<boolean> {
  const omsRoles = catalogue.regionalRoles;
  if (!account.roles.some((r) => omsRoles.includes(r))) return false;
  const { region } = account;
  if (!region) throw new InvalidInput('An OMS account needs a Region', `Give region: one of ${REGIONS.join(', ')}.`, 'region');
  const n = await countOtherActiveAccounts(tx, { partyId: account.partyId, except: account.id, roles: omsRoles, region });
  const { accountsPerRegion, extraAccounts } = config.oms;
  if (n < accountsPerRegion) return false;
  if (extraAccounts === 'refuse')
    throw new Conflict(
      `Your party already has ${accountsPerRegion} OMS accounts in the ${region} Region`,
      `${accountsPerRegion} per Region come without charge; deactivate one, or ask DCC about more.`,
      'roles',
    );
  return true;
}
