/** The completion evidence on fixture result sets: TCR figures, criteria, issues, parties, evidence packs, bad files. */
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { loadRequirementCatalogue } from '../../cli/summary';
import { CriteriaConfig, loadCriteria } from '../../reporting/criteria';
import { buildEvidencePack, verifyEvidence } from '../../reporting/evidence';
import { readJsonFile } from '../../reporting/json-file';
import { openResults } from '../../reporting/results-store';
import { buildTcr } from '../../reporting/tcr';
import { renderTcrHtml } from '../../reporting/tcr-html';
import { renderTcrJunit } from '../../reporting/tcr-junit';
import { changeIssue, listIssues } from '../../reporting/testing-issues';
import type { Db } from '../../simulators/store/db';
import { MANDATED, recordRun, scenario, testSigner } from '../support/results';

const catalogue = loadRequirementCatalogue();
const criteria = loadCriteria();
describe('Test Completion Report', () => {
  let db: Db;
  beforeEach(async () => {
    await db?.close();
    db = await openResults({ memory: true });
  });
  after(() => db?.close());

  it('meets every criterion when every mandated test passes, and lists what is uncovered', async () => {
    const runId = await recordRun(
      db,
      'Alpha Energy',
      MANDATED.map((id) => scenario(`Test ${id}`, [id, 'SM-01'])),
    );
    const tcr = await buildTcr(db, { runId }, criteria, catalogue);
    assert.equal(tcr.summary.exitCriteriaMet, true, JSON.stringify(tcr.exitCriteria));
    assert.deepEqual(tcr.execution, { planned: 5, run: 5, passed: 5, failed: 0, blocked: 0, notRun: 0, notRunReasons: [] });
    assert.equal(tcr.coverage.find((c) => c.id === 'SM-01')?.scenarios.length, 5);
    assert.equal(tcr.coverage.filter((c) => c.status === 'uncovered').length, Object.keys(catalogue).length - 6);
    assert.ok(!tcr.residualRisks.some((r) => r.startsWith('OMS-01')), 'a requirement outside the scope is not a residual risk');
    assert.equal(tcr.complete, true);
  });

  it('opens testing issues from failures, by severity, and judges the criteria on them', async () => {
    const failing = scenario('Raise incident', ['UEPT-FSM-02'], 'failed', {
      tags: ['@UEPT-FSM-02', '@severity-2'],
      error: 'AssertionError: expected 201',
    });
    const first = await recordRun(db, 'Alpha Energy', [failing, scenario('Login', ['UEPT-FSM-01'], 'undefined')]);
    await recordRun(db, 'Alpha Energy', [failing]);
    const issues = await listIssues(db);
    assert.deepEqual(
      issues.map((i) => [i.severity, i.status, i.occurrences, i.firstRunId === first]),
      [
        [2, 'open', 2, true],
        [3, 'open', 1, true],
      ],
    );
    let tcr = await buildTcr(db, { party: 'Alpha Energy' }, criteria, catalogue);
    assert.deepEqual(
      tcr.exitCriteria.map((c) => c.met),
      [false, false, false, true],
    );
    assert.deepEqual(tcr.testingIssues.bySeverity['2'], { open: 1, resolved: 0, deferred: 0, closed: 0 });
    assert.equal(tcr.execution.blocked, 1);
    const [severe, other] = issues;
    await changeIssue(db, severe?.id ?? '', { status: 'resolved', reason: 'Fixed in build 42' }, new Date());
    await changeIssue(db, other?.id ?? '', { workaround: 'Use the portal' }, new Date());
    tcr = await buildTcr(db, { party: 'Alpha Energy' }, criteria, catalogue);
    assert.deepEqual(
      tcr.exitCriteria.map((c) => c.met),
      [false, true, true, true],
    );
    await recordRun(db, 'Alpha Energy', [failing]);
    assert.equal((await listIssues(db))[0]?.status, 'open', 'a resolved issue that fails again reopens');
  });

  it('reports a pass after a retry as a deviation, and fails a first-attempt gate on it', async () => {
    const runId = await recordRun(
      db,
      'Beta Power',
      MANDATED.map((id, i) => scenario(`Test ${id}`, [id], 'passed', i === 0 ? { attempts: 2, firstStatus: 'failed' } : {})),
    );
    const tcr = await buildTcr(db, { runId }, criteria, catalogue);
    assert.deepEqual(
      tcr.deviations.map((d) => d.kind),
      ['passed after retry'],
    );
    assert.equal(tcr.exitCriteria[0]?.met, true);
    const strict = CriteriaConfig.parse({
      ...criteria,
      criteria: [{ id: 'EC-1', description: 'first attempt', rule: 'mandated-passed', firstAttempt: true }],
    });
    const gated = await buildTcr(db, { runId }, strict, catalogue);
    assert.equal(gated.exitCriteria[0]?.met, false);
    assert.match(gated.exitCriteria[0]?.evidence ?? '', /UEPT-FSM-01 \(passed\)/);
  });

  it('follows several parties over several runs: latest results, completion and go/no-go', async () => {
    await recordRun(db, 'Alpha Energy', [scenario('Test 1', ['UEPT-FSM-01'], 'failed')]);
    await recordRun(db, 'Alpha Energy', [scenario('Test 1', ['UEPT-FSM-01'])]);
    await recordRun(
      db,
      'Beta Power',
      MANDATED.map((id) => scenario(`Test ${id}`, [id])),
    );
    const tcr = await buildTcr(db, {}, criteria, catalogue);
    assert.deepEqual(
      tcr.partyCompletion.filter((p) => p.party === 'Alpha Energy').map((p) => [p.test, p.passed]),
      [['UEPT-FSM-01', true]],
    );
    assert.deepEqual(tcr.goNoGo, [
      { party: 'Alpha Energy', notPassed: MANDATED.slice(1), rehearsedOnly: [], expectedIncidentVolume: null },
      { party: 'Beta Power', notPassed: [], rehearsedOnly: [], expectedIncidentVolume: null },
    ]);
    assert.equal(tcr.scope.runs.length, 3);
  });

  it('marks a report incomplete when a run never finished, keeping what it recorded', async () => {
    const runId = await recordRun(db, 'Crash Co', [scenario('Test 1', ['UEPT-FSM-01'])], { finish: false });
    const tcr = await buildTcr(db, { runId }, criteria, catalogue);
    assert.equal(tcr.complete, false);
    assert.equal(tcr.execution.passed, 1);
    assert.ok(tcr.deviations.some((d) => d.kind === 'incomplete run'));
    assert.equal(tcr.exitCriteria.find((c) => c.id === 'EC-4')?.met, false);
    assert.match(renderTcrHtml(tcr), /Incomplete: a run in scope did not finish/);
  });

  it('renders HTML and JUnit from the same model', async () => {
    const runId = await recordRun(db, 'Alpha Energy', [
      scenario('Test 1', ['UEPT-FSM-01'], 'failed'),
      scenario('Login <script>', ['IAM-01']),
    ]);
    const tcr = await buildTcr(db, { runId }, criteria, catalogue);
    const html = renderTcrHtml(tcr);
    for (const heading of [
      'Summary',
      'Scope and environment',
      'Execution',
      'Deviations',
      'Exit criteria',
      'Testing issues',
      'Coverage traceability',
      'Mandated completion by party',
      'Residual risks',
      'Approval',
    ]) {
      assert.match(html, new RegExp(`<h2>${heading}</h2>`));
    }
    assert.ok(!html.includes('<script>'), 'scenario names are escaped');
    const junit = renderTcrJunit(tcr);
    assert.equal((junit.match(/<testcase /g) ?? []).length, criteria.criteria.length + Object.keys(catalogue).length);
    assert.match(junit, /<testcase classname="coverage" name="UEPT-FSM-01[^"]*"><failure/);
  });
});

