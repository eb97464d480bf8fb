/**
 * FSM_FIXTURE_SEED rebuilds a run's fixture data: the same scenarios, run twice with one seed, build
 * the same parties, incidents and hubs (the random uniqueness tag aside, which the log names), and a
 * scenario outline's example rows each build their own. Another seed builds other data. Both runs go
 * to one long-lived simulator, as reruns against a kept platform do, and neither collides with the other.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import type { Envelope } from '@cucumber/messages';
import type { Simulators } from '../../simulators/start';
import { startTestSimulators } from '../support';

let sims: Simulators;
const dir = mkdtempSync(join(tmpdir(), 'fsm-seed-'));
// Only the steps and a message file: the run writes nothing to reports/ (cucumber takes the path as relative to the working directory).
const config = join(dir, 'cucumber.js');
writeFileSync(
  config,
  `module.exports = { default: { requireModule: ['ts-node/register/transpile-only'], require: ['steps/**/*.ts'], strict: true, worldParameters: { mode: 'api' } } };\n`,
);

before(async () => {
  sims = await startTestSimulators();
});
after(async () => {
  await sims?.stop();
});

/** Four example rows of an outline, and a scenario that installs hubs (whose IDs are unique platform-wide). */
const SCENARIOS = [
  'features/uept/raise-incident.feature',
  'features/uept/basic-oms.feature',
  '--name',
  '^Priority follows impact and urgency$|^A returns-only party raises a return$',
];

/** Runs the scenarios with this seed; returns, by scenario place, the fixture data each logged, its uniqueness tag written as <tag>. */
async function runWithSeed(seed: number, name: string): Promise<Map<string, string[]>> {
  const messages = join(dir, `${name}.ndjson`);
  // Not spawnSync: the simulator the run talks to lives in this process and must keep answering.
  const run = await promisify(execFile)(
    'npx',
    ['cucumber-js', '--config', relative(process.cwd(), config), ...SCENARIOS, '--format', `message:${messages}`],
    {
      env: { ...process.env, FSM_TARGET: sims.urls.fsm, FSM_FIXTURE_SEED: String(seed), FSM_MODE: 'api' },
      encoding: 'utf8',
      timeout: 180_000,
    },
  ).catch((error: { stdout?: string; stderr?: string; message: string }) =>
    assert.fail(`The run with seed ${seed} failed: ${error.message}\n${error.stdout ?? ''}${error.stderr ?? ''}`),
  );
  assert.ok(run.stdout.includes('5 scenarios (5 passed)'), run.stdout + run.stderr);
  const envelopes = readFileSync(messages, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Envelope);
  const placeOfPickle = new Map(
    envelopes.flatMap((e) => (e.pickle ? [[e.pickle.id, `${e.pickle.uri}:${e.pickle.location?.line}`] as const] : [])),
  );
  const pickleOfCase = new Map(envelopes.flatMap((e) => (e.testCase ? [[e.testCase.id, e.testCase.pickleId] as const] : [])));
  const placeOfStarted = new Map(
    envelopes.flatMap((e) =>
      e.testCaseStarted
        ? [[e.testCaseStarted.id, placeOfPickle.get(pickleOfCase.get(e.testCaseStarted.testCaseId) ?? '') ?? '?'] as const]
        : [],
    ),
  );
  const logs = new Map<string, string[]>();
  for (const { attachment } of envelopes) {
    if (!attachment?.testCaseStartedId) continue;
    const place = placeOfStarted.get(attachment.testCaseStartedId) ?? '?';
    logs.set(place, [...(logs.get(place) ?? []), attachment.body]);
  }
  return new Map(
    [...logs].map(([place, lines]) => {
      const tag = /uniqueness tag ([0-9a-f]{8})/.exec(lines.join('\n'))?.[1];
      assert.ok(tag, `${place} logged no uniqueness tag: ${lines.join('\n')}`);
      return [
        place,
        lines
          .filter((l) => l.startsWith('Fixture data, '))
          .map((l) => l.replaceAll(tag, '<tag>').replaceAll(tag.toUpperCase().match(/../g)?.join('-') ?? tag, '<TAG>')),
      ];
    }),
  );
}

test(
  'one seed rebuilds the same fixture data, each example row has its own, and another seed builds other data',
  { timeout: 600_000 },
  async () => {
    const first = await runWithSeed(42, 'first');
    const again = await runWithSeed(42, 'again');
    const other = await runWithSeed(43, 'other');
    assert.equal(first.size, 5, [...first.keys()].join(', '));
    assert.deepEqual([...other.keys()].sort(), [...first.keys()].sort());
    for (const [place, data] of first) assert.ok(data.length >= 2, `${place} logged too little fixture data: ${data.join('\n')}`);
    assert.deepEqual(again, first);
    const rows = [...first].filter(([place]) => place.startsWith('features/uept/raise-incident.feature:'));
    assert.equal(new Set(rows.map(([, data]) => JSON.stringify(data))).size, 4, 'the example rows of the outline built the same data');
    for (const [place, data] of first) assert.notDeepEqual(other.get(place), data, `${place} built the same data with another seed`);
  },
);
