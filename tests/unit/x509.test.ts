import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { derInteger } from '../../simulators/http/x509';

describe('DER integers in the local CA certificates', () => {
  it('encodes every value in its minimal form, as OpenSSL 3.5 (Node 24) requires of a serial number', () => {
    const hex = (b: Buffer) => b.toString('hex');
    assert.equal(hex(derInteger(Buffer.from([0x00, 0x12, 0x34]))), '02021234');
    assert.equal(hex(derInteger(Buffer.from([0x00, 0x00, 0x92]))), '02020092');
    assert.equal(hex(derInteger(Buffer.from([0x92]))), '02020092');
    assert.equal(hex(derInteger(Buffer.from([0x00]))), '020100');
    assert.equal(hex(derInteger(Buffer.from([0x02]))), '020102');
    for (let first = 0; first < 256; first++)
      for (const second of [0x00, 0x7f, 0x80, 0xff]) {
        const body = derInteger(Buffer.from([first, second, 0x01])).subarray(2);
        // X.690 8.3.2: the first nine bits are never all zero nor all one; and the value reads as positive.
        const [b0 = 0, b1 = 0] = body;
        assert.ok(body.length === 1 || !(b0 === 0 && b1 < 0x80), `${first},${second}: ${hex(body)} has a needless zero`);
        assert.ok(b0 < 0x80, `${first},${second}: ${hex(body)} reads as negative`);
      }
  });
});
