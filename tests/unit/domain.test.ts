import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SimClock } from '../../simulators/domain/clock';
import { parseDuration } from '../../simulators/domain/duration';
import { parseEncodedQuery } from '../../simulators/domain/encoded-query';
import { DomainError } from '../../simulators/domain/errors';
import { formatNumber, newSysId, SYS_ID } from '../../simulators/domain/ids';
import { assertTransition, IncidentState, priorityOf, type Level } from '../../simulators/domain/incident';
import { monthIndex, monthText } from '../../simulators/domain/oms';
import { loadRoleCatalogue } from '../../simulators/start';

function refusal(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof DomainError, `expected a DomainError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a refusal');
}

describe('durations', () => {
  it('reads ISO 8601 durations', () => {
    assert.equal(parseDuration('PT30M'), 30 * 60_000);
    assert.equal(parseDuration('P1DT2H'), 26 * 3_600_000);
    assert.equal(parseDuration('P2W'), 14 * 86_400_000);
    assert.equal(parseDuration('PT0.5S'), 500);
  });
  it('refuses what is not one, saying how to write it', () => {
    for (const bad of ['30m', 'P', 'PT', 'P1M', '', 'PT1H30', '-PT1H']) {
      const error = refusal(() => parseDuration(bad));
      assert.equal(error.status, 400, bad);
    }
  });
});

describe('the simulated clock', () => {
  it('sets, advances and freezes time', () => {
    let real = Date.parse('2026-01-01T00:00:00Z');
    const clock = new SimClock(() => real);
    clock.set('2026-12-01T09:00:00Z');
    real += 1000;
    assert.equal(clock.now().toISOString(), '2026-12-01T09:00:01.000Z');
    clock.freeze(true);
    real += 60_000;
    assert.equal(clock.now().toISOString(), '2026-12-01T09:00:01.000Z');
    clock.advance('PT30M');
    assert.equal(clock.now().toISOString(), '2026-12-01T09:30:01.000Z');
    clock.freeze(false);
    real += 1000;
    assert.equal(clock.now().toISOString(), '2026-12-01T09:30:02.000Z');
    clock.reset();
    assert.equal(clock.now().getTime(), real);
  });

  it('sets and freezes in one change at exactly the instant set, and a refused change leaves it as it was', () => {
    let real = Date.parse('2026-01-01T00:00:00Z');
    // Real time moves on between any two readings, as it does on a busy machine.
    const clock = new SimClock(() => (real += 1));
    clock.change({ set: '2026-12-01T09:00:00Z', freeze: true });
    assert.deepEqual([clock.now().toISOString(), clock.state().frozen], ['2026-12-01T09:00:00.000Z', true]);
    assert.throws(() => clock.change({ set: '2027-01-01T00:00:00Z', advance: 'tomorrow' }), /ISO 8601/);
    assert.equal(clock.now().toISOString(), '2026-12-01T09:00:00.000Z');
  });
  it('refuses a date that is not ISO 8601', () => {
    assert.equal(refusal(() => new SimClock().set('next tuesday')).field, 'set');
  });
});

describe('incident rules', () => {
  it('computes priority from impact and urgency with the usual matrix', () => {
    const matrix = [1, 2, 3].map((impact) => [1, 2, 3].map((urgency) => priorityOf(impact as Level, urgency as Level)));
    assert.deepEqual(matrix, [
      [1, 2, 3],
      [2, 3, 4],
      [3, 4, 5],
    ]);
  });
  it('allows only legal transitions, by the right actor', () => {
    assert.doesNotThrow(() => assertTransition(IncidentState.New, IncidentState.Canceled, 'user'));
    assert.doesNotThrow(() => assertTransition(IncidentState.Resolved, IncidentState.InProgress, 'user'));
    assert.doesNotThrow(() => assertTransition(IncidentState.Resolved, IncidentState.Closed, 'user'));
    assert.equal(refusal(() => assertTransition(IncidentState.New, IncidentState.Resolved, 'user')).status, 409);
    const final = refusal(() => assertTransition(IncidentState.Closed, IncidentState.InProgress, 'service_desk'));
    assert.match(final.detail, /nothing \(it is final\)/);
  });
  it('numbers and identifies records as ServiceNow does', () => {
    assert.equal(formatNumber('INC', 10001), 'INC0010001');
    assert.match(newSysId(), SYS_ID);
    assert.notEqual(newSysId(), newSysId());
  });
});

describe('encoded queries', () => {
  it('parses AND, OR, operators and sorting', () => {
    const q = parseEncodedQuery('active=true^priority<=2^ORcategory=network^short_descriptionLIKEDSP^ORDERBYDESCnumber');
    assert.deepEqual(q.where, [
      [{ field: 'active', operator: '=', value: 'true' }],
      [
        { field: 'priority', operator: '<=', value: '2' },
        { field: 'category', operator: '=', value: 'network' },
      ],
      [{ field: 'short_description', operator: 'LIKE', value: 'DSP' }],
    ]);
    assert.deepEqual(q.orderBy, [{ field: 'number', descending: true }]);
  });
  it('reads IN lists, empty checks and escaped carets', () => {
    const q = parseEncodedQuery('stateIN1,2^descriptionISEMPTY^short_description=a^^b');
    assert.deepEqual(q.where.flat(), [
      { field: 'state', operator: 'IN', value: '1,2' },
      { field: 'description', operator: 'ISEMPTY', value: '' },
      { field: 'short_description', operator: '=', value: 'a^b' },
    ]);
  });
  it('refuses operators and forms it does not support, never ignoring them', () => {
    for (const bad of ['priorityBETWEEN1@2', 'active=true^NQpriority=1', '^ORactive=true', 'Priority=1', 'x'.repeat(4001)]) {
      const error = refusal(() => parseEncodedQuery(bad));
      assert.equal(error.status, 400, bad);
      assert.match(error.message, /sysparm_query/, bad);
    }
  });
});

describe('the role catalogue', () => {
  const roles = loadRoleCatalogue('config/role-catalogue.json');
  it('grants functional components through job type roles', () => {
    assert.ok(roles.grants(['SERVICE_USER'], 'incidents.write'));
    assert.ok(!roles.grants(['SERVICE_READONLY'], 'incidents.write'));
  });
  it('refuses with the roles that would grant the component', () => {
    const error = refusal(() => roles.require(['SERVICE_READONLY'], 'incidents.write'));
    assert.equal(error.status, 403);
    assert.match(error.message + error.detail, /SERVICE_USER/);
  });
  it('refuses unknown roles', () => {
    assert.equal(refusal(() => roles.assertRoles(['CHIEF_WIZARD'])).status, 400);
  });
});

describe('OMS months', () => {
  it('writes a month number back as YYYY-MM, across year ends', () => {
    for (const month of ['2026-12', '2027-01', '2027-10']) assert.equal(monthText(monthIndex(month)), month);
    assert.equal(monthText(monthIndex('2026-12') + 1), '2027-01');
  });
});
