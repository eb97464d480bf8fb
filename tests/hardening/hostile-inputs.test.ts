/**
 * Hostile inputs (issue 9): fast-check generates malformed, oversized, wrongly typed, injection-laden
 * and unicode-edge requests for every endpoint of the REST API, the control API (never its reset), the
 * CH logistics simulator and every portal page and form, and sends them in concurrent batches to one
 * simulator set. Pass: no 5xx and nothing left unanswered; every refusal says what was wrong
 * (ServiceNow's error shape with a message, or a portal page with an alert, or the sign-in page with
 * a status message); and the business tables are byte for byte the same across every batch of
 * refused requests. Every name-shaped input (table, field, ORDERBY, role, catalogue variable, query
 * parameter, body key, cookie, path segment) is also given the names Object.prototype has
 * (`constructor`, `__proto__`...: issue 14). The seed is printed; `HARDENING_SEED=<seed>` replays a run.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import type { FsmApiClient } from '../../clients/fsm-api';
import { resultOf, send, type ApiResponse } from '../../clients/http';
import { CATALOG } from '../../simulators/domain/catalog';
import { OPERATORS } from '../../simulators/domain/encoded-query';
import { FAULT_REASONS, LEGACY_VARIANTS, monthOf, monthText, NO_FAULT_REASONS, ORDERABLE_VARIANTS } from '../../simulators/domain/oms';
import { REGIONS } from '../../simulators/domain/party';
import type { Simulators } from '../../simulators/start';
import { escapeXml } from '../../simulators/http/xml-write';
import { TABLES } from '../../simulators/store/tables';
import { signedInClient, startTestSimulators, TEST_PASSWORD, type SignedIn } from '../support';
import { INHERITED_NAMES } from '../support/inherited-names';
import { report, scaled } from './scale';

const SEED = Number(process.env.HARDENING_SEED ?? 20_260_901);
const TOTAL = scaled(800, 12_000);
const BATCH = 20;
const TIMEOUT_MS = 30_000;
const OVER_LIMIT = 70 * 1024; // startTestSimulators sets 64 KiB for bodies and attachments

// ---------------------------------------------------------------------------------------------
// Hostile values
// ---------------------------------------------------------------------------------------------

const SQL = [
  "' OR 1=1 --",
  "'); DROP TABLE incident; --",
  '" OR ""="',
  "admin'--",
  '1; SELECT pg_sleep(5)--',
  "' UNION SELECT username, password_hash FROM account --",
  '$1',
  "\\'; COPY account TO '/tmp/x'; --",
  '%',
  '_',
  '\\',
];
const TRAVERSAL = [
  '../../etc/passwd',
  '..\\..\\windows\\win.ini',
  '....//....//etc/passwd',
  '%2e%2e%2f%2e%2e%2f',
  'file:///etc/passwd',
  '/api/now/table/sys_user',
  '\\\\server\\share\\x',
];
const UNICODE = [
  '\ud800',
  '\udfff',
  'a\ud83d',
  'x\udc00y',
  '\u202egnp.exe',
  '\u200b\u200c\u200d\ufeff',
  'a\u0000b',
  '\u0000',
  'nul at the end\u0000',
  '😀'.repeat(40),
  'e\u0301\u0301\u0301\u0301\u0301',
  'Z̷̛͎̈́a̶̞͝l̴̰̈g̸̱̾o̵̳͝',
  '\uffff\ufffe',
  '\u0085\u2028\u2029',
  'İıǅß',
  '\u{10FFFF}',
  '\u00c0\u00ae\u00c0\u00ae',
  '\u0007\u0008\u001b[31m',
  '\r\n\r\n',
];
const CSV = [
  "=cmd|' /C calc'!A0",
  '+SUM(1,2)',
  '-2+3+cmd|x',
  '@SUM(1)',
  '=HYPERLINK("http://evil.example","x")',
  '\t=1+1',
  '\r=1+1',
  'a,b,"c\nd",e',
];
const MARKUP = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  '{{7*7}}',
  '${7*7}',
  '%s%s%s%n',
  'javascript:alert(1)',
  '<!--',
  ']]>',
];
const NUMERIC_TEXT = [
  'NaN',
  'Infinity',
  '-Infinity',
  '-1',
  '0',
  '1e309',
  '0x10',
  ' 1',
  '1 ',
  '１',
  '9'.repeat(40),
  '-0',
  '1.5',
  '',
  '00000000001',
  '2147483648',
  '-2147483649',
];
const CORPUS = [...SQL, ...TRAVERSAL, ...UNICODE, ...CSV, ...MARKUP, ...NUMERIC_TEXT, ...INHERITED_NAMES];

/** `arb` one time in `n`; otherwise undefined. */
const oneIn = <T>(n: number, arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> =>
  fc.oneof({ weight: n - 1, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb });

const huge = fc
  .constantFrom(4_001, 20_000, OVER_LIMIT)
  .chain((n) => fc.constantFrom('x', 'é', '😀', "'").map((c) => c.repeat(Math.ceil(n / c.length))));

/** Text an attacker would type: known nasties, random code units (lone surrogates included), and now and then a huge one. */
const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...CORPUS) },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...CORPUS), fc.constantFrom(...CORPUS)).map(([a, b]) => `${a}${b}`) },
  { weight: 1, arbitrary: huge },
);

/**
 * A name where the platform expects one of its own (a table, field, role, variable, parameter or body
 * key): often one Object.prototype has (`constructor`, `__proto__`), which a lookup in a plain object
 * would find (issue 14).
 */
const inheritedName = fc.constantFrom(...INHERITED_NAMES);
const hostileKey = (maxLength: number) =>
  fc.oneof({ weight: 3, arbitrary: hostileString.filter((k) => k.length < maxLength) }, { weight: 2, arbitrary: inheritedName });

/** Any JSON value where a field is expected: wrong types, extreme numbers, nesting, hostile text. */
const hostileJson: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: hostileString },
  { weight: 2, arbitrary: fc.constantFrom<unknown>(0, -1, 1.5, 2 ** 31, 2 ** 53 + 1, 1e308, -1e308, Number.MIN_VALUE, null, true, false) },
  { weight: 1, arbitrary: fc.double() }, // NaN and the infinities go out as null
  { weight: 1, arbitrary: fc.integer() },
  { weight: 2, arbitrary: fc.array(fc.oneof(hostileString, fc.integer(), fc.constant(null)), { maxLength: 4 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.constantFrom('$gt', 'value', 'link', '', ...INHERITED_NAMES), hostileString, { maxKeys: 2 }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);

const MALFORMED_JSON = [
  '{',
  '{"a":',
  '{"a":1,}',
  "{'a':1}",
  '[1,2]',
  '"text"',
  '123',
  'null',
  'true',
  ' ',
  '\ufeff{}',
  '{"a":NaN}',
  '{"a":Infinity}',
  '{"a":1}{"b":2}',
  '{"__proto__":{"admin":true}}',
  '{"constructor":{"prototype":{"admin":true}}}',
  '{"a":"\u0000"}',
  '{"a":"\\ud800"}',
  '{"a":1e999}',
  `{"a":${'9'.repeat(500)}}`,
  `${'['.repeat(5000)}${']'.repeat(5000)}`,
  `{"a":${'{"a":'.repeat(2000)}1${'}'.repeat(2000)}}`,
  '{"short_description":{"$gt":""}}',
  '{"a":1,"a":2}',
  '\u0000',
  '\xff\xfe{',
  'short_description=x',
];

/** Bytes that are not UTF-8: overlong encodings (of "." and of NUL), a lone continuation byte, 0xFF. */
const NOT_UTF8 = [[0xc0, 0xae], [0xc0, 0x80], [0x80], [0xff, 0xfe], [0xed, 0xa0, 0x80]].map((bad) =>
  Uint8Array.from([...Buffer.from('{"short_description":"'), ...bad, ...Buffer.from('"}')]),
);

/** XML bodies (sent as application/xml) an XML reader must refuse: DTDs, entities, nesting, inherited names, broken markup. */
const HOSTILE_XML = [
  '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><request><entry><short_description>&x;</short_description></entry></request>',
  '<!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><request><entry><description>&b;</description></entry></request>',
  `<request><entry>${'<a>'.repeat(3000)}</entry></request>`,
  `<request><entry>${'<a/>'.repeat(5000)}</entry></request>`,
  '<request><entry><short_description>&unknown;</short_description></entry></request>',
  '<request><entry><__proto__><admin>true</admin></__proto__></entry></request>',
  '<request><entry><constructor><prototype><x>1</x></prototype></constructor></entry></request>',
  '<request><entry>',
  '<request/>',
  '<?php echo 1; ?><request/>',
  '<request><entry><a>1</b></entry></request>',
];

/** The fields as `<request><entry>…</entry></request>`: each name as it is (a hostile one breaks the markup), each value escaped. */
const xmlEntry = (fields: Record<string, unknown>) =>
  `<request><entry>${Object.entries(fields)
    .map(([name, value]) => `<${name}>${escapeXml(typeof value === 'string' ? value : (JSON.stringify(value) ?? ''))}</${name}>`)
    .join('')}</entry></request>`;

/**
 * A JSON body: hostile values under the endpoint's own field names (plausible ones now and then), unknown fields, or not JSON at
 * all; now and then the same fields as XML, or hostile XML (a body that starts with "<" is sent as application/xml).
 */
function jsonBody(fields: Fields): fc.Arbitrary<string | Uint8Array> {
  const value = (plausible: fc.Arbitrary<unknown>) => fc.oneof({ weight: 2, arbitrary: plausible }, { weight: 3, arbitrary: hostileJson });
  // One time in four every field plausible, so that a request gets past the schema to the rules behind it.
  const allPlausible = fc.oneof({ weight: 3, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) });
  const object = fc
    .tuple(
      allPlausible.chain((plain) =>
        fc.record(Object.fromEntries(Object.entries(fields).map(([name, plausible]) => [name, plain ? plausible : value(plausible)])), {
          requiredKeys: [],
        }),
      ),
      oneIn(4, fc.dictionary(hostileKey(60), hostileJson, { maxKeys: 2 })),
    )
    .map(([known, unknown]) => ({ ...known, ...unknown }));
  return fc.oneof<fc.MaybeWeightedArbitrary<string | Uint8Array>[]>(
    { weight: 8, arbitrary: object.map((fields) => JSON.stringify(fields)) },
    { weight: 1, arbitrary: object.map(xmlEntry) },
    { weight: 1, arbitrary: fc.constantFrom(...HOSTILE_XML) },
    { weight: 2, arbitrary: fc.constantFrom(...MALFORMED_JSON) },
    { weight: 1, arbitrary: fc.constantFrom(...NOT_UTF8) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 60 }) },
    { weight: 1, arbitrary: fc.constant(JSON.stringify({ description: 'x'.repeat(OVER_LIMIT) })) },
  );
}

