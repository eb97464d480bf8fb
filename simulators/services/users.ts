/**
 * User administration by a party's own administrators (ACC-02..04): create, amend, deactivate and
 * reinstate accounts of their party only, with Job Type Roles from the catalogue; no DCC validation
 * step. Migrated accounts wait inactive for review: reinstated with roles, or declined. A new or
 * reinstated user's one-time password goes by email to the user. The party always keeps an active
 * administrator.
 */
import { z } from 'zod';
import { Conflict, InvalidInput, NotFound } from '../domain/errors';
import { parseEncodedQuery } from '../domain/encoded-query';
import { newSysId, SYS_ID } from '../domain/ids';
import { REGIONS } from '../domain/party';
import { findAccount, findAccountByUsername, insertAccount, type Account } from '../store/accounts';
import type { Queryable } from '../store/db';
import { getRecord, listRecords } from '../store/records';
import { SYS_USER } from '../store/tables';
import { deleteSessionsOf } from '../store/sessions';
import type { Caller, Core } from './context';
import { resetUserMfa } from './mfa-admin';
import { recordNotification } from './notifications';
import { generateOneTimePassword, hashPassword } from './passwords';
import { parseInput } from './validate';

const ADMIN_ROLE = 'ORG_ADMIN';
/** Roles arrive as an array or, as ServiceNow lists do, a comma-separated string. */
const roleList = z
  .union([
    z.array(z.string()),
    z.string().transform((s) =>
      s
        .split(',')
        .map((r) => r.trim())
        .filter(Boolean),
    ),
  ])
  .pipe(z.array(z.string().max(40)).min(1, 'give at least one Job Type Role').max(20));
const flag = z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]);

const CreateUser = z
  .object({
    user_name: z.string().trim().toLowerCase().email("must be the person's corporate email address").max(254),
    name: z.string().trim().min(1).max(100),
    roles: roleList,
    identity_path: z.enum(['local', 'entra']).default('local'),
    /** The Region an OMS account works in (ACC-05). */
    region: z.enum(REGIONS).optional(),
  })
  .strict();
const UpdateUser = z
  .object({
    name: z.string().trim().min(1).max(100).optional(),
    roles: roleList.optional(),
    active: flag.optional(),
    migration_review: z.literal('declined').optional(),
    region: z.enum(REGIONS).optional(),
  })
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'Send at least one of name, roles, active, migration_review');

type Delivery = () => Promise<void>;

/**
 * One answer for an address that has an account, whichever party holds it (README, Decisions): the
 * platform has one namespace of users, so the refusal cannot be avoided, but it names no party.
 */
class AddressTaken extends Conflict {
  constructor() {
    super(
      'An account with this email address already exists',
      "Each person has one account on the platform. If they are one of your party's users, amend their account; if not, ask DCC's service desk.",
      'user_name',
    );
  }
}

export async function createUser(core: Core, caller: Caller, body: unknown): Promise<{ sys_id: string }> {
  core.roles.require(caller.roles, 'accounts.admin');
  const input = parseInput(CreateUser, body);
  core.roles.assertRoles(input.roles);
  const now = core.clock.now();
  const id = newSysId();
  const credentials = await oneTimeCredentials(core, now);
  const deliveries = await core.db
    .transaction(async (tx) => {
      if (await findAccountByUsername(tx, input.user_name)) throw new AddressTaken();
      const chargeable = await omsAllowance(core, tx, caller.partyId, id, input.roles, input.region);
      await insertAccount(tx, {
        id,
        party_id: caller.partyId,
        username: input.user_name,
        display_name: input.name,
        ...credentials.columns,
        status: 'active',
        identity_path: input.identity_path,
        roles: [...new Set(input.roles)],
        failed_logins: 0,
        locked_until: null,
        email_notifications: true,
        migrated: false,
        created_at: now,
        updated_at: now,
      });
      await tx.query('UPDATE account SET region = $2, chargeable = $3 WHERE id = $1', [id, input.region ?? null, chargeable]);
      return welcome(core, tx, { id, username: input.user_name }, caller, credentials.password, 'created');
    })
    .catch(async (error: unknown) => {
      // Also when a creation racing this one took the address first (the unique user name).
      const racedTo = error as { code?: unknown; constraint?: unknown };
      if (!(error instanceof AddressTaken) && !(racedTo.code === '23505' && racedTo.constraint === 'account_username_key')) throw error;
      await core.audit({
        accountId: caller.accountId,
        kind: 'account_address_taken',
        detail: `${caller.username} tried to create an account for ${input.user_name}, which has one`,
      });
      throw new AddressTaken();
    });
  for (const deliver of deliveries) await deliver();
  await core.audit({ accountId: id, kind: 'account_created', detail: `by ${caller.username} with ${input.roles.join(', ')}` });
  return { sys_id: id };
}

