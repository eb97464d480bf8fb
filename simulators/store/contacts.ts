/** The Nominated Contacts DCC holds for each party (SM-08), one per role. */
import type { Queryable } from './db';

export interface NominatedContact {
  role: string;
  name: string;
  email: string;
  updated_on: Date;
}

export async function nominatedContactsOf(db: Queryable, partyId: string): Promise<NominatedContact[]> {
  return db.query<NominatedContact>('SELECT role, name, email, updated_on FROM nominated_contact WHERE party_id = $1 ORDER BY role', [
    partyId,
  ]);
}

/** Sets the party's contact for the role, replacing the one it had. */
export async function upsertNominatedContact(db: Queryable, partyId: string, c: NominatedContact): Promise<void> {
  await db.query(
    `INSERT INTO nominated_contact (party_id, role, name, email, updated_on) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (party_id, role) DO UPDATE SET name = excluded.name, email = excluded.email, updated_on = excluded.updated_on`,
    [partyId, c.role, c.name, c.email, c.updated_on],
  );
}
