/** Party rows. */
import type { Party } from '../domain/party';
import type { Queryable } from './db';

interface PartyRow {
  id: string;
  name: string;
  user_roles: string[];
  user_ids: string[];
  regions: string[];
  gateway_connected: boolean;
  internet_cidrs: string[];
  created_at: Date;
}

const toParty = (r: PartyRow): Party => ({
  id: r.id,
  name: r.name,
  userRoles: r.user_roles,
  userIds: r.user_ids,
  regions: r.regions,
  gatewayConnected: r.gateway_connected,
  internetCidrs: r.internet_cidrs,
  createdAt: r.created_at,
});

export async function insertParty(db: Queryable, p: Party): Promise<void> {
  await db.query(
    `INSERT INTO party (id, name, user_roles, user_ids, regions, gateway_connected, internet_cidrs, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [p.id, p.name, p.userRoles, p.userIds, p.regions, p.gatewayConnected, p.internetCidrs, p.createdAt],
  );
}

export async function findPartyByName(db: Queryable, name: string): Promise<Party | undefined> {
  const rows = await db.query<PartyRow>('SELECT * FROM party WHERE lower(name) = lower($1)', [name]);
  return rows[0] && toParty(rows[0]);
}

export async function findParty(db: Queryable, id: string): Promise<Party | undefined> {
  const rows = await db.query<PartyRow>('SELECT * FROM party WHERE id = $1', [id]);
  return rows[0] && toParty(rows[0]);
}