export async function updateUser(core: Core, caller: Caller, sysId: string, body: unknown): Promise<{ sys_id: string }> {
  core.roles.require(caller.roles, 'accounts.admin');
  const input = parseInput(UpdateUser, body);
  if (input.roles) core.roles.assertRoles(input.roles);
  const deliveries = await core.db.transaction(async (tx) => {
    const user = SYS_ID.test(sysId) ? await findAccount(tx, sysId) : undefined;
    if (!user || user.party_id !== caller.partyId) throw new NotFound('User');
    // Serialise administrator changes of a party, so two cannot each remove "the other" last admin.
    await tx.query('SELECT id FROM account WHERE party_id = $1 FOR UPDATE', [caller.partyId]);
    const roles = input.roles ? [...new Set(input.roles)] : user.roles;
    const status = input.active === undefined ? user.status : input.active ? 'active' : 'inactive';
    if (isActiveAdmin(user) && !(status === 'active' && roles.includes(ADMIN_ROLE))) await assertAnotherAdmin(tx, user);
    const region = input.region ?? user.region ?? undefined;
    const chargeable = status === 'active' ? await omsAllowance(core, tx, caller.partyId, user.id, roles, region) : false;
    await tx.query('UPDATE account SET region = $2, chargeable = $3 WHERE id = $1', [user.id, region ?? null, chargeable]);
    const reinstating = user.migration_review === 'pending' && status === 'active';
    if (reinstating && roles.length === 0) throw new InvalidInput('Give the reinstated account at least one Job Type Role', '', 'roles');
    if (input.migration_review && status === 'active')
      throw new InvalidInput('An active account cannot be declined; deactivate it instead', '', 'migration_review');
    const review = reinstating ? 'reinstated' : (input.migration_review ?? user.migration_review);
    await tx.query('UPDATE account SET display_name = $2, roles = $3, status = $4, migration_review = $5, updated_at = $6 WHERE id = $1', [
      user.id,
      input.name ?? user.display_name,
      roles,
      status,
      review,
      core.clock.now(),
    ]);
    if (status === 'inactive') await deleteSessionsOf(tx, user.id);
    if (!reinstating) return [];
    // A migrated account never had a password here: reinstating it issues one, as creating would.
    const credentials = await oneTimeCredentials(core, core.clock.now());
    await tx.query('UPDATE account SET password_hash = $2, password_expires_at = $3, password_must_change = true WHERE id = $1', [
      user.id,
      credentials.columns.password_hash,
      credentials.columns.password_expires_at,
    ]);
    return welcome(core, tx, { id: user.id, username: user.username }, caller, credentials.password, 'reinstated');
  });
  for (const deliver of deliveries) await deliver();
  await core.audit({ accountId: sysId, kind: 'account_changed', detail: `by ${caller.username}: ${Object.keys(input).join(', ')}` });
  return { sys_id: sysId };
}

/** A one-time password and the account columns that hold it. */
export async function oneTimeCredentials(core: Core, now: Date) {
  const password = generateOneTimePassword();
  const columns = {
    password_hash: await hashPassword(password, core.config.passwords.scryptCost),
    password_expires_at: new Date(now.getTime() + core.config.passwords.oneTimePasswordHours * 3_600_000),
    password_must_change: true,
  };
  return { password, columns };
}

