/**
 * Setting up a party's integrations, as DCC or the party's platform administrator does on a real
 * instance (System OAuth > Application Registry; a user marked "Web service access only" with a
 * password): the simulator's control API stands in for those screens.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { Conflict, NotFound } from '../domain/errors';
import { newSysId, newToken, SYS_ID } from '../domain/ids';
import { findAccount, findAccountByUsername, freshAccount, insertAccount } from '../store/accounts';
import type { Queryable } from '../store/db';
import { insertOAuthApp, setWebServiceAccess } from '../store/oauth';
import { findParty } from '../store/parties';
import type { Core } from './context';
import { secretHash } from './integration-auth';
import { hashPassword } from './passwords';
import { parseInput } from './validate';

export interface RegisteredApp {
  name: string;
  client_id: string;
  /** Shown once, as ServiceNow's application registry shows it to whoever registers the app. */
  client_secret: string;
}

const AppInput = z
  .object({ party_id: z.string().regex(SYS_ID), name: z.string().trim().min(1).max(100), user_id: z.string().regex(SYS_ID).optional() })
  .strict();
const IntegrationUserInput = z
  .object({
    party_id: z.string().regex(SYS_ID),
    user_name: z.string().trim().toLowerCase().email().max(254),
    name: z.string().trim().min(1).max(100),
    roles: z.array(z.string().max(40)).min(1).max(20),
  })
  .strict();

/** A new OAuth app of the party: a 32-hex client id and a random secret, kept hashed. */
export async function registerOAuthApp(core: Core, db: Queryable, partyId: string, name: string, userId: string | null = null) {
  const app: RegisteredApp = { name, client_id: newSysId(), client_secret: newToken() };
  await insertOAuthApp(
    db,
    { client_id: app.client_id, party_id: partyId, name, secret_hash: secretHash(app.client_secret), user_id: userId },
    core.clock.now(),
  );
  return app;
}

export async function addOAuthApp(core: Core, body: unknown): Promise<RegisteredApp> {
  const input = parseInput(AppInput, body);
  if (!(await findParty(core.db, input.party_id))) throw new NotFound('Party');
  const user = input.user_id ? await findAccount(core.db, input.user_id) : undefined;
  if (input.user_id && user?.party_id !== input.party_id) throw new NotFound('User');
  return registerOAuthApp(core, core.db, input.party_id, input.name, user?.id ?? null);
}

/** An integration account of the party: web-service access only, with a password of its own (no MFA, no first sign-in). */
export async function addIntegrationUser(core: Core, body: unknown) {
  const input = parseInput(IntegrationUserInput, body);
  core.roles.assertRoles(input.roles);
  if (!(await findParty(core.db, input.party_id))) throw new NotFound('Party');
  const password = `${randomBytes(24).toString('base64url')}-A1`;
  const now = core.clock.now();
  const id = newSysId();
  await core.db.transaction(async (tx) => {
    if (await findAccountByUsername(tx, input.user_name))
      throw new Conflict(`An account ${input.user_name} already exists`, '', 'user_name');
    await insertAccount(tx, {
      id,
      party_id: input.party_id,
      username: input.user_name,
      display_name: input.name,
      password_hash: await hashPassword(password, core.config.passwords.scryptCost),
      password_expires_at: null,
      password_must_change: false,
      ...freshAccount(now),
      identity_path: 'local',
      roles: [...new Set(input.roles)],
    });
    await setWebServiceAccess(tx, id, true, now);
  });
  return { sys_id: id, user_name: input.user_name, password, roles: input.roles };
}
