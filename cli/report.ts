/**
 * `fsm-harness report`: the Test Completion Report (ISO/IEC/IEEE 29119-3) for a run, a party or the
 * whole UIT window, as a draft in reports/tcr; with --issue, issued (reviewer, approver, when), signed
 * and kept as evidence in .fsm-evidence/issued/<document id>/.
 */
import { existsSync, readFileSync } from 'node:fs';
import { harnessMessage } from '../clients/messages';
import { loadCriteria, type CriteriaConfig } from '../reporting/criteria';
import { DEFAULT_EVIDENCE_DIR } from '../reporting/evidence';
import { intact, keptReport, type KeptReport } from '../reporting/kept-report';
import { draftTcr, publishIssued, writeDraft } from '../reporting/publish';
import { latestStartedRun } from '../reporting/results-store';
import type { Tcr, TcrScope } from '../reporting/tcr';
import { issuedIds } from '../reporting/tcr-issue';
import type { DocumentInput } from '../reporting/tcr-parts';
import { startPrinter, type Printer } from '../reporting/tcr-pdf';
import type { Db } from '../simulators/store/db';
import { parse, port, UsageError } from './args';
import { usage } from './evidence';
import { resultsCache, withResults } from './results-answers';
import { keysDir, signingKey } from './keys';
import { serveReports } from './serve-reports';
import { loadRequirementCatalogue } from './summary';

const REPORT_USAGE = `Usage: fsm-harness report [--run ID | --party NAME | --all] [--out DIR] [--no-pdf] [document options]
       fsm-harness report --issue --reviewer NAME --approver NAME [--run ID | --party NAME | --all] [document options]
       fsm-harness report --open [--port N]

  A Test Completion Report after ISO/IEC/IEEE 29119-3 (JSON, HTML, JUnit XML, PDF) from the results
  store: for one run (default: the latest run that reached its target), for every run of a party, or
  for every run (the whole UIT window). A draft is written to --out (default reports/tcr).

  --issue              issue the report: version 1.0, ISSUED, signed with this installation's key
                       (--keys DIR, default $FSM_KEYS_DIR or .fsm-keys) and kept, never replaced, in
                       --evidence DIR (default ${DEFAULT_EVIDENCE_DIR}) /issued/<document id>/
  --reviewer NAME      who reviewed it; --approver NAME  who approved it (both required to issue)
  --id ID              the document id (default TCR-<party or ALL>-<yyyymmdd>-<n>, the next not issued)
  --lessons FILE       lessons learned, one per line; --lesson TEXT (repeatable) adds one
  --test-plan TEXT     the test plan or approach the report answers to
  --distribution TEXT  who receives it, separated by ";" (repeatable)
  --organisation TEXT  the issuing organisation
  --open               serve the last run's Allure report (reports/allure-report) and the TCR (reports/tcr)
                       over local HTTP until Ctrl+C: Allure's report opened from disk (file://) shows
                       "500 Failed to fetch"`;

const DOCUMENT_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$/;

const reportArgs = (argv: string[]) =>
  parse(
    argv,
    {
      run: { type: 'string' },
      party: { type: 'string' },
      all: { type: 'boolean', default: false },
      out: { type: 'string', default: 'reports/tcr' },
      'no-pdf': { type: 'boolean', default: false },
      issue: { type: 'boolean', default: false },
      reviewer: { type: 'string' },
      approver: { type: 'string' },
      id: { type: 'string' },
      lessons: { type: 'string' },
      lesson: { type: 'string', multiple: true },
      'test-plan': { type: 'string' },
      distribution: { type: 'string', multiple: true },
      organisation: { type: 'string' },
      evidence: { type: 'string', default: DEFAULT_EVIDENCE_DIR },
      keys: { type: 'string' },
      open: { type: 'boolean', default: false },
      port: { type: 'string', default: '0' },
    },
    REPORT_USAGE,
  );
type ReportArgs = ReturnType<typeof reportArgs>;

