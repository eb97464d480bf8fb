/**
 * oidc-provider's storage (codes, tokens, sessions, interactions, grants, registered clients) in our
 * database, one table for all kinds, so the identity provider is as real as the rest of the platform
 * and survives a restart on a data directory. Expiry is checked on read.
 */
import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { Queryable } from './db';

/** Token lifetimes are oidc-provider's own (real time); the simulated clock governs MFA, lockout and sessions. */
export function adapterFactory(db: Queryable, tenant: string) {
  return class DbAdapter implements Adapter {
    private readonly kind: string;

    constructor(name: string) {
      // One table for every tenant: the kind carries the tenant, so two tenants never share a record.
      this.kind = `${tenant}:${name}`;
    }

    async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
      const expires = expiresIn ? new Date(Date.now() + expiresIn * 1000) : null;
      await db.query(
        `INSERT INTO oidc_payload (kind, id, payload, grant_id, user_code, uid, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (kind, id) DO UPDATE SET payload = excluded.payload, grant_id = excluded.grant_id,
           user_code = excluded.user_code, uid = excluded.uid, expires_at = excluded.expires_at`,
        [this.kind, id, JSON.stringify(payload), payload.grantId ?? null, payload.userCode ?? null, payload.uid ?? null, expires],
      );
    }

    find(id: string) {
      return this.findBy('id', id);
    }

    findByUid(uid: string) {
      return this.findBy('uid', uid);
    }

    findByUserCode(userCode: string) {
      return this.findBy('user_code', userCode);
    }

    async consume(id: string): Promise<void> {
      await db.query('UPDATE oidc_payload SET consumed_at = $3 WHERE kind = $1 AND id = $2', [this.kind, id, new Date()]);
    }

    async destroy(id: string): Promise<void> {
      await db.query('DELETE FROM oidc_payload WHERE kind = $1 AND id = $2', [this.kind, id]);
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      // A grant's codes and tokens of every kind go together (code reuse revokes what the code issued).
      await db.query('DELETE FROM oidc_payload WHERE kind LIKE $1 AND grant_id = $2', [`${tenant}:%`, grantId]);
    }

    private async findBy(column: 'id' | 'uid' | 'user_code', value: string): Promise<AdapterPayload | undefined> {
      const rows = await db.query<{ payload: AdapterPayload; consumed_at: Date | null; expires_at: Date | null }>(
        `SELECT payload, consumed_at, expires_at FROM oidc_payload WHERE kind = $1 AND ${column} = $2`,
        [this.kind, value],
      );
      const row = rows[0];
      if (!row || (row.expires_at && row.expires_at.getTime() <= Date.now())) return undefined;
      return { ...row.payload, ...(row.consumed_at ? { consumed: Math.floor(row.consumed_at.getTime() / 1000) } : {}) };
    }
  };
}
