/**
 * The platform's side of the DCC Identity Provider Service: access tokens for the FSM API are JWTs
 * from one of its tenants, verified against that tenant's published keys (jose), for our audience,
 * with MFA in `amr` (IAM-01). The account is the token's `oid`.
 */
import { createRemoteJWKSet, customFetch, decodeJwt, jwtVerify } from 'jose';
import { NotAuthenticated, Unavailable } from '../domain/errors';
import { FSM_API_CLIENT_ID } from '../idp/entra';
import type { SimConfig } from '../config';
import type { Caller } from '../services/context';
import type { SessionService } from '../services/sessions';
import type { IdpTokenVerifier } from './authenticate';

export interface TrustedIssuer {
  issuer: string;
  /** The tenant the issuer stands for: a token's `tid` must name it, as Entra's validation guidance asks. */
  tenantId: string;
  jwksUri: string;
}

/** DCC Identity did not answer in time, or not sensibly: the person's token may be fine, so this is no 401. */
export function identityUnavailable(): Unavailable {
  return new Unavailable('DCC Identity cannot be reached just now', 'Try again in a minute; your sign-in is not lost.');
}

/** jose's fetch of a key set (its signal carries the timeout): a slow, failing or garbled answer is identityUnavailable(). */
async function keySetFetch(url: string, init: RequestInit): Promise<Response> {
  const response = await fetch(url, init).catch(() => {
    throw identityUnavailable();
  });
  let keys: unknown;
  try {
    keys = JSON.parse(await response.text());
  } catch {
    throw identityUnavailable();
  }
  if (response.status !== 200 || !Array.isArray((keys as { keys?: unknown } | null)?.keys)) throw identityUnavailable();
  return Response.json(keys);
}

export function idpTokenVerifier(sessions: SessionService, config: SimConfig, issuers: () => TrustedIssuer[]): IdpTokenVerifier {
  const keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();
  const options = { timeoutDuration: config.idp.timeoutMs, [customFetch]: keySetFetch };
  return async (token: string): Promise<Caller> => {
    let iss: string | undefined;
    try {
      iss = decodeJwt(token).iss;
    } catch {
      throw new NotAuthenticated();
    }
    const trusted = issuers().find((i) => i.issuer === iss);
    if (!trusted) throw new NotAuthenticated();
    if (!keySets.has(trusted.issuer)) keySets.set(trusted.issuer, createRemoteJWKSet(new URL(trusted.jwksUri), options));
    const keys = keySets.get(trusted.issuer) as ReturnType<typeof createRemoteJWKSet>;
    const verified = await jwtVerify(token, keys, { issuer: trusted.issuer, audience: FSM_API_CLIENT_ID, algorithms: ['RS256'] }).catch(
      (error: unknown) => {
        if (error instanceof Unavailable) throw error;
        return undefined;
      },
    );
    if (!verified) throw new NotAuthenticated();
    const { oid, amr, tid } = verified.payload as { oid?: string; amr?: string[]; tid?: string };
    if (tid !== trusted.tenantId) throw new NotAuthenticated();
    if (!Array.isArray(amr) || !amr.includes('mfa'))
      throw new NotAuthenticated('This token was issued without MFA. Sign in again with MFA.');
    if (typeof oid !== 'string') throw new NotAuthenticated();
    return sessions.callerOfAccount(oid, amr);
  };
}
