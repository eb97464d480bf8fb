/**
 * What a run says as each scenario finishes, when its output is not a terminal (CI, a pipe, a log
 * file): one line per scenario, as it happens. A terminal gets cucumber's progress bar instead
 * (cucumber.js), which redraws itself and would garble a log.
 */
import type { ScenarioResult } from '../reporting/results';

/** "[  4.2 s] passed  Feature / Scenario (0.8 s)": time since the run started, result, name, its own time. */
export function progressLine(result: ScenarioResult, sinceStartMs: number): string {
  const at = `${(sinceStartMs / 1000).toFixed(1)} s`.padStart(7);
  const retried = result.attempts > 1 ? `, ${result.attempts} attempts` : '';
  return `[${at}] ${result.status.padEnd(7)} ${result.feature} / ${result.name} (${(result.durationMs / 1000).toFixed(1)} s${retried})`;
}

/** A listener for ResultCollector that prints each finished scenario when `out` is not a terminal. */
export function progressPrinter(out: { isTTY?: boolean; write(text: string): unknown }, startedAt = Date.now()) {
  return (result: ScenarioResult): void => {
    if (!out.isTTY) out.write(`${progressLine(result, Date.now() - startedAt)}\n`);
  };
}
