/**
 * `report` says a draft already written is current (reporting/kept-report.ts) only while every file it
 * wrote is as written: an edited, replaced or removed file must be rendered again, never presented as
 * current. (That the store itself is unchanged is the kept answer's part: answer-cache.test.ts.)
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { intact, keptReport } from '../../reporting/kept-report';

describe('a draft report kept as current', () => {
  let dir: string;
  const files = () => ['tcr.json', 'tcr.html', 'tcr.pdf'].map((name) => join(dir, name));
  const write = () => files().forEach((path, i) => writeFileSync(path, `contents ${i}`));

  before(() => (dir = mkdtempSync(join(tmpdir(), 'fsm-kept-report-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('is current while every file is as written', () => {
    write();
    assert.equal(intact(keptReport('TCR', files())), true);
  });

  it('is not current once a file is edited, even to the same size', () => {
    write();
    const kept = keptReport('TCR', files());
    writeFileSync(join(dir, 'tcr.html'), 'contents X');
    assert.equal(intact(kept), false);
  });

  it('is not current once a file is removed', () => {
    write();
    const kept = keptReport('TCR', files());
    unlinkSync(join(dir, 'tcr.pdf'));
    assert.equal(intact(kept), false);
  });

  it('is never current with no files', () => {
    assert.equal(intact(keptReport('TCR', [])), false);
  });
});
