/** Scenario-outline rows are scenarios of their own: a row whose outline name has no <placeholder> is named after its example. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { generateMessages } from '@cucumber/gherkin';
import { IdGenerator, SourceMediaType, type Envelope } from '@cucumber/messages';
import { ResultCollector } from '../../reporting/results';
import { scenarioKey } from '../../reporting/testing-issues';

/** Feeds a feature file to the collector as cucumber would, every pickle scheduled. */
function collect(uri: string): string[] {
  const collector = new ResultCollector();
  const envelopes: readonly Envelope[] = generateMessages(readFileSync(uri, 'utf8'), uri, SourceMediaType.TEXT_X_CUCUMBER_GHERKIN_PLAIN, {
    includeGherkinDocument: true,
    includePickles: true,
    includeSource: false,
    newId: IdGenerator.incrementing(),
  });
  for (const envelope of envelopes) {
    collector.onEnvelope(envelope);
    if (envelope.pickle)
      collector.onEnvelope({ testCase: { id: `tc-${envelope.pickle.id}`, pickleId: envelope.pickle.id, testSteps: [] } } as Envelope);
  }
  return collector.scenarios().map((s) => s.name);
}

test('an outline whose name does not vary names each row after its example, so reports and issues tell the rows apart', () => {
  const uri = 'features/uept/raise-incident.feature';
  const names = collect(uri);
  assert.deepEqual(names.slice(1), [
    'Priority follows impact and urgency (example: impact 1, urgency 1, priority 1)',
    'Priority follows impact and urgency (example: impact 1, urgency 3, priority 3)',
    'Priority follows impact and urgency (example: impact 3, urgency 2, priority 4)',
    'Priority follows impact and urgency (example: impact 3, urgency 3, priority 5)',
  ]);
  assert.equal(new Set(names.map((name) => scenarioKey({ uri, name }))).size, names.length, 'each row has its own testing-issue key');
});

test('an outline that names its placeholders and a plain scenario keep their names', () => {
  const names = collect('features/uit/incident-categories.feature');
  assert.ok(names.length > 1);
  assert.ok(
    names.every((name) => !name.includes('(example:')),
    names.join('\n'),
  );
  assert.equal(new Set(names).size, names.length);
});
