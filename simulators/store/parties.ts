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
  internet_registered: boolean;
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
  internetRegistered: r.internet_registered,
  createdAt: r.created_at,
});

export async function insertParty(db: Queryable, p: Party): Promise<void> {
  await db.query(
    `INSERT INTO party (id, name, user_roles, user_ids, regions, gateway_connected, internet_cidrs, internet_registered, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [p.id, p.name, p.userRoles, p.userIds, p.regions, p.gatewayConnected, p.internetCidrs, p.internetRegistered, p.createdAt],
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

/** Changes a party's access routes (IAM-05): Gateway connection, internet registration, allowlist. */
export async function updatePartyAccess(
  db: Queryable,
  id: string,
  access: Pick<Party, 'gatewayConnected' | 'internetRegistered' | 'internetCidrs'>,
): Promise<Party | undefined> {
  const rows = await db.query<PartyRow>(
    'UPDATE party SET gateway_connected = $2, internet_registered = $3, internet_cidrs = $4 WHERE id = $1 RETURNING *',
    [id, access.gatewayConnected, access.internetRegistered, access.internetCidrs],
  );
  return rows[0] && toParty(rows[0]);
}
