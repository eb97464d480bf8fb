/** User administration over the Table API (sys_user). */
import type { SnRecord } from '../../../clients/fsm-api';
import { resultOf } from '../../../clients/http';
import type { CallTheApi } from '../abilities/call-the-api';
import { outcomeOf, type Outcome } from '../outcome';
import type { NewUser, UserChange, UserView } from './tasks';

export const usersViaApi = {
  async create(api: CallTheApi, user: NewUser): Promise<Outcome<{ sysId: string }>> {
    const response = await api.create('sys_user', {
      user_name: user.email,
      name: user.name,
      roles: user.roles,
      ...(user.region ? { region: user.region } : {}),
    });
    return outcomeOf(response, 201, ({ result }) => ({ sysId: String(result.sys_id) }));
  },

  async change(api: CallTheApi, sysId: string, change: UserChange): Promise<Outcome<void>> {
    return outcomeOf(await api.update('sys_user', sysId, { ...change }), 200, () => undefined);
  },

  /** The accounts the actor can see. */
  async list(api: CallTheApi): Promise<UserView[]> {
    const users = resultOf<SnRecord[]>(await api.list('sys_user', { sysparm_query: 'ORDERBYuser_name' }), 200, 'Listing users');
    return users.map((u) => ({
      sysId: String(u.sys_id),
      username: String(u.user_name),
      name: String(u.name),
      active: u.active === 'true',
      roles: String(u.roles ?? '')
        .split(',')
        .filter(Boolean),
      migrationReview: String(u.migration_review ?? ''),
    }));
  },
};
