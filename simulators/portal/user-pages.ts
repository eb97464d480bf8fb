/**
 * User and role administration (ACC-01..05, UEPT-FSM-04): the party's accounts, creating a user with
 * Job Type Roles from the catalogue, and a user's page to change their roles, deactivate, reinstate,
 * reset their MFA, and review a migrated account. Mounted at /portal/users. Every change runs the
 * same use case as the Table API's sys_user (services/users.ts), with the form fields named as the
 * API's, so a refusal names the field it is about and says what the API says.
 */
import { Router, type Request } from 'express';
import { REGIONS } from '../domain/party';
import { errorSummary, fieldError } from '../http/forms';
import { escapeHtml as e } from '../http/html';
import type { SimConfig } from '../config';
import type { PortalContext } from './handlers';
import { actionButton, details, form, field, link, select, table, type FormError, type Viewer } from './layout';
import type { Services as PortalServices } from '../services';
import type { Handlers } from './handlers';

const REVIEW = new Map(Object.entries({ pending: 'Waiting for review', reinstated: 'Reinstated', declined: 'Declined (left inactive)' }));
const NO_REGION = { value: '', label: 'None (not an OMS account)' };

/** The fields of a sys_user record this area shows. */
interface UserRow {
  sysId: string;
  email: string;
  name: string;
  active: boolean;
  roles: string[];
  region: string;
  migrated: boolean;
  review: string;
}

function userOf(row: Record<string, unknown>): UserRow {
  const text = (name: string) => (row[name] === null || row[name] === undefined ? '' : String(row[name]));
  return {
    sysId: text('sys_id'),
    email: text('user_name'),
    name: text('name'),
    active: row.active === true || row.active === 'true',
    roles: text('roles').split(',').filter(Boolean),
    region: text('region'),
    migrated: row.migrated === true || row.migrated === 'true',
    review: text('migration_review'),
  };
}

/** The form's fields as the API's body: only what was sent, and no empty Region. */
function bodyOf(req: Request, names: string[]): Record<string, unknown> {
  const sent = req.body as Record<string, unknown>;
  return Object.fromEntries(names.filter((n) => sent[n] !== undefined && sent[n] !== '').map((n) => [n, sent[n]]));
}

/** Ticking no role asks for none: the API's rule then says at least one is needed. */
const withRoles = (req: Request, names: string[]) => ({ roles: [], ...bodyOf(req, names) });

const userPath = (sysId: string) => `/portal/users/${encodeURIComponent(sysId)}`;

