/**
 * The Test Completion Report as ISO/IEC/IEEE 29119-3 asks for it (issue 16): every part present,
 * residual risks for what is in scope only, issuing (reviewer and approver, once per document id,
 * signed) and verify naming an issued report altered on disk; and a PDF whose tables fit the page.
 */
import assert from 'node:assert/strict';
import { appendFileSync, chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadRequirementCatalogue } from '../../cli/summary';
import { loadCriteria } from '../../reporting/criteria';
import { publishIssued } from '../../reporting/publish';
import { exampleName, requirementOf } from '../../reporting/results';
import { openResults } from '../../reporting/results-store';
import { buildTcr } from '../../reporting/tcr';
import { renderTcrHtml } from '../../reporting/tcr-html';
import { issueTcr, verifyIssued } from '../../reporting/tcr-issue';
import { renderPdf } from '../../reporting/tcr-pdf';
import type { Db } from '../../simulators/store/db';
import { MANDATED, recordRun, scenario, testSigner } from '../support/results';

const catalogue = loadRequirementCatalogue();
const criteria = loadCriteria();
const PARTS = [
  'Scope and environment',
  'Execution',
  'Deviations',
  'Exit criteria',
  'Factors that blocked progress',
  'Test measures',
  'Mandated completion by party',
  'Testing issues',
  'Residual risks',
  'Test deliverables',
  'Reusable test assets',
  'Lessons learned',
  'Change history',
  'Approval',
];

