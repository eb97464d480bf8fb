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

/** Stores a verified pack's run and results, once; says whether it was new, the same again, or a different pack for a run already held. */
export async function storePack(db: Db, pack: VerifiedPack, now: Date): Promise<Stored> {
  try {
    return await insertPack(db, pack, now);
  } catch (error) {
    // Two parties sending the same pack at once: the unique manifest index refuses the second.
    if ((error as { code?: unknown }).code === '23505') return 'another party';
    throw error;
  }
}

/**
 * One statement, one round trip (no BEGIN/COMMIT): the run and its results are inserted together, or
 * not at all when another party holds the manifest or the run is already held. A statement is atomic
 * on its own, and the foreign key is checked at its end, when the run is there.
 */
const INSERT_PACK = `
  WITH other AS (SELECT 1 FROM submitted_run WHERE manifest_sha256 = $11::text AND party <> $1::text),
  run AS (
    INSERT INTO submitted_run (party, run_id, environment_url, environment_name, target_kind, suite, tags, mode, started_at, finished_at,
      manifest_sha256, statement_sha256, key_id, files, received_at, environment_tenant, tls_fingerprint)
    SELECT $1::text, $2::text, $3::text, $4::text, $5::text, $6::text, $7::text, $8::text, $9::timestamptz, $10::timestamptz,
      $11::text, $12::text, $13::text, $14::jsonb, $15::timestamptz, $16::text, $17::text WHERE NOT EXISTS (SELECT 1 FROM other)
    ON CONFLICT (party, run_id) DO NOTHING RETURNING party, run_id, environment_url),
  results AS (
    INSERT INTO submitted_result (party, environment_url, run_id, scenario_no, attempt, uri, name, requirements, status, first_status)
    SELECT run.party, run.environment_url, run.run_id, x.no, x.attempts, x.uri, x.name, x.requirements, x.status, x."firstStatus"
    FROM run, jsonb_to_recordset($18::jsonb) AS x(no integer, attempts integer, uri text, name text, requirements jsonb, status text, "firstStatus" text)
    ON CONFLICT DO NOTHING)
  SELECT EXISTS (SELECT 1 FROM other) AS other, EXISTS (SELECT 1 FROM run) AS inserted,
    held.statement_sha256, held.manifest_sha256
  FROM (SELECT 1) AS one LEFT JOIN submitted_run held ON held.party = $1 AND held.run_id = $2`;

interface Inserted {
  other: boolean;
  inserted: boolean;
  statement_sha256: string | null;
  manifest_sha256: string | null;
}

async function insertPack(db: Db, pack: VerifiedPack, now: Date): Promise<Stored> {
  const fsm = pack.statement.predicate.fsm;
  const rows = fsm.scenarios.map((s, i) => ({ ...s, no: i + 1 }));
  const [answer] = await db.query<Inserted>(
    INSERT_PACK,
    [
      fsm.party,
      fsm.run.id,
      fsm.environment.url ?? '',
      fsm.environment.name,
      fsm.environment.kind,
      fsm.run.suite,
      fsm.run.tags,
      fsm.run.mode,
      fsm.run.startedAt,
      fsm.run.finishedAt,
      pack.manifestSha256,
      pack.statementSha256,
      pack.keyId,
      JSON.stringify(pack.files),
      now,
      fsm.environment.tenant,
      fsm.environment.tlsFingerprint,
      JSON.stringify(rows),
    ],
    { prepare: true },
  );
  if (!answer || answer.other) return 'another party';
  if (answer.inserted) return 'received';
  // The run was held before this statement began (its snapshot shows it), or committed by another
  // submission while this one waited on it: then only a new read sees it.
  if (answer.statement_sha256 === null) return sameAsHeld(db, fsm.party, fsm.run.id, pack);
  return answer.statement_sha256 === pack.statementSha256 && answer.manifest_sha256 === pack.manifestSha256
    ? 'already received'
    : 'conflict';
}

async function sameAsHeld(tx: Queryable, party: string, runId: string, pack: VerifiedPack): Promise<Stored> {
  const [held] = await tx.query<{ statement_sha256: string; manifest_sha256: string }>(
    'SELECT statement_sha256, manifest_sha256 FROM submitted_run WHERE party = $1 AND run_id = $2',
    [party, runId],
  );
  return held?.statement_sha256 === pack.statementSha256 && held.manifest_sha256 === pack.manifestSha256 ? 'already received' : 'conflict';
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
