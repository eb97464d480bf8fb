/** The XML writer and reader of ServiceNow's formats (simulators/http/xml-write.ts, xml-read.ts), without HTTP. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DomainError } from '../../simulators/domain/errors';
import { readXmlRequest } from '../../simulators/http/xml-read';
import { toXmlDocument } from '../../simulators/http/xml-write';

const HEADER = '<?xml version="1.0" encoding="UTF-8"?>';

describe('XML writer', () => {
  it('writes a list as repeated elements, null as empty, and escapes markup', () => {
    assert.equal(
      toXmlDocument({ result: [{ a: 'x<&>"\'' }, { a: null, b: { link: 'l', value: 'v' } }] }),
      `${HEADER}<response><result><a>x&lt;&amp;&gt;&quot;&apos;</a></result><result><a></a><b><link>l</link><value>v</value></b></result></response>`,
    );
    assert.equal(toXmlDocument({ result: [] }), `${HEADER}<response></response>`);
  });

  it('keeps the document well-formed whatever a stored value or key holds', () => {
    assert.equal(
      toXmlDocument({ result: { '1 bad/key': 'a\u0001b\uD800c\uFFFFd\u{1F600}' } }),
      `${HEADER}<response><result><_1_bad_key>a\uFFFDb\uFFFDc\uFFFDd\u{1F600}</_1_bad_key></result></response>`,
    );
  });
});

describe('XML reader', () => {
  it('reads <request><entry> with CDATA, comments, character references and nested objects', () => {
    const record = readXmlRequest(
      '\uFEFF<?xml version="1.0" encoding="UTF-8"?>\n<!-- c --><request a="1"><entry>\n <x>&lt;&#65;&#x42;<![CDATA[<&>]]></x><!-- c -->\n <v><k>1</k></v><e/></entry></request>\n',
    );
    assert.deepEqual(record, { x: '<AB<&>', v: { k: '1' }, e: '' });
    assert.deepEqual(readXmlRequest('<request><entry/></request>'), {});
  });

  it('refuses what is not one plain record, with a 400 that says what to fix', () => {
    const cases: [string, RegExp][] = [
      ['', /no root element/],
      ['<request><entry>x</entry></request>', /holds text/],
      ['<request><entry/><entry/></request>', /one <entry>/],
      ['<request><entry><a>1<b>2</b></a></entry></request>', /mixes text and elements/],
      ['<request><entry><a b=1/></entry></request>', /not quoted/],
      ['<request><entry><a>&amp</a></entry></request>', /bare "&"/],
      ['<request><entry/></request><more/>', /after the root/],
      ['<request><entry><hasOwnProperty>1</hasOwnProperty></entry></request>', /not a field name/],
      ['<request><entry><é>1</é></entry></request>', /plain ASCII name/],
    ];
    for (const [xml, message] of cases) {
      assert.throws(
        () => readXmlRequest(xml),
        (error: unknown) => error instanceof DomainError && error.status === 400 && message.test(error.message),
        xml,
      );
    }
  });
});