const JSON_TYPES = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'application/json; charset=utf-16',
  'application/json; charset=iso-8859-1',
  'application/json; charset=nope',
  'application/xml',
  'multipart/form-data; boundary=zz',
  'application/json, text/html',
  '*/*',
  'application/vnd.api+json',
  'application/json;;',
  'APPLICATION/JSON',
];
const contentType = fc.oneof(
  { weight: 10, arbitrary: fc.constant('application/json') },
  { weight: 2, arbitrary: fc.constantFrom(...JSON_TYPES) },
);
const contentEncoding = fc.oneof(
  { weight: 14, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: fc.constantFrom('gzip', 'deflate', 'br', 'x-unknown', 'identity, gzip') },
);
const accept = fc.oneof(
  { weight: 8, arbitrary: fc.constant('application/json') },
  { weight: 1, arbitrary: fc.constantFrom('text/html', '*/*', 'application/xml', 'image/png', '', 'application/json;q=0') },
);

const FIELD_NAMES = [...new Set(Object.values(TABLES).flatMap((t) => Object.keys(t.fields)))];
/** A field name in a query, an ORDERBY or sysparm_fields: the tables' own, strangers, and one time in four a name every object has. */
const fieldName = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...FIELD_NAMES, 'password_hash', 'party_id', 'colour', 'Number', '1', '') },
  { weight: 1, arbitrary: inheritedName },
);
const queryValue = fc.oneof(
  fc.constantFrom(
    '1',
    '2',
    'true',
    'false',
    '2026-01-01 00:00:00',
    '2026-01-01',
    '-010000-01-01',
    '+275760-09-13',
    '999999999',
    '-999999999',
    '9999999999',
    'INC0010001',
    'a,b,,c',
    '',
  ),
  hostileString,
);
const term = fc.oneof(
  {
    weight: 5,
    arbitrary: fc
      .tuple(fieldName, fc.constantFrom(...OPERATORS, 'BETWEEN', '=~', '', 'IN(', 'SAMEAS'), queryValue)
      .map(([f, o, v]) => `${f}${o}${v}`),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      'NQactive=true',
      'ORDERBY',
      'ORDERBYDESCpassword_hash',
      'ORDERBYnumber',
      'ORpriority=1',
      'ORDERBY1=1',
      'ORDERBYDESC',
      'GOTOnumber',
      'EQ',
      '',
    ),
  },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('ORDERBY', 'ORDERBYDESC'), fieldName).map(([order, field]) => `${order}${field}`) },
  { weight: 1, arbitrary: hostileString },
);
/** sysparm_query: random terms joined by ^, ^OR, ^NQ and ^^, or a query longer than the limit. */
const encodedQuery = fc.oneof(
  {
    weight: 8,
    arbitrary: fc
      .array(fc.tuple(fc.constantFrom('^', '^OR', '^NQ', '^^', '^^^', '^ORDERBY'), term), { maxLength: 6 })
      .map((ts) => ts.map(([sep, t], i) => (i === 0 ? t : `${sep}${t}`)).join('')),
  },
  { weight: 1, arbitrary: fc.constant(`${'priority=1^OR'.repeat(400)}priority=2`) },
);
const pagingValue = fc.oneof(fc.constantFrom(...NUMERIC_TEXT, '10', '1', '100000', '1000000001', '-5'), fc.integer().map(String));

/** Well-formed, but now and then naming a field no table has that every object has (`constructor`): the name alone must be refused. */
const plausibleOr = (plausible: fc.Arbitrary<string>, withName: (name: string) => string) =>
  fc.oneof({ weight: 3, arbitrary: plausible }, { weight: 1, arbitrary: inheritedName.map(withName) });
const plausibleQuery = fc.record(
  {
    sysparm_query: plausibleOr(
      fc.constantFrom(
        'active=true^ORDERBYDESCnumber',
        'priority<=2^ORpriority=5',
        'short_descriptionLIKEhostile',
        'numberSTARTSWITHINC^sys_created_on>2020-01-01 00:00:00',
        'stateIN1,2,3',
      ),
      (name) => `sys_idISNOTEMPTY^${name}=1^ORDERBY${name}`,
    ),
    sysparm_limit: fc.integer({ min: 1, max: 50 }).map(String),
    sysparm_offset: fc.integer({ min: 0, max: 5 }).map(String),
    sysparm_fields: plausibleOr(fc.constantFrom('sys_id,number', 'sys_id', 'number,short_description,state'), (name) => `sys_id,${name}`),
  },
  { requiredKeys: [] },
);

const hostileQuery = fc.record(
  {
    sysparm_query: encodedQuery,
    sysparm_limit: pagingValue,
    sysparm_offset: pagingValue,
    sysparm_fields: fc.oneof(
      fc.array(fc.oneof(fieldName, fc.constantFrom('password_hash', '', ' ', '*')), { maxLength: 5 }).map((f) => f.join(',')),
      hostileString,
    ),
    sysparm_display_value: fc.constantFrom('true', 'false', 'all', 'TRUE', ''),
    sysparm_exclude_reference_link: fc.constantFrom('true', 'false', 'yes', ''),
  },
  { requiredKeys: [] },
);
const strangerParam = fc.tuple(
  fc.constantFrom('sysparm_colour', 'sysparm_query[]', 'sysparm_limit', 'SYSPARM_LIMIT', 'unread', 'sysparm_view', ...INHERITED_NAMES),
  hostileString,
);

/** The Table API's query parameters, hostile: any of them, repeated, unknown or wrongly written (or, now and then, plausible). */
const tableQuery = fc
  .record({
    known: fc.oneof({ weight: 1, arbitrary: plausibleQuery }, { weight: 3, arbitrary: hostileQuery }),
    extra: oneIn(3, strangerParam),
  })
  .map(({ known, extra }) => {
    const params = new URLSearchParams(Object.entries(known).filter((e): e is [string, string] => e[1] !== undefined));
    if (extra) params.append(...extra);
    return params.toString();
  });

/** Query parameters of an endpoint that reads a few: its own names with hostile values, plus strangers. */
function namedQuery(names: string[]): fc.Arbitrary<string> {
  return fc
    .tuple(
      fc.record(Object.fromEntries(names.map((n) => [n, fc.oneof(hostileString, pagingValue, inheritedName)])), { requiredKeys: [] }),
      oneIn(3, fc.tuple(hostileKey(40), hostileString)),
    )
    .map(([known, extra]) => {
      const params = new URLSearchParams(Object.entries(known).filter((e): e is [string, string] => e[1] !== undefined));
      if (extra) params.append(...extra);
      return params.toString();
    });
}

/** Path segments sent exactly as written: broken percent-encoding, NUL, overlong UTF-8, traversal. */
const RAW_SEGMENTS = [
  '%ZZ',
  '%',
  '%00',
  '%C0%AE%C0%AE',
  '%FF%FE',
  '..%2F..%2Fetc%2Fpasswd',
  '%2F',
  'a%2Fb',
  '%E0%A4%A',
  '%u0041',
  ';x=1',
  '%0d%0aSet-Cookie:x=y',
  '%C0%80',
];
const encode = (s: string) => encodeURIComponent(s.replace(/\p{Surrogate}/gu, '\ufffd'));

// ---------------------------------------------------------------------------------------------
// The inventory: every endpoint and form, with the fields each reads
// ---------------------------------------------------------------------------------------------

type Surface = 'api' | 'control' | 'logistics' | 'portal';
type Fields = Record<string, fc.Arbitrary<unknown>>;
type Pool =
  | 'incident'
  | 'user'
  | 'ritm'
  | 'order'
  | 'consignment'
  | 'return'
  | 'notification'
  | 'attachment'
  | 'transfer'
  | 'catalog'
  | 'party'
  | 'shipment'
  | 'fault'
  | 'name';

interface Endpoint {
  surface: Surface;
  method: string;
  /** With `{id}` where a record of `pool` goes. */
  path: string;
  pool?: Pool;
  body?: 'json' | 'file' | 'form' | 'multipart';
  fields?: Fields;
  query?: fc.Arbitrary<string>;
  /** Ends a session or its like: only ever sent with credentials that are not the suite's own. */
  strangersOnly?: boolean;
  /** A sign-in page's form: bound to a pre-session cookie, not to the signed-in session. */
  preSession?: boolean;
}

