/** User administration in the portal: create users, change their roles, deactivate and reinstate them, review migrated accounts. */
import type { Outcome, UserChange, UserView } from '../abilities/use-fsm';
import { notYet, type Portal } from './portal';

export class UsersInPortal {
  constructor(private readonly portal: Portal) {}

  createUser(_user: { email: string; name: string; roles: string[]; region?: string }): Promise<Outcome<{ sysId: string }>> {
    return notYet('creating a user');
  }

  changeUser(_sysId: string, _change: UserChange): Promise<Outcome<void>> {
    return notYet('changing a user');
  }

  users(): Promise<UserView[]> {
    return notYet('listing users');
  }
}
