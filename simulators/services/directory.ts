/**
 * DCC Identity's view of the platform's accounts and its own storage: the claims of a person who
 * signs in by the Entra path, and oidc-provider's records (codes, tokens, grants, clients) per tenant.
 */
import { findAccount } from '../store/accounts';
import { adapterFactory } from '../store/oidc';
import type { Core } from './context';

export type EntraClaims = {
  sub: string;
  oid: string;
  tid: string;
  preferred_username: string;
  name: string;
  email: string;
  /** The account's roles, as Entra's app roles. */
  roles: string[];
};

export class DirectoryService {
  constructor(private readonly core: Core) {}

  /** The claims of an active account that signs in through DCC Identity, or undefined for any other. */
  async entraClaims(accountId: string, tenantId: string): Promise<EntraClaims | undefined> {
    const account = await findAccount(this.core.db, accountId);
    if (!account || account.status !== 'active' || account.identity_path !== 'entra') return undefined;
    return {
      sub: account.id,
      oid: account.id,
      tid: tenantId,
      preferred_username: account.username,
      name: account.display_name,
      email: account.username,
      roles: account.roles,
    };
  }

  /** oidc-provider's storage adapter for one tenant. */
  storage(tenantId: string): ReturnType<typeof adapterFactory> {
    return adapterFactory(this.core.db, tenantId);
  }
}
