/**
 * The one clock of a simulator process. Every rule that depends on time (session idle time, lockout,
 * TOTP windows, auto-close, delivery windows) asks this clock, so a test can move time instead of
 * waiting. Real time flows on from wherever the clock was set, unless it is frozen.
 */
import { parseDuration } from './duration';
import { InvalidInput } from './errors';

export interface Clock {
  now(): Date;
}

export interface ClockState {
  now: string;
  frozen: boolean;
  offsetMs: number;
}

/** Simulated time stays within four-digit years: what ISO 8601 date-times and the database hold. */
const EARLIEST = Date.parse('0001-01-01T00:00:00Z');
const LATEST = Date.parse('9999-12-31T23:59:59.999Z');

export class SimClock implements Clock {
  private offsetMs = 0;
  private frozenAt: number | undefined;

  constructor(private readonly realNow: () => number = Date.now) {}

  now(): Date {
    return new Date(this.frozenAt ?? this.realNow() + this.offsetMs);
  }

  set(instant: string | Date): void {
    const target = typeof instant === 'string' ? Date.parse(instant) : instant.getTime();
    if (Number.isNaN(target) || target < EARLIEST || target > LATEST) {
      throw new InvalidInput(
        `"${String(instant).slice(0, 40)}" is not an ISO 8601 date-time from the year 1 to 9999`,
        'For example 2026-12-01T09:00:00Z.',
        'set',
      );
    }
    if (this.frozenAt !== undefined) this.frozenAt = target;
    this.offsetMs = target - this.realNow();
  }

  advance(duration: string): void {
    const ms = parseDuration(duration);
    if (this.now().getTime() + ms > LATEST)
      throw new InvalidInput(`Advancing by ${duration.slice(0, 40)} goes beyond the year 9999`, 'Advance by less.', 'advance');
    this.offsetMs += ms;
    if (this.frozenAt !== undefined) this.frozenAt += ms;
  }

  /** Frozen, time stands still; unfrozen, it flows on from the frozen instant. */
  freeze(frozen: boolean): void {
    const current = this.now().getTime();
    this.offsetMs = current - this.realNow();
    this.frozenAt = frozen ? current : undefined;
  }

  /**
   * One change of the control API, all or nothing. Freezing comes first, so "set and freeze" stands
   * still at exactly the instant set; a refused part leaves the clock as it was.
   */
  change(change: { set?: string; advance?: string; freeze?: boolean }): void {
    const { offsetMs, frozenAt } = this;
    try {
      if (change.freeze === true) this.freeze(true);
      if (change.set !== undefined) this.set(change.set);
      if (change.advance !== undefined) this.advance(change.advance);
      if (change.freeze === false) this.freeze(false);
    } catch (error) {
      this.offsetMs = offsetMs;
      this.frozenAt = frozenAt;
      throw error;
    }
  }

  reset(): void {
    this.offsetMs = 0;
    this.frozenAt = undefined;
  }

  state(): ClockState {
    return { now: this.now().toISOString(), frozen: this.frozenAt !== undefined, offsetMs: this.offsetMs };
  }
}
