/**
 * Which environments count is DCC's decision: the completion service recognises a run's environment
 * by its base URL and, where DCC's configuration names them, by its tenant and the TLS certificate the
 * run met. Anything else is a rehearsal, and the service says why.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { serviceConfig } from '../../service/config';
import { recognisedName, recognition } from '../../service/model';

const FINGERPRINT = Array.from({ length: 32 }, (_, i) => (i * 7).toString(16).padStart(2, '0').toUpperCase()).join(':');

const config = serviceConfig({
  parties: {},
  environments: [
    { name: 'UIT 1', url: 'https://uit1.fsm.example/' },
    { name: 'UIT 2', url: 'https://uit2.fsm.example', tenant: 'dcc-uit', tlsSha256: FINGERPRINT },
  ],
});
/** Why the service takes a run for a rehearsal: none for a run against a recognised environment. */
const why = (identity: Parameters<typeof recognition>[1]) => {
  const found = recognition(config, identity);
  return 'why' in found ? found.why : '';
};
const run = (url: string | null, tenant: string | null = null, tlsFingerprint: string | null = null) => ({ url, tenant, tlsFingerprint });

describe('recognised environments', () => {
  it('recognises a base URL however its case and trailing slash are written', () => {
    assert.equal(recognisedName(config, run('HTTPS://UIT1.fsm.example')), 'UIT 1');
    assert.equal(recognisedName(config, run('https://uit1.fsm.example/other')), null);
    assert.equal(recognisedName(config, run(null)), null);
    assert.equal(why(run('http://127.0.0.1:4010')), 'http://127.0.0.1:4010 is not an environment DCC recognises');
  });

  it('counts a run against an environment with a named tenant and certificate only when the run recorded both', () => {
    assert.equal(recognisedName(config, run('https://uit2.fsm.example', 'dcc-uit', FINGERPRINT)), 'UIT 2');
    // The fingerprint compared as hex, whatever its case and colons.
    assert.equal(recognisedName(config, run('https://uit2.fsm.example', 'dcc-uit', FINGERPRINT.replace(/:/g, '').toLowerCase())), 'UIT 2');
    assert.equal(recognisedName(config, run('https://uit2.fsm.example', 'other', FINGERPRINT)), null);
    assert.equal(recognisedName(config, run('https://uit2.fsm.example', 'dcc-uit', null)), null);
    assert.equal(recognisedName(config, run('https://uit2.fsm.example', 'dcc-uit', FINGERPRINT.replace(/^../, 'FF'))), null);
    assert.match(why(run('https://uit2.fsm.example', 'other', FINGERPRINT)), /recognised for tenant dcc-uit, and the run recorded other/);
    assert.match(why(run('https://uit2.fsm.example', 'dcc-uit', null)), /did not meet UIT 2's TLS certificate \(it recorded none\)/);
  });
});
