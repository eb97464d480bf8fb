/** DCC Identity's accounts as ServiceNow's sys_user table: one party's people, never their secrets. */
import { fieldDef as f, type TableDef } from './table-def';

export const SYS_USER: TableDef = {
  name: 'sys_user',
  from: 'account',
  partyColumn: 'party_id',
  defaultOrder: 'username ASC',
  fields: {
    sys_id: f('id', 'string'),
    user_name: f('username', 'string'),
    email: f('username', 'string'),
    name: f('display_name', 'string'),
    active: f("(status = 'active')", 'boolean'),
    locked_out: f('(locked_until IS NOT NULL)', 'boolean'),
    company: f('party_id', 'reference', 'core_company'),
    roles: f("array_to_string(roles, ',')", 'string'),
    identity_path: f('identity_path', 'string'),
    migrated: f('migrated', 'boolean'),
    migration_review: f('migration_review', 'string'),
    legacy_id: f('legacy_id', 'string'),
    region: f('region', 'string'),
    chargeable: f('chargeable', 'boolean'),
    web_service_access_only: f('web_service_access_only', 'boolean'),
    sys_created_on: f('created_at', 'datetime'),
    sys_updated_on: f('updated_at', 'datetime'),
  },
};
