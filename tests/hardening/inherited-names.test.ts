/**
 * Names Object.prototype has (issue 14 item 2): `constructor`, `__proto__`, `toString` and the rest,
 * wherever a request names a table, a field, a role, a catalogue variable or a query parameter. Each
 * is an unknown name like any other: a 400 in ServiceNow's shape that says which name is wrong, and
 * nothing stored. The review's examples come first; the rest of the class follows. The hostile-inputs
 * suite sends the same names at random through every endpoint and form.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { send, type ApiResponse } from '../../clients/http';
import { CATALOG } from '../../simulators/domain/catalog';
import type { Simulators } from '../../simulators/start';
import { assertRefused, signedInClient, startTestSimulators, type SignedIn } from '../support';
import { INHERITED_NAMES } from '../support/inherited-names';

const QCA = CATALOG.find((i) => i.file === 'qca')?.sys_id ?? '';
/** What a refused request must not change: accounts (their roles), attachments, orders, incidents. */
const STORED_SQL = ['account', 'attachment', 'sc_request', 'sc_req_item', 'incident', 'migration_batch']
  .map((t) => `SELECT '${t}' AS name, md5(coalesce(string_agg(r::text, '|' ORDER BY r::text), '')) AS hash FROM ${t} r`)
  .join(' UNION ALL ');
/** Field names the encoded-query grammar reads whole (lower case and underscores); the others stop at the first capital. */
const FIELD_SHAPED = INHERITED_NAMES.filter((n) => /^[a-z_][a-z0-9_]*$/.test(n));

/** A request that must be refused: what it is, how to send it, and what the refusal must say. */
type Refusal = [label: string, request: () => Promise<ApiResponse>, message: RegExp];

