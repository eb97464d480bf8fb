/**
 * Forging a passing pack, as a party wanting a pass it did not earn would try: flip a failure to a pass
 * in the pack and re-hash it, edit the results store, swap packs between parties, re-sign with a key of
 * one's own, alter the signed statement, or rewrite an earlier run's statement. `verify` must refuse
 * each, naming what is wrong. (The completion service refuses the same packs: tests/integration/completion-service.)
 */
import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { buildEvidencePack, MANIFEST, verifyEvidence, type Manifest } from '../../reporting/evidence';
import { openResults } from '../../reporting/results-store';
import { ATTESTATION } from '../../reporting/signing/attest';
import { signEnvelope, type DsseEnvelope } from '../../reporting/signing/dsse';
import { keyIdOf, KeyRegistry } from '../../reporting/signing/keys';
import { IN_TOTO_PAYLOAD, type RunStatement } from '../../reporting/signing/statement';
import type { Db } from '../../simulators/store/db';
import { recordRun, scenario, testSigner } from '../support/results';

const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

describe('forged evidence', () => {
  let root: string;
  let db: Db;
  let evidence: string;
  const alpha = testSigner();
  const beta = testSigner();
  const registry = new KeyRegistry();
  registry.register('Alpha Energy', alpha.signer.publicKey);
  registry.register('Beta Networks', beta.signer.publicKey);
  const trust = (party: string) => registry.keysOf(party);
  let runs: { alpha1: string; alpha2: string; beta: string };

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'fsm-forgery-'));
    db = await openResults({ memory: true });
  });
  after(async () => {
    await db.close();
    rmSync(root, { recursive: true, force: true });
  });

  /** A fresh store and packs before each case: Alpha fails a mandated test, then passes; Beta fails. */
  beforeEach(async () => {
    await db.query('TRUNCATE evidence_manifest, testing_issue, scenario_result, test_run');
    evidence = mkdtempSync(join(root, 'evidence-'));
    const summary = join(root, 'run-summary.json');
    const seal = async (party: string, failed: boolean, signer = party === 'Alpha Energy' ? alpha.signer : beta.signer) => {
      const results = [scenario('Login', ['UEPT-FSM-01']), scenario('Raise an incident', ['UEPT-FSM-02'], failed ? 'failed' : 'passed')];
      const id = await recordRun(db, party, results);
      writeFileSync(summary, JSON.stringify({ party, results: results.map((r) => [r.name, r.status]) }));
      await buildEvidencePack(db, evidence, id, [{ from: summary, to: 'run-summary.json' }], signer);
      return id;
    };
    const alpha1 = await seal('Alpha Energy', true);
    const beta1 = await seal('Beta Networks', true);
    const alpha2 = await seal('Alpha Energy', false);
    runs = { alpha1, alpha2, beta: beta1 };
    assert.deepEqual(await verifyEvidence(db, evidence, trust), { ok: true, runs: 3, files: 3, problems: [] });
  });

  const problems = async () => (await verifyEvidence(db, evidence, trust)).problems.join('\n');
  const readJson = <T>(path: string) => JSON.parse(readFileSync(path, 'utf8')) as T;
  const statementOf = (run: string) => {
    const envelope = readJson<DsseEnvelope>(join(evidence, run, ATTESTATION));
    return JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8')) as RunStatement;
  };

  it('names a pack flipped to passed and re-hashed, with the store updated to the new hash', async () => {
    const pack = join(evidence, runs.beta);
    writeFileSync(join(pack, 'run-summary.json'), JSON.stringify({ party: 'Beta Networks', results: [['Raise an incident', 'passed']] }));
    const manifest = readJson<Manifest>(join(pack, MANIFEST));
    for (const file of manifest.files) file.sha256 = sha256(readFileSync(join(pack, file.path)));
    const text = `${JSON.stringify(manifest, null, 2)}\n`;
    writeFileSync(join(pack, MANIFEST), text);
    await db.query('UPDATE evidence_manifest SET sha256 = $2 WHERE run_id = $1', [runs.beta, sha256(text)]);
    await db.query("UPDATE scenario_result SET status = 'passed', first_status = 'passed' WHERE run_id = $1", [runs.beta]);
    const found = await problems();
    assert.match(found, new RegExp(`manifest\\.json is not the manifest signed for run ${runs.beta}: the pack was re-hashed or swapped`));
    assert.match(found, /scenario "Raise an incident" .* is passed in the store, failed in the signed statement/);
  });

  it('names an edit of the results store alone', async () => {
    await db.query("UPDATE scenario_result SET status = 'passed', first_status = 'passed' WHERE run_id = $1", [runs.beta]);
    assert.match(
      await problems(),
      new RegExp(
        `the results store was edited for run ${runs.beta}: scenario "Raise an incident" \\(features/uept/Raise-an-incident.feature\\) is passed in the store, failed in the signed statement`,
      ),
    );
  });

  it('names a run moved to another party in the store, and scenario results added to a run', async () => {
    await db.query("UPDATE test_run SET party = 'Beta Networks' WHERE id = $1", [runs.alpha2]);
    await db.query(
      `INSERT INTO scenario_result (run_id, uri, feature, name, tags, requirements, status, attempts, first_status, duration_ms, recorded_at)
       SELECT run_id, uri, feature, 'Extra', tags, requirements, status, attempts, first_status, duration_ms, recorded_at FROM scenario_result WHERE run_id = $1 LIMIT 1`,
      [runs.alpha1],
    );
    const found = await problems();
    assert.match(
      found,
      new RegExp(
        `${runs.alpha2}/attestation\\.dsse\\.json is refused: it is signed by a key not registered for this party .*\\(party "Beta Networks"\\)`,
      ),
    );
    assert.match(
      found,
      new RegExp(`the results store was edited for run ${runs.alpha1}: the store holds 3 scenario results, the signed statement 2`),
    );
  });

  it("refuses one party's pack swapped in for another's", async () => {
    // Alpha's passing pack copied over Beta's failing one, and the store pointed at it.
    rmSync(join(evidence, runs.beta), { recursive: true });
    cpSync(join(evidence, runs.alpha2), join(evidence, runs.beta), { recursive: true });
    const [alphaRow] = await db.query<{ sha256: string; statement_sha256: string }>(
      'SELECT sha256, statement_sha256 FROM evidence_manifest WHERE run_id = $1',
      [runs.alpha2],
    );
    await db.query('UPDATE evidence_manifest SET sha256 = $2, statement_sha256 = $3 WHERE run_id = $1', [
      runs.beta,
      alphaRow?.sha256,
      alphaRow?.statement_sha256,
    ]);
    assert.match(
      await problems(),
      new RegExp(`${runs.beta}/attestation\\.dsse\\.json is refused: it is signed by a key not registered for this party`),
    );
    // Even were Beta's key to sign it: the statement names Alpha's run and party.
    const statement = statementOf(runs.alpha2);
    const payload = Buffer.from(JSON.stringify(statement));
    writeFileSync(join(evidence, runs.beta, ATTESTATION), JSON.stringify(signEnvelope(IN_TOTO_PAYLOAD, payload, beta.signer.privateKey)));
    await db.query('UPDATE evidence_manifest SET statement_sha256 = $2 WHERE run_id = $1', [runs.beta, sha256(payload)]);
    const found = await problems();
    assert.match(found, new RegExp(`manifest\\.json is not the manifest signed for run ${runs.beta}`));
    assert.match(found, /the party is "Beta Networks" in the store, "Alpha Energy" in the signed statement/);
  });

  it('refuses a statement re-signed with a key that is not registered for the party', async () => {
    const statement = statementOf(runs.beta);
    statement.predicate.fsm.scenarios = statement.predicate.fsm.scenarios.map((s) => ({ ...s, status: 'passed', firstStatus: 'passed' }));
    const own = generateKeyPairSync('ed25519');
    const payload = Buffer.from(JSON.stringify(statement));
    writeFileSync(join(evidence, runs.beta, ATTESTATION), JSON.stringify(signEnvelope(IN_TOTO_PAYLOAD, payload, own.privateKey)));
    await db.query('UPDATE evidence_manifest SET statement_sha256 = $2 WHERE run_id = $1', [runs.beta, sha256(payload)]);
    await db.query("UPDATE scenario_result SET status = 'passed', first_status = 'passed' WHERE run_id = $1", [runs.beta]);
    assert.match(
      await problems(),
      new RegExp(
        `attestation\\.dsse\\.json is refused: it is signed by a key not registered for this party \\(${keyIdOf(own.publicKey)}\\)`,
      ),
    );
  });

  it('names a signed statement altered without its signature', async () => {
    const path = join(evidence, runs.beta, ATTESTATION);
    const envelope = readJson<DsseEnvelope>(path);
    const statement = statementOf(runs.beta);
    statement.predicate.failedTests = [];
    envelope.payload = Buffer.from(JSON.stringify(statement)).toString('base64');
    writeFileSync(path, JSON.stringify(envelope));
    assert.match(
      await problems(),
      /attestation\.dsse\.json is refused: its signature does not verify: the statement was altered after signing/,
    );
  });

  it("names an earlier run rewritten and re-signed with the party's own key: the chain after it breaks", async () => {
    const statement = statementOf(runs.alpha1);
    statement.predicate.fsm.scenarios = statement.predicate.fsm.scenarios.map((s) => ({ ...s, status: 'passed', firstStatus: 'passed' }));
    const payload = Buffer.from(JSON.stringify(statement));
    writeFileSync(
      join(evidence, runs.alpha1, ATTESTATION),
      JSON.stringify(signEnvelope(IN_TOTO_PAYLOAD, payload, alpha.signer.privateKey)),
    );
    await db.query('UPDATE evidence_manifest SET statement_sha256 = $2 WHERE run_id = $1', [runs.alpha1, sha256(payload)]);
    await db.query("UPDATE scenario_result SET status = 'passed', first_status = 'passed' WHERE run_id = $1", [runs.alpha1]);
    assert.match(
      await problems(),
      new RegExp(
        `the signed chain is broken before run ${runs.beta}: its statement names a previous statement that is not the one before it`,
      ),
    );
  });

  it('names a removed statement and a pack sealed without one', async () => {
    rmSync(join(evidence, runs.alpha2, ATTESTATION));
    await db.query('UPDATE evidence_manifest SET statement_sha256 = NULL WHERE run_id = $1', [runs.beta]);
    const found = await problems();
    assert.match(found, new RegExp(`${runs.alpha2}/attestation\\.dsse\\.json is missing`));
    assert.match(found, new RegExp(`run ${runs.beta} is not signed`));
  });
});
