/**
 * `reports/` is outputs only: clearing it (`rm -rf reports`, the obvious way) leaves the harness
 * working and loses no evidence, because the sealed packs and the results store live outside it.
 * Two runs in a scratch working directory, reports deleted between them, then `verify` over both.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';

const repo = resolve(__dirname, '..', '..');
const bin = join(repo, 'bin', 'fsm-harness.js');

function harness(cwd: string, ...args: string[]) {
  return harnessWith({}, cwd, ...args);
}

function harnessWith(env: NodeJS.ProcessEnv, cwd: string, ...args: string[]) {
  const run = spawnSync(process.execPath, [bin, ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 180_000,
    env: { ...process.env, FSM_TARGET: 'sim', ...env },
  });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

test('nothing is kept in reports/ but its README: the source that writes reports lives elsewhere', () => {
  const tracked = spawnSync('git', ['ls-files', 'reports'], { cwd: repo, encoding: 'utf8' });
  assert.equal(tracked.status, 0, tracked.stderr);
  assert.deepEqual(tracked.stdout.trim().split('\n'), ['reports/README.md']);
});

const tcrRun = (cwd: string) =>
  (JSON.parse(readFileSync(join(cwd, 'reports', 'tcr', 'tcr.json'), 'utf8')) as { scope: { runs: { id: string }[] } }).scope.runs.map(
    (r) => r.id,
  );

test('clearing reports/ between runs loses no evidence; a run whose target never answered keeps the reports and is never the latest', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'fsm-outputs-'));
  for (const name of ['features', 'steps', 'config', 'cucumber.js', 'node_modules', 'package.json', 'tsconfig.json'])
    symlinkSync(join(repo, name), join(cwd, name));
  try {
    const first = harness(cwd, 'run', '--suite', 'uept', '--tags', '@UEPT-FSM-02', '--no-pdf');
    assert.equal(first.status, 0, first.output);
    rmSync(join(cwd, 'reports'), { recursive: true, force: true });
    const second = harness(cwd, 'run', '--suite', 'uept', '--tags', '@UEPT-FSM-02', '--no-pdf');
    assert.equal(second.status, 0, second.output);
    assert.equal(readdirSync(join(cwd, '.fsm-evidence')).length, 2);
    assert.ok(existsSync(join(cwd, 'reports', 'tcr', 'tcr.json')), 'the second run rebuilt its reports');
    assert.match(second.output, /Rehearsal on the simulator — not mandated completion/);
    // A run leaves the answers to `completion` and `issues` (cli/results-answers.ts); each must be the one worked out afresh.
    assert.ok(existsSync(join(cwd, '.fsm-results', 'fsm-answers', 'answers.json')), 'the run left no answers');
    for (const command of ['completion', 'issues'])
      assert.equal(harness(cwd, command).output, harnessWith({ FSM_FROM_SOURCE: '1' }, cwd, command).output, command);
    const latest = tcrRun(cwd);
    const dead = harness(cwd, 'run', '--suite', 'uept', '--target', 'http://127.0.0.1:1', '--no-pdf');
    assert.equal(dead.status, 1, dead.output);
    assert.match(dead.output, /Run run-\S+ not started: nothing answered at http:\/\/127\.0\.0\.1:1/);
    assert.deepEqual(tcrRun(cwd), latest, 'the reports of the last run that started are kept');
    const report = harness(cwd, 'report', '--no-pdf');
    assert.equal(report.status, 0, report.output);
    assert.deepEqual(tcrRun(cwd), latest, 'report is made from the last run that started');
    // Kept as current while the store is unchanged (reporting/kept-report.ts), but never once a file of it was edited.
    appendFileSync(join(cwd, 'reports', 'tcr', 'tcr.html'), '<!-- edited -->');
    const edited = harness(cwd, 'report', '--no-pdf');
    assert.match(edited.output, /Written: /, edited.output);
    assert.doesNotMatch(readFileSync(join(cwd, 'reports', 'tcr', 'tcr.html'), 'utf8'), /edited/);
    assert.match(harness(cwd, 'report', '--no-pdf').output, /Written: |Current, not written again/);
    const verify = harness(cwd, 'verify');
    assert.equal(verify.status, 0, verify.output);
    assert.match(verify.output, /Evidence intact: 2 run\(s\)/);
    const issued = harness(cwd, 'report', '--issue', '--reviewer', 'Jane Reviewer', '--approver', 'Sam Approver');
    assert.equal(issued.status, 0, issued.output);
    const id = /(TCR-\S+) version 1\.0 ISSUED/.exec(issued.output)?.[1] ?? '';
    assert.ok(existsSync(join(cwd, '.fsm-evidence', 'issued', id, 'tcr.dsse.json')), issued.output);
    const again = harness(cwd, 'report', '--issue', '--reviewer', 'Jane Reviewer', '--approver', 'Sam Approver', '--id', id);
    assert.equal(again.status, 1, again.output);
    assert.match(again.output, new RegExp(`${id} is already issued`));
    const unapproved = harness(cwd, 'report', '--issue', '--reviewer', 'Jane Reviewer');
    assert.equal(unapproved.status, 1, unapproved.output);
    assert.match(unapproved.output, /give --reviewer NAME and --approver NAME/);
    assert.match(harness(cwd, 'verify').output, /Evidence intact: 2 run\(s\), \d+ files, 1 issued report\(s\) checked/);
    appendFileSync(join(cwd, '.fsm-evidence', 'issued', id, 'tcr.pdf'), '%%EOF');
    const tampered = harness(cwd, 'verify');
    assert.equal(tampered.status, 1, tampered.output);
    assert.match(tampered.output, new RegExp(`issued/${id}/tcr\\.pdf was altered after ${id} was issued`));
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
});
