/**
 * The platform's side of the DCC Identity Provider Service: access tokens for the FSM API are JWTs
 * from one of its tenants, verified against that tenant's published keys (jose), for our audience,
 * with MFA in `amr` (IAM-01). The account is the token's `oid`.
 */
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import { NotAuthenticated } from '../domain/errors';
import { FSM_RESOURCE } from '../idp/provider';
import type { Caller, Core } from '../services/context';
import { findAccount } from '../store/accounts';
import type { IdpTokenVerifier } from './authenticate';

export interface TrustedIssuer {
  issuer: string;
  jwksUri: string;
}

export function idpTokenVerifier(core: Core, issuers: () => TrustedIssuer[]): IdpTokenVerifier {
  const keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();
  return async (token: string): Promise<Caller> => {
    let iss: string | undefined;
    try {
      iss = decodeJwt(token).iss;
    } catch {
      throw new NotAuthenticated();
    }
    const trusted = issuers().find((i) => i.issuer === iss);
    if (!trusted) throw new NotAuthenticated();
    if (!keySets.has(trusted.issuer)) keySets.set(trusted.issuer, createRemoteJWKSet(new URL(trusted.jwksUri)));
    const keys = keySets.get(trusted.issuer) as ReturnType<typeof createRemoteJWKSet>;
    const verified = await jwtVerify(token, keys, { issuer: trusted.issuer, audience: FSM_RESOURCE, algorithms: ['RS256'] }).catch(() => undefined);
    if (!verified) throw new NotAuthenticated();
    const { oid, amr } = verified.payload as { oid?: string; amr?: string[] };
    if (!Array.isArray(amr) || !amr.includes('mfa')) throw new NotAuthenticated('This token was issued without MFA. Sign in again with MFA.');
    const account = typeof oid === 'string' ? await findAccount(core.db, oid) : undefined;
    if (!account || account.status !== 'active') throw new NotAuthenticated();
    return { accountId: account.id, partyId: account.party_id, username: account.username, roles: account.roles, amr };
  };
}