describe('names Object.prototype has', () => {
  let sims: Simulators;
  let admin: SignedIn;
  let incident: string;
  let user: string;
  let attachment: string;

  const stored = async () => new Map((await sims.core.db.query<{ name: string; hash: string }>(STORED_SQL)).map((r) => [r.name, r.hash]));
  const json = (raw: string) => ({ raw, headers: { 'content-type': 'application/json' } });

  /** Sends each request, expects a 400 saying `message`, and then finds every business table as it was. */
  async function refusedChangingNothing(requests: Refusal[]): Promise<void> {
    const before = await stored();
    for (const [label, request, message] of requests) {
      const answer = await request();
      assert.equal(answer.status, 400, `${label}: HTTP ${answer.status} ${JSON.stringify(answer.body)}`);
      assertRefused(answer, 400, message);
    }
    assert.deepEqual(await stored(), before, 'a refused request changed a table');
  }

  before(async () => {
    sims = await startTestSimulators();
    admin = await signedInClient(sims, 'Prototype Energy');
    const me = (await admin.api.me()).body.result.sys_id;
    assert.equal((await admin.api.update('sys_user', me, { roles: sims.core.roles.roleNames, region: 'Central' })).status, 200);
    incident = String((await admin.api.create('incident', { short_description: 'A target for inherited names' })).body.result.sys_id);
    user = String(
      (
        await admin.api.create('sys_user', {
          user_name: 'reader@prototype-energy.example',
          name: 'Rita Reader',
          roles: ['SERVICE_READONLY'],
        })
      ).body.result.sys_id,
    );
    attachment = String(
      (await admin.api.attach(incident, 'notes.txt', 'text/plain', new TextEncoder().encode('notes'))).body.result.sys_id,
    );
  });
  after(() => sims?.stop());

  it("refuses the review's examples with a 400 and stores nothing", async () => {
    await refusedChangingNothing(
      INHERITED_NAMES.flatMap((name): Refusal[] => [
        [
          `sysparm_query=${name}=1`,
          () => admin.api.request('GET', `/api/now/table/incident?sysparm_query=${encodeURIComponent(`${name}=1`)}`),
          /sysparm_query/,
        ],
        [`table ${name}`, () => admin.api.list(encodeURIComponent(name)), new RegExp(`Invalid table ${name}`)],
        [
          `table_name=${name}`,
          () => admin.api.attach(incident, 'notes.txt', 'text/plain', new TextEncoder().encode('notes'), name),
          /table_name must be one of incident, sc_req_item/,
        ],
        [
          `roles ${name}`,
          () => admin.api.update('sys_user', user, { roles: ['SERVICE_READONLY', name] }),
          new RegExp(`Unknown Job Type Role: ${name}`),
        ],
      ]),
    );
    assert.equal((await admin.api.get('sys_user', user)).body.result.roles, 'SERVICE_READONLY');
  });

  it('are unknown field names in sysparm_query, ORDERBY and sysparm_fields of every table and the Attachment API', async () => {
    const lists = ['/api/now/table/incident', '/api/now/table/sys_user', '/api/now/table/kb_knowledge', '/api/now/attachment'];
    const records = [`/api/now/table/incident/${incident}`, `/api/now/table/sys_user/${user}`, `/api/now/attachment/${attachment}`];
    const fields = (name: string) => [
      ['sysparm_fields', name],
      ['sysparm_fields', `sys_id,${name}`],
    ];
    const queries = (name: string) => [
      ...fields(name),
      ...[`${name}=1`, `${name}ISEMPTY`, `sys_idISNOTEMPTY^OR${name}=1`, `ORDERBY${name}`, `ORDERBYDESC${name}`].map((q) => [
        'sysparm_query',
        q,
      ]),
    ];
    const get = (path: string, [param = '', value = '']: string[]): Refusal => [
      `${path}?${param}=${value}`,
      () => admin.api.request('GET', `${path}?${new URLSearchParams({ [param]: value })}`),
      new RegExp(param),
    ];
    await refusedChangingNothing(
      INHERITED_NAMES.flatMap((name) => [
        ...lists.flatMap((path) => queries(name).map((q) => get(path, q))),
        ...records.flatMap((path) => fields(name).map((q) => get(path, q))),
      ]),
    );
    // Where the grammar reads the whole name, the answer is the one any unknown field gets.
    await refusedChangingNothing(
      FIELD_SHAPED.flatMap((name): Refusal[] => [
        [name, () => admin.api.list('incident', { sysparm_query: `${name}=1` }), new RegExp(`unknown field "${name}" of incident`)],
        [name, () => admin.api.list('incident', { sysparm_fields: name }), new RegExp(`unknown field "${name}" of incident`)],
      ]),
    );
  });

  it('are no table for any method of the Table API', async () => {
    const body = { json: { short_description: 'Written through an inherited name' } };
    await refusedChangingNothing(
      INHERITED_NAMES.flatMap((name): Refusal[] => {
        const table = `/api/now/table/${encodeURIComponent(name)}`;
        return [
          [`POST ${name}`, () => admin.api.request('POST', table, body), /Invalid table/],
          [`GET ${name}/id`, () => admin.api.request('GET', `${table}/${incident}`), /Invalid table/],
          [`PUT ${name}/id`, () => admin.api.request('PUT', `${table}/${incident}`, body), /Invalid table/],
          [`PATCH ${name}/id`, () => admin.api.request('PATCH', `${table}/${incident}`, body), /Invalid table/],
          [`DELETE ${name}/id`, () => admin.api.request('DELETE', `${table}/${incident}`), /Invalid table/],
        ];
      }),
    );
  });

  it('are no Job Type Role for a new user or a changed one, as an array or a list', async () => {
    await refusedChangingNothing(
      INHERITED_NAMES.flatMap((name, i): Refusal[] => [
        [
          name,
          () => admin.api.create('sys_user', { user_name: `new${i}@prototype-energy.example`, name: 'New Person', roles: [name] }),
          new RegExp(`Unknown Job Type Role: ${name}`),
        ],
        [
          name,
          () =>
            admin.api.create('sys_user', {
              user_name: `list${i}@prototype-energy.example`,
              name: 'New Person',
              roles: `SERVICE_USER,${name}`,
            }),
          new RegExp(`Unknown Job Type Role: ${name}`),
        ],
        [
          name,
          () => admin.api.update('sys_user', user, { roles: `SERVICE_READONLY,${name}` }),
          new RegExp(`Unknown Job Type Role: ${name}`),
        ],
      ]),
    );
  });

  it('are no catalogue variable', async () => {
    // Raw JSON, so that "__proto__" goes as a key (in an object literal it would set the prototype).
    await refusedChangingNothing(
      INHERITED_NAMES.map((name): Refusal => [
        name,
        () =>
          admin.api.request(
            'POST',
            `/api/sn_sc/servicecatalog/items/${QCA}/order_now`,
            json(`{"variables":{"incident_number":"INC0010001",${JSON.stringify(name)}:"x"}}`),
          ),
        new RegExp(`Unknown: ${name}`),
      ]),
    );
  });

  it('are unknown query parameters and body fields, as any other unknown name is', async () => {
    await refusedChangingNothing(
      INHERITED_NAMES.flatMap((name): Refusal[] => [
        [
          name,
          () => admin.api.request('GET', `/api/now/table/incident?${encodeURIComponent(name)}=1`),
          new RegExp(`Unknown query parameter: ${name}`),
        ],
        [
          name,
          () => admin.api.request('PATCH', `/api/now/table/incident/${incident}`, json(`{"urgency":"2",${JSON.stringify(name)}:"x"}`)),
          new RegExp(`Unknown field: ${name}`),
        ],
        [
          name,
          () =>
            admin.api.request(
              'POST',
              '/api/now/table/incident',
              json(`{"short_description":"Inherited body key",${JSON.stringify(name)}:"x"}`),
            ),
          new RegExp(`Unknown field: ${name}`),
        ],
      ]),
    );
  });

  it('keeps a legacy return as DSMS sent it, with every key', async () => {
    const returns = [Object.fromEntries(INHERITED_NAMES.map((name, i) => [name, `value ${i}`]))];
    const text = `{"party_id":"${admin.partyId}","snapshot":"incremental","accounts":[],"returns":${JSON.stringify(returns)}}`;
    const answer = await send<{ result: { batch: string } }>('POST', `${sims.urls.fsm}/__sim/migrations`, json(text));
    assert.equal(answer.status, 201, JSON.stringify(answer.body));
    const [row] = await sims.core.db.query<{ same: boolean }>('SELECT returns = $2::jsonb AS same FROM migration_batch WHERE id = $1', [
      answer.body.result.batch,
      JSON.stringify(returns),
    ]);
    assert.equal(row?.same, true, 'the stored returns lost a key');
  });
});