const text = fc.string({ minLength: 5, maxLength: 40 });
const level = fc.constantFrom<unknown>('1', '2', '3', 1, 2, 3);
const bool = fc.constantFrom<unknown>(true, false, 'true', 'false');
const months = (from: number, to: number) => fc.integer({ min: from, max: to }).map((k) => monthText(monthOf(new Date()) + k));
const day = fc.integer({ min: -400, max: 800 }).map((k) => new Date(Date.now() + k * 86_400_000).toISOString().slice(0, 10));
const eui64 = fc
  .array(fc.integer({ min: 0, max: 255 }), { minLength: 8, maxLength: 8 })
  .map((b) => b.map((x) => x.toString(16).toUpperCase().padStart(2, '0')).join('-'));
const sysId = fc.uuid().map((u) => u.replace(/-/g, ''));
const roles = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom<unknown>(['SERVICE_USER'], 'SERVICE_READONLY', ['REPORTS', 'SERVICE_USER'], [], 'ORG_ADMIN,NOPE', [
      'OMS_ORDERING',
    ]),
  },
  {
    weight: 1,
    arbitrary: inheritedName.chain((name) => fc.constantFrom<unknown>([name], ['SERVICE_READONLY', name], `SERVICE_USER,${name}`)),
  },
);

const INCIDENT_FIELDS: Fields = {
  short_description: text,
  description: text,
  category: fc.constantFrom('inquiry', 'software', 'quarantine', 'SOFTWARE'),
  affected_service: text,
  impact: level,
  urgency: level,
  caller_id: sysId,
};
const CHANGE_FIELDS: Fields = {
  short_description: text,
  description: text,
  impact: level,
  urgency: level,
  state: fc.constantFrom<unknown>(1, 2, 3, 6, 7, 8, '8', '2', 9),
  close_notes: text,
  comments: text,
  work_notes: text,
};
const USER_FIELDS: Fields = {
  user_name: fc.emailAddress(),
  name: text,
  roles,
  identity_path: fc.constantFrom('local', 'entra'),
  region: fc.constantFrom(...REGIONS),
  active: bool,
  migration_review: fc.constantFrom('declined', 'pending'),
};

function apiEndpoints(): Endpoint[] {
  const api = (method: string, path: string, extra: Partial<Endpoint> = {}): Endpoint => ({ surface: 'api', method, path, ...extra });
  const tables: Endpoint[] = Object.keys(TABLES).flatMap((name) => [
    api('GET', `/api/now/table/${name}`, { query: tableQuery }),
    api('GET', `/api/now/table/${name}/{id}`, {
      pool: name === 'sys_user' ? 'user' : name === 'sc_req_item' ? 'ritm' : name === 'sys_attachment' ? 'attachment' : 'incident',
      query: tableQuery,
    }),
  ]);
  return [
    ...tables,
    api('GET', '/api/now/table/{id}', { pool: 'name', query: tableQuery }), // an unknown or hostile table name
    api('POST', '/api/now/table/{id}', { pool: 'name', body: 'json', fields: INCIDENT_FIELDS }),
    api('PATCH', '/api/now/table/{id}/0123456789abcdef0123456789abcdef', { pool: 'name', body: 'json', fields: CHANGE_FIELDS }),
    api('POST', '/api/now/table/incident', { body: 'json', fields: INCIDENT_FIELDS, query: tableQuery }),
    api('PATCH', '/api/now/table/incident/{id}', { pool: 'incident', body: 'json', fields: CHANGE_FIELDS }),
    api('PUT', '/api/now/table/incident/{id}', { pool: 'incident', body: 'json', fields: CHANGE_FIELDS }),
    api('DELETE', '/api/now/table/incident/{id}', { pool: 'incident' }),
    api('POST', '/api/now/table/sys_user', { body: 'json', fields: USER_FIELDS }),
    api('PATCH', '/api/now/table/sys_user/{id}', { pool: 'user', body: 'json', fields: USER_FIELDS }),
    api('PUT', '/api/now/table/sys_user/{id}', { pool: 'user', body: 'json', fields: USER_FIELDS }),
    api('POST', '/api/now/table/kb_knowledge', { body: 'json', fields: { short_description: text, text } }),
    api('POST', '/api/now/attachment/file', { body: 'file', query: namedQuery(['table_name', 'table_sys_id', 'file_name']) }),
    api('GET', '/api/now/attachment', { query: tableQuery }),
    api('GET', '/api/now/attachment/{id}', { pool: 'attachment', query: tableQuery }),
    api('GET', '/api/now/attachment/{id}/file', { pool: 'attachment' }),
    api('POST', '/api/x_dcc/auth/login', {
      body: 'json',
      fields: {
        username: fc.constantFrom('admin@hostile-victim.example', 'nobody@example.com'),
        password: fc.constantFrom(TEST_PASSWORD, 'wrong-Password-1!'),
      },
    }),
    api('POST', '/api/x_dcc/auth/login/continue', {
      body: 'json',
      fields: {
        login_token: fc.string({ minLength: 43, maxLength: 43 }),
        code: fc.integer({ min: 0, max: 999_999 }).map(String),
        method: fc.constantFrom('totp', 'email', 'sms'),
        new_password: fc.constant(TEST_PASSWORD),
        action: fc.constantFrom('resend', 'choose_another'),
      },
    }),
    api('POST', '/api/x_dcc/auth/mfa/change', { body: 'json', fields: {} }),
    api('POST', '/api/x_dcc/auth/password/forgot', {
      body: 'json',
      fields: { username: fc.constantFrom('nobody@example.com', 'NOBODY@example.com ') },
    }),
    api('POST', '/api/x_dcc/auth/password/reset', {
      body: 'json',
      fields: {
        username: fc.constant('admin@hostile-victim.example'),
        code: fc.integer({ min: 0, max: 999_999 }).map(String),
        new_password: fc.constantFrom(TEST_PASSWORD, 'short'),
      },
    }),
    api('POST', '/api/x_dcc/auth/users/{id}/mfa/reset', { pool: 'user', body: 'json', fields: {} }),
    api('POST', '/api/x_dcc/auth/logout', { body: 'json', fields: {}, strangersOnly: true }),
    api('GET', '/api/x_dcc/auth/me', { query: namedQuery(['sysparm_fields']) }),
    api('GET', '/api/x_dcc/notifications', { query: namedQuery(['unread']) }),
    api('POST', '/api/x_dcc/notifications/{id}/read', { pool: 'notification', body: 'json', fields: {} }),
    api('PUT', '/api/x_dcc/notifications/preferences', { body: 'json', fields: { email_copies: bool } }),
    api('GET', '/api/sn_sc/servicecatalog/items', { query: namedQuery(['sysparm_limit']) }),
    api('GET', '/api/sn_sc/servicecatalog/items/{id}', { pool: 'catalog' }),
    api('POST', '/api/sn_sc/servicecatalog/items/{id}/order_now', {
      pool: 'catalog',
      body: 'json',
      fields: {
        sysparm_quantity: fc.constantFrom<unknown>('1', 1, 2),
        variables: fc.dictionary(
          fc.constantFrom(
            'incident_number',
            'receiving_party',
            'device_ids',
            'contact_role',
            'contact_name',
            'contact_email',
            ...INHERITED_NAMES,
          ),
          fc.oneof(text, hostileString),
        ),
      },
    }),
    api('POST', '/api/x_dcc/requests/{id}/submit', { pool: 'ritm', body: 'json', fields: {} }),
    api('GET', '/api/x_dcc/contacts', { query: namedQuery(['role']) }),
    api('GET', '/api/x_dcc/oms/transfers'),
    api('POST', '/api/x_dcc/oms/transfers/{id}/accept', { pool: 'transfer', body: 'json', fields: {} }),
    api('POST', '/api/x_dcc/oms/transfers/{id}/reject', { pool: 'transfer', body: 'json', fields: {} }),
    api('GET', '/api/x_dcc/oms/stock'),
    api('POST', '/api/x_dcc/oms/forecasts', {
      body: 'json',
      fields: {
        region: fc.constantFrom(...REGIONS),
        variant: fc.constantFrom(...ORDERABLE_VARIANTS, ...LEGACY_VARIANTS),
        months: fc.array(fc.record({ month: months(-3, 30), quantity: fc.integer({ min: -5, max: 20_000_000 }) }), { maxLength: 3 }),
      },
    }),
    api('POST', '/api/x_dcc/oms/orders', {
      body: 'json',
      fields: {
        region: fc.constantFrom(...REGIONS),
        variant: fc.constantFrom(...ORDERABLE_VARIANTS, ...LEGACY_VARIANTS),
        delivery_month: months(-3, 30),
        location: text,
        quantity: fc.integer({ min: -20, max: 200_000 }),
      },
    }),
    api('POST', '/api/x_dcc/oms/orders/{id}/confirm', { pool: 'order', body: 'json', fields: {} }),
    api('GET', '/api/x_dcc/oms/consignments/{id}', { pool: 'consignment' }),
    api('POST', '/api/x_dcc/oms/consignments/{id}/amend', { pool: 'consignment', body: 'json', fields: { delivery_date: day } }),
    api('POST', '/api/x_dcc/oms/consignments/{id}/confirm', { pool: 'consignment', body: 'json', fields: {} }),
    api('POST', '/api/x_dcc/oms/consignments/{id}/respond', {
      pool: 'consignment',
      body: 'json',
      fields: {
        decision: fc.constantFrom('accept', 'reject'),
        reason: fc.constantFrom('damaged', 'late', 'bored'),
        quantity: fc.integer({ min: -5, max: 500 }),
      },
    }),
    api('POST', '/api/x_dcc/oms/returns', {
      body: 'json',
      fields: { device_id: eui64, reason: fc.constantFrom(...FAULT_REASONS, ...NO_FAULT_REASONS) },
    }),
    api('GET', '/api/x_dcc/oms/returns/{id}', { pool: 'return' }),
  ];
}

