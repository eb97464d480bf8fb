/**
 * XML in and out (issue 17), over real HTTP: the Table, Attachment and Service Catalog APIs answer
 * `Accept: application/xml` (or text/xml) with ServiceNow's `<response>` (one `<result>` per record
 * of a list, references as `<link>` and `<value>`, errors as `<error><message/><detail/></error>`),
 * read `<request><entry>…</entry></request>` bodies, negotiate Accept with q-values and wildcards, and
 * answer 406 to an Accept they cannot meet. Each answer is checked against the same request in JSON.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FsmApiClient, SnRecord } from '../../clients/fsm-api';
import type { ApiResponse } from '../../clients/http';
import type { Simulators } from '../../simulators/start';
import { escapeXml } from '../../simulators/http/xml-write';
import { signedInClient, startTestSimulators } from '../support';

const XML = { accept: 'application/xml' };
const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';
const TABLE = '/api/now/table/incident';

/** The inner text of each `<name>` element (never nested in itself in these answers). */
const elements = (xml: unknown, name: string) => [...String(xml).matchAll(new RegExp(`<${name}>(.*?)</${name}>`, 'gs'))].map((m) => m[1]);

/** ServiceNow's XML error, with the message the JSON answer would give. */
function assertXmlRefusal(response: ApiResponse, status: number, message: RegExp): void {
  assert.equal(response.status, status, String(response.body));
  assert.match(String(response.headers.get('content-type')), /^application\/xml/);
  const body = String(response.body);
  assert.match(
    body,
    /^<\?xml version="1.0" encoding="UTF-8"\?><response><error><message>[^<]+<\/message><detail>[^<]*<\/detail><\/error><status>failure<\/status><\/response>$/,
  );
  assert.match(elements(body, 'message')[0] ?? '', message);
}

/** Every field of the JSON record appears in the XML record as ServiceNow writes it. */
function assertSameRecord(xmlRecord: string | undefined, json: SnRecord): void {
  const expected = Object.entries(json)
    .map(([name, value]) =>
      typeof value === 'object' && value !== null
        ? `<${name}>${Object.entries(value)
            .map(([k, v]) => `<${k}>${escapeXml(String(v))}</${k}>`)
            .join('')}</${name}>`
        : `<${name}>${escapeXml(String(value))}</${name}>`,
    )
    .join('');
  assert.equal(xmlRecord, expected);
}

