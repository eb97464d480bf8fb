/**
 * What a run leaves behind: the reports of an earlier run cleared before it starts; after it, the
 * platform's journal, the Allure report, the Test Completion Report and the sealed evidence pack,
 * and the lines that say where they are and whether the exit criteria are met.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { harnessMessage } from '../clients/messages';
import { SimControlClient } from '../clients/sim-control';
import type { CriteriaConfig } from '../reporting/criteria';
import { buildEvidencePack, DEFAULT_EVIDENCE_DIR } from '../reporting/evidence';
import { generateAllure, publishTcr } from '../reporting/publish';
import { targetHeadline, UNCONFIRMED_NOTE, type TargetIdentity } from '../reporting/target-kind';
import type { Queryable } from '../simulators/store/db';
import { signingKey } from './keys';

/** Where cucumber.js sends its reports; everything else of a run goes beside them. */
export const REPORTS_DIR = 'reports';

export interface Publication {
  runId: string;
  criteria: CriteriaConfig;
  catalogue: Record<string, string>;
  pdf: boolean;
  /** The simulator whose journal to keep; none for a real environment, which is never sent a control call. */
  journalFrom?: string;
  /** What the run was against: said on the first screen of every report. */
  identity: TargetIdentity;
}

/** Publishes the run's reports and its evidence pack; answers how many exit criteria are not met. */
export async function publishRun(
  results: Queryable,
  { runId, criteria, catalogue, pdf, journalFrom, identity }: Publication,
): Promise<number> {
  if (journalFrom) await saveJournal(journalFrom);
  writeAllureEnvironment(`${REPORTS_DIR}/allure-results`, identity);
  const allure = generateAllure(`${REPORTS_DIR}/allure-results`, `${REPORTS_DIR}/allure-report`);
  const published = await publishTcr(results, { runId }, `${REPORTS_DIR}/tcr`, criteria, catalogue, { pdf });
  const pack = await buildEvidencePack(results, DEFAULT_EVIDENCE_DIR, runId, evidenceSources(), signingKey());
  const allureWarning = await allure;
  for (const warning of [...published.warnings, ...(allureWarning ? [allureWarning] : [])]) console.warn(harnessMessage(warning));
  const unmet = published.tcr.exitCriteria.filter((c) => !c.met);
  console.log(`Test Completion Report: ${published.files.join(', ')}`);
  if (!allureWarning)
    console.log(
      `Allure report: ${REPORTS_DIR}/allure-report/ (serve it with fsm-harness report --open: opened from disk it shows "500 Failed to fetch")`,
    );
  console.log(`Exit criteria: ${unmet.length ? `NOT MET: ${unmet.map((c) => `${c.id} (${c.evidence})`).join('; ')}` : 'all met'}.`);
  console.log(
    `Evidence pack: ${pack.dir} (${pack.files} files, manifest sha256 ${pack.sha256.slice(0, 16)}..., signed by key ${pack.keyId.slice(0, 16)}...); check it with fsm-harness verify.`,
  );
  return unmet.length;
}

/** Allure's Environment panel, on its Overview page: what kind of target the run was against. */
function writeAllureEnvironment(dir: string, identity: TargetIdentity): void {
  // A .properties file is ISO-8859-1: anything else as \uXXXX.
  const value = (text: string) => text.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  const entries = [
    ['Evidence', targetHeadline([identity])],
    ['Target.kind', identity.targetKind],
    ['Environment.name', identity.environmentName],
    ['Environment.url', identity.environmentUrl ?? 'each worker its own simulators'],
    ...(identity.environmentTenant ? [['Environment.tenant', identity.environmentTenant]] : []),
    ...(identity.tlsFingerprint ? [['Environment.tls_sha256', identity.tlsFingerprint]] : []),
    ...(identity.targetKind === 'environment' ? [['Confirmation', UNCONFIRMED_NOTE]] : []),
  ];
  writeFileSync(`${dir}/environment.properties`, entries.map(([k, v]) => `${k}=${value(v ?? '')}\n`).join(''));
}

/** The platform's record of the requests it served, when it is a simulator with a control API. */
async function saveJournal(fsmUrl: string): Promise<void> {
  const journal = await new SimControlClient(fsmUrl).journal({ limit: 100_000 }).catch(() => undefined);
  if (journal) writeFileSync(`${REPORTS_DIR}/journal.json`, `${JSON.stringify(journal, null, 2)}\n`);
}

function evidenceSources(): { from: string; to: string }[] {
  return [
    { from: 'features', to: 'features' },
    ...['cucumber-messages.ndjson', 'cucumber-junit.xml', 'run-summary.json', 'journal.json', 'simulators.log'].map((f) => ({
      from: `${REPORTS_DIR}/${f}`,
      to: f,
    })),
    { from: `${REPORTS_DIR}/tcr`, to: 'tcr' },
    { from: `${REPORTS_DIR}/allure-results`, to: 'allure-results' },
  ];
}

/** Reports of an earlier run must not mix into this one's; evidence packs stay. */
export function prepareReports(dir: string): void {
  for (const name of [
    'allure-results',
    'allure-report',
    'cucumber-messages.ndjson',
    'cucumber-junit.xml',
    'run-summary.json',
    'journal.json',
    'simulators.log',
    'tcr',
  ]) {
    rmSync(`${dir}/${name}`, { recursive: true, force: true });
  }
  mkdirSync(`${dir}/allure-results`, { recursive: true });
}