function controlEndpoints(): Endpoint[] {
  const control = (method: string, path: string, extra: Partial<Endpoint> = {}): Endpoint => ({
    surface: 'control',
    method,
    path: `/__sim${path}`,
    ...extra,
  });
  const partyFields: Fields = {
    name: text,
    userRoles: fc.constantFrom<unknown>(['IS'], ['XX'], [], ...INHERITED_NAMES.map((name) => ['IS', name])),
    regions: fc.constantFrom<unknown>(['North'], ['Mars']),
    gatewayConnected: bool,
    internetCidrs: fc.constantFrom<unknown>(['203.0.113.0/24'], ['999.1.1.1/33']),
    signingKey: hostileString,
    internetRegistered: bool,
    userIds: fc.array(eui64, { maxLength: 2 }),
    administrator: fc.record({ email: fc.emailAddress(), name: text }),
  };
  return [
    control('POST', '/migrations', {
      body: 'json',
      fields: {
        party_id: sysId,
        snapshot: fc.constantFrom('initial', 'incremental'),
        accounts: fc.array(fc.record({ legacy_id: text, email: fc.emailAddress(), name: text }), { maxLength: 2 }),
        tickets: fc.array(
          fc.record({
            legacy_number: fc.constantFrom('IM00012345', 'im1'),
            raised_by: text,
            short_description: text,
            opened_at: fc.constantFrom('2024-03-01T09:00:00Z', '-010000-01-01T00:00:00Z', '+275760-09-13T00:00:00Z'),
            closed_at: fc.constantFrom('2024-03-02T09:00:00Z', '0000-01-01T00:00:00Z'),
          }),
          { maxLength: 2 },
        ),
        returns: fc.array(fc.dictionary(fc.oneof(text, inheritedName), hostileJson), { maxLength: 2 }),
      },
    }),
    control('POST', '/parties', { body: 'json', fields: partyFields }),
    control('POST', '/oauth-apps', { body: 'json', fields: { party_id: sysId, name: text, user_id: sysId } }),
    control('POST', '/integration-users', {
      body: 'json',
      fields: {
        party_id: sysId,
        user_name: fc.oneof(fc.emailAddress(), text),
        name: text,
        roles: fc.constantFrom<unknown>(['SERVICE_USER'], ['XX'], [], ...INHERITED_NAMES.map((name) => [name])),
      },
    }),
    control('PATCH', '/parties/{id}', {
      pool: 'party',
      body: 'json',
      fields: {
        gatewayConnected: bool,
        internetRegistered: bool,
        internetCidrs: partyFields.internetCidrs as fc.Arbitrary<unknown>,
        signingKey: hostileString,
      },
    }),
    control('POST', '/mailbox', { body: 'json', fields: { from: fc.emailAddress(), to: fc.emailAddress(), subject: text, text } }),
    control('GET', '/mailbox', { query: namedQuery(['to', 'limit']) }),
    control('GET', '/urls'),
    control('GET', '/clock'),
    control('GET', '/journal', { query: namedQuery(['limit', 'since']) }),
    control('POST', '/incidents/{id}', {
      pool: 'incident',
      body: 'json',
      fields: { ...CHANGE_FIELDS, on_hold_reason: fc.constantFrom('awaiting_caller', 'bored'), assignment_group: text },
    }),
    control('POST', '/requests/{id}', {
      pool: 'ritm',
      body: 'json',
      fields: { state: fc.constantFrom('fulfilled', 'closed', 'rejected', 'open'), reason: text },
    }),
    control('POST', '/quarantine', { body: 'json', fields: { party_id: sysId, description: text } }),
    control('POST', '/oms/orders/{id}', {
      pool: 'order',
      body: 'json',
      fields: { decision: fc.constantFrom('approve', 'reject', 'maybe'), reason: text },
    }),
    control('POST', '/oms/devices', {
      body: 'json',
      fields: {
        party_id: sysId,
        variant: fc.constantFrom(...ORDERABLE_VARIANTS),
        device_ids: fc.array(eui64, { minLength: 1, maxLength: 2 }),
      },
    }),
    control('POST', '/oms/returns/{id}/triage', {
      pool: 'return',
      body: 'json',
      fields: { outcome: fc.constantFrom('redeployable', 'not_redeployable', 'no_fault_found', 'lost') },
    }),
  ];
}

/** The control API's clock, sent one request at a time: an accepted change is undone before anything else runs. */
const CLOCK: Endpoint = {
  surface: 'control',
  method: 'POST',
  path: '/__sim/clock',
  body: 'json',
  fields: {
    set: fc.constantFrom('2026-12-01T09:00:00Z', '+275760-09-13T00:00:00Z', '-271821-04-20T00:00:00Z', '1999', 'yesterday'),
    advance: fc.constantFrom('PT1S', 'P99999999D', 'P1Y', 'PT0.5S', `P${'9'.repeat(30)}W`),
    freeze: bool,
  },
};

function logisticsEndpoints(): Endpoint[] {
  const shipment = {
    reference: fc.constantFrom('ZZZ0000002', 'CON0010001', 'abc'),
    kind: fc.constantFrom('delivery', 'return', 'lost'),
    quantity: fc.integer({ min: -1, max: 5 }),
    due_on: fc.oneof(day, fc.constantFrom('0000-01-01', '9999-12-31', '2026-02-30')),
  };
  return [
    { surface: 'logistics', method: 'POST', path: '/carrier/shipments', body: 'json', fields: shipment },
    {
      surface: 'logistics',
      method: 'PATCH',
      path: '/carrier/shipments/{id}',
      pool: 'fault',
      body: 'json',
      fields: { due_on: shipment.due_on },
    },
    { surface: 'logistics', method: 'GET', path: '/carrier/shipments/{id}', pool: 'shipment' },
    {
      surface: 'logistics',
      method: 'POST',
      path: '/__sim/faults',
      body: 'json',
      fields: {
        reference: fc.constantFrom('ZZZ0000001', 'NOPE0000001'),
        kind: fc.constantFrom('delay', 'fail', 'reject', 'explode'),
        days: fc.integer({ min: -1, max: 61 }),
      },
    },
    { surface: 'logistics', method: 'DELETE', path: '/__sim/faults/{id}', pool: 'shipment' },
  ];
}

