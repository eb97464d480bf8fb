/** Incident rows, in ServiceNow's field names. */
import type { Queryable } from './db';

export interface IncidentRow {
  sys_id: string;
  number: string;
  party_id: string;
  caller_id: string;
  short_description: string;
  description: string;
  category: string;
  impact: number;
  urgency: number;
  priority: number;
  state: number;
  active: boolean;
  on_hold_reason: string | null;
  assignment_group: string;
  close_notes: string | null;
  resolved_at: Date | null;
  closed_at: Date | null;
  sys_created_on: Date;
  sys_created_by: string;
  sys_updated_on: Date;
  sys_updated_by: string;
  sys_mod_count: number;
  affected_service: string;
  target_resolution_at: Date | null;
  reopen_count: number;
  /** The DSMS ticket a migrated incident came from. */
  legacy_number: string | null;
}

const COLUMNS: (keyof IncidentRow)[] = [
  'sys_id',
  'number',
  'party_id',
  'caller_id',
  'short_description',
  'description',
  'category',
  'impact',
  'urgency',
  'priority',
  'state',
  'active',
  'on_hold_reason',
  'assignment_group',
  'close_notes',
  'resolved_at',
  'closed_at',
  'sys_created_on',
  'sys_created_by',
  'sys_updated_on',
  'sys_updated_by',
  'sys_mod_count',
  'affected_service',
  'target_resolution_at',
  'reopen_count',
  'legacy_number',
];

export async function nextIncidentSequence(db: Queryable): Promise<number> {
  const rows = await db.query<{ n: number }>("SELECT nextval('incident_number')::int AS n");
  const n = rows[0]?.n;
  if (n === undefined) throw new Error('incident_number sequence returned nothing');
  return n;
}

export async function insertIncident(db: Queryable, row: IncidentRow): Promise<void> {
  const placeholders = COLUMNS.map((_, i) => `$${i + 1}`).join(', ');
  await db.query(
    `INSERT INTO incident (${COLUMNS.join(', ')}) VALUES (${placeholders})`,
    COLUMNS.map((c) => row[c]),
  );
}

/** What a new incident takes from who raises it (`who`, store/as-who.ts) rather than from its draft. */
const FROM_WHO = new Map<keyof IncidentRow, string>([
  ['party_id', 'who.party_id'],
  ['caller_id', 'who.account_id'],
  ['sys_created_by', 'who.username'],
  ['sys_updated_by', 'who.username'],
]);
const SQL_TYPES = new Map<keyof IncidentRow, string>([
  ...(['impact', 'urgency', 'priority', 'state', 'sys_mod_count', 'reopen_count'] as const).map((c) => [c, 'int'] as const),
  ...(['resolved_at', 'closed_at', 'sys_created_on', 'sys_updated_on', 'target_resolution_at'] as const).map(
    (c) => [c, 'timestamptz'] as const,
  ),
  ['active', 'boolean'] as const,
]);

export type IncidentDraft = Omit<IncidentRow, 'number' | 'party_id' | 'caller_id' | 'sys_created_by' | 'sys_updated_by'>;

/**
 * The INSERT of a new incident raised by `who`, inserting only where `may` holds, RETURNING it; its
 * number from the sequence (`number`: SQL formatting it) in the same statement.
 */
export function insertIncidentAsSql(
  draft: IncidentDraft,
  number: (sequence: string) => string,
  may: string,
  bind: (value: unknown) => string,
): string {
  const values = COLUMNS.map((c) => {
    if (c === 'number') return number("nextval('incident_number')");
    const fromWho = FROM_WHO.get(c);
    return fromWho ?? `${bind(draft[c as keyof IncidentDraft])}::${SQL_TYPES.get(c) ?? 'text'}`;
  });
  return `INSERT INTO incident (${COLUMNS.join(', ')}) SELECT ${values.join(', ')} FROM who WHERE ${may} RETURNING *`;
}

/** Reads one party's incident, locking it for the rest of the transaction when `forUpdate`. */
export async function findIncident(db: Queryable, partyId: string, sysId: string, forUpdate = false): Promise<IncidentRow | undefined> {
  const rows = await db.query<IncidentRow>(`SELECT * FROM incident WHERE party_id = $1 AND sys_id = $2${forUpdate ? ' FOR UPDATE' : ''}`, [
    partyId,
    sysId,
  ]);
  return rows[0];
}

export async function updateIncident(db: Queryable, row: IncidentRow): Promise<void> {
  const assignments = COLUMNS.slice(1)
    .map((c, i) => `${c} = $${i + 2}`)
    .join(', ');
  await db.query(
    `UPDATE incident SET ${assignments} WHERE sys_id = $1`,
    COLUMNS.map((c) => row[c]),
  );
}

/** Closes resolutions nobody confirmed or rejected within `days` (on the simulated clock); returns what closed. */
export async function closeUnansweredResolutions(db: Queryable, now: Date, days: number): Promise<IncidentRow[]> {
  return db.query<IncidentRow>(
    `UPDATE incident SET state = 7, active = false, closed_at = resolved_at + make_interval(days => $2::int),
       sys_updated_on = $1, sys_updated_by = 'system', sys_mod_count = sys_mod_count + 1
     WHERE state = 6 AND resolved_at <= $1::timestamptz - make_interval(days => $2::int) RETURNING *`,
    [now, days],
  );
}

/** Any party's incident: DCC's service desk works them all. */
export async function findAnyIncident(db: Queryable, sysId: string, forUpdate = false): Promise<IncidentRow | undefined> {
  const rows = await db.query<IncidentRow>(`SELECT * FROM incident WHERE sys_id = $1${forUpdate ? ' FOR UPDATE' : ''}`, [sysId]);
  return rows[0];
}

/** One party's incident by its number (INC...). */
export async function findIncidentByNumber(db: Queryable, partyId: string, number: string): Promise<IncidentRow | undefined> {
  const rows = await db.query<IncidentRow>('SELECT * FROM incident WHERE party_id = $1 AND number = $2', [partyId, number]);
  return rows[0];
}
