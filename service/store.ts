/**
 * The completion service's store: PostgreSQL by DATABASE_URL (schema fsm_service), or PGlite in a data
 * directory for a local trial; one SQL dialect, migrations in service/migrations. Submissions are
 * idempotent: a run is stored once per (party, run), its results once per (party, environment, run,
 * scenario, attempt); the same pack again is "already received", a different one a conflict.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Db, Queryable } from '../simulators/store/db';
import { openMigrated } from '../simulators/store/migrate';
import type { RunStatement } from '../reporting/signing/statement';

export interface StoreLocation {
  databaseUrl?: string;
  dataDir?: string;
  memory?: boolean;
}

export const DEFAULT_SERVICE_DIR = '.fsm-service';

export function openServiceStore(location: StoreLocation = {}): Promise<Db> {
  const dataDir = location.databaseUrl || location.memory ? undefined : (location.dataDir ?? DEFAULT_SERVICE_DIR);
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  return openMigrated(
    { databaseUrl: location.databaseUrl, dataDir, schema: location.databaseUrl ? 'fsm_service' : undefined },
    join(__dirname, 'migrations'),
  );
}

export interface VerifiedPack {
  statement: RunStatement;
  statementSha256: string;
  manifestSha256: string;
  keyId: string;
  files: { path: string; sha256: string; bytes: number }[];
}

export type Stored = 'received' | 'already received' | 'conflict' | 'another party';

/** A verified pack and when it arrived. */
export interface Arrival {
  pack: VerifiedPack;
  now: Date;
}

/**
 * Stores verified packs' runs and results, each once, in one statement (one commit, one WAL flush for
 * all of them), and says for each, in order, whether it was new, the same again, a different pack for a
 * run already held, or another party's manifest. Packs earlier in `arrivals` win over later ones for
 * the same run or manifest, as if stored one after another. When the statement fails (a value the
 * database refuses), each pack is stored alone, so that only the one at fault fails.
 */
export async function storePacks(db: Queryable, arrivals: readonly Arrival[]): Promise<PromiseSettledResult<Stored>[]> {
  try {
    return (await insertPacks(db, arrivals)).map((value) => ({ status: 'fulfilled', value }));
  } catch (error) {
    if (arrivals.length === 1) return [{ status: 'rejected', reason: error }];
    return Promise.all(arrivals.map(async (arrival) => (await storePacks(db, [arrival]))[0] ?? { status: 'rejected', reason: error }));
  }
}

/**
 * One statement, no BEGIN/COMMIT: the runs and their results are inserted together, in the order
 * given; a run whose key or manifest is held already (or earlier in the same statement) is skipped with
 * its results. A statement is atomic on its own, and the foreign key is checked at its end. Results are
 * matched to their run by the statement's digest too, so that a skipped pack's results never join
 * another pack's run.
 */
const INSERT_PACKS = `
  WITH input AS (
    SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(ord integer, party text, run_id text, environment_url text, environment_name text,
      target_kind text, suite text, tags text, mode text, started_at timestamptz, finished_at timestamptz, manifest_sha256 text,
      statement_sha256 text, key_id text, files jsonb, received_at timestamptz, environment_tenant text, tls_fingerprint text,
      results jsonb)),
  run AS (
    INSERT INTO submitted_run (party, run_id, environment_url, environment_name, target_kind, suite, tags, mode, started_at, finished_at,
      manifest_sha256, statement_sha256, key_id, files, received_at, environment_tenant, tls_fingerprint)
    SELECT party, run_id, environment_url, environment_name, target_kind, suite, tags, mode, started_at, finished_at,
      manifest_sha256, statement_sha256, key_id, files, received_at, environment_tenant, tls_fingerprint
    FROM input ORDER BY ord
    ON CONFLICT DO NOTHING RETURNING party, run_id, environment_url, manifest_sha256, statement_sha256),
  results AS (
    INSERT INTO submitted_result (party, environment_url, run_id, scenario_no, attempt, uri, name, requirements, status, first_status)
    SELECT run.party, run.environment_url, run.run_id, r.no, r.attempts, r.uri, r.name, r.requirements, r.status, r."firstStatus"
    FROM run JOIN input ON (input.party, input.run_id, input.manifest_sha256, input.statement_sha256)
        = (run.party, run.run_id, run.manifest_sha256, run.statement_sha256),
      jsonb_to_recordset(input.results) AS r(no integer, attempts integer, uri text, name text, requirements jsonb, status text, "firstStatus" text)
    ON CONFLICT DO NOTHING)
  SELECT party, run_id AS "runId", manifest_sha256 AS "manifestSha256", statement_sha256 AS "statementSha256" FROM run`;

interface Held {
  party: string;
  runId: string;
  manifestSha256: string;
  statementSha256: string;
}