export function userPages(config: SimConfig, { page, action }: Handlers, { users, records, roles: catalogue }: PortalServices): Router {
  const router = Router();

  /** Job Type Roles as checkboxes, each with the catalogue's description of it. */
  function roleChoices(chosen: readonly string[], error?: FormError): string {
    const { attrs, note } = fieldError('f-roles', 'roles', error);
    const boxes = catalogue.roleNames.map((role) => {
      const id = `f-roles-${role}`;
      const checked = chosen.includes(role) ? ' checked' : '';
      return `<div><label class="choice"><input type="checkbox" id="${e(id)}" name="roles" value="${e(role)}" aria-describedby="${e(id)}-hint"${checked}> ${e(role)}</label><span class="hint" id="${e(id)}-hint">${e(catalogue.describe(role))}</span></div>`;
    });
    return `<fieldset id="f-roles"${attrs}><legend>Job Type Roles</legend>${boxes.join('')}${note}</fieldset>`;
  }

  const regionChoice = (region: string, error?: FormError) =>
    select('region', 'Region (needed for OMS accounts)', [NO_REGION, ...REGIONS.map((r) => ({ value: r, label: r }))], region, error);

  router.get(
    '/',
    page(async ({ caller, viewer }) => {
      const rows = (await records.list(caller, 'sys_user', { query: 'ORDERBYuser_name', limit: config.http.maxPageSize, offset: 0 })).rows
        .map(userOf)
        .map((u) => [
          link(userPath(u.sysId), u.email),
          e(u.name),
          u.active ? 'Yes' : 'No',
          e(u.roles.join(', ')),
          e(REVIEW.get(u.review) ?? 'Not migrated'),
        ]);
      const create = viewer.components.has('accounts.admin') ? `<p>${link('/portal/users/new', 'Create a user')}</p>` : '';
      return {
        title: 'Users',
        body: `${create}${table(`Accounts of ${viewer.partyName}`, ['Email', 'Name', 'Active', 'Job Type Roles', 'Migration review'], rows, 'No accounts.')}`,
      };
    }),
  );

  const createForm = async ({ req, caller, viewer }: PortalContext, error?: FormError) => {
    users.assertMayAdminister(caller);
    const sent = req.method === 'POST' ? bodyOf(req, ['user_name', 'name', 'roles', 'region']) : {};
    const roles = ([] as unknown[]).concat(sent.roles ?? []).map(String);
    const fields = [
      field(
        {
          name: 'user_name',
          label: 'Email address',
          type: 'email',
          value: String(sent.user_name ?? ''),
          autocomplete: 'off',
          hint: "The person's corporate email address: their one-time password goes there.",
        },
        error,
      ),
      field({ name: 'name', label: 'Name', value: String(sent.name ?? ''), autocomplete: 'off' }, error),
      roleChoices(roles, error),
      regionChoice(String(sent.region ?? ''), error),
    ].join('');
    return {
      title: 'Create a user',
      body: `${form(viewer, '/portal/users/new', fields, 'Create user', error)}<p>${link('/portal/users', 'Back to the users')}</p>`,
    };
  };

  router.get(
    '/new',
    page((ctx) => createForm(ctx)),
  );
  router.post(
    '/new',
    action(
      async ({ req, caller }) => {
        const { sys_id } = await users.create(caller, withRoles(req, ['user_name', 'name', 'roles', 'region']));
        return { redirect: userPath(sys_id), message: 'The user was created. Their one-time password has been sent to them by email.' };
      },
      (ctx, error) => createForm(ctx, error),
    ),
  );

  router.get(
    '/:sysId',
    page((ctx) => userPage(ctx)),
  );

  /** A user's page: who they are, and what an administrator can do with the account now. */
  async function userPage({ req, caller, viewer }: PortalContext, error?: FormError) {
    const user = userOf(await records.read(caller, 'sys_user', String(req.params.sysId), undefined, 'User'));
    const facts = details([
      ['Email address', user.email],
      ['Name', user.name],
      ['Active', user.active ? 'Yes' : 'No'],
      ['Job Type Roles', user.roles.join(', ') || 'None'],
      ['Region', user.region || 'None'],
      ['Migration review', REVIEW.get(user.review) ?? 'Not migrated'],
    ]);
    const admin = viewer.components.has('accounts.admin') ? adminForms(viewer, user, error) : '';
    return {
      title: `User ${user.name}`,
      body: `${errorSummary(error)}${facts}${admin}<p>${link('/portal/users', 'Back to the users')}</p>`,
    };
  }

  function adminForms(viewer: Viewer, user: UserRow, error?: FormError): string {
    const path = userPath(user.sysId);
    const choices = roleChoices(user.roles, error) + regionChoice(user.region, error);
    const mfa = `<h2>Second sign-in method</h2><p>If they lost their phone or mailbox, reset it: they set it up again at their next sign-in.</p>${actionButton(viewer, `${path}/mfa-reset`, 'Reset their second sign-in method')}`;
    if (user.active) {
      return `<h2>Job Type Roles</h2>${form(viewer, `${path}/roles`, choices, 'Save roles')}
<h2>Deactivate</h2><p>They can no longer sign in; their sessions end.</p>${actionButton(viewer, `${path}/deactivate`, 'Deactivate the account')}${mfa}`;
    }
    const pending = user.review === 'pending';
    const intro = pending
      ? '<p>This account was migrated from DSMS. Reinstate it with Job Type Roles, or leave it inactive.</p>'
      : '<p>Reinstate the account with these Job Type Roles. A new one-time password goes to them by email if they never had one here.</p>';
    const decline = pending ? actionButton(viewer, `${path}/decline`, 'Leave the account inactive') : '';
    return `<h2>${pending ? 'Migration review' : 'Reinstate'}</h2>${intro}${form(viewer, `${path}/reinstate`, choices, 'Reinstate the account')}${decline}${mfa}`;
  }

  /** A change to the account through the API's update: the form's fields become its body. */
  const change = (make: (req: Request) => Record<string, unknown>, message: string) =>
    action(
      async ({ req, caller }) => {
        const sysId = String(req.params.sysId);
        await users.update(caller, sysId, make(req));
        return { redirect: userPath(sysId), message };
      },
      (ctx, error) => userPage(ctx, error),
    );

  router.post(
    '/:sysId/roles',
    change((req) => withRoles(req, ['roles', 'region']), 'The Job Type Roles were saved.'),
  );
  router.post(
    '/:sysId/deactivate',
    change(() => ({ active: false }), 'The account was deactivated.'),
  );
  router.post(
    '/:sysId/reinstate',
    change((req) => ({ ...withRoles(req, ['roles', 'region']), active: true }), 'The account was reinstated.'),
  );
  router.post(
    '/:sysId/decline',
    change(() => ({ migration_review: 'declined' }), 'The account stays inactive.'),
  );
  router.post(
    '/:sysId/mfa-reset',
    action(
      async ({ req, caller }) => {
        const sysId = String(req.params.sysId);
        await users.resetMfa(caller, sysId);
        return { redirect: userPath(sysId), message: 'MFA has been reset. The user sets it up again at their next sign-in.' };
      },
      (ctx, error) => userPage(ctx, error),
    ),
  );

  return router;
}
