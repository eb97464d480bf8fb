/**
 * Records a run into the results store as it happens: each scenario when its last attempt ends (so a
 * crash loses nothing already done), then at the end the scenarios that never ran, the testing issues
 * of those that failed, and the run's end.
 */
import { harnessMessage } from '../clients/messages';
import type { Queryable } from '../simulators/store/db';
import type { ScenarioResult } from './results';
import { finishRun, recordScenario } from './results-store';
import { recordFailure } from './testing-issues';

const NOT_A_FAILURE = new Set(['passed', 'unknown']);

export class RunRecorder {
  private chain: Promise<void> = Promise.resolve();
  private readonly recorded = new Map<string, number>();
  private error: unknown;

  constructor(
    private readonly db: Queryable,
    private readonly runId: string,
    private readonly defaultSeverity: number,
  ) {}

  /** Queues the scenario's result; writes happen in order, one at a time. */
  readonly add = (result: ScenarioResult): void => {
    const key = `${result.uri}#${result.name}`;
    this.recorded.set(key, (this.recorded.get(key) ?? 0) + 1);
    this.chain = this.chain
      .then(() => recordScenario(this.db, this.runId, result, new Date()))
      .catch((error: unknown) => void (this.error ??= error));
  };

  async finish(all: ScenarioResult[], at = new Date()): Promise<void> {
    await this.chain;
    if (this.error) throw new Error(harnessMessage(`Recording results failed: ${(this.error as Error).message}`));
    const seen = new Map(this.recorded);
    for (const result of all) {
      const key = `${result.uri}#${result.name}`;
      const left = seen.get(key) ?? 0;
      if (left > 0) seen.set(key, left - 1);
      else await recordScenario(this.db, this.runId, { ...result, status: 'unknown' }, at);
      if (!NOT_A_FAILURE.has(result.status)) await recordFailure(this.db, this.runId, result, this.defaultSeverity, at);
    }
    await finishRun(this.db, this.runId, at);
  }
}
