/**
 * Migration from DSMS (ACC-04): an export of a party's accounts, historic tickets and returns. Accounts
 * arrive inactive and pending review; a later incremental snapshot updates names and addresses of
 * accounts it knows without undoing an administrator's decisions (status, roles, review), and adds
 * new ones as pending. Historic tickets become closed incidents attributed to their original raiser.
 * The whole import is one transaction: it applies completely or not at all.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { Conflict, InvalidInput, NotFound } from '../domain/errors';
import { formatNumber, newSysId, SYS_ID } from '../domain/ids';
import { IncidentState, priorityOf } from '../domain/incident';
import { findAccountByUsername, insertAccount } from '../store/accounts';
import type { Queryable } from '../store/db';
import { insertIncident, nextIncidentSequence } from '../store/incidents';
import { findParty } from '../store/parties';
import type { Core } from './context';
import { hashPassword } from './passwords';
import { jsonObject, parseInput } from './validate';

const isoDate = z
  .string()
  .datetime({ offset: true, message: 'must be an ISO 8601 date-time such as 2024-03-01T09:00:00Z' })
  .transform((s) => new Date(s));

export const DsmsExport = z
  .object({
    party_id: z.string().regex(SYS_ID, 'must be the sys_id of an onboarded party'),
    snapshot: z.enum(['initial', 'incremental']),
    accounts: z
      .array(
        z
          .object({
            legacy_id: z.string().min(1).max(64),
            email: z.string().trim().toLowerCase().email().max(254),
            name: z.string().trim().min(1).max(100),
          })
          .strict(),
      )
      .max(20_000),
    tickets: z
      .array(
        z
          .object({
            legacy_number: z.string().regex(/^[A-Z]{2,6}\d{1,12}$/, 'must look like a DSMS ticket number, e.g. IM00012345'),
            raised_by: z.string().min(1).max(64),
            short_description: z.string().trim().min(1).max(160),
            opened_at: isoDate,
            closed_at: isoDate,
            impact: z.union([z.literal(1), z.literal(2), z.literal(3)]).default(3),
            urgency: z.union([z.literal(1), z.literal(2), z.literal(3)]).default(3),
          })
          .strict(),
      )
      .max(100_000)
      .default([]),
    returns: z.array(jsonObject).max(100_000).default([]),
  })
  .strict();

export interface ImportResult {
  batch: string;
  accountsAdded: number;
  accountsUpdated: number;
  ticketsAdded: number;
}

export async function importDsmsExport(core: Core, body: unknown): Promise<ImportResult> {
  const input = parseInput(DsmsExport, body);
  const party = await findParty(core.db, input.party_id);
  if (!party) throw new NotFound('Party');
  const duplicate = input.accounts.find(
    (a, i) => input.accounts.findIndex((b) => b.legacy_id === a.legacy_id || b.email === a.email) !== i,
  );
  if (duplicate) throw new InvalidInput(`The export lists ${duplicate.email} (${duplicate.legacy_id}) more than once`, '', 'accounts');
  // A migrated account has no usable password until an administrator reinstates it.
  const unusable = await hashPassword(randomBytes(32).toString('base64url'), core.config.passwords.scryptCost);
  const now = core.clock.now();
  return core.db.transaction(async (tx) => {
    const result: ImportResult = { batch: newSysId(), accountsAdded: 0, accountsUpdated: 0, ticketsAdded: 0 };
    const accountIds = new Map<string, { id: string; username: string }>();
    for (const a of input.accounts) {
      const [known] = await tx.query<{ id: string; username: string; display_name: string }>(
        'SELECT id, username, display_name FROM account WHERE party_id = $1 AND legacy_id = $2',
        [party.id, a.legacy_id],
      );
      const holder = await findAccountByUsername(tx, a.email);
      if (holder && holder.id !== known?.id)
        throw new Conflict(
          `${a.email} already has an account that is not ${a.legacy_id}`,
          'Correct the export, or the existing account, and import again.',
          'accounts',
        );
      if (known) {
        if (known.username !== a.email || known.display_name !== a.name) {
          await tx.query('UPDATE account SET username = $2, display_name = $3, updated_at = $4 WHERE id = $1', [
            known.id,
            a.email,
            a.name,
            now,
          ]);
          result.accountsUpdated += 1;
        }
        accountIds.set(a.legacy_id, { id: known.id, username: a.email });
        continue;
      }
      const id = newSysId();
      await insertAccount(tx, {
        id,
        party_id: party.id,
        username: a.email,
        display_name: a.name,
        password_hash: unusable,
        password_expires_at: null,
        password_must_change: true,
        status: 'inactive',
        identity_path: 'local',
        roles: [],
        failed_logins: 0,
        locked_until: null,
        email_notifications: true,
        migrated: true,
        created_at: now,
        updated_at: now,
      });
      await tx.query(`UPDATE account SET legacy_id = $2, migration_review = 'pending' WHERE id = $1`, [id, a.legacy_id]);
      accountIds.set(a.legacy_id, { id, username: a.email });
      result.accountsAdded += 1;
    }
    result.ticketsAdded = await importTickets(tx, party.id, input.tickets, accountIds);
    await tx.query(
      'INSERT INTO migration_batch (id, party_id, kind, accounts, tickets, returns, received_at) VALUES ($1, $2, $3, $4, $5, $6, $7)',
      [result.batch, party.id, input.snapshot, input.accounts.length, input.tickets.length, JSON.stringify(input.returns), now],
    );
    return result;
  });
}

async function importTickets(
  tx: Queryable,
  partyId: string,
  tickets: z.infer<typeof DsmsExport>['tickets'],
  accounts: Map<string, { id: string; username: string }>,
): Promise<number> {
  let added = 0;
  for (const t of tickets) {
    const raiser = accounts.get(t.raised_by) ?? (await legacyAccount(tx, partyId, t.raised_by));
    if (!raiser)
      throw new InvalidInput(
        `Ticket ${t.legacy_number} names raised_by ${t.raised_by}, which is not an account of the export or the party`,
        '',
        'tickets',
      );
    const [seen] = await tx.query('SELECT 1 FROM incident WHERE party_id = $1 AND legacy_number = $2', [partyId, t.legacy_number]);
    if (seen) continue;
    const sysId = newSysId();
    await insertIncident(tx, {
      sys_id: sysId,
      number: formatNumber('INC', await nextIncidentSequence(tx)),
      party_id: partyId,
      caller_id: raiser.id,
      short_description: t.short_description,
      description: `Migrated from DSMS ticket ${t.legacy_number}.`,
      category: 'inquiry',
      affected_service: '',
      impact: t.impact,
      urgency: t.urgency,
      priority: priorityOf(t.impact, t.urgency),
      state: IncidentState.Closed,
      active: false,
      on_hold_reason: null,
      assignment_group: 'DCC Service Desk',
      close_notes: 'Closed in DSMS before migration.',
      resolved_at: t.closed_at,
      closed_at: t.closed_at,
      target_resolution_at: null,
      reopen_count: 0,
      legacy_number: t.legacy_number,
      sys_created_on: t.opened_at,
      sys_created_by: raiser.username,
      sys_updated_on: t.closed_at,
      sys_updated_by: raiser.username,
      sys_mod_count: 0,
    });
    added += 1;
  }
  return added;
}

async function legacyAccount(tx: Queryable, partyId: string, legacyId: string): Promise<{ id: string; username: string } | undefined> {
  const [row] = await tx.query<{ id: string; username: string }>(
    'SELECT id, username FROM account WHERE party_id = $1 AND legacy_id = $2',
    [partyId, legacyId],
  );
  return row;
}
