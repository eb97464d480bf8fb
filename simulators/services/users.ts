/**
 * User administration by a party's own administrators (ACC-02..05): create, amend, deactivate and
 * reinstate accounts of their party only, with Job Type Roles from the catalogue; no DCC validation
 * step. Migrated accounts wait inactive for review: reinstated with roles, or declined. A new or
 * reinstated user's one-time password goes by email to the user (user-credentials.ts). The party
 * always keeps an active administrator. An administrator also resets another user's MFA (a lost
 * phone, a changed mailbox): the user's next sign-in enrols afresh.
 */
import { Conflict, InvalidInput, NotFound } from '../domain/errors';
import { newSysId, SYS_ID } from '../domain/ids';
import { ADMIN_ROLE } from '../domain/roles';
import {
  countOtherActiveAccounts,
  findAccount,
  findAccountByUsername,
  freshAccount,
  insertAccount,
  lockPartyAccounts,
  setOneTimePassword,
  setRegion,
  updateAdministered,
  type Account,
} from '../store/accounts';
import type { Queryable } from '../store/db';
import { clearMfa } from '../store/mfa';
import { setWebServiceAccess } from '../store/oauth';
import { deleteSessionsOf } from '../store/sessions';
import type { Caller, Core } from './context';
import { omsAllowance } from './oms-allowance';
import { setupSteps } from './setup-steps';
import { oneTimeCredentials, welcome } from './user-credentials';
import { CreateUser, UpdateUser } from './user-input';
import { parseInput } from './validate';

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

/** User administration as the adapters use it: the party's own accounts only (ACC-02..05). */
export class UserService {
  constructor(private readonly core: Core) {}

  /** Creating and changing accounts needs this component: the portal asks before it shows a form. */
  assertMayAdminister(caller: Caller): void {
    this.core.roles.require(caller.roles, 'accounts.admin');
  }

  /** What the administrator sets up next (users, OMS roles with a Region, file submission); nothing for others. */
  setupSteps(caller: Caller): Promise<string[]> {
    return setupSteps(this.core, caller);
  }

  async create(caller: Caller, body: unknown): Promise<{ sys_id: string }> {
    const { core } = this;
    this.assertMayAdminister(caller);
    const input = parseInput(CreateUser, body);
    core.roles.assertRoles(input.roles);
    const now = core.clock.now();
    const id = newSysId();
    const credentials = await oneTimeCredentials(core.config.passwords, now);
    const deliveries = await core.db
      .transaction(async (tx) => {
        if (await findAccountByUsername(tx, input.user_name)) throw new AddressTaken();
        const chargeable = await omsAllowance(tx, core, { partyId: caller.partyId, id, roles: input.roles, region: input.region });
        await insertAccount(tx, {
          id,
          party_id: caller.partyId,
          username: input.user_name,
          display_name: input.name,
          ...credentials.columns,
          ...freshAccount(now),
          identity_path: input.identity_path,
          roles: [...new Set(input.roles)],
        });
        await setRegion(tx, id, input.region ?? null, chargeable);
        return welcome(core, tx, { id, username: input.user_name }, caller, credentials.password, 'created');
      })
      .catch((error: unknown) => this.refuseTakenAddress(caller, input.user_name, error));
    for (const deliver of deliveries) await deliver();
    await core.audit({ accountId: id, kind: 'account_created', detail: `by ${caller.username} with ${input.roles.join(', ')}` });
    return { sys_id: id };
  }