async function insertPacks(db: Queryable, arrivals: readonly Arrival[]): Promise<Stored[]> {
  const inserted = await db.query<Held>(INSERT_PACKS, [JSON.stringify(arrivals.map((a, ord) => rowOf(a, ord)))], { prepare: true });
  // A row inserted is the first arrival of exactly that pack (an identical pack later is "already received").
  const isNew = new Set(inserted.map(identity));
  const receivedAt = new Map<string, number>();
  arrivals.forEach((a, i) => {
    const key = identity(heldOf(a.pack));
    if (isNew.has(key) && !receivedAt.has(key)) receivedAt.set(key, i);
  });
  const isReceived = (a: Arrival, i: number) => receivedAt.get(identity(heldOf(a.pack))) === i;
  const rest = arrivals.filter((a, i) => !isReceived(a, i));
  // Skipped packs are compared with what is held now (a run committed by another statement while this
  // one waited on it is not in this statement's snapshot, but a new read sees it), less what later
  // arrivals of this batch stored: a pack is answered as if stored before them.
  const held = rest.length ? await heldFor(db, rest) : [];
  const heldBefore = (i: number) => held.filter((h) => (receivedAt.get(identity(h)) ?? -1) < i);
  return arrivals.map((a, i) => (isReceived(a, i) ? 'received' : outcomeOf(a.pack, heldBefore(i))));
}

const identity = (h: Held) => JSON.stringify([h.party, h.runId, h.manifestSha256, h.statementSha256]);

function heldOf(pack: VerifiedPack): Held {
  const { party, run } = pack.statement.predicate.fsm;
  return { party, runId: run.id, manifestSha256: pack.manifestSha256, statementSha256: pack.statementSha256 };
}

function rowOf({ pack, now }: Arrival, ord: number) {
  const fsm = pack.statement.predicate.fsm;
  return {
    ord,
    party: fsm.party,
    run_id: fsm.run.id,
    environment_url: fsm.environment.url ?? '',
    environment_name: fsm.environment.name,
    target_kind: fsm.environment.kind,
    suite: fsm.run.suite,
    tags: fsm.run.tags,
    mode: fsm.run.mode,
    started_at: fsm.run.startedAt,
    finished_at: fsm.run.finishedAt,
    manifest_sha256: pack.manifestSha256,
    statement_sha256: pack.statementSha256,
    key_id: pack.keyId,
    files: pack.files,
    received_at: now,
    environment_tenant: fsm.environment.tenant,
    tls_fingerprint: fsm.environment.tlsFingerprint,
    results: fsm.scenarios.map((s, i) => ({ ...s, no: i + 1 })),
  };
}

function heldFor(db: Queryable, arrivals: readonly Arrival[]): Promise<Held[]> {
  const fsm = arrivals.map((a) => a.pack.statement.predicate.fsm);
  return db.query<Held>(
    `SELECT party, run_id AS "runId", manifest_sha256 AS "manifestSha256", statement_sha256 AS "statementSha256" FROM submitted_run
     WHERE (party, run_id) IN (SELECT * FROM unnest($1::text[], $2::text[])) OR manifest_sha256 = ANY($3::text[])`,
    [fsm.map((f) => f.party), fsm.map((f) => f.run.id), arrivals.map((a) => a.pack.manifestSha256)],
  );
}

/** A pack not stored: its manifest is another party's (or another run's), or its run is held, by the same pack or another. */
function outcomeOf(pack: VerifiedPack, held: Held[]): Stored {
  const { party, run } = pack.statement.predicate.fsm;
  if (held.some((h) => h.manifestSha256 === pack.manifestSha256 && h.party !== party)) return 'another party';
  const same = held.find((h) => h.party === party && h.runId === run.id);
  if (!same) return 'another party';
  return same.statementSha256 === pack.statementSha256 && same.manifestSha256 === pack.manifestSha256 ? 'already received' : 'conflict';
}

export interface IssuedReport {
  party: string;
  documentId: string;
  envelopeSha256: string;
  keyId: string;
  payload: unknown;
}

export async function storeReport(db: Db, report: IssuedReport, now: Date): Promise<Stored> {
  const inserted = await db.query(
    `INSERT INTO issued_report (party, document_id, envelope_sha256, key_id, payload, received_at) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (party, document_id) DO NOTHING RETURNING document_id`,
    [report.party, report.documentId, report.envelopeSha256, report.keyId, JSON.stringify(report.payload), now],
  );
  if (inserted.length) return 'received';
  const [held] = await db.query<{ envelope_sha256: string }>(
    'SELECT envelope_sha256 FROM issued_report WHERE party = $1 AND document_id = $2',
    [report.party, report.documentId],
  );
  return held?.envelope_sha256 === report.envelopeSha256 ? 'already received' : 'conflict';
}