describe('the Test Completion Report after ISO/IEC/IEEE 29119-3', () => {
  const keys = testSigner();
  let db: Db;
  let dir: string;
  before(async () => {
    db = await openResults({ memory: true });
    dir = mkdtempSync(join(tmpdir(), 'fsm-tcr-'));
  });
  after(async () => {
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('has every part: identification, plan, scope, measures over time, blocking factors, risks, deliverables, assets, lessons, approval', async () => {
    await recordRun(db, 'Alpha Energy', [scenario('Login', ['UEPT-FSM-01'], 'failed'), scenario('Pending', ['SM-02'], 'pending')]);
    await recordRun(
      db,
      'Alpha Energy',
      MANDATED.map((id) => scenario(`Test ${id}`, [id])),
    );
    const tcr = await buildTcr(db, { party: 'Alpha Energy' }, criteria, catalogue, new Date('2026-12-06T10:00:00Z'), { issued: [] });
    assert.equal(tcr.document.id, 'TCR-ALPHA-ENERGY-20261206-1');
    assert.deepEqual([tcr.document.version, tcr.document.status, tcr.approval.status], ['0.1', 'DRAFT', 'draft']);
    assert.ok(tcr.document.distribution.includes('Alpha Energy') && tcr.document.testPlan.includes('features/uept/'));
    assert.deepEqual(
      tcr.measures.map((m) => [m.passed, m.failed, m.mandatedPassedOnEnvironment]),
      [
        [0, 1, 0],
        [5, 0, 5],
      ],
      'completion over time: after each run',
    );
    assert.match(tcr.blockingFactors.join('\n'), /1 scenario\(s\) blocked by undefined, pending or skipped steps: Pending/);
    assert.deepEqual(
      tcr.testDeliverables.packs.map((p) => p.state),
      ['sealed after this report', 'sealed after this report'],
    );
    assert.ok(tcr.reusableAssets.some((a) => a.includes('features/uept/Test-UEPT-FSM-01.feature')));
    assert.deepEqual(tcr.lessonsLearned, []);
    const html = renderTcrHtml(tcr);
    for (const part of PARTS) assert.match(html, new RegExp(`<h2>${part}</h2>`), part);
    assert.match(html, /<p class="status DRAFT">DRAFT<\/p>/);
    assert.match(html, /<h2>Lessons learned<\/h2><p>None recorded\.<\/p>/);
    for (const chart of ['Results by mandated test and party', 'Completion over time', 'Testing issues by severity'])
      assert.match(html, new RegExp(`<svg role="img" aria-label="${chart}`), chart);
    const told = await buildTcr(db, { party: 'Alpha Energy' }, criteria, catalogue, new Date(), {
      lessons: ['Book the environment early'],
    });
    assert.match(renderTcrHtml(told), /<h2>Lessons learned<\/h2><ul><li>Book the environment early<\/li>/);
  });

  it('lists residual risks only for the requirements in scope, never the harness own TST-* properties', async () => {
    const runId = await recordRun(db, 'Gamma Grid', [
      scenario('Report is issued', ['TST-04', 'UEPT-FSM-01'], 'failed'),
      scenario('Raise', ['SM-01', 'UEPT-FSM-02']),
      scenario('Update', ['SM-02'], 'failed'),
    ]);
    const tcr = await buildTcr(db, { runId }, criteria, catalogue);
    const inScope = new Set(['UEPT-FSM-01', 'UEPT-FSM-02', 'SM-01', 'SM-02']);
    const named = tcr.residualRisks.flatMap((r) => r.split(/[\s,():]+/).flatMap((word) => requirementOf(`@${word}`) ?? []));
    assert.ok(named.length > 0, tcr.residualRisks.join('\n'));
    assert.deepEqual(
      named.filter((id) => !inScope.has(id)),
      [],
      tcr.residualRisks.join('\n'),
    );
    assert.ok(named.includes('UEPT-FSM-01') && named.includes('SM-02'), 'what failed in scope is a risk');
    assert.ok(!tcr.residualRisks.some((r) => r.startsWith('OMS-')), 'requirements no scenario in scope proves are not risks');
    assert.equal(tcr.coverage.find((c) => c.id === 'TST-04')?.inScope, false);
    await recordRun(db, 'Zeta Power', [scenario('Report is issued', ['UEPT-FSM-01'])]);
    const window = await buildTcr(db, {}, criteria, catalogue);
    assert.ok(
      window.residualRisks.some((r) =>
        /^Gamma Grid: not yet proved on a real environment: UEPT-FSM-01 failed on the environment[;.]/.test(r),
      ),
      `a party's failure stays its risk when another party passes the same test later:\n${window.residualRisks.join('\n')}`,
    );
  });

  it('counts an outline recorded under one name before its rows were named once, after a run records the named rows', async () => {
    const outline = (name: string) => ({ ...scenario(name, ['SM-01']), uri: 'features/uept/raise-incident.feature' });
    const legacy = 'Priority follows impact and urgency';
    await recordRun(db, 'Epsilon Energy', [outline(legacy), outline(legacy)]);
    let tcr = await buildTcr(db, { party: 'Epsilon Energy' }, criteria, catalogue);
    assert.equal(tcr.execution.planned, 2, 'before the rename, the old rows are the latest');
    await recordRun(db, 'Epsilon Energy', [
      outline(exampleName(legacy, 'impact 1, urgency 1')),
      outline(exampleName(legacy, 'impact 3, urgency 3')),
    ]);
    tcr = await buildTcr(db, { party: 'Epsilon Energy' }, criteria, catalogue);
    assert.deepEqual(
      tcr.coverage.find((c) => c.id === 'SM-01')?.scenarios.map((s) => s.name),
      [`${legacy} (example: impact 1, urgency 1)`, `${legacy} (example: impact 3, urgency 3)`],
    );
    assert.equal(tcr.execution.planned, 2);
  });

  it('issues only with a reviewer and an approver, once per document id; verify names what was altered, added or removed', async () => {
    const runId = await recordRun(
      db,
      'Delta Supply',
      MANDATED.map((id) => scenario(`Test ${id}`, [id])),
    );
    const draft = await buildTcr(db, { runId }, criteria, catalogue);
    assert.throws(() => issueTcr(draft, { reviewer: 'Jane Reviewer' }, new Date()), /give --reviewer NAME and --approver NAME/);
    assert.throws(() => issueTcr(draft, { reviewer: ' ', approver: 'Sam' }, new Date()), /--reviewer NAME/);
    const evidenceRoot = join(dir, 'evidence');
    const issue = (id?: string) =>
      publishIssued(db, { runId }, criteria, catalogue, {
        reviewer: 'Jane Reviewer',
        approver: 'Sam Approver',
        document: id ? { id } : {},
        evidenceRoot,
        signer: keys.signer,
      });
    const issued = await issue();
    assert.equal(issued.tcr.document.status, 'ISSUED');
    assert.deepEqual([issued.tcr.approval.reviewer, issued.tcr.approval.approver], ['Jane Reviewer', 'Sam Approver']);
    assert.ok(issued.tcr.approval.issuedAt);
    const id = issued.tcr.document.id;
    assert.match(id, /^TCR-DELTA-SUPPLY-\d{8}-1$/);
    const envelope = JSON.parse(readFileSync(join(issued.dir, 'tcr.dsse.json'), 'utf8')) as { payloadType: string; payload: string };
    assert.equal(envelope.payloadType, 'application/vnd.fsm-harness.tcr+json');
    assert.deepEqual(Buffer.from(envelope.payload, 'base64'), readFileSync(join(issued.dir, 'tcr.json')));
    assert.match(readFileSync(join(issued.dir, 'tcr.html'), 'utf8'), /<p class="status ISSUED">ISSUED<\/p>/);
    assert.deepEqual(verifyIssued(evidenceRoot, keys.trust), { reports: 1, problems: [] });
    await assert.rejects(issue(id), new RegExp(`${id} is already issued`));
    assert.match((await issue()).tcr.document.id, /-2$/, 'the next report of the day takes the next number');
    assert.deepEqual(verifyIssued(evidenceRoot, testSigner().trust).problems.length, 2, 'a key not trusted is refused');

    for (const file of ['tcr.json', 'tcr.html']) chmodSync(join(issued.dir, file), 0o644);
    appendFileSync(join(issued.dir, 'tcr.html'), '<p>Approved without reservation.</p>');
    writeFileSync(
      join(issued.dir, 'tcr.json'),
      readFileSync(join(issued.dir, 'tcr.json'), 'utf8').replace(/"Delta Supply"/g, '"Delta Supplies"'),
    );
    unlinkSync(join(issued.dir, 'tcr.pdf'));
    writeFileSync(join(issued.dir, 'notes.txt'), 'x');
    const problems = verifyIssued(evidenceRoot, keys.trust).problems.map((p) => p.replace(/^.*\/issued\//, ''));
    assert.deepEqual(problems, [
      `${id}/tcr.json was altered after ${id} was issued.`,
      `${id}/tcr.html was altered after ${id} was issued.`,
      `${id}/tcr.pdf was removed from issued report ${id}.`,
      `${id}/notes.txt was added after ${id} was issued.`,
    ]);
  });
});

describe('the PDF', () => {
  let db: Db;
  let dir: string;
  before(async () => {
    db = await openResults({ memory: true });
    dir = mkdtempSync(join(tmpdir(), 'fsm-tcr-pdf-'));
  });
  after(async () => {
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints every table and chart within the page width, a nine-digit seed and long targets included', async () => {
    for (const party of ['Alpha Energy Supply Limited (North West region)', 'Beta Power'])
      await recordRun(db, party, [
        ...MANDATED.map((id) => scenario(`A long scenario name that a person wrote to say what ${id} proves`, [id, 'SM-01'])),
        scenario('Update', ['SM-02'], 'failed', { tags: ['@SM-02', '@severity-2'] }),
      ]);
    await db.query("UPDATE test_run SET seed = 627322439, target = 'https://uit-environment-1.fsm.dcc.example.co.uk/api/now/table'");
    const tcr = await buildTcr(db, {}, criteria, catalogue);
    const path = join(dir, 'tcr.pdf');
    writeFileSync(join(dir, 'tcr.html'), renderTcrHtml(tcr));
    await renderPdf(join(dir, 'tcr.html'), path, 'TCR test');
    const pages = readFileSync(path, 'latin1').match(/\/MediaBox \[0 0 [\d.]+ [\d.]+\]/g) ?? [];
    assert.ok(pages.length >= 2, `${pages.length} page(s)`);
    // A4 (210 x 297 mm) in points, on every page.
    for (const page of pages) assert.match(page, /\[0 0 595\.\d+ 841\.\d+\]$/);
  });

  it('says which Chromium did not print, and why, rather than hang or print nothing', async () => {
    const saved = process.env.FSM_CHROMIUM_PATH;
    process.env.FSM_CHROMIUM_PATH = '/bin/false';
    writeFileSync(join(dir, 'none.html'), '<p>x</p>');
    try {
      await assert.rejects(
        renderPdf(join(dir, 'none.html'), join(dir, 'none.pdf')),
        /Chromium at \/bin\/false did not print the page: it ended \(exit status 1\)/,
      );
      assert.equal(existsSync(join(dir, 'none.pdf')), false);
    } finally {
      if (saved === undefined) delete process.env.FSM_CHROMIUM_PATH;
      else process.env.FSM_CHROMIUM_PATH = saved;
    }
  });

  it('refuses to print a table wider than the page, naming it', async () => {
    const wide = `<table><caption>Too wide</caption><tr><td style="white-space:nowrap">${'x'.repeat(400)}</td></tr></table>`;
    writeFileSync(join(dir, 'wide.html'), `<!doctype html><html><body>${wide}</body></html>`);
    await assert.rejects(renderPdf(join(dir, 'wide.html'), join(dir, 'wide.pdf')), /would cut .*"Too wide"/);
  });
});
