/**
 * Getting a party and its people onto the platform, as DCC does it through the simulator's control
 * API: onboard a party (ACC-01) and hand its administrator a one-time password; migrate accounts from
 * DSMS (ACC-04). On a real environment DCC has onboarded the party already (its target file says who).
 */
import { realTime } from '../../../clients/authenticator';
import { harnessMessage } from '../../../clients/messages';
import type { OnboardedParty, PartyRequest } from '../../../clients/sim-control';
import { buildParty } from '../../../fixtures/parties';
import { tokenSignInOf } from '../../support/token-ways';
import type { FsmWorld, PartyMemory, TargetParty } from '../../support/world';

export type PartyOverrides = Partial<Pick<PartyRequest, 'gatewayConnected' | 'internetRegistered' | 'internetCidrs'>> & {
  identityPath?: 'entra' | 'local';
};

/** The historic ticket a DSMS export brings with the migrated accounts. */
export const HISTORIC_TICKET = 'Meter offline (from DSMS)';

/** DCC onboards a party (ACC-01) and hands its administrator a one-time password. */
export async function onboardParty(world: FsmWorld, alias: string, overrides: PartyOverrides = {}): Promise<PartyMemory> {
  if (world.parties.has(alias)) throw new Error(harnessMessage(`The party "${alias}" is already onboarded in this scenario.`));
  const given = world.targetCredentials(alias);
  if (given && Object.keys(overrides).length === 0) return onboardedByDcc(world, alias, given);
  const built = buildParty(world.faker, `${world.tag}${world.parties.size}`);
  const { identityPath, ...access } = overrides;
  const request = { ...built, ...access, administrator: { ...built.administrator, ...(identityPath ? { identityPath } : {}) } };
  world.logFixture(`party "${alias}"`, request);
  const onboarded = await world.control.onboardParty(request);
  const { username, oneTimePassword } = onboarded.administrator;
  const party = { alias, onboarded, administrator: world.newActor(`the administrator of "${alias}"`, username, oneTimePassword) };
  world.parties.set(alias, party);
  return party;
}

/**
 * DCC migrates these people of the party from DSMS, with a historic ticket raised by `raiser`: their
 * legacy IDs and addresses are made unique to the scenario; `snapshot` 'incremental' updates them.
 */
export async function migrateFromDsms(
  world: FsmWorld,
  alias: string,
  people: { name: string; newName?: string }[],
  snapshot: 'initial' | 'incremental',
  raiser?: string,
): Promise<void> {
  const domain = world.party(alias).administrator.username.split('@')[1] ?? 'example.com';
  const accounts = people.map(({ name, newName }) => ({
    legacy_id: `DSMS-${name.toUpperCase()}`,
    email: `${name.toLowerCase()}.${world.tag}@${domain}`,
    name: newName ?? name,
  }));
  const tickets = raiser
    ? [
        {
          legacy_number: `IM${world.faker.string.numeric(8)}`,
          raised_by: `DSMS-${raiser.toUpperCase()}`,
          short_description: HISTORIC_TICKET,
          opened_at: '2025-03-01T09:00:00Z',
          closed_at: '2025-03-02T10:00:00Z',
        },
      ]
    : [];
  await world.control.importDsmsExport({ party_id: world.party(alias).onboarded.party.id, snapshot, accounts, tickets });
  if (snapshot === 'initial')
    for (const a of accounts) world.users.set(a.name, { actor: world.newActor(`"${a.name}"`, a.email, ''), sysId: '' });
}

/**
 * On a real environment DCC has onboarded the party already: its administrator's credentials come
 * from the target file, with the key of their authenticator app if they enrolled one. Signing in
 * for a token, the party's API calls are whoever the target's way signs in (support/token-ways.ts).
 */
function onboardedByDcc(world: FsmWorld, alias: string, credentials: TargetParty): PartyMemory {
  const name = `the administrator of "${alias}"`;
  const given = credentials.administrator;
  const token = tokenSignInOf(world, credentials);
  const administrator = token
    ? world.newActor(name, token.username, token.password, realTime, { tokenWay: token.way })
    : world.newActor(name, given.username, given.password, realTime);
  if (given.totpSecret) administrator.app.add(given.totpSecret);
  const onboarded: OnboardedParty = {
    party: { id: '', name: alias, userRoles: [], userIds: [], regions: [], gatewayConnected: true },
    administrator: { sysId: '', username: given.username, oneTimePassword: given.password, expiresAt: '', roles: [] },
  };
  const party = { alias, onboarded, administrator };
  world.parties.set(alias, party);
  return party;
}