function portalEndpoints(): Endpoint[] {
  const page = (path: string, extra: Partial<Endpoint> = {}): Endpoint => ({
    surface: 'portal',
    method: 'GET',
    path: `/portal${path}`,
    ...extra,
  });
  const form = (path: string, fields: Fields, extra: Partial<Endpoint> = {}): Endpoint => ({
    surface: 'portal',
    method: 'POST',
    path: `/portal${path}`,
    body: 'form',
    fields,
    ...extra,
  });
  // The Service Portal's pages: /fsm?id=page&table=...&sys_id=... (a record's id in the address, or hostile parameters).
  const sp = (fixed: string, extra: Partial<Endpoint> = {}, names: string[] = []): Endpoint => ({
    surface: 'portal',
    method: 'GET',
    path: `/fsm${fixed}`,
    ...(names.length ? { query: namedQuery(names) } : {}),
    ...extra,
  });
  const spQuery = (fixed: string, names: string[]): Endpoint => ({
    surface: 'portal',
    method: 'GET',
    path: '/fsm',
    query: namedQuery(names).map((q) => (q ? `${fixed}&${q}` : fixed)),
  });
  const none: Fields = {};
  const choice = (...values: string[]) => fc.constantFrom(...values);
  const monthFields = Object.fromEntries(
    Array.from({ length: 4 }, (_, k) => [`month_${monthText(monthOf(new Date()) + k)}`, fc.integer({ min: -5, max: 500 }).map(String)]),
  );
  return [
    page('', { query: namedQuery(['next']) }),
    page('/login', { query: namedQuery(['next']), preSession: true }),
    page('/login/identity/{id}', { pool: 'name', preSession: true }),
    page('/login/identity/callback', { query: namedQuery(['code', 'state', 'iss', 'error']), preSession: true }),
    page('/password/forgot', { preSession: true }),
    page('/profile'),
    page('/incidents', { query: namedQuery(['active', 'max_priority', 'offset']) }),
    page('/incidents/new'),
    page('/incidents/{id}', { pool: 'incident' }),
    page('/incidents/{id}/edit', { pool: 'incident' }),
    page('/incidents/{id}/reject', { pool: 'incident' }),
    page('/catalog'),
    page('/catalog/{id}', { pool: 'catalog' }),
    page('/requests'),
    page('/requests/{id}', { pool: 'ritm' }),
    page('/knowledge', { query: namedQuery(['q']) }),
    page('/contacts'),
    page('/users'),
    page('/users/new'),
    page('/users/{id}', { pool: 'user' }),
    page('/oms'),
    page('/oms/forecasts/new'),
    page('/oms/orders/new'),
    page('/oms/orders/{id}', { pool: 'order' }),
    page('/oms/consignments/{id}', { pool: 'consignment' }),
    page('/oms/returns/new'),
    page('/oms/returns/{id}', { pool: 'return' }),
    page('/oms/transfers'),
    sp('', {}, ['id', 'table', 'sys_id', 'q']),
    spQuery('id=search', ['q']),
    spQuery('id=kb_search', ['q']),
    spQuery('id=kb_article', ['sys_id']),
    spQuery('id=list&table=incident', ['active', 'max_priority', 'offset']),
    spQuery('id=form&table=incident&sys_id=-1', []),
    spQuery('id=sc_home', []),
    spQuery('id=my_requests', []),
    spQuery('id=contacts', []),
    spQuery('id=user_profile', []),
    sp('?id=ticket&table=incident&sys_id={id}', { pool: 'incident' }),
    sp('?id=form&table=incident&sys_id={id}', { pool: 'incident' }),
    sp('?id=ticket&table=sc_req_item&sys_id={id}', { pool: 'ritm' }),
    sp('?id=sc_cat_item&sys_id={id}', { pool: 'catalog' }),
    form(
      '/login',
      {
        username: choice('admin@hostile-victim.example', 'nobody@example.com'),
        password: choice(TEST_PASSWORD, 'wrong'),
        next: choice('/portal', '//evil.example', 'javascript:alert(1)'),
        login_token: fc.string({ minLength: 43, maxLength: 43 }),
        code: fc.integer({ min: 0, max: 999_999 }).map(String),
      },
      { preSession: true },
    ),
    form('/logout', none, { strangersOnly: true }),
    form('/profile/mfa', none),
    form('/profile/preferences', { email_copies: choice('true', 'false', 'yes') }),
    form('/password/forgot', { username: choice('nobody@example.com', 'NOBODY@example.com ') }, { preSession: true }),
    form(
      '/password/reset',
      {
        username: choice('admin@hostile-victim.example'),
        code: fc.integer({ min: 0, max: 999_999 }).map(String),
        new_password: choice(TEST_PASSWORD, 'short'),
      },
      { preSession: true },
    ),
    form('/notifications/{id}/read', none, { pool: 'notification' }),
    form('/incidents', {
      short_description: text,
      description: text,
      category: choice('inquiry', 'software', 'nope'),
      affected_service: text,
      impact: choice('1', '2', '3', '4'),
      urgency: choice('1', '2', '3', '0'),
    }),
    form('/incidents/{id}/comments', { comments: text }, { pool: 'incident' }),
    form('/incidents/{id}/cancel', none, { pool: 'incident' }),
    form('/incidents/{id}/confirm', none, { pool: 'incident' }),
    form(
      '/incidents/{id}/edit',
      { short_description: text, description: text, impact: choice('1', '2', '3'), urgency: choice('1', '2', '3') },
      { pool: 'incident' },
    ),
    form('/incidents/{id}/reject', { reject_reason: text }, { pool: 'incident' }),
    { ...form('/incidents/{id}/attachments', none, { pool: 'incident' }), body: 'multipart' },
    form(
      '/catalog/{id}',
      {
        incident_number: choice('INC0010001'),
        receiving_party: choice('Hostile Beta Power', 'Nobody'),
        device_ids: eui64,
        contact_role: text,
        contact_name: text,
        contact_email: fc.emailAddress(),
      },
      { pool: 'catalog' },
    ),
    { ...form('/requests/{id}/submit', none, { pool: 'ritm' }), body: 'multipart' },
    form('/users/new', {
      user_name: fc.emailAddress(),
      name: text,
      roles: choice('SERVICE_USER', 'ORG_ADMIN', 'NOPE', ...INHERITED_NAMES),
      region: choice(...REGIONS, 'Mars'),
    }),
    form(
      '/users/{id}/roles',
      { roles: choice('SERVICE_USER', 'NOPE', ...INHERITED_NAMES), region: choice(...REGIONS, '') },
      { pool: 'user' },
    ),
    form('/users/{id}/deactivate', none, { pool: 'user' }),
    form(
      '/users/{id}/reinstate',
      { roles: choice('SERVICE_USER', 'NOPE', ...INHERITED_NAMES), region: choice(...REGIONS) },
      { pool: 'user' },
    ),
    form('/users/{id}/decline', none, { pool: 'user' }),
    form('/users/{id}/mfa-reset', none, { pool: 'user' }),
    form('/oms/forecasts', {
      region: choice(...REGIONS, 'Mars'),
      variant: choice(...ORDERABLE_VARIANTS, ...LEGACY_VARIANTS),
      ...monthFields,
    }),
    form('/oms/orders', {
      region: choice(...REGIONS),
      variant: choice(...ORDERABLE_VARIANTS, 'LRR'),
      delivery_month: months(-2, 30),
      location: text,
      quantity: fc.integer({ min: -10, max: 100_000 }).map(String),
    }),
    form('/oms/orders/{id}/confirm', none, { pool: 'order' }),
    form('/oms/consignments/{id}/amend', { delivery_date: day }, { pool: 'consignment' }),
    form('/oms/consignments/{id}/confirm', none, { pool: 'consignment' }),
    form(
      '/oms/consignments/{id}/respond',
      {
        decision: choice('accept', 'reject', 'maybe'),
        reason: choice('damaged', 'late', 'bored'),
        quantity: fc.integer({ min: -5, max: 500 }).map(String),
      },
      { pool: 'consignment' },
    ),
    form('/oms/returns', { device_id: eui64, reason: choice(...FAULT_REASONS, 'bored') }),
    form('/oms/transfers/{id}/accept', none, { pool: 'transfer' }),
    form('/oms/transfers/{id}/reject', none, { pool: 'transfer' }),
  ];
}

// ---------------------------------------------------------------------------------------------
// The world the requests aim at: two parties with records of every kind, and a portal session
// ---------------------------------------------------------------------------------------------

interface Ids {
  /** The suite's own party's records: hostile input reaches the validation of a real record. */
  own: string[];
  /** Another party's: must be "not found", never read or changed. */
  foreign: string[];
}

interface World {
  sims: Simulators;
  alpha: SignedIn;
  beta: SignedIn;
  ids: Record<Pool, Ids>;
  /** Alpha's administrator signed in to the portal: cookie header and the session's CSRF token. */
  portal: { cookie: string; csrf: string };
  /** A browser before sign-in: its pre-session cookie and the CSRF token bound to it. */
  anonymous: { cookie: string; csrf: string };
}

const ok = async <T>(response: Promise<ApiResponse>, status: number | number[], action: string): Promise<T> =>
  resultOf<T>(await response, status, action);
const control = (sims: Simulators, method: string, path: string, json?: unknown) =>
  send(method, `${sims.urls.fsm}/__sim${path}`, json === undefined ? {} : { json });

/** A party's administrator with every Job Type Role, so that each endpoint reaches its validation rather than a role check. */
async function empower(sims: Simulators, who: SignedIn): Promise<void> {
  const me = await ok<{ sys_id: string }>(who.api.me(), 200, 'Reading the administrator');
  await ok(who.api.update('sys_user', me.sys_id, { roles: sims.core.roles.roleNames, region: 'Central' }), 200, 'Granting every role');
}

/** One party's records of every kind the endpoints take: incidents, a user, request items, OMS orders and so on. */
async function records(sims: Simulators, who: SignedIn, tag: string) {
  const api: FsmApiClient = who.api;
  const incidents: string[] = [];
  for (let i = 0; i < 4; i++)
    incidents.push(
      (
        await ok<{ sys_id: string }>(
          api.create('incident', { short_description: `${tag} hostile target ${i}` }),
          201,
          'Raising an incident',
        )
      ).sys_id,
    );
  const [commented = '', resolved = ''] = incidents;
  await ok(control(sims, 'POST', `/incidents/${commented}`, { comments: 'DCC needs a word' }), 200, 'Commenting');
  await ok(control(sims, 'POST', `/incidents/${resolved}`, { state: 2 }), 200, 'Working');
  await ok(control(sims, 'POST', `/incidents/${resolved}`, { state: 6, close_notes: 'Fixed' }), 200, 'Resolving');
  const attachment = await ok<{ sys_id: string }>(
    api.attach(commented, 'notes.txt', 'text/plain', new TextEncoder().encode('notes')),
    201,
    'Attaching',
  );
  const user = await ok<{ sys_id: string }>(
    api.create('sys_user', { user_name: `victim.user@${tag}.example`, name: 'Victor User', roles: ['SERVICE_USER'] }),
    201,
    'Creating a user',
  );
  const qca = await ok<{ items: { sys_id: string }[] }>(
    api.orderNow(CATALOG[1]?.sys_id ?? '', { incident_number: 'INC0010001' }),
    200,
    'Ordering',
  );
  const contact = await ok<{ items: { sys_id: string }[] }>(
    api.orderNow(CATALOG[3]?.sys_id ?? '', { contact_role: 'Security', contact_name: 'Sam', contact_email: 'sam@example.com' }),
    200,
    'Ordering',
  );
  const month = monthText(monthOf(sims.clock.now()) + 6);
  await ok(api.oms('POST', '/forecasts', { region: 'Central', variant: '4G-SB', months: [{ month, quantity: 100 }] }), 201, 'Forecasting');
  const order = (n: number) =>
    ok<{ sys_id: string }>(
      api.oms('POST', '/orders', { region: 'Central', variant: '4G-SB', delivery_month: month, location: `Depot ${n}`, quantity: 100 }),
      201,
      'Ordering hubs',
    );
  const confirmed = await order(1);
  const waiting = await order(2);
  const consignment = await ok<{ sys_id: string; number: string }>(
    api.oms('POST', `/orders/${confirmed.sys_id}/confirm`),
    200,
    'Confirming',
  );
  const devices = Array.from({ length: 3 }, (_, i) => `${tag === 'alpha' ? 'A1' : 'B2'}-00-00-00-00-00-00-0${i}`);
  await ok(control(sims, 'POST', '/oms/devices', { party_id: who.partyId, variant: '4G-SB', device_ids: devices }), 201, 'Installing hubs');
  const rma = await ok<{ sys_id: string; rma_number: string }>(
    api.oms('POST', '/returns', { device_id: devices[0], reason: 'no_power' }),
    201,
    'Returning a hub',
  );
  const [notification] = await ok<{ sys_id: string }[]>(api.notifications(), 200, 'Reading notifications');
  return {
    incident: incidents,
    user: [user.sys_id],
    ritm: [qca.items[0]?.sys_id ?? '', contact.items[0]?.sys_id ?? ''],
    order: [confirmed.sys_id, waiting.sys_id],
    consignment: [consignment.sys_id],
    return: [rma.sys_id],
    notification: notification ? [notification.sys_id] : [],
    attachment: [attachment.sys_id],
    shipment: [consignment.number, rma.rma_number],
    devices,
  };
}

