/**
 * A signed run statement's shape, checked before anything reads it: a statement as `fsm-harness seal`
 * signs it passes, and each way a registered key could sign nonsense is refused.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RunRecord, StoredScenario } from '../../reporting/results-store';
import { runStatement } from '../../reporting/signing/statement';
import { parseStatement } from '../../reporting/signing/statement-shape';

const at = new Date('2026-12-01T10:00:00.000Z');
const run = {
  id: 'run-1',
  party: 'Alpha Energy',
  target: 'UIT',
  suite: 'uept',
  tags: null,
  mode: 'api',
  seed: 1,
  harnessVersion: '0.1.0',
  nodeVersion: 'v20',
  startedAt: at,
  finishedAt: at,
  targetKind: 'environment',
  environmentName: 'UIT',
  environmentUrl: 'https://uit.example',
  environmentTenant: null,
  tlsFingerprint: null,
  notStarted: null,
} as RunRecord;
const scenario = (i: number) =>
  ({
    runId: 'run-1',
    uri: `features/f${i}.feature`,
    feature: 'F',
    name: `Scenario ${i}`,
    tags: [],
    requirements: ['UEPT-FSM-01'],
    status: 'passed',
    firstStatus: 'passed',
    attempts: 1,
    durationMs: 10,
    recordedAt: at,
  }) as StoredScenario;

type Path = (string | number)[];
const DELETE = Symbol('delete');

/** A statement as sealing signs it, as JSON, with the value at each path replaced (or deleted). */
function signed(...edits: [Path, unknown][]): Buffer {
  const statement: unknown = JSON.parse(
    JSON.stringify(
      runStatement({ run, scenarios: [0, 1, 2].map(scenario), manifestSha256: 'a'.repeat(64), catalogue: 'b', previousStatement: null }),
    ),
  );
  for (const [path, value] of edits) {
    const parent = path.slice(0, -1).reduce<unknown>((at, key) => (at as Record<string | number, unknown>)[key], statement) as Record<
      string | number,
      unknown
    >;
    const last = path[path.length - 1] ?? '';
    if (value === DELETE) delete parent[last];
    else parent[last] = value;
  }
  return Buffer.from(JSON.stringify(statement));
}

const fsm = (...path: Path): Path => ['predicate', 'fsm', ...path];

describe('a signed run statement', () => {
  it('is read as sealing signs it, with or without a fraction of a second, a previous statement and fields it does not know', () => {
    assert.equal(parseStatement(signed())?.predicate.fsm.party, 'Alpha Energy');
    assert.ok(parseStatement(signed([fsm('run', 'startedAt'), '2028-02-29T23:59:59Z'])));
    assert.ok(parseStatement(signed([fsm('run', 'finishedAt'), '2026-12-01T10:00Z'])));
    assert.ok(parseStatement(signed([fsm('previousStatement'), 'c'.repeat(64)])));
    assert.ok(parseStatement(signed([fsm('scenarios', 0, 'extra'), { any: 'thing' }])));
  });

  const refused: [string, Path, unknown][] = [
    ['another statement type', ['_type'], 'https://in-toto.io/Statement/v0.1'],
    ['another predicate type', ['predicateType'], 'https://slsa.dev/provenance/v1'],
    ['no subject', ['subject'], []],
    ['a subject without its digest', ['subject', 0, 'digest'], DELETE],
    ['a digest too long', ['subject', 0, 'digest', 'sha256'], 'a'.repeat(65)],
    ['no party', fsm('party'), ''],
    ['a party named by a number', fsm('party'), 42],
    ['no run id', fsm('run', 'id'), DELETE],
    ['a start that is not a UTC date-time', fsm('run', 'startedAt'), '2026-12-01T10:00:00+01:00'],
    ['a day that is not in the calendar', fsm('run', 'startedAt'), '2026-02-29T10:00:00Z'],
    ['a finish that is not a date-time', fsm('run', 'finishedAt'), 'yesterday'],
    ['an environment URL too long', fsm('environment', 'url'), `https://${'x'.repeat(500)}`],
    ['no environment', fsm('environment'), DELETE],
    ['scenarios that are not a list', fsm('scenarios'), { 0: {} }],
    ['a status that is not a status', fsm('scenarios', 1, 'status'), 'PASSED'],
    ['a fractional number of attempts', fsm('scenarios', 1, 'attempts'), 1.5],
    ['no attempt at all', fsm('scenarios', 1, 'attempts'), 0],
    ['a requirement that is not text', fsm('scenarios', 2, 'requirements'), [null]],
    ['a scenario that is not an object', fsm('scenarios', 2), ['features/f2.feature']],
    ['a previous statement too long', fsm('previousStatement'), 'c'.repeat(65)],
    // PostgreSQL cannot store a NUL character: the service answered 500 when it tried.
    ['a NUL character in a scenario name', fsm('scenarios', 0, 'name'), 'Scenario\u00000'],
    ['a NUL character in a requirement', fsm('scenarios', 0, 'requirements'), ['UEPT\u0000']],
    ['a NUL character in the party', fsm('party'), 'Alpha\u0000'],
  ];
  for (const [what, path, value] of refused)
    it(`is refused with ${what}`, () => assert.equal(parseStatement(signed([path, value])), undefined));

  it('is refused when it is not JSON or not an object', () => {
    assert.equal(parseStatement(Buffer.from('{"_type":')), undefined);
    assert.equal(parseStatement(Buffer.from('null')), undefined);
    assert.equal(parseStatement(Buffer.from('[]')), undefined);
  });
});