describe('XML in and out', () => {
  let sims: Simulators;
  let alice: FsmApiClient;
  let incident: SnRecord;

  before(async () => {
    sims = await startTestSimulators();
    ({ api: alice } = await signedInClient(sims, 'Alpha Energy'));
    for (const n of [1, 2, 3]) await alice.create('incident', { short_description: `XML list ${n} <&>` });
    incident = (await alice.create('incident', { short_description: 'XML target "quoted" & <tagged>' })).body.result;
  });
  after(() => sims?.stop());

  it('answers a list as one <result> per record inside <response>, with its paging headers', async () => {
    const query = '?sysparm_query=short_descriptionSTARTSWITHXML list^ORDERBYnumber&sysparm_limit=2';
    const json = await alice.request<{ result: SnRecord[] }>('GET', TABLE + query);
    const xml = await alice.request('GET', TABLE + query, { headers: XML });
    assert.equal(xml.status, 200);
    assert.match(String(xml.headers.get('content-type')), /^application\/xml; charset=utf-8$/i);
    assert.ok(String(xml.body).startsWith(`${DECLARATION}<response><result>`), String(xml.body).slice(0, 80));
    const records = elements(xml.body, 'result');
    assert.equal(records.length, 2);
    json.body.result.forEach((record, i) => assertSameRecord(records[i], record));
    assert.equal(xml.headers.get('x-total-count'), '3');
    assert.equal(xml.headers.get('link'), json.headers.get('link'));
    assert.match(String(xml.headers.get('link')), /rel="next"/);
    const none = await alice.request('GET', `${TABLE}?sysparm_query=number=NONE`, { headers: XML });
    assert.equal(none.body, `${DECLARATION}<response></response>`);
  });

  it('reads one record with references as <link> and <value>, and display values as asked', async () => {
    const id = String(incident.sys_id);
    const json = await alice.request<{ result: SnRecord }>('GET', `${TABLE}/${id}`);
    const xml = await alice.request('GET', `${TABLE}/${id}`, { headers: XML });
    assertSameRecord(elements(xml.body, 'result')[0], json.body.result);
    const caller = String((json.body.result.caller_id as { value: string }).value);
    assert.match(
      String(xml.body),
      new RegExp(`<caller_id><link>[^<]+/api/now/table/sys_user/${caller}</link><value>${caller}</value></caller_id>`),
    );
    assert.match(String(xml.body), /<short_description>XML target &quot;quoted&quot; &amp; &lt;tagged&gt;<\/short_description>/);
    const all = await alice.request('GET', `${TABLE}/${id}?sysparm_display_value=all`, { headers: XML });
    assert.match(String(all.body), /<state><display_value>New<\/display_value><value>1<\/value><\/state>/);
    assert.match(
      String(all.body),
      /<caller_id><display_value>[^<]+<\/display_value><link>[^<]+<\/link><value>[0-9a-f]{32}<\/value><\/caller_id>/,
    );
    const bare = await alice.request('GET', `${TABLE}/${id}?sysparm_exclude_reference_link=true&sysparm_fields=caller_id`, {
      headers: XML,
    });
    assert.equal(bare.body, `${DECLARATION}<response><result><caller_id>${caller}</caller_id></result></response>`);
  });

  it('answers JSON, the default, alike for no Accept, */* and application/json, with no ETag (ServiceNow sends none)', async () => {
    const url = `${sims.urls.fsm}${TABLE}/${String(incident.sys_id)}`;
    const bodies = new Set<string>();
    for (const accept of [undefined, '*/*', 'application/json', 'application/json;q=0.9, application/xml;q=0.5']) {
      const response = await fetch(url, { headers: { authorization: `Bearer ${alice.accessToken}`, ...(accept ? { accept } : {}) } });
      const text = await response.text();
      assert.equal(response.status, 200, text);
      assert.equal(response.headers.get('content-type'), 'application/json; charset=utf-8');
      assert.equal(response.headers.get('content-length'), String(Buffer.byteLength(text)));
      assert.equal(response.headers.get('vary'), 'Accept');
      assert.equal(response.headers.get('etag'), null, `Accept ${String(accept)}`);
      assert.equal((JSON.parse(text) as { result: SnRecord }).result.sys_id, incident.sys_id);
      bodies.add(text);
    }
    assert.equal(bodies.size, 1);
  });

  it('creates from an XML body and updates by PATCH and PUT, answering in the format asked', async () => {
    const body =
      '<?xml version="1.0" encoding="UTF-8"?>\n<request>\n  <entry>\n    <short_description>Hub &amp; meter &#x2014; <![CDATA[<offline>]]></short_description>\n    <!-- a comment -->\n    <impact>2</impact>\n  </entry>\n</request>';
    const created = await alice.request<{ result: SnRecord }>('POST', TABLE, { raw: body, headers: { 'content-type': 'application/xml' } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.result.short_description, 'Hub & meter \u2014 <offline>');
    assert.equal(created.body.result.impact, '2');
    const id = String(created.body.result.sys_id);
    const patched = await alice.request('PATCH', `${TABLE}/${id}?sysparm_fields=urgency,impact`, {
      raw: '<request><entry><urgency>1</urgency></entry></request>',
      headers: { ...XML, 'content-type': 'application/xml; charset=utf-8' },
    });
    assert.equal(patched.status, 200, String(patched.body));
    assert.equal(patched.body, `${DECLARATION}<response><result><urgency>1</urgency><impact>2</impact></result></response>`);
    const put = await alice.request('PUT', `${TABLE}/${id}?sysparm_input_display_value=true`, {
      raw: '<request><entry><impact>3 - Low</impact></entry></request>',
      headers: { accept: 'text/xml', 'content-type': 'text/xml' },
    });
    assert.match(String(put.headers.get('content-type')), /^text\/xml/);
    assert.deepEqual(elements(put.body, 'impact'), ['3']);
    assert.equal((await alice.get('incident', id)).body.result.impact, '3');
  });

  it('negotiates Accept with q-values and wildcards, JSON by default, and answers 406 to what it cannot meet', async () => {
    const cases: [string | undefined, RegExp][] = [
      [undefined, /^application\/json/],
      ['*/*', /^application\/json/],
      ['application/*', /^application\/json/],
      ['text/*', /^text\/xml/],
      ['application/json;q=0.5, application/xml', /^application\/xml/],
      ['application/xml;q=0.9, application/json;q=0.1', /^application\/xml/],
      ['text/html, application/json;q=0.8', /^application\/json/],
    ];
    for (const [accept, type] of cases) {
      const response = await alice.request('GET', `${TABLE}?sysparm_limit=1`, {
        headers: accept === undefined ? { accept: '' } : { accept },
      });
      assert.equal(response.status, 200, `${accept}: ${String(response.body)}`);
      assert.match(String(response.headers.get('content-type')), type, String(accept));
      assert.match(String(response.headers.get('vary')), /Accept/);
    }
    for (const accept of ['text/plain', 'image/png', 'application/json;q=0']) {
      const refused = await alice.request<{ error: { message: string; detail: string } }>('GET', `${TABLE}?sysparm_limit=1`, {
        headers: { accept },
      });
      assert.equal(refused.status, 406, accept);
      assert.match(refused.body.error.detail, /application\/xml/);
    }
    const before = (await alice.list('incident')).headers.get('x-total-count');
    const refusedWrite = await alice.request('POST', TABLE, {
      json: { short_description: 'never stored' },
      headers: { accept: 'text/plain' },
    });
    assert.equal(refusedWrite.status, 406);
    assert.equal((await alice.list('incident')).headers.get('x-total-count'), before, 'a 406 stores nothing');
  });

  it("answers errors in ServiceNow's XML shape: 400, 401, 403, 404, 415", async () => {
    const id = String(incident.sys_id);
    assertXmlRefusal(await alice.request('GET', `${TABLE}/${'0'.repeat(32)}`, { headers: XML }), 404, /No Record found/);
    assertXmlRefusal(await alice.request('GET', `${TABLE}?sysparm_limit=-1`, { headers: XML }), 400, /sysparm_limit/);
    assertXmlRefusal(await alice.request('GET', '/api/now/table/change_request', { headers: XML }), 400, /Invalid table/);
    assertXmlRefusal(await alice.request('DELETE', `${TABLE}/${id}`, { headers: XML }), 403, /Operation Failed/);
    const update = (raw: string, type = 'application/xml') =>
      alice.request('PATCH', `${TABLE}/${id}`, { raw, headers: { ...XML, 'content-type': type } });
    assertXmlRefusal(await update('urgency=1', 'text/plain'), 415, /JSON or XML/);
    assertXmlRefusal(await update('<request><entry><colour>red</colour></entry></request>'), 400, /colour/);
    assertXmlRefusal(await update('<request><entry><urgency>1</urgency>'), 400, /not XML/);
    assertXmlRefusal(await update('<incident><urgency>1</urgency></incident>'), 400, /the root must be &lt;request&gt;/);
    const stranger = await alice.request('GET', TABLE, { headers: { ...XML, authorization: 'Bearer forged' } });
    assertXmlRefusal(stranger, 401, /User Not Authenticated/);
    assert.match(String(stranger.headers.get('www-authenticate')), /^Basic realm="Service-now"$/);
    assert.equal((await alice.get('incident', id)).body.result.urgency, incident.urgency, 'nothing changed');
  });

  it("answers attachments' metadata in XML, and a file's bytes whatever Accept says", async () => {
    const query = new URLSearchParams({ table_name: 'incident', table_sys_id: String(incident.sys_id), file_name: 'notes.txt' });
    const posted = await alice.request('POST', `/api/now/attachment/file?${query}`, {
      raw: '<not-parsed>bytes</not-parsed>',
      headers: { ...XML, 'content-type': 'text/plain' },
    });
    assert.equal(posted.status, 201, String(posted.body));
    const [sysId] = elements(posted.body, 'sys_id');
    assert.match(String(posted.body), new RegExp(`<download_link>[^<]+/api/now/attachment/${sysId}/file</download_link>`));
    const read = await alice.request('GET', `/api/now/attachment/${sysId}`, { headers: XML });
    assert.deepEqual(elements(read.body, 'file_name'), ['notes.txt']);
    const listed = await alice.request('GET', `/api/now/attachment?sysparm_query=table_sys_id=${String(incident.sys_id)}`, {
      headers: XML,
    });
    assert.equal(elements(listed.body, 'result').length, 1);
    const file = await alice.request('GET', `/api/now/attachment/${sysId}/file`, { headers: { accept: 'application/octet-stream' } });
    assert.deepEqual([file.status, file.body], [200, '<not-parsed>bytes</not-parsed>']);
    assert.equal((await alice.request('GET', `/api/now/attachment/${sysId}`, { headers: { accept: 'image/png' } })).status, 406);
  });

  it('lists the catalogue in XML and orders an item from an XML body', async () => {
    const items = await alice.request('GET', '/api/sn_sc/servicecatalog/items', { headers: XML });
    assert.ok(elements(items.body, 'name').includes('Nominated Contacts update'));
    const ordered = await alice.request('POST', '/api/sn_sc/servicecatalog/items/a1d7c0de0000000000000000000000a4/order_now', {
      raw: '<request><entry><sysparm_quantity>1</sysparm_quantity><variables><contact_role>Security</contact_role><contact_name>Sam Secure</contact_name><contact_email>sam@alpha-energy.example</contact_email></variables></entry></request>',
      headers: { ...XML, 'content-type': 'application/xml' },
    });
    assert.equal(ordered.status, 200, String(ordered.body));
    assert.match(
      String(ordered.body),
      /^<\?xml[^>]+><response><result><sys_id>[0-9a-f]{32}<\/sys_id><number>REQ\d+<\/number>.*<items><sys_id>[0-9a-f]{32}<\/sys_id><number>RITM\d+<\/number>/s,
    );
  });
});