/** A cookie jar of one: `name=value` pairs from Set-Cookie headers. */
function cookiesOf(response: Response, jar = new Map<string, string>()): Map<string, string> {
  for (const line of response.headers.getSetCookie()) {
    const [pair = ''] = line.split(';');
    const at = pair.indexOf('=');
    if (/Max-Age=0/i.test(line)) jar.delete(pair.slice(0, at));
    else jar.set(pair.slice(0, at), pair.slice(at + 1));
  }
  return jar;
}
const header = (jar: Map<string, string>) => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
const hidden = (html: string, name: string) =>
  new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1]?.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n))) ??
  '';

/** Signs alpha's administrator in to the portal as a browser would: password, then the authenticator app's code. */
async function portalSignIn(sims: Simulators, who: SignedIn): Promise<{ cookie: string; csrf: string }> {
  const base = `${sims.urls.fsm}/portal`;
  const post = (jar: Map<string, string>, fields: Record<string, string>) =>
    fetch(`${base}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: header(jar), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields),
    });
  const first = await fetch(`${base}/login`);
  const jar = cookiesOf(first);
  const prompt = await post(jar, {
    csrf: hidden(await first.text(), 'csrf'),
    next: '/portal',
    username: who.username,
    password: TEST_PASSWORD,
  });
  const html = await prompt.text();
  assert.equal(prompt.status, 200, html.slice(0, 500));
  const done = await post(cookiesOf(prompt, jar), {
    csrf: hidden(html, 'csrf'),
    next: '/portal',
    login_token: hidden(html, 'login_token'),
    code: await who.person.app.code(),
  });
  assert.equal(done.status, 303, await done.text());
  cookiesOf(done, jar);
  const home = await fetch(`${base}`, { headers: { cookie: header(jar) } });
  assert.equal(home.status, 200);
  return { cookie: header(jar), csrf: hidden(await home.text(), 'csrf') };
}

async function setUp(): Promise<World> {
  const sims = await startTestSimulators();
  const [alpha, beta] = await Promise.all([signedInClient(sims, 'Hostile Alpha Energy'), signedInClient(sims, 'Hostile Beta Power')]);
  const victim = await ok<{ party: { id: string } }>(
    control(sims, 'POST', '/parties', {
      name: 'Hostile Victim Gas',
      userRoles: ['GS'],
      regions: ['North'],
      gatewayConnected: true,
      administrator: { email: 'admin@hostile-victim.example', name: 'Vic Tim' },
    }),
    201,
    'Onboarding',
  );
  await Promise.all([empower(sims, alpha), empower(sims, beta)]);
  const [a, b] = await Promise.all([records(sims, alpha, 'alpha'), records(sims, beta, 'beta')]);
  // A CH transfer from beta to alpha, waiting for alpha's answer.
  await ok(
    beta.api.orderNow(CATALOG[2]?.sys_id ?? '', { receiving_party: 'Hostile Alpha Energy', device_ids: b.devices.slice(1).join(',') }),
    200,
    'Transferring hubs',
  );
  const [transfer] = await ok<{ sys_id: string }[]>(alpha.api.request('GET', '/api/x_dcc/oms/transfers'), 200, 'Reading transfers');
  // A shipment at the carrier for the fault endpoints to break, tied to no consignment of either party.
  await ok(
    send('POST', `${sims.urls.logistics}/carrier/shipments`, {
      json: { reference: 'ZZZ0000001', kind: 'delivery', quantity: 1, due_on: '2027-01-04' },
    }),
    201,
    'Registering a shipment',
  );
  // The administrators' own accounts are never targets (a hostile role change could lock the suite
  // out): the user pool holds the users they created.
  const both = (name: keyof typeof a & Pool): Ids => ({ own: a[name], foreign: b[name] });
  const ids: Record<Pool, Ids> = {
    incident: both('incident'),
    user: both('user'),
    ritm: both('ritm'),
    order: both('order'),
    consignment: both('consignment'),
    return: both('return'),
    notification: both('notification'),
    attachment: both('attachment'),
    shipment: both('shipment'),
    transfer: { own: transfer ? [transfer.sys_id] : [], foreign: [] },
    catalog: { own: CATALOG.map((i) => i.sys_id), foreign: [] },
    party: { own: [victim.party.id], foreign: [] },
    fault: { own: ['ZZZ0000001'], foreign: [] },
    name: { own: ['production', 'non-production', 'incident', 'change_request', ...INHERITED_NAMES], foreign: [] }, // tenants, tables, and names every object has
  };
  const first = await fetch(`${sims.urls.fsm}/portal/login`);
  const anonymous = { cookie: header(cookiesOf(first)), csrf: hidden(await first.text(), 'csrf') };
  return { sims, alpha, beta, ids, portal: await portalSignIn(sims, alpha), anonymous };
}

// ---------------------------------------------------------------------------------------------
// Requests: an endpoint and hostile choices become one HTTP request
// ---------------------------------------------------------------------------------------------

interface Hostile {
  endpoint: Endpoint;
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string | Uint8Array | FormData;
}

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD', 'PROPFIND'];

function idArb(pool: Ids): fc.Arbitrary<string> {
  const real = [...pool.own, ...pool.foreign];
  const variants = real.flatMap((id) => [id.toUpperCase(), `${id}a`, id.slice(1), `${id.slice(0, -1)}g`, ` ${id}`, `${id}/`]);
  const choices: fc.WeightedArbitrary<string>[] = [
    { weight: 4, arbitrary: fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 30, maxLength: 34 }).map(encode) },
    { weight: 4, arbitrary: hostileString.map(encode) },
    { weight: 2, arbitrary: fc.constantFrom(...RAW_SEGMENTS, '', '0', '-1', 'null', 'undefined', 'NaN', '%5Bobject%20Object%5D', '*') },
    { weight: 2, arbitrary: inheritedName },
  ];
  if (pool.own.length) choices.push({ weight: 8, arbitrary: fc.constantFrom(...pool.own) });
  if (pool.foreign.length) choices.push({ weight: 4, arbitrary: fc.constantFrom(...pool.foreign) });
  if (variants.length) choices.push({ weight: 2, arbitrary: fc.constantFrom(...variants).map(encode) });
  return fc.oneof(...choices);
}

/** The Authorization header: mostly alpha's own token, so that the input reaches validation; else a stranger's, a forgery or nothing. */
function authArb(w: World, endpoint: Endpoint): fc.Arbitrary<string | undefined> {
  const alpha = w.alpha.api.accessToken ?? '';
  const forged = fc.constantFrom<string | undefined>(
    undefined,
    '',
    'Bearer',
    'Bearer ',
    'Basic YWRtaW46YWRtaW4=',
    `bearer ${alpha}`,
    `Bearer  ${alpha}`,
    `Bearer ${alpha}x`,
    `Bearer ${'a'.repeat(9000)}`,
    'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiJ9.',
    'Bearer aaaa.bbbb.cccc',
    "Bearer ' OR 1=1 --",
    `Bearer ${'A'.repeat(43)}`,
  );
  if (endpoint.strangersOnly) return forged;
  return fc.oneof(
    { weight: 16, arbitrary: fc.constant(`Bearer ${alpha}`) },
    { weight: 1, arbitrary: fc.constant(`Bearer ${w.beta.api.accessToken ?? ''}`) },
    { weight: 2, arbitrary: forged },
  );
}

/** The bytes of an attachment: right and wrong types, CSV injection, NUL bytes, nothing, or too many. */
const fileBytes = fc.oneof(
  fc.constantFrom(...CSV, ...SQL, '%PDF-1.4 fake', '\u0000\u0001\u0002', '').map((s) => new TextEncoder().encode(s)),
  fc.uint8Array({ maxLength: 64 }),
  fc.constant(new Uint8Array(OVER_LIMIT).fill(65)),
  fc.constant(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0, 0])),
);
const fileType = fc.constantFrom(
  'text/plain',
  'text/csv',
  'application/pdf',
  'image/png',
  'application/x-msdownload',
  'text/csv; charset=utf-16',
  'application/json',
  'text/html',
  '',
);
const fileName = fc.oneof(
  fc.constantFrom(
    'notes.txt',
    'a.csv',
    'a.csv.sig',
    '../../etc/passwd',
    'C:\\boot.ini',
    '.htaccess',
    'a'.repeat(300),
    'x.txt\u0000.exe',
    'naïve 😀.txt',
    'con',
    '',
  ),
  hostileString,
);

function apiRequest(w: World, e: Endpoint): fc.Arbitrary<Hostile> {
  const base = e.surface === 'logistics' ? w.sims.urls.logistics : w.sims.urls.fsm;
  const body: fc.Arbitrary<string | Uint8Array | undefined> =
    e.body === 'json' ? jsonBody(e.fields ?? {}) : e.body === 'file' ? fileBytes : fc.constant(undefined);
  return fc
    .record({
      id: e.pool ? idArb(w.ids[e.pool]) : fc.constant(''),
      query: e.query ?? fc.constant(''),
      method: fc.oneof({ weight: 12, arbitrary: fc.constant(e.method) }, { weight: 1, arbitrary: fc.constantFrom(...METHODS) }),
      body,
      type: e.body === 'file' ? fileType : contentType,
      encoding: contentEncoding,
      accept,
      auth: e.surface === 'api' ? authArb(w, e) : fc.constant(undefined),
    })
    .map(({ id, query, method, body, type, encoding, accept, auth }) => {
      const headers: Record<string, string> = { accept };
      if (auth !== undefined) headers.authorization = auth;
      const sendsBody = body !== undefined && method !== 'GET' && method !== 'HEAD';
      if (sendsBody) headers['content-type'] = typeof body === 'string' && body.startsWith('<') ? 'application/xml' : type;
      if (sendsBody && encoding) headers['content-encoding'] = encoding;
      const url = `${base}${e.path.replace('{id}', id)}${query ? `?${query}` : ''}`;
      return { endpoint: e, method, url, headers, body: sendsBody ? body : undefined };
    });
}

/** A portal request: the signed-in session (or, on sign-in pages, a pre-session cookie) with its CSRF token, or a broken one. */
function portalRequest(w: World, e: Endpoint): fc.Arbitrary<Hostile> {
  const session = e.preSession ? w.anonymous : w.portal;
  const cookie = fc.oneof(
    { weight: 14, arbitrary: fc.constant(session.cookie) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '',
        'fsm_portal=%ZZ',
        `fsm_portal=${'a'.repeat(5000)}`,
        `fsm_portal=${w.alpha.api.accessToken ?? ''}`,
        'fsm_pre=short',
        `${session.cookie}; fsm_flash=%E0%A4%A`,
        'fsm_portal=; fsm_pre=',
        `__proto__=x; constructor=y; ${session.cookie}; toString=z`,
        'hasOwnProperty=fsm_portal; valueOf=1',
      ),
    },
  );
  const csrf = e.strangersOnly
    ? fc.oneof(fc.constant(undefined), hostileString)
    : fc.oneof(
        { weight: 14, arbitrary: fc.constant(session.csrf) },
        { weight: 1, arbitrary: fc.constant(undefined) },
        { weight: 1, arbitrary: hostileString },
      );
  const field = (plausible: fc.Arbitrary<unknown>) =>
    fc.oneof({ weight: 2, arbitrary: plausible.map(String) }, { weight: 3, arbitrary: hostileString });
  const plain = (plausible: fc.Arbitrary<unknown>) => fc.array(plausible.map(String), { minLength: 1, maxLength: 1 });
  const values = fc
    .boolean()
    .chain((plausibleOnly) =>
      fc.record(
        Object.fromEntries(
          Object.entries(e.fields ?? {}).map(([name, plausible]) => [
            name,
            plausibleOnly ? plain(plausible) : fc.array(field(plausible), { minLength: 1, maxLength: 2 }),
          ]),
        ),
        { requiredKeys: [] },
      ),
    );
  const unknown = oneIn(4, fc.array(fc.tuple(hostileKey(40), hostileString), { minLength: 1, maxLength: 3 }));
  const raw = fc.constantFrom(
    '%ZZ=%',
    'a=%E0%A4%A',
    '&&&=&',
    'csrf',
    Array.from({ length: 250 }, (_, i) => `f${i}=x`).join('&'),
    `csrf=${'x'.repeat(OVER_LIMIT)}`,
    'a[b][c]=1&a[b]=2',
  );
  const files = fc.array(
    fc.record({ field: fc.constantFrom('file', 'signature', 'other'), name: fileName, type: fileType, bytes: fileBytes }),
    { maxLength: 2 },
  );
  return fc
    .record({
      id: e.pool ? idArb(w.ids[e.pool]) : fc.constant(''),
      query: e.query ?? fc.constant(''),
      cookie,
      csrf,
      values,
      unknown,
      raw: oneIn(8, raw),
      files,
      method: fc.oneof({ weight: 14, arbitrary: fc.constant(e.method) }, { weight: 1, arbitrary: fc.constantFrom(...METHODS) }),
      type: oneIn(12, fc.constantFrom('application/json', 'text/plain', 'multipart/form-data; boundary=zz')),
    })
    .map(({ id, query, cookie, csrf, values, unknown, raw, files, method, type }) => {
      const url = `${w.sims.urls.fsm}${e.path.replace('{id}', id)}${query ? `?${query}` : ''}`;
      const headers: Record<string, string> = { accept: 'text/html', ...(cookie ? { cookie } : {}) };
      if (method === 'GET' || method === 'HEAD') return { endpoint: e, method, url, headers };
      const entries: [string, string][] = [
        ...(csrf === undefined ? [] : [['csrf', csrf] as [string, string]]),
        ...Object.entries(values).flatMap(([k, vs]) => (vs ?? []).map((v): [string, string] => [k, v])),
        ...(unknown ?? []),
      ];
      if (e.body === 'multipart' && !raw) {
        const form = new FormData();
        for (const [k, v] of entries) form.append(k, v);
        for (const f of files) form.append(f.field, new Blob([f.bytes], { type: f.type }), f.name);
        return { endpoint: e, method, url, headers, body: form };
      }
      headers['content-type'] = type ?? 'application/x-www-form-urlencoded';
      return { endpoint: e, method, url, headers, body: raw ?? new URLSearchParams(entries).toString() };
    });
}

// ---------------------------------------------------------------------------------------------
// Sending, and judging the answers
// ---------------------------------------------------------------------------------------------

interface Answer {
  request: Hostile;
  status: number;
  refused: boolean;
  /** Sent a second time after the connection was reset. */
  retried: boolean;
  /** What was wrong with the answer, if anything. */
  problem?: string;
}

const summary = (r: Hostile) => {
  const body =
    r.body === undefined
      ? ''
      : typeof r.body === 'string'
        ? r.body
        : r.body instanceof FormData
          ? '[multipart]'
          : `[${r.body.length} bytes]`;
  return `${r.method} ${r.url.replace(/^http:\/\/[^/]+/, '').slice(0, 300)} ${JSON.stringify(r.headers).slice(0, 200)} ${JSON.stringify(body.slice(0, 300))}`;
};

/** The refusal message a person or an integration would read, or undefined when there is none. */
function refusalMessage(r: Hostile, status: number, headers: Headers, text: string): string | undefined {
  const location = headers.get('location') ?? '';
  if (status >= 300 && status < 400) {
    // The portal sends a stranger to the sign-in page with the reason as a one-shot status message.
    const flash = headers.getSetCookie().find((c) => c.startsWith('fsm_flash='));
    return location.startsWith('/portal/login') && flash
      ? decodeURIComponent(flash.slice('fsm_flash='.length).split(';')[0] ?? '')
      : undefined;
  }
  if ((headers.get('content-type') ?? '').includes('application/json')) {
    try {
      const body = JSON.parse(text) as { error?: { message?: unknown; detail?: unknown }; status?: unknown };
      return body.status === 'failure' && typeof body.error?.message === 'string' ? body.error.message : undefined;
    } catch {
      return undefined;
    }
  }
  if (/^(application|text)\/xml/.test(headers.get('content-type') ?? '')) {
    // ServiceNow's error shape in XML (Accept: application/xml on the APIs that speak it).
    return /^<\?xml [^>]*\?><response><error><message>([^<]+)<\/message>/.exec(text)?.[1];
  }
  if (r.endpoint.surface === 'portal' && (headers.get('content-type') ?? '').includes('text/html')) {
    // The error summary (role="alert") or the error next to its field (class="error").
    const alerts = [...text.matchAll(/<[a-z]+\b[^>]*(?:role="alert"|class="error")[^>]*>([^<]*)</g)].map((m) => m[1]?.trim());
    return alerts.find(Boolean);
  }
  return undefined;
}

const causeOf = (error: unknown) => (error as { cause?: { code?: string } }).cause?.code;

async function fire(r: Hostile): Promise<Answer> {
  let response: Response;
  let retried = false;
  const attempt = () =>
    fetch(r.url, {
      method: r.method,
      headers: r.headers,
      body: r.body as BodyInit | undefined,
      redirect: 'manual',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  try {
    // A kept-alive connection the server closed as idle just as it was reused (client and server share
    // one busy event loop here): the server never read the request, so it is sent once more. A request
    // that really breaks the connection breaks it again, and is reported.
    response = await attempt().catch((error: unknown) => {
      if (causeOf(error) !== 'ECONNRESET') throw error;
      retried = true;
      return attempt();
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return {
      request: r,
      status: 0,
      refused: true,
      retried,
      problem: `no answer: ${(error as Error).message} ${cause?.code ?? cause?.message ?? ''}`,
    };
  }
  const text = r.method === 'HEAD' ? '' : await response.text();
  const { status, headers } = response;
  const answer = { request: r, status, retried };
  const toSignIn =
    status >= 300 && status < 400 && (headers.get('location') ?? '').startsWith('/portal/login') && !r.url.includes('/portal/logout');
  const refused = status >= 400 || toSignIn;
  if (status >= 500) return { ...answer, refused, problem: `HTTP ${status}: ${text.slice(0, 300)}` };
  if (!refused || r.method === 'HEAD') return { ...answer, refused };
  const message = refusalMessage(r, status, headers, text)?.trim();
  return {
    ...answer,
    refused,
    problem: message ? undefined : `HTTP ${status} without a message: ${headers.get('content-type')} ${text.slice(0, 200)}`,
  };
}

// Tables that hold the platform's business records. Left out: sessions, logins in progress, one-time
// codes, mail, security events and the identity provider's records, which change on every request.
const BUSINESS_TABLES = [
  'party',
  'incident',
  'journal_entry',
  'attachment',
  'notification',
  'sc_request',
  'sc_req_item',
  'party_threshold',
  'migration_batch',
  'knowledge_article',
  'nominated_contact',
  'forecast',
  'oms_order',
  'consignment',
  'device',
  'ch_return',
  'carrier_shipment',
  'ch_transfer',
];
const FINGERPRINT_SQL = [
  ...BUSINESS_TABLES.map((t) => `SELECT '${t}' AS name, md5(coalesce(string_agg(r::text, '|' ORDER BY r::text), '')) AS hash FROM ${t} r`),
  // Accounts, less the lockout count a refused sign-in is meant to raise (README: a wrong password counts).
  `SELECT 'account', md5(coalesce(string_agg(j, '|' ORDER BY j), '')) FROM (SELECT (to_jsonb(a) - 'failed_logins' - 'locked_until')::text AS j FROM account a) s`,
].join(' UNION ALL ');

async function fingerprint(w: World): Promise<Map<string, string>> {
  const rows = await w.sims.core.db.query<{ name: string; hash: string }>(FINGERPRINT_SQL);
  return new Map(rows.map((r) => [r.name, r.hash]));
}
const changed = (a: Map<string, string>, b: Map<string, string>) =>
  [...a].filter(([name, hash]) => b.get(name) !== hash).map(([name]) => name);

interface Tally {
  requests: number;
  refused: number;
  accepted: number;
  serverErrors: number;
  /** Refused requests sent in a batch with no accepted one, so the unchanged tables prove they changed nothing. */
  refusedProvenHarmless: number;
  resentAfterReset: number;
  problems: string[];
}

function count(tally: Tally, a: Answer): void {
  tally.requests++;
  if (a.status >= 500) tally.serverErrors++;
  if (a.refused) tally.refused++;
  else tally.accepted++;
  if (a.retried) tally.resentAfterReset++;
  if (a.problem) tally.problems.push(`${a.problem}\n    request: ${summary(a.request)}`);
}

/**
 * Sends the requests in concurrent batches. A batch that only got refusals must leave the business
 * tables as they were. When a batch with accepted requests (which may rightly change them) changed
 * the tables, its refused requests go again in batches of their own, once.
 */
async function sendAll(w: World, requests: Hostile[], tally: Tally, recheck = true): Promise<void> {
  let before = await fingerprint(w);
  const again: Hostile[] = [];
  for (let i = 0; i < requests.length; i += BATCH) {
    const batch = requests.slice(i, i + BATCH);
    const answers = await Promise.all(batch.map(fire));
    const after = await fingerprint(w);
    for (const a of answers) count(tally, a);
    const tables = changed(before, after);
    const refused = answers.filter((a) => a.refused);
    if (tables.length === 0) tally.refusedProvenHarmless += refused.length;
    else if (refused.length === answers.length)
      tally.problems.push(`A batch of refused requests changed ${tables.join(', ')}:\n    ${batch.map(summary).join('\n    ')}`);
    else if (recheck) again.push(...refused.map((a) => a.request));
    before = after;
    const alive = await fetch(`${w.sims.urls.fsm}/__sim/urls`).then(
      (r) => r.status,
      () => 0,
    );
    assert.equal(alive, 200, 'the simulator stopped answering');
  }
  if (again.length) await sendAll(w, again.map(resend), tally, false);
}

/** The same request once more (a FormData body is rebuilt, as it can be sent once only). */
function resend(r: Hostile): Hostile {
  if (!(r.body instanceof FormData)) return r;
  const form = new FormData();
  r.body.forEach((value, name) => form.append(name, value));
  return { ...r, body: form };
}

/** `count` requests spread evenly over the endpoints, each endpoint's from its own seed. */
function generate(w: World, endpoints: Endpoint[], count: number): Hostile[] {
  const each = Math.max(1, Math.ceil(count / endpoints.length));
  const perEndpoint = endpoints.map((e, i) =>
    fc.sample(e.surface === 'portal' ? portalRequest(w, e) : apiRequest(w, e), { seed: SEED + i, numRuns: each }),
  );
  // Interleaved, so that each batch mixes endpoints as concurrent users would.
  return Array.from({ length: each }, (_, k) => perEndpoint.map((list) => list[k]))
    .flat()
    .filter((r): r is Hostile => r !== undefined);
}

// ---------------------------------------------------------------------------------------------
// Every route the simulators register must be in the inventory above
// ---------------------------------------------------------------------------------------------

function registeredRoutes(): { method: string; path: string; file: string }[] {
  const dirs = ['simulators/fsm', 'simulators/http', 'simulators/logistics', 'simulators/portal'];
  return dirs.flatMap((dir) =>
    readdirSync(dir)
      .filter((f) => f.endsWith('.ts'))
      .flatMap((f) => {
        const source = readFileSync(join(dir, f), 'utf8');
        return [...source.matchAll(/\b(?:router|app|carrier)\.(get|post|put|patch|delete)\(\s*(['"`])(.*?)\2/g)].map(
          ([, method = '', , path = '']) => ({ method: method.toUpperCase(), path, file: join(dir, f) }),
        );
      }),
  );
}

