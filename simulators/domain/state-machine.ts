/**
 * An aggregate's states as a table: for each event, the state it moves each state to. A move the
 * table does not hold is refused with the aggregate's Conflict, in its own words; `from` lists the
 * states an event moves from, so that a store's conditional update re-checks the same rule.
 */
import type { Conflict } from './errors';

export class StateMachine<S extends string, E extends string> {
  constructor(
    private readonly moves: Readonly<Record<E, Readonly<Partial<Record<S, S>>>>>,
    private readonly refusal: (from: S, event: E, name: string) => Conflict,
  ) {}

  /** The state `event` moves `from` to; a Conflict naming the record (`name`) when it cannot. */
  next(from: S, event: E, name = ''): S {
    const to = this.moves[event][from];
    if (to === undefined) throw this.refusal(from, event, name);
    return to;
  }

  allows(from: S, event: E): boolean {
    return this.moves[event][from] !== undefined;
  }

  /** The states `event` moves from. */
  from(event: E): S[] {
    return Object.keys(this.moves[event]) as S[];
  }
}

/** A state as the platform's messages say it: `delivery_confirmed` → "delivery confirmed". */
export const stateWords = (state: string): string => state.replace('_', ' ');
