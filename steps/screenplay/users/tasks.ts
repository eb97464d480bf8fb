/**
 * User administration (ACC-02..05), as a party's administrator does it: create users, change their
 * Job Type Roles, deactivate and reinstate them, review accounts migrated from DSMS. Each task over
 * the API (via-api.ts) and on the portal (in-portal.ts), joined here; and the users a scenario names.
 */
import type { FsmWorld } from '../../support/world';
import type { Actor } from '../actor';
import { tasksOf } from '../modes';
import { usersInPortal } from './in-portal';
import { usersViaApi } from './via-api';

export interface NewUser {
  email: string;
  name: string;
  roles: string[];
  /** The Region of an OMS account. */
  region?: string;
}

export interface UserChange {
  roles?: string[];
  region?: string;
  active?: boolean;
  /** Leaves a migrated account inactive, on purpose. */
  migration_review?: 'declined';
}

export interface UserView {
  sysId: string;
  username: string;
  name: string;
  active: boolean;
  roles: string[];
  migrationReview: string;
}

export const Users = tasksOf(usersViaApi, usersInPortal);

/** What a scenario knows of the users: the user names the last listing showed. */
export class UserNotes {
  visible: string[] = [];
}

/** An address at the administrator's domain, unique to the scenario: "Sam Secure" is sam.secure.<tag>@... */
export function addressFor(world: FsmWorld, admin: Actor, name: string): string {
  return `${name.toLowerCase().replace(/\W+/g, '.')}.${world.tag}@${admin.username.split('@')[1] ?? 'example.com'}`;
}

/** The administrator creates a user, whom the scenario then knows by name (they sign in with the emailed one-time password). */
export async function createUser(world: FsmWorld, admin: Actor, name: string, roles: string[]): Promise<void> {
  const email = addressFor(world, admin, name);
  const created = world.expectSuccess(await Users.create(admin, { email, name, roles }), `Creating the user ${name}`);
  world.users.set(name, { actor: world.newActor(`"${name}"`, email, ''), sysId: created.sysId });
}

/** The scenario's users learn their sys_ids from a listing (migrated accounts arrive without one the scenario knows). */
export function noteSysIds(world: FsmWorld, listed: UserView[]): void {
  for (const { name, sysId } of listed) {
    const known = world.users.get(name);
    if (known) known.sysId = sysId;
  }
}
