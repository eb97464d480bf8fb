/**
 * A Communications Hub order (OMS-02, OMS-03): outside the tolerance of the latest forecast it waits
 * for DCC's decision, a submitted order is confirmed once into its consignment. The rules that go with
 * it: the forecast horizon, the lead time, the tolerance.
 */
import { Conflict, InvalidInput } from './errors';
import { monthIndex, monthOf, monthText } from './oms';
import { StateMachine, stateWords } from './state-machine';

export const OrderState = {
  Submitted: 'submitted',
  ToleranceException: 'tolerance_exception',
  Confirmed: 'confirmed',
  Rejected: 'rejected',
} as const;
export type OrderState = (typeof OrderState)[keyof typeof OrderState];
export type OrderEvent = 'approve' | 'reject' | 'confirm';

export const ORDER = new StateMachine<OrderState, OrderEvent>(
  {
    approve: { tolerance_exception: 'submitted' },
    reject: { tolerance_exception: 'rejected' },
    confirm: { submitted: 'confirmed' },
  },
  (from, event, number) =>
    event === 'confirm'
      ? new Conflict(
          `${number} is ${stateWords(from)} and cannot be confirmed`,
          from === OrderState.ToleranceException ? 'DCC must approve the tolerance exception first.' : '',
          'state',
        )
      : new Conflict(`${number} is not waiting for a decision`, '', 'state'),
);

/** Within tolerance when the quantity is within ±percent of the forecast (no forecast: never). */
export function withinTolerance(quantity: number, forecast: number | undefined, percent: number): boolean {
  if (forecast === undefined || forecast === 0) return false;
  return Math.abs(quantity - forecast) <= (forecast * percent) / 100;
}

/** A new order is submitted, or waits for DCC when it is outside the tolerance of the latest forecast. */
export function placedState(quantity: number, forecast: number | undefined, tolerancePercent: number): OrderState {
  return withinTolerance(quantity, forecast, tolerancePercent) ? OrderState.Submitted : OrderState.ToleranceException;
}

/** The months a forecast may cover at `now`: from next month to the end of the horizon (OMS-01). */
export function forecastHorizon(now: Date, horizonMonths: number): { first: number; last: number } {
  return { first: monthOf(now) + 1, last: monthOf(now) + horizonMonths };
}

export function forecastMonths(now: Date, horizonMonths: number): string[] {
  const { first, last } = forecastHorizon(now, horizonMonths);
  return Array.from({ length: last - first + 1 }, (_, i) => monthText(first + i));
}

export function assertInForecastHorizon(months: readonly string[], now: Date, horizonMonths: number): void {
  const { first, last } = forecastHorizon(now, horizonMonths);
  for (const month of months) {
    const index = monthIndex(month);
    if (index < first || index > last)
      throw new InvalidInput(`${month} is outside the forecast horizon`, `Forecast the ${horizonMonths} months from next month.`, 'months');
  }
}

export interface OrderTerms {
  leadTimeMonths: number;
  horizonMonths: number;
}

/** The delivery months an order may be for at `now`: from the end of the lead time to the end of the forecast horizon. */
export function orderableMonths(now: Date, terms: OrderTerms): string[] {
  const first = monthOf(now) + terms.leadTimeMonths;
  const last = monthOf(now) + terms.horizonMonths;
  return Array.from({ length: Math.max(0, last - first + 1) }, (_, i) => monthText(first + i));
}

/** An order is for a month after the lead time and inside the forecast horizon. */
export function assertDeliveryMonth(month: string, now: Date, terms: OrderTerms): void {
  if (monthIndex(month) < monthOf(now) + terms.leadTimeMonths)
    throw new InvalidInput(
      `${month} is inside the ${terms.leadTimeMonths}-month lead time`,
      'Order for a later delivery month.',
      'delivery_month',
    );
  if (monthIndex(month) > monthOf(now) + terms.horizonMonths)
    throw new InvalidInput(`${month} is beyond the forecast horizon`, '', 'delivery_month');
}