  async update(caller: Caller, sysId: string, body: unknown): Promise<{ sys_id: string }> {
    const { core } = this;
    this.assertMayAdminister(caller);
    const input = parseInput(UpdateUser, body);
    if (input.roles) core.roles.assertRoles(input.roles);
    const deliveries = await core.db.transaction(async (tx) => {
      const user = await this.partyUser(tx, caller, sysId);
      // Serialise administrator changes of a party, so two cannot each remove "the other" last admin.
      await lockPartyAccounts(tx, caller.partyId);
      const roles = input.roles ? [...new Set(input.roles)] : user.roles;
      const status = input.active === undefined ? user.status : input.active ? 'active' : 'inactive';
      if (isActiveAdmin(user) && !(status === 'active' && roles.includes(ADMIN_ROLE))) await assertAnotherAdmin(tx, user);
      const region = input.region ?? user.region ?? undefined;
      const chargeable =
        status === 'active' ? await omsAllowance(tx, core, { partyId: caller.partyId, id: user.id, roles, region }) : false;
      await setRegion(tx, user.id, region ?? null, chargeable);
      const reinstating = user.migration_review === 'pending' && status === 'active';
      if (reinstating && roles.length === 0) throw new InvalidInput('Give the reinstated account at least one Job Type Role', '', 'roles');
      if (input.migration_review && status === 'active')
        throw new InvalidInput('An active account cannot be declined; deactivate it instead', '', 'migration_review');
      const migration_review = reinstating ? 'reinstated' : (input.migration_review ?? user.migration_review);
      await updateAdministered(
        tx,
        user.id,
        { display_name: input.name ?? user.display_name, roles, status, migration_review },
        core.clock.now(),
      );
      if (input.web_service_access_only !== undefined)
        await setWebServiceAccess(tx, user.id, input.web_service_access_only, core.clock.now());
      // Deactivated, or made an integration account (whose interactive sessions must not outlive the change): every way back in ends.
      if (status === 'inactive' || input.web_service_access_only) await deleteSessionsOf(tx, user.id);
      return reinstating ? this.reinstate(tx, caller, user) : [];
    });
    for (const deliver of deliveries) await deliver();
    await core.audit({ accountId: sysId, kind: 'account_changed', detail: `by ${caller.username}: ${Object.keys(input).join(', ')}` });
    return { sys_id: sysId };
  }

  /** Clears another user's MFA method and key and ends their sessions: they enrol afresh at their next sign-in. */
  async resetMfa(caller: Caller, sysId: string): Promise<void> {
    const { core } = this;
    this.assertMayAdminister(caller);
    const user = await this.partyUser(core.db, caller, sysId);
    await core.db.transaction(async (tx) => {
      await clearMfa(tx, user.id, core.clock.now());
      await deleteSessionsOf(tx, user.id);
    });
    await core.audit({ accountId: user.id, kind: 'mfa_reset_by_admin', detail: `by ${caller.username}` });
  }

  /** An account of the caller's party; another party's user does not exist for them. */
  private async partyUser(db: Queryable, caller: Caller, sysId: string): Promise<Account> {
    const user = SYS_ID.test(sysId) ? await findAccount(db, sysId) : undefined;
    if (!user || user.party_id !== caller.partyId) throw new NotFound('User');
    return user;
  }

  /** A migrated account never had a password here: reinstating it issues one, as creating would. */
  private async reinstate(tx: Queryable, caller: Caller, user: Account) {
    const credentials = await oneTimeCredentials(this.core.config.passwords, this.core.clock.now());
    await setOneTimePassword(tx, user.id, credentials.columns.password_hash, credentials.columns.password_expires_at);
    return welcome(this.core, tx, { id: user.id, username: user.username }, caller, credentials.password, 'reinstated');
  }

  /** Also when a creation racing this one took the address first (the unique user name). */
  private async refuseTakenAddress(caller: Caller, username: string, error: unknown): Promise<never> {
    const racedTo = error as { code?: unknown; constraint?: unknown };
    if (!(error instanceof AddressTaken) && !(racedTo.code === '23505' && racedTo.constraint === 'account_username_key')) throw error;
    await this.core.audit({
      accountId: caller.accountId,
      kind: 'account_address_taken',
      detail: `${caller.username} tried to create an account for ${username}, which has one`,
    });
    throw new AddressTaken();
  }
}

const isActiveAdmin = (a: Account) => a.status === 'active' && a.roles.includes(ADMIN_ROLE);

async function assertAnotherAdmin(tx: Queryable, user: Account): Promise<void> {
  if ((await countOtherActiveAccounts(tx, { partyId: user.party_id, except: user.id, roles: [ADMIN_ROLE] })) === 0)
    throw new Conflict(
      `${user.username} is the last active administrator of your party`,
      `Give another user the ${ADMIN_ROLE} role first.`,
      'roles',
    );
}