export async function reportCommand(argv: string[]): Promise<number> {
  const args = reportArgs(argv);
  if (args.help) return usage(REPORT_USAGE);
  if (args.open) return serveReports(port(args.port, '--port'));
  const document = documentInput(args);
  const explicit = explicitScope(args);
  const [criteria, catalogue, evidenceRoot] = [loadCriteria(), loadRequirementCatalogue(), String(args.evidence)];
  if (args.issue)
    return withResults(async (db) => issue(db, explicit ?? (await latestScope(db)), args, { document, criteria, catalogue, evidenceRoot }));
  // The draft as written is kept until the store changes (reporting/kept-report.ts): asked again, it needs no database.
  const question = ['report', explicit ?? 'latest started run', args.out, args['no-pdf'], document, evidenceRoot, issuedIds(evidenceRoot)];
  const cache = resultsCache<KeptReport | null>([
    ...question,
    criteria,
    catalogue,
    new Date().toISOString().slice(0, 10),
    process.env.FSM_CHROMIUM_PATH,
  ]);
  const kept = cache?.kept?.answer;
  if (kept === null) throw noRunYet();
  if (kept && intact(kept)) {
    console.log(
      `${kept.text}\nCurrent, not written again (the results store has not changed since, nor have they): ${kept.files.map(([f]) => f).join(', ')}`,
    );
    return 0;
  }
  // Chromium starts while the store opens and the report is built; the files are written and the PDF
  // printed with the store closed, its stamps taken meanwhile (a draft reads the store only).
  const printer = args['no-pdf'] ? undefined : startPrinter();
  try {
    const tcr = await withResults(
      async (db) => {
        const scope = explicit ?? (await latestScope(db));
        return scope && draftTcr(db, scope, criteria, catalogue, { document, evidenceRoot });
      },
      { readOnly: cache !== undefined },
    );
    if (tcr === null) {
      await cache?.keep(null);
      throw noRunYet();
    }
    const keep = cache?.closed();
    const written = writeReport(tcr, args, printer);
    await (keep ? keep(written) : written);
    return 0;
  } finally {
    await printer?.close();
  }
}

interface Inputs {
  document: DocumentInput;
  criteria: CriteriaConfig;
  catalogue: Record<string, string>;
  evidenceRoot: string;
}

const latestScope = async (db: Db): Promise<TcrScope | null> => {
  const latest = await latestStartedRun(db);
  return latest ? { runId: latest.id } : null;
};

async function issue(
  db: Db,
  scope: TcrScope | null,
  args: ReportArgs,
  { document, criteria, catalogue, evidenceRoot }: Inputs,
): Promise<number> {
  if (!scope) throw noRunYet();
  const issued = await publishIssued(db, scope, criteria, catalogue, {
    reviewer: args.reviewer,
    approver: args.approver,
    document,
    evidenceRoot,
    signer: signingKey(keysDir(args.keys)),
  });
  const { id, version } = issued.tcr.document;
  console.log(`${id} version ${version} ISSUED: ${issued.tcr.title}\n${issued.tcr.target.headline}\n${issued.tcr.summary.text}`);
  console.log(`Reviewed by ${issued.tcr.approval.reviewer}, approved by ${issued.tcr.approval.approver}, ${issued.tcr.approval.issuedAt}.`);
  console.log(`Kept as evidence (never replaced; fsm-harness verify checks it): ${issued.files.join(', ')}`);
  return 0;
}

/** Writes the draft and says so; what to keep of it (undefined when something was missing: asked again, it is tried again). */
async function writeReport(tcr: Tcr, args: ReportArgs, printer?: Printer): Promise<KeptReport | undefined> {
  const published = await writeDraft(tcr, String(args.out), { pdf: !args['no-pdf'], printer });
  for (const warning of published.warnings) console.warn(harnessMessage(warning));
  const { id, version, status } = published.tcr.document;
  const text = `${id} version ${version} ${status}: ${published.tcr.title}\n${published.tcr.target.headline}\n${published.tcr.summary.text}`;
  console.log(`${text}\nWritten: ${published.files.join(', ')}`);
  return published.warnings.length ? undefined : keptReport(text, published.files);
}

function explicitScope(args: { run?: string; party?: string; all?: boolean }): TcrScope | undefined {
  if (args.run) return { runId: args.run };
  if (args.party) return { party: args.party };
  if (args.all) return {};
  return undefined;
}

const noRunYet = () =>
  new Error(harnessMessage('The results store has no run that reached its target yet: run a suite first (fsm-harness run).'));

function documentInput(args: {
  id?: string;
  lessons?: string;
  lesson?: string[];
  'test-plan'?: string;
  distribution?: string[];
  organisation?: string;
}): DocumentInput {
  if (args.id !== undefined && !DOCUMENT_ID.test(args.id))
    throw new UsageError(
      harnessMessage(`--id must be 1 to 80 letters, digits, ".", "_" or "-", starting with a letter or digit; got "${args.id}"`),
    );
  if (args.lessons !== undefined && !existsSync(args.lessons))
    throw new UsageError(harnessMessage(`--lessons ${args.lessons}: no such file (lessons learned, one per line)`));
  const fromFile = args.lessons === undefined ? [] : readFileSync(args.lessons, 'utf8').split('\n');
  const lessons = [...fromFile, ...(args.lesson ?? [])].map((l) => l.replace(/^\s*[-*]\s+/, '').trim()).filter(Boolean);
  const distribution = (args.distribution ?? [])
    .flatMap((d) => d.split(';'))
    .map((d) => d.trim())
    .filter(Boolean);
  return {
    ...(args.id ? { id: args.id } : {}),
    lessons,
    ...(args['test-plan'] ? { testPlan: args['test-plan'] } : {}),
    ...(distribution.length ? { distribution } : {}),
    ...(args.organisation ? { organisation: args.organisation } : {}),
  };
}