/** A registered route's path as a pattern for the tail of an inventory path: parameters match any segment. */
const routePattern = (path: string) =>
  new RegExp(
    `${
      path === '/'
        ? ''
        : path
            .replace(/[.*+?^()|[\]\\]/g, '\\$&')
            .replace(/:\w+|\$\{[^}]+\}/g, '[^/]+')
            .replace(/\/$/, '')
    }/?$`,
  );

// ---------------------------------------------------------------------------------------------

describe('hostile inputs', { timeout: 10 * 60_000 }, () => {
  let w: World;
  const endpoints = [...apiEndpoints(), ...controlEndpoints(), CLOCK, ...logisticsEndpoints(), ...portalEndpoints()];

  before(async () => {
    console.log(`# hostile-inputs seed=${SEED} (replay with HARDENING_SEED=${SEED})`);
    w = await setUp();
  });
  after(() => w?.sims.stop());

  it('has every route the simulators register in its inventory', () => {
    const routes = registeredRoutes();
    assert.ok(routes.length > 80, `found only ${routes.length} routes in simulators/: has the way routes are registered changed?`);
    const missing = routes.filter(
      (r) =>
        r.path !== '/reset' && !endpoints.some((e) => e.method === r.method && routePattern(r.path).test(e.path.replace(/\{id\}/g, 'x'))),
    );
    assert.deepEqual(missing, [], 'routes without hostile inputs: add them to the inventory');
  });

  it('answers every hostile request without a 5xx, refuses with a message, and changes nothing when it refuses', async () => {
    const started = Date.now();
    const tally: Tally = {
      requests: 0,
      refused: 0,
      accepted: 0,
      serverErrors: 0,
      refusedProvenHarmless: 0,
      resentAfterReset: 0,
      problems: [],
    };
    await sendAll(
      w,
      generate(
        w,
        endpoints.filter((e) => e !== CLOCK),
        TOTAL,
      ),
      tally,
    );

    // The clock alone, one request at a time: an accepted change is undone at once, before any session
    // or TOTP code could notice it. Nothing here writes a business record, accepted or not.
    const before = await fingerprint(w);
    for (const request of generate(w, [CLOCK], Math.ceil(TOTAL / endpoints.length))) {
      count(tally, await fire(request));
      w.sims.clock.reset();
    }
    assert.deepEqual(changed(before, await fingerprint(w)), [], 'the clock changed business records');

    // Still the same platform afterwards: alpha's session works and still sees nothing of beta's.
    assert.equal((await w.alpha.api.me()).status, 200, "the suite's own session survived");
    const leak = await w.alpha.api.list('incident', { sysparm_query: `sys_idIN${w.ids.incident.foreign.join(',')}` });
    assert.equal(leak.headers.get('x-total-count'), '0');

    const apiEndpointCount = endpoints.filter((e) => e.surface !== 'portal').length;
    const portalForms = endpoints.filter((e) => e.surface === 'portal' && e.method === 'POST').length;
    const { problems, ...counts } = tally;
    report('hostile-inputs', {
      ...counts,
      endpoints: apiEndpointCount,
      portalForms,
      portalPages: endpoints.length - apiEndpointCount - portalForms,
      seconds: Math.round((Date.now() - started) / 1000),
    });
    assert.equal(problems.length, 0, `${problems.length} problems (seed ${SEED}):\n${problems.slice(0, 50).join('\n')}`);
  });
});
