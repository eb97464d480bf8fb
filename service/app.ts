/**
 * The completion service's HTTP app (it does not listen; cli/serve.ts does): parties POST sealed packs
 * and issued TCRs; DCC's test manager reads the dashboard, a run's drill-down and the CSV. Bodies are
 * limited, errors are JSON with a message saying what is wrong, pages carry the portal's security headers.
 */
import express, { type Express } from 'express';
import type { Logger } from 'pino';
import { NotFound } from '../simulators/domain/errors';
import { errorHandler, notFoundHandler, requireJsonObject } from '../simulators/http/errors';
import { securityHeaders } from '../simulators/http/security-headers';
import type { Db } from '../simulators/store/db';
import type { ServiceConfig } from './config';
import { homePage, type ReportRow } from './home';
import { verifySubmission } from './ingest';
import { dashboard, loadResults, loadRuns, recognition } from './model';
import { verifyReport } from './reports';
import { completionCsv, runPage, type RunEvidence } from './run-page';
import { groupCommit } from './group-commit';
import { storePacks, storeReport, type Arrival, type Stored } from './store';

export interface ServiceDeps {
  db: Db;
  config: ServiceConfig;
  mandated: string[];
  logger: Logger;
  now?: () => Date;
}

/**
 * Packs that arrive while the store is busy are stored together: two statements at a time keep
 * PostgreSQL working while the answers of the last are written; 100 packs of 22 results is a statement
 * of about 300 kB.
 */
const PACK_GROUP_COMMIT = { inFlight: 2, maxBatch: 100 };

export function createServiceApp(deps: ServiceDeps): Express {
  const { db, config, mandated } = deps;
  const now = deps.now ?? (() => new Date());
  const storePack = groupCommit<Arrival, Stored>((arrivals) => storePacks(db, arrivals), PACK_GROUP_COMMIT);
  const app = express();
  app.disable('x-powered-by');
  app.use(securityHeaders);
  app.use(express.json({ limit: config.bodyLimitBytes }));
  app.use(requireJsonObject);

  app.post('/api/packs', async (req, res) => {
    const pack = verifySubmission(req.body, config);
    const stored = await storePack({ pack, now: now() });
    const fsm = pack.statement.predicate.fsm;
    if (stored === 'conflict') return void res.status(409).json(conflict(`Run ${fsm.run.id} of party "${fsm.party}"`));
    if (stored === 'another party') return void res.status(409).json(anotherParty(fsm.party));
    const found = recognition(config, {
      url: fsm.environment.url,
      tenant: fsm.environment.tenant,
      tlsFingerprint: fsm.environment.tlsFingerprint,
    });
    res.status(stored === 'received' ? 201 : 200).json({
      status: stored,
      party: fsm.party,
      run: fsm.run.id,
      scenarios: fsm.scenarios.length,
      counts: 'name' in found ? `for completion: run against ${found.name}, a recognised environment` : null,
      rehearsal: 'why' in found ? found.why : null,
    });
  });

  app.post('/api/reports', async (req, res) => {
    const report = verifyReport(req.body, config);
    const stored = await storeReport(db, report, now());
    if (stored === 'conflict') return void res.status(409).json(conflict(`Report ${report.documentId} of party "${report.party}"`));
    res.status(stored === 'received' ? 201 : 200).json({ status: stored, party: report.party, documentId: report.documentId });
  });

  app.get('/', async (_req, res) => {
    const [model, reports] = await Promise.all([dashboard(db, config, mandated), listReports(db)]);
    res.type('html').send(homePage(model, config, mandated, reports));
  });

  app.get('/completion.csv', async (_req, res) => {
    const model = await dashboard(db, config, mandated);
    const runIdOf = new Map(model.runs.map((r) => [r.id, r.runId]));
    res
      .type('text/csv')
      .attachment('completion.csv')
      .send(completionCsv(model.cells, (key) => runIdOf.get(key) ?? key));
  });

  app.get('/runs/:party/:run', async (req, res) => {
    const { party, run: runId } = req.params;
    const run = (await loadRuns(db, config)).find((r) => r.party === party && r.runId === runId);
    if (!run) throw new NotFound('Run');
    const scenarios = await loadResults(db, { party, runId });
    res.type('html').send(runPage(run, scenarios, await evidenceOf(db, party, runId)));
  });

  app.get('/api/health', (_req, res) => void res.json({ status: 'ok' }));
  app.use(notFoundHandler);
  app.use(errorHandler(deps.logger));
  return app;
}

const conflict = (what: string) => ({
  error: {
    message: `${what} was already received with a different pack`,
    detail: 'A run is submitted once: the pack held was signed first. Submit a new run instead.',
  },
  status: 'failure',
});

const anotherParty = (party: string) => ({
  error: {
    message: `This pack was already received from another party: it cannot count for "${party}"`,
    detail: 'A pack is one run of one party; re-signing it under another party is refused.',
  },
  status: 'failure',
});

async function evidenceOf(db: Db, party: string, runId: string): Promise<RunEvidence> {
  const [row] = await db.query<RunEvidence>(
    `SELECT manifest_sha256 AS "manifestSha256", statement_sha256 AS "statementSha256", key_id AS "keyId", files
     FROM submitted_run WHERE party = $1 AND run_id = $2`,
    [party, runId],
  );
  if (!row) throw new NotFound('Run');
  return row;
}

function listReports(db: Db): Promise<ReportRow[]> {
  return db.query<ReportRow>(
    `SELECT party, document_id AS "documentId", key_id AS "keyId", payload, received_at AS "receivedAt"
     FROM issued_report ORDER BY received_at DESC`,
  );
}
