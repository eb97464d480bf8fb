/**
 * The auto-close sweep (SM-03): a resolution the User neither confirms nor rejects closes itself
 * after the configured days on the simulated clock. Run before incidents are read or changed.
 */
import { closeUnansweredResolutions } from '../store/incidents';
import type { Core } from './context';

const SWEEP_EVERY_MS = 60_000;

export class AutoCloseSweep {
  /** When the last sweep ran, in simulated milliseconds; a clock set back before it (a reset) sweeps at once. */
  private sweptAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly core: Core) {}

  /** At most once a simulated minute: a write on every read would halve throughput for nothing. */
  async run(): Promise<void> {
    const now = this.core.clock.now().getTime();
    if (now >= this.sweptAt && now - this.sweptAt < SWEEP_EVERY_MS) return;
    this.sweptAt = now;
    await closeUnansweredResolutions(this.core.db, this.core.clock.now(), this.core.config.incidents.autoCloseDays);
  }
}
