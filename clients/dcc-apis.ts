/**
 * DCC's own REST APIs (the `x_dcc` application scope): DCC has not published them, so where each
 * lives is the harness's assumption, named here, one entry per API. The simulator serves them at
 * these paths; a target file's `apis` replaces any of them for a real environment whose paths differ.
 * The Table, Attachment and Service Catalog APIs are ServiceNow's own, documented, and not listed.
 */
export interface DccApiPaths {
  /** The OMS: orders, returns, hubs, deliveries (assumed: a Scripted REST API `x_dcc/oms`). */
  oms: string;
  /** Submitting a request item's file for checking (assumed: `x_dcc/requests/{sys_id}/submit`). */
  requests: string;
  /** A person's notifications and their e-mail copy preference (assumed: `x_dcc/notifications`). */
  notifications: string;
  /** The party's contacts (assumed: `x_dcc/contacts`). */
  contacts: string;
  /** The simulator's local login (a test helper, not on a real platform): never called with OAuth sign-in. */
  login: string;
}

export const DCC_API_PATHS: Readonly<DccApiPaths> = {
  oms: '/api/x_dcc/oms',
  requests: '/api/x_dcc/requests',
  notifications: '/api/x_dcc/notifications',
  contacts: '/api/x_dcc/contacts',
  login: '/api/x_dcc/auth',
};