describe('evidence packs', () => {
  const keys = testSigner();
  let db: Db;
  let dir: string;
  before(async () => {
    db = await openResults({ memory: true });
    dir = mkdtempSync(join(tmpdir(), 'fsm-evidence-'));
  });
  after(async () => {
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('seals each run, chains the runs, and names every file altered, added or removed', async () => {
    const source = join(dir, 'source.json');
    writeFileSync(source, '{"ok":true}\n');
    const runs = [
      await recordRun(db, 'Alpha Energy', [scenario('T', ['IAM-01'])]),
      await recordRun(db, 'Alpha Energy', [scenario('T', ['IAM-01'])]),
    ];
    for (const runId of runs)
      await buildEvidencePack(
        db,
        join(dir, 'evidence'),
        runId,
        [
          { from: source, to: 'run-summary.json' },
          { from: source, to: 'tcr/tcr.json' },
        ],
        keys.signer,
      );
    assert.deepEqual(await verifyEvidence(db, join(dir, 'evidence'), keys.trust), { ok: true, runs: 2, files: 4, problems: [] });
    const pack = join(dir, 'evidence', runs[1] ?? '');
    appendFileSync(join(pack, 'tcr', 'tcr.json'), ' ');
    writeFileSync(join(pack, 'extra.txt'), 'x');
    unlinkSync(join(pack, 'run-summary.json'));
    const result = await verifyEvidence(db, join(dir, 'evidence'), keys.trust);
    assert.equal(result.ok, false);
    assert.deepEqual(
      result.problems.map((p) => p.replace(/^.*evidence\/run-\d+\//, '')),
      ['run-summary.json was removed.', 'tcr/tcr.json was altered.', 'extra.txt was added after the pack was sealed.'],
    );
    appendFileSync(join(dir, 'evidence', runs[0] ?? '', 'manifest.json'), ' ');
    assert.match((await verifyEvidence(db, join(dir, 'evidence'), keys.trust, runs[0])).problems.join('\n'), /manifest\.json was altered/);
  });
  it('chains packs in the order they were sealed, when two are sealed in the same millisecond', async () => {
    const own = await openResults({ memory: true });
    try {
      const source = join(dir, 'same-ms.json');
      writeFileSync(source, '{}');
      const at = new Date('2026-12-01T12:00:00.000Z');
      // The second run's id sorts before the first's: ordered by time, then id, the chain read backwards.
      for (const id of ['run-z', 'run-a']) {
        await own.query(
          `INSERT INTO test_run (id, party, target, suite, mode, seed, harness_version, node_version, started_at)
           VALUES ($1, 'Alpha Energy', 'sim', 'uept', 'api', 1, '0', 'v20', $2)`,
          [id, at],
        );
        await buildEvidencePack(own, join(dir, 'same-ms'), id, [{ from: source, to: 'run-summary.json' }], keys.signer, at);
      }
      assert.deepEqual(await verifyEvidence(own, join(dir, 'same-ms'), keys.trust), { ok: true, runs: 2, files: 2, problems: [] });
    } finally {
      await own.close();
    }
  });
});

describe('configuration files', () => {
  it('names the file and line of a JSON syntax error, and the setting of a schema error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fsm-criteria-'));
    try {
      const broken = join(dir, 'criteria.json');
      writeFileSync(broken, '{\n  "assumed": true,\n  "criteria": [\n    { "id": "EC-1", }\n  ]\n}\n');
      assert.throws(() => readJsonFile(broken, CriteriaConfig), new RegExp(`${broken} line 4: not valid JSON`));
      writeFileSync(broken, JSON.stringify({ ...criteria, criteria: [{ id: 'EC-9', description: 'x', rule: 'vibes' }] }));
      assert.throws(() => readJsonFile(broken, CriteriaConfig), /criteria\.0\.rule/);
      assert.throws(() => readJsonFile(join(dir, 'missing.json'), CriteriaConfig), /Cannot read .*missing\.json: ENOENT/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
