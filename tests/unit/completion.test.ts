/**
 * Only runs against a real environment count as mandated completion (issue 16): a simulator run is a
 * rehearsal in `completion`, the TCR (partyCompletion, goNoGo, the mandated exit criterion, every
 * rendering's first screen), and a run that never reached its target is never the latest run.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { completionReport } from '../../cli/results-answers';
import { loadRequirementCatalogue } from '../../cli/summary';
import { loadCriteria } from '../../reporting/criteria';
import { latestStartedRun, listRuns, markNotStarted, openResults } from '../../reporting/results-store';
import { buildTcr } from '../../reporting/tcr';
import { renderTcrHtml } from '../../reporting/tcr-html';
import { renderTcrJunit } from '../../reporting/tcr-junit';
import type { Db } from '../../simulators/store/db';
import { MANDATED, recordRun, scenario, type RunFixture } from '../support/results';

const catalogue = loadRequirementCatalogue();
const criteria = loadCriteria();
const allMandated = () => MANDATED.map((id) => scenario(`Test ${id}`, [id]));
const mandatedCriterion = criteria.criteria.find((c) => c.rule === 'mandated-passed')?.id;

describe('mandated completion counts only runs against a real environment', () => {
  let db: Db;
  beforeEach(async () => {
    db = await openResults({ memory: true });
  });
  afterEach(() => db.close());

  const passedEverything = async (kind: RunFixture['kind']) => {
    await recordRun(db, 'Alpha Energy', allMandated(), { kind });
    return buildTcr(db, {}, criteria, catalogue);
  };

  for (const [what, kind] of [
    ['a simulator started by the harness', 'sim'],
    ['a simulator at a URL', 'simulator-url'],
    ['an old run that recorded no kind of target', null],
  ] as const) {
    it(`a pass against ${what} is "rehearsed, not complete" in partyCompletion, goNoGo and the mandated criterion`, async () => {
      const tcr = await passedEverything(kind);
      assert.deepEqual(
        tcr.partyCompletion.map((r) => [r.test, r.passed, r.rehearsed, r.status]),
        MANDATED.map((id) => [id, false, true, 'rehearsed, not complete']),
      );
      assert.deepEqual(tcr.goNoGo, [{ party: 'Alpha Energy', notPassed: MANDATED, rehearsedOnly: MANDATED, expectedIncidentVolume: null }]);
      const criterion = tcr.exitCriteria.find((c) => c.id === mandatedCriterion);
      assert.equal(criterion?.met, false);
      assert.match(criterion?.evidence ?? '', /UEPT-FSM-01 \(rehearsed only\)/);
      assert.equal(tcr.summary.exitCriteriaMet, false);
      assert.deepEqual([tcr.target.environmentRuns, tcr.target.rehearsalRuns], [0, 1]);
      assert.match(tcr.target.headline, /^Rehearsal on the simulator — not mandated completion/);
      assert.equal(tcr.scope.runs[0]?.evidence, 'rehearsal');
    });
  }

  it("a whole-window report judges each party on its own runs: one party's later pass never hides another's failure", async () => {
    await recordRun(db, 'Alpha Energy', [
      ...allMandated().slice(0, 1),
      scenario('Test UEPT-FSM-02', ['UEPT-FSM-02'], 'failed'),
      ...allMandated().slice(2),
    ]);
    await recordRun(db, 'Beta Networks', allMandated());
    const tcr = await buildTcr(db, {}, criteria, catalogue);
    assert.equal(tcr.execution.run, 2 * MANDATED.length, "each party's scenarios count");
    assert.equal(tcr.execution.failed, 1);
    const criterion = tcr.exitCriteria.find((c) => c.id === mandatedCriterion);
    assert.equal(criterion?.met, false);
    assert.match(criterion?.evidence ?? '', /UEPT-FSM-02 \(failed\)/);
    assert.deepEqual(
      tcr.goNoGo.map((g) => [g.party, g.notPassed]),
      [
        ['Alpha Energy', ['UEPT-FSM-02']],
        ['Beta Networks', []],
      ],
    );
  });

  it('the same results recorded against a real environment count, labelled unconfirmed', async () => {
    const tcr = await passedEverything('environment');
    assert.deepEqual(
      tcr.partyCompletion.map((r) => [r.test, r.passed, r.status]),
      MANDATED.map((id) => [id, true, 'passed on environment (unconfirmed)']),
    );
    assert.deepEqual(tcr.goNoGo[0]?.notPassed, []);
    assert.equal(tcr.exitCriteria.find((c) => c.id === mandatedCriterion)?.met, true);
    assert.match(tcr.target.headline, /real environment \(UIT environment 1\).*unconfirmed: not verified by DCC/);
  });

  it('a party can be rehearsed and not complete: a failure on the environment is not hidden by a rehearsal pass', async () => {
    await recordRun(db, 'Alpha Energy', allMandated(), { kind: 'sim' });
    await recordRun(db, 'Alpha Energy', [scenario('Test UEPT-FSM-01', ['UEPT-FSM-01'], 'failed')], { kind: 'environment' });
    await recordRun(db, 'Alpha Energy', [scenario('Test UEPT-FSM-02', ['UEPT-FSM-02'])], { kind: 'environment' });
    const tcr = await buildTcr(db, {}, criteria, catalogue);
    assert.deepEqual(
      tcr.partyCompletion.slice(0, 3).map((r) => r.status),
      ['failed on environment', 'passed on environment (unconfirmed)', 'rehearsed, not complete'],
    );
    assert.deepEqual(tcr.goNoGo[0]?.rehearsedOnly, MANDATED.slice(2));
    assert.match(tcr.target.headline, /1 of 3 runs were rehearsals on the simulator — not mandated completion\.$/);
  });

  it('says which kind of target on the first screen of the HTML (so the PDF) and the JUnit file', async () => {
    const tcr = await passedEverything('sim');
    const html = renderTcrHtml(tcr);
    assert.match(html.slice(0, html.indexOf('<main>')), /Rehearsal on the simulator — not mandated completion/);
    const junit = renderTcrJunit(tcr);
    assert.match(junit.split('\n').slice(0, 3).join('\n'), /Rehearsal on the simulator — not mandated completion/);
    assert.match(junit, /<property name="target" value="Rehearsal on the simulator/);
  });

  it('`completion` says rehearsed, not passed, for a simulator-only history, with CSV columns for each', async () => {
    const { lines, csv } = completionReport(await passedEverything('sim'));
    const said = lines.join('\n');
    assert.match(said, /^Rehearsal on the simulator — not mandated completion/);
    assert.match(said, /Alpha Energy {2}UEPT-FSM-01 {2}REHEARSED, NOT COMPLETE/);
    assert.doesNotMatch(said, /Every party has passed/);
    assert.doesNotMatch(said, /unconfirmed/, 'no environment run: nothing to call unconfirmed');
    assert.match(said, /Not yet passed on an environment: Alpha Energy \(UEPT-FSM-01.*; rehearsed only: UEPT-FSM-01/);
    const [head, first] = csv.split('\n');
    assert.equal(head, 'party,test,status,passed_on_environment,rehearsed,at,target,target_kind,run');
    assert.match(first ?? '', /^"Alpha Energy","UEPT-FSM-01","rehearsed, not complete","false","true",.*,"sim","run-\d+"$/);
  });
});

describe('a run that never reached its target', () => {
  it('is recorded as not started, and the latest run for a report stays the last one that started', async () => {
    const db = await openResults({ memory: true });
    try {
      const started = await recordRun(db, 'Alpha Energy', allMandated());
      const failed = await recordRun(db, 'Alpha Energy', []);
      await markNotStarted(db, failed, 'Nothing answered GET http://127.0.0.1:1 (ECONNREFUSED).', new Date());
      const runs = await listRuns(db);
      assert.equal(runs.at(-1)?.notStarted, 'Nothing answered GET http://127.0.0.1:1 (ECONNREFUSED).');
      assert.equal((await latestStartedRun(db))?.id, started);
      const tcr = await buildTcr(db, { party: 'Alpha Energy' }, criteria, catalogue);
      assert.equal(tcr.complete, true, 'a run that did not start is not an incomplete run');
      assert.match(renderTcrHtml(tcr), /not started: Nothing answered/);
    } finally {
      await db.close();
    }
  });
});
