/** User administration in the portal: create users, change their roles, deactivate and reinstate them, review migrated accounts. */
import type { InPortal } from '../modes';
import type { Outcome } from '../outcome';
import type { PageResult, Portal } from '../pages/portal';
import type { NewUser, UserChange, UserView } from './tasks';
import type { usersViaApi } from './via-api';

/** The Migration review column as the API's migration_review values. */
const REVIEWS = new Map([
  ['Waiting for review', 'pending'],
  ['Reinstated', 'reinstated'],
  ['Declined (left inactive)', 'declined'],
  ['Not migrated', ''],
]);

export const usersInPortal: InPortal<typeof usersViaApi> = {
  async create(portal: Portal, user: NewUser): Promise<Outcome<{ sysId: string }>> {
    portal.expectOk(await portal.open('/portal/users'), 'Opening the users');
    portal.expectOk(await portal.follow('Create a user'), 'Opening the form to create a user');
    await portal.fill({ 'Email address': user.email, Name: user.name });
    await tickRoles(portal, user.roles, user.region);
    const created = await portal.press('Create user');
    return portal.outcome(created, async () => ({ sysId: sysIdIn(created.url) }));
  },

  async change(portal: Portal, sysId: string, change: UserChange): Promise<Outcome<void>> {
    const opened = await portal.open(`/portal/users/${encodeURIComponent(sysId)}`);
    if (opened.status >= 400) return portal.outcome(opened, async () => undefined);
    return portal.outcome(await apply(portal, change), async () => undefined);
  },

  async list(portal: Portal): Promise<UserView[]> {
    portal.expectOk(await portal.open('/portal/users'), 'Opening the users');
    const rows = await portal.tableRows(/^Accounts of /);
    const table = portal.page.getByRole('table', { name: /^Accounts of / });
    const views: UserView[] = [];
    for (const row of rows) {
      const email = row.Email ?? '';
      const href = (await table.getByRole('link', { name: email, exact: true }).getAttribute('href')) ?? '';
      views.push({
        sysId: sysIdIn(href),
        username: email,
        name: row.Name ?? '',
        active: row.Active === 'Yes',
        roles: (row['Job Type Roles'] ?? '').split(', ').filter(Boolean),
        migrationReview: REVIEWS.get(row['Migration review'] ?? '') ?? row['Migration review'] ?? '',
      });
    }
    return views;
  },
};

/** On the user's page: the one form or button that makes this change, as an administrator would choose it. */
async function apply(portal: Portal, change: UserChange): Promise<PageResult> {
  if (change.migration_review === 'declined') return portal.press('Leave the account inactive');
  if (change.active === false) return portal.press('Deactivate the account');
  const roles = change.roles ?? (await portal.definition('Job Type Roles')).split(', ').filter((r) => r !== 'None');
  await tickRoles(portal, roles, change.region);
  const reinstating = change.active === true && (await portal.definition('Active')) === 'No';
  return portal.press(reinstating ? 'Reinstate the account' : 'Save roles');
}

/** Ticks exactly these Job Type Roles, and chooses the Region when one is given. */
async function tickRoles(portal: Portal, roles: string[], region?: string): Promise<void> {
  const group = portal.page.getByRole('group', { name: 'Job Type Roles' });
  for (const box of await group.getByRole('checkbox').all()) await box.uncheck();
  for (const role of roles) await group.getByRole('checkbox', { name: role, exact: true }).check();
  if (region) await portal.choose('Region (needed for OMS accounts)', region);
}

/** The sys_id at the end of a user's page address (/portal/users/<sys_id>). */
function sysIdIn(url: string): string {
  return decodeURIComponent(new URL(url, 'http://portal').pathname.split('/').at(-1) ?? '');
}
