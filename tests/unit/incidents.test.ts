/** An incident's whole life over HTTP: comments, work notes, DCC's service desk, resolutions, auto-close, attachments, notifications. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FsmApiClient, SnRecord } from '../../clients/fsm-api';
import { SimControlClient } from '../../clients/sim-control';
import type { Simulators } from '../../simulators/start';
import { assertRefused, signedInClient, signInAgain, startTestSimulators, type SignedIn } from '../support';

describe('incident lifecycle', () => {
  let sims: Simulators;
  let alice: SignedIn;
  let bob: SignedIn;
  let desk: SimControlClient;
  before(async () => {
    sims = await startTestSimulators();
    alice = await signedInClient(sims, 'Life Energy');
    bob = await signedInClient(sims, 'Other Gas');
    desk = new SimControlClient(sims.urls.fsm);
  });
  after(() => sims?.stop());

  async function raise(api: FsmApiClient, fields: Record<string, string> = {}): Promise<SnRecord> {
    const created = await api.create('incident', { short_description: 'Alerts missing for devices', ...fields });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    return created.body.result;
  }
  const comments = async (api: FsmApiClient, id: string) =>
    (await api.list('sys_journal_field', { sysparm_query: `element_id=${id}^ORDERBYsys_created_on` })).body.result.map(
      (j) => `${String(j.element)}: ${String(j.value)}`,
    );

  it('numbers incidents one after another, seven digits after INC', async () => {
    const [first, second] = [await raise(alice.api), await raise(bob.api)].map((i) => String(i.number));
    assert.match(first ?? '', /^INC\d{7}$/);
    assert.equal(Number(second?.slice(3)) - Number(first?.slice(3)), 1, `${first} then ${second}`);
  });

  it('sets the Target Resolution Time from the category (priority) on the simulated clock', async () => {
    const incident = await raise(alice.api, { impact: '1', urgency: '1', affected_service: 'DUIS' });
    const created = Date.parse(`${String(incident.sys_created_on).replace(' ', 'T')}Z`);
    const target = Date.parse(`${String(incident.target_resolution_at).replace(' ', 'T')}Z`);
    assert.equal(target - created, 4 * 3_600_000);
    assert.equal(incident.affected_service, 'DUIS');
  });

  it('keeps comments for the User and work notes for DCC only', async () => {
    const id = String((await raise(alice.api)).sys_id);
    assert.equal((await alice.api.update('incident', id, { comments: 'Seen since 09:00' })).status, 200);
    assertRefused(await alice.api.update('incident', id, { work_notes: 'internal' }), 403, /Work notes are for DCC/);
    await desk.serviceDesk(id, { work_notes: 'Checked the DSP queue', comments: 'We are looking at it' });
    assert.deepEqual(await comments(alice.api, id), ['comments: Seen since 09:00', 'comments: We are looking at it']);
    assert.deepEqual(await comments(bob.api, id), []);
  });

  it('returns an incident on hold awaiting the caller to In Progress when the User answers, and notifies them', async () => {
    const id = String((await raise(alice.api)).sys_id);
    await desk.serviceDesk(id, { state: 2 });
    assertRefused(await alice.api.update('incident', id, { state: 3 }), 409, /Only DCC's service desk/);
    assert.match(String(await desk.serviceDesk(id, { state: 3 }).catch((e: Error) => e.message)), /Say why the incident is on hold/);
    await desk.serviceDesk(id, { state: 3, on_hold_reason: 'awaiting_caller', comments: 'Which meters?' });
    const inbox = (await alice.api.notifications(true)).body.result;
    assert.ok(inbox.some((n) => /is On Hold/.test(n.subject) && n.record?.sys_id === id));
    assert.ok((await desk.mailbox(alice.username)).some((m) => /^DCC commented on INC\d{7}$/.test(m.subject)));
    const answered = await alice.api.update('incident', id, { comments: 'The North region ones' });
    assert.deepEqual([answered.body.result.state, answered.body.result.on_hold_reason], ['2', '']);
  });

  it('lets the User confirm or reject a resolution, with a reason to reject', async () => {
    const id = String((await raise(alice.api)).sys_id);
    await desk.serviceDesk(id, { state: 2 });
    assert.match(String(await desk.serviceDesk(id, { state: 6 }).catch((e: Error) => e.message)), /close_notes/);
    await desk.serviceDesk(id, { state: 6, close_notes: 'Queue restarted' });
    assertRefused(await alice.api.update('incident', id, { state: 2 }), 400, /Say why the resolution does not work/);
    const rejected = await alice.api.update('incident', id, { state: 2, comments: 'Still no alerts' });
    assert.deepEqual([rejected.body.result.state, rejected.body.result.reopen_count, rejected.body.result.resolved_at], ['2', '1', '']);
    await desk.serviceDesk(id, { state: 6, close_notes: 'Firmware fixed' });
    const confirmed = await alice.api.update('incident', id, { state: 7 });
    assert.deepEqual([confirmed.body.result.state, confirmed.body.result.active], ['7', 'false']);
    assertRefused(await alice.api.update('incident', id, { comments: 'one more thing' }), 409, /closed and can no longer change/);
  });

  it('closes a resolution nobody answers after 7 days on the simulated clock', async () => {
    const id = String((await raise(alice.api)).sys_id);
    await desk.serviceDesk(id, { state: 6, close_notes: 'Done' });
    try {
      sims.clock.advance('P6DT23H');
      assert.equal((await (await signInAgain(sims, alice)).get('incident', id)).body.result.state, '6');
      sims.clock.advance('PT1H1M');
      const closed = (await (await signInAgain(sims, alice)).get('incident', id)).body.result;
      assert.deepEqual([closed.state, closed.active], ['7', 'false']);
    } finally {
      sims.clock.reset();
    }
  });

  it('takes attachments within the limits, checks their type, and serves them only to their party', async () => {
    const id = String((await raise(alice.api)).sys_id);
    const csv = new TextEncoder().encode('meter,alert\n90-B3-D5-1F-30-01-00-00,missing\n');
    const stored = await alice.api.attach(id, 'alerts.csv', 'text/csv', csv);
    assert.equal(stored.status, 201, JSON.stringify(stored.body));
    const list = await alice.api.request<{ result: SnRecord[] }>('GET', `/api/now/attachment?sysparm_query=table_sys_id=${id}`);
    assert.deepEqual(
      list.body.result.map((a) => [a.file_name, a.size_bytes]),
      [['alerts.csv', String(csv.length)]],
    );
    const download = await fetch(String(stored.body.result.download_link), {
      headers: { authorization: `Bearer ${alice.api.accessToken}` },
    });
    assert.deepEqual(new Uint8Array(await download.arrayBuffer()), csv);
    assertRefused(await alice.api.attach(id, 'report.pdf', 'application/pdf', csv), 400, /not a application\/pdf file/);
    assertRefused(await alice.api.attach(id, 'tool.exe', 'application/x-msdownload', csv), 400, /cannot be attached/);
    assertRefused(await alice.api.attach(id, '../etc/passwd', 'text/plain', csv), 400, /plain file name/);
    assertRefused(await alice.api.attach(id, 'big.csv', 'text/csv', new Uint8Array(70 * 1024).fill(65)), 413, /too large/);
    assertRefused(await alice.api.attach(id, 'bin.csv', 'text/csv', new Uint8Array([0x41, 0, 0x42])), 400, /UTF-8 without NUL/);
    assertRefused(await bob.api.attach(id, 'alerts.csv', 'text/csv', csv), 404, /No Record found/);
    assertRefused(await bob.api.request('GET', `/api/now/attachment/${String(stored.body.result.sys_id)}`), 404, /No Record found/);
  });

  it('records notifications in the SSI even when the User turned email copies off', async () => {
    const carol = await signedInClient(sims, 'Quiet Power');
    assert.equal((await carol.api.setEmailCopies(false)).status, 200);
    const id = String((await raise(carol.api)).sys_id);
    const before = (await new SimControlClient(sims.urls.fsm).mailbox(carol.username)).length;
    await desk.serviceDesk(id, { comments: 'Hello from DCC' });
    assert.ok((await carol.api.notifications()).body.result.some((n) => n.subject.startsWith('DCC commented')));
    assert.equal((await new SimControlClient(sims.urls.fsm).mailbox(carol.username)).length, before);
  });
});
