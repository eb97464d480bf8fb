/**
 * `npm run steps:check`: a dry run of every feature that fails when a step has no definition or
 * several, when a scenario proves no requirement, or when a requirement tag is not in the catalogue.
 * (cucumber-js 12 exits 0 from a dry run whatever it finds, so this script judges the messages.)
 */
import { loadConfiguration, runCucumber } from '@cucumber/cucumber/api';
import { loadRequirementCatalogue } from '../cli/summary';
import { harnessMessage } from '../clients/messages';
import { ResultCollector, unknownRequirements } from '../reporting/results';

async function main(): Promise<number> {
  const { runConfiguration } = await loadConfiguration({ profiles: ['check'] });
  const collector = new ResultCollector();
  await runCucumber(runConfiguration, undefined, collector.onEnvelope);
  const scenarios = collector.scenarios();
  const problems = [
    ...scenarios
      .filter((s) => s.status === 'undefined' || s.status === 'ambiguous')
      .map((s) => `${s.uri}: "${s.name}" has ${s.status} steps`),
    ...scenarios
      .filter((s) => s.requirements.length === 0)
      .map((s) => `${s.uri}: "${s.name}" is tagged with no requirement ID (see config/requirements.json)`),
    ...unknownRequirements(scenarios, loadRequirementCatalogue()).map((id) => `@${id} is not in config/requirements.json`),
  ];
  if (scenarios.length === 0) problems.push('No scenarios found under features/');
  for (const problem of problems) console.error(harnessMessage(`steps:check: ${problem}`));
  console.log(`steps:check: ${scenarios.length} scenarios, ${problems.length} problems.`);
  return problems.length ? 1 : 0;
}

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
