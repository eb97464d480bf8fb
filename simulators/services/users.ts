/**
 * User administration by a party's own administrators (ACC-02, ACC-03): create, amend, deactivate
 * and reinstate accounts of their party only, with Job Type Roles from the catalogue; no DCC
 * validation step. A new user's one-time password goes by email to the user. The party always keeps
 * at least one active administrator.
 */
import { z } from 'zod';
import { Conflict, NotFound } from '../domain/errors';
import { newSysId, SYS_ID } from '../domain/ids';
import { findAccount, findAccountByUsername, insertAccount, type Account } from '../store/accounts';
import type { Queryable } from '../store/db';
import { deleteSessionsOf } from '../store/sessions';
import type { Caller, Core } from './context';
import { recordNotification } from './notifications';
import { generateOneTimePassword, hashPassword } from './passwords';
import { parseInput } from './validate';

const ADMIN_ROLE = 'ORG_ADMIN';
/** Roles arrive as an array or, as ServiceNow lists do, a comma-separated string. */
const roleList = z.union([z.array(z.string()), z.string().transform((s) => s.split(',').map((r) => r.trim()).filter(Boolean))]).pipe(z.array(z.string().max(40)).min(1, 'give at least one Job Type Role').max(20));
const flag = z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]);

const CreateUser = z
  .object({
    user_name: z.string().trim().toLowerCase().email('must be the person\'s corporate email address').max(254),
    name: z.string().trim().min(1).max(100),
    roles: roleList,
    identity_path: z.enum(['local', 'entra']).default('local'),
  })
  .strict();
const UpdateUser = z
  .object({ name: z.string().trim().min(1).max(100).optional(), roles: roleList.optional(), active: flag.optional() })
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'Send at least one of name, roles, active');

export async function createUser(core: Core, caller: Caller, body: unknown): Promise<{ sys_id: string }> {
  core.roles.require(caller.roles, 'accounts.admin');
  const input = parseInput(CreateUser, body);
  core.roles.assertRoles(input.roles);
  const now = core.clock.now();
  const oneTimePassword = generateOneTimePassword();
  const id = newSysId();
  const hash = await hashPassword(oneTimePassword, core.config.passwords.scryptCost);
  const deliver = await core.db.transaction(async (tx) => {
    if (await findAccountByUsername(tx, input.user_name)) throw new Conflict(`An account ${input.user_name} already exists`, 'Each person has one account; amend it instead.', 'user_name');
    await insertAccount(tx, {
      id, party_id: caller.partyId, username: input.user_name, display_name: input.name, password_hash: hash,
      password_expires_at: new Date(now.getTime() + core.config.passwords.oneTimePasswordHours * 3_600_000), password_must_change: true,
      status: 'active', identity_path: input.identity_path, roles: [...new Set(input.roles)], failed_logins: 0, locked_until: null,
      email_notifications: true, migrated: false, created_at: now, updated_at: now,
    });
    // The SSI keeps that the account was made; the one-time password itself goes only by email.
    return recordNotification(core, tx, { accountId: id, subject: 'Your DCC FSM account', body: `${caller.username} created your account ${input.user_name}.` });
  });
  await deliver();
  await core.mail
    .send({
      to: input.user_name,
      subject: 'Your DCC FSM one-time password',
      text: `${caller.username} created your DCC FSM account ${input.user_name}. Your one-time password is ${oneTimePassword}. It expires in ${core.config.passwords.oneTimePasswordHours} hours; at first sign-in you choose your own password and a second factor.`,
    })
    // The account stands; without the email, the person can still use "forgot password".
    .catch(() => core.audit({ accountId: id, kind: 'welcome_email_failed', detail: 'the one-time password could not be emailed' }));
  await core.audit({ accountId: id, kind: 'account_created', detail: `by ${caller.username} with ${input.roles.join(', ')}` });
  return { sys_id: id };
}

export async function updateUser(core: Core, caller: Caller, sysId: string, body: unknown): Promise<{ sys_id: string }> {
  core.roles.require(caller.roles, 'accounts.admin');
  const input = parseInput(UpdateUser, body);
  if (input.roles) core.roles.assertRoles(input.roles);
  await core.db.transaction(async (tx) => {
    const user = SYS_ID.test(sysId) ? await findAccount(tx, sysId) : undefined;
    if (!user || user.party_id !== caller.partyId) throw new NotFound('User');
    // Serialise administrator changes of a party, so two cannot each remove "the other" last admin.
    await tx.query('SELECT id FROM account WHERE party_id = $1 FOR UPDATE', [caller.partyId]);
    const roles = input.roles ? [...new Set(input.roles)] : user.roles;
    const status = input.active === undefined ? user.status : input.active ? 'active' : 'inactive';
    if (isActiveAdmin(user) && !(status === 'active' && roles.includes(ADMIN_ROLE))) await assertAnotherAdmin(tx, user);
    await tx.query('UPDATE account SET display_name = $2, roles = $3, status = $4, updated_at = $5 WHERE id = $1', [user.id, input.name ?? user.display_name, roles, status, core.clock.now()]);
    if (status === 'inactive') await deleteSessionsOf(tx, user.id);
  });
  await core.audit({ accountId: sysId, kind: 'account_changed', detail: `by ${caller.username}: ${Object.keys(input).join(', ')}` });
  return { sys_id: sysId };
}

const isActiveAdmin = (a: Account) => a.status === 'active' && a.roles.includes(ADMIN_ROLE);

async function assertAnotherAdmin(tx: Queryable, user: Account): Promise<void> {
  const [{ n } = { n: 0 }] = await tx.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM account WHERE party_id = $1 AND id <> $2 AND status = 'active' AND $3 = ANY(roles)`,
    [user.party_id, user.id, ADMIN_ROLE],
  );
  if (n === 0) throw new Conflict(`${user.username} is the last active administrator of your party`, 'Give another user the ORG_ADMIN role first.', 'roles');
}
