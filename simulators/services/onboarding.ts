/**
 * DCC onboards a party: the party record and its initial administrator, whose one-time password is
 * handed over once (ACC-01). This is the only account change DCC makes or validates.
 */
import { Conflict } from '../domain/errors';
import { newSysId } from '../domain/ids';
import { signingKey } from '../domain/files';
import { PartyInput, type Party } from '../domain/party';
import { setSigningKey } from '../store/requests';
import { findAccountByUsername, freshAccount, insertAccount } from '../store/accounts';
import { findPartyByName, insertParty } from '../store/parties';
import type { Core } from './context';
import { registerOAuthApp, type RegisteredApp } from './integration-setup';
import { oneTimeCredentials } from './user-credentials';
import { parseInput } from './validate';

export interface Onboarded {
  party: Party;
  administrator: { sysId: string; username: string; oneTimePassword: string; expiresAt: string; roles: string[] };
  /** The party's OAuth app for /oauth_token.do, its secret handed over once with the administrator's password. */
  oauthApp: RegisteredApp;
}

export async function onboardParty(core: Core, body: unknown): Promise<Onboarded> {
  const input = parseInput(PartyInput, body);
  if (input.signingKey) signingKey(input.signingKey);
  const { config, clock } = core;
  core.roles.assertRoles(config.onboarding.initialAdminRoles);
  const now = clock.now();
  const username = input.administrator.email.toLowerCase();
  const { password: oneTimePassword, columns: credentials } = await oneTimeCredentials(config.passwords, now);
  const party: Party = {
    id: newSysId(),
    name: input.name,
    userRoles: input.userRoles,
    userIds: input.userIds,
    regions: input.regions,
    gatewayConnected: input.gatewayConnected,
    internetCidrs: input.internetCidrs,
    internetRegistered: input.internetRegistered,
    createdAt: now,
  };
  const adminId = newSysId();
  const oauthApp = await core.db.transaction(async (tx) => {
    if (await findPartyByName(tx, party.name)) throw new Conflict(`A party named "${party.name}" is already onboarded`, '', 'name');
    if (await findAccountByUsername(tx, username))
      throw new Conflict(`An account ${username} already exists`, 'Use another address.', 'administrator.email');
    await insertParty(tx, party);
    if (input.signingKey) await setSigningKey(tx, party.id, input.signingKey);
    await insertAccount(tx, {
      id: adminId,
      party_id: party.id,
      username,
      display_name: input.administrator.name,
      ...credentials,
      ...freshAccount(now),
      identity_path: input.administrator.identityPath,
      roles: config.onboarding.initialAdminRoles,
    });
    return registerOAuthApp(core, tx, party.id, `${party.name} integration`);
  });
  return {
    party,
    administrator: {
      sysId: adminId,
      username,
      oneTimePassword,
      expiresAt: credentials.password_expires_at.toISOString(),
      roles: config.onboarding.initialAdminRoles,
    },
    oauthApp,
  };
}