/** The SSI keeps that the account was made or reinstated; the one-time password itself goes only by email. */
async function welcome(
  core: Core,
  tx: Queryable,
  account: { id: string; username: string },
  caller: Caller,
  password: string,
  what: 'created' | 'reinstated',
): Promise<Delivery[]> {
  const notice = await recordNotification(core, tx, {
    accountId: account.id,
    subject: 'Your DCC FSM account',
    body: `${caller.username} ${what} your account ${account.username}.`,
  });
  const email = async () => {
    await core.mail
      .send({
        to: account.username,
        subject: 'Your DCC FSM one-time password',
        text: `${caller.username} ${what} your DCC FSM account ${account.username}. Your one-time password is ${password}. It expires in ${core.config.passwords.oneTimePasswordHours} hours; at first sign-in you choose your own password and a second factor.`,
      })
      // The account stands; without the email, the person can still use "forgot password".
      .catch(() =>
        core.audit({ accountId: account.id, kind: 'welcome_email_failed', detail: 'the one-time password could not be emailed' }),
      );
  };
  return [notice, email];
}

/**
 * Four OMS accounts per Region per party come without charge (ACC-05). Beyond that, an account is
 * refused or flagged as chargeable, as configured. Answers whether this account is chargeable.
 */
async function omsAllowance(
  core: Core,
  tx: Queryable,
  partyId: string,
  accountId: string,
  roles: string[],
  region: string | undefined,
): Promise<boolean> {
  const omsRoles = core.roles.roleNames.filter((r) => [...core.roles.componentsOf([r])].some((c) => c.startsWith('oms.')));
  if (!roles.some((r) => omsRoles.includes(r))) return false;
  if (!region) throw new InvalidInput('An OMS account needs a Region', `Give region: one of ${REGIONS.join(', ')}.`, 'region');
  const [{ n } = { n: 0 }] = await tx.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM account WHERE party_id = $1 AND id <> $2 AND status = 'active' AND region = $3 AND roles && $4::text[]`,
    [partyId, accountId, region, omsRoles],
  );
  const { accountsPerRegion, extraAccounts } = core.config.oms;
  if (n < accountsPerRegion) return false;
  if (extraAccounts === 'refuse')
    throw new Conflict(
      `Your party already has ${accountsPerRegion} OMS accounts in the ${region} Region`,
      `${accountsPerRegion} per Region come without charge; deactivate one, or ask DCC about more.`,
      'roles',
    );
  return true;
}

const isActiveAdmin = (a: Account) => a.status === 'active' && a.roles.includes(ADMIN_ROLE);

async function assertAnotherAdmin(tx: Queryable, user: Account): Promise<void> {
  const [{ n } = { n: 0 }] = await tx.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM account WHERE party_id = $1 AND id <> $2 AND status = 'active' AND $3 = ANY(roles)`,
    [user.party_id, user.id, ADMIN_ROLE],
  );
  if (n === 0)
    throw new Conflict(
      `${user.username} is the last active administrator of your party`,
      'Give another user the ORG_ADMIN role first.',
      'roles',
    );
}

/** The party's accounts as the Table API lists sys_user (its field names), by user name. */
export async function listUsers(core: Core, caller: Caller): Promise<Record<string, unknown>[]> {
  core.roles.require(caller.roles, 'accounts.read');
  const query = parseEncodedQuery('ORDERBYuser_name');
  const page = await listRecords(core.db, SYS_USER, caller.partyId, { query, limit: core.config.http.maxPageSize, offset: 0 });
  return page.rows;
}

/** One account of the party, as the Table API reads a sys_user record; another party's is not found. */
export async function readUser(core: Core, caller: Caller, sysId: string): Promise<Record<string, unknown>> {
  core.roles.require(caller.roles, 'accounts.read');
  const row = SYS_ID.test(sysId) ? await getRecord(core.db, SYS_USER, caller.partyId, sysId) : undefined;
  if (!row) throw new NotFound('User');
  return row;
}

/** User administration as the adapters use it: the party's own accounts only (ACC-02..05). */
export class UserService {
  constructor(private readonly core: Core) {}

  create(caller: Caller, body: unknown): Promise<{ sys_id: string }> {
    return createUser(this.core, caller, body);
  }

  update(caller: Caller, sysId: string, body: unknown): Promise<{ sys_id: string }> {
    return updateUser(this.core, caller, sysId, body);
  }

  list(caller: Caller): Promise<Record<string, unknown>[]> {
    return listUsers(this.core, caller);
  }

  read(caller: Caller, sysId: string): Promise<Record<string, unknown>> {
    return readUser(this.core, caller, sysId);
  }

  /** Clears another user's MFA: they enrol afresh at their next sign-in. */
  resetMfa(caller: Caller, sysId: string): Promise<void> {
    return resetUserMfa(this.core, caller, sysId);
  }
}
