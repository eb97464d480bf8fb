/**
 * The portal's addresses in ServiceNow's Service Portal scheme: `/{prefix}?id=page&table=...&sys_id=...`
 * (`/sp?id=ticket&table=incident&sys_id=...`). The prefix is configuration (DCC's is unpublished);
 * forms post to /portal/..., as a real portal's widgets post to its APIs, and come back here.
 */
export interface SpPaths {
  prefix: string;
  /** The home page: `/{prefix}`. */
  home: string;
  page(id: string, params?: Record<string, string>): string;
  ticket(table: 'incident' | 'sc_req_item', sysId: string): string;
}

export function spPaths(prefix: string): SpPaths {
  const home = `/${prefix}`;
  const page = (id: string, params: Record<string, string> = {}) => `${home}?${new URLSearchParams({ id, ...params }).toString()}`;
  return { prefix, home, page, ticket: (table, sysId) => page('ticket', { table, sys_id: sysId }) };
}
