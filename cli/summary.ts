/** The run's summary: printed for the person at the terminal, and saved as JSON for pipelines and reports. */
import { readFileSync, writeFileSync } from 'node:fs';
import { coverage, unknownRequirements, type RequirementCoverage, type ScenarioResult } from '../reporting/results';
import { targetHeadline, type TargetIdentity } from '../reporting/target-kind';

export interface RunInfo extends TargetIdentity {
  suite: string;
  tags?: string;
  target: string;
  mode: string;
  seed: number;
  parallel: number;
  startedAt: Date;
}

export interface RunSummary {
  run: Omit<RunInfo, 'startedAt'> & { startedAt: string; finishedAt: string; durationMs: number };
  totals: Record<string, number>;
  scenarios: ScenarioResult[];
  requirements: RequirementCoverage[];
  unknownRequirementTags: string[];
}

export function loadRequirementCatalogue(path = 'config/requirements.json'): Record<string, string> {
  return (JSON.parse(readFileSync(path, 'utf8')) as { requirements: Record<string, string> }).requirements;
}

export function writeRunSummary(reportsDir: string, info: RunInfo, scenarios: ScenarioResult[]): RunSummary {
  const finished = new Date();
  const catalogue = loadRequirementCatalogue();
  const totals: Record<string, number> = { scenarios: scenarios.length };
  for (const s of scenarios) totals[s.status] = (totals[s.status] ?? 0) + 1;
  const summary: RunSummary = {
    run: {
      ...info,
      startedAt: info.startedAt.toISOString(),
      finishedAt: finished.toISOString(),
      durationMs: finished.getTime() - info.startedAt.getTime(),
    },
    totals,
    scenarios,
    requirements: coverage(scenarios, catalogue),
    unknownRequirementTags: unknownRequirements(scenarios, catalogue),
  };
  writeFileSync(`${reportsDir}/run-summary.json`, `${JSON.stringify(summary, null, 2)}\n`);
  return summary;
}

export function printSummary(summary: RunSummary): void {
  const { totals, scenarios, requirements, run } = summary;
  const lines = [
    '',
    targetHeadline([run]),
    `${totals.scenarios} scenarios: ${totals.passed ?? 0} passed, ${(totals.scenarios ?? 0) - (totals.passed ?? 0)} not passed, in ${(run.durationMs / 1000).toFixed(1)} s.`,
  ];
  for (const s of scenarios.filter((x) => x.status !== 'passed')) {
    lines.push(`  ${s.status.toUpperCase()}  ${s.feature} / ${s.name}  (${s.uri})`);
    if (s.error)
      lines.push(
        ...s.error
          .split('\n')
          .slice(0, 3)
          .map((l) => `      ${l}`),
      );
  }
  const proved = requirements.filter((r) => r.scenarios > 0);
  lines.push(`Requirements covered: ${proved.map((r) => `${r.id}${r.failed ? ' (FAILING)' : ''}`).join(', ') || 'none'}.`);
  if (summary.unknownRequirementTags.length)
    lines.push(`Unknown requirement tags (not in config/requirements.json): ${summary.unknownRequirementTags.join(', ')}.`);
  lines.push(`Fixture seed ${run.seed}; reports in reports/ (run-summary.json, cucumber-junit.xml, allure-results/, simulators.log).`);
  console.log(lines.join('\n'));
}
