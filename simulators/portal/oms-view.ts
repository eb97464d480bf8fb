/**
 * How the OMS pages show what the OMS service returns: states and outcomes in words ("tolerance_exception"
 * reads "Tolerance exception"), money in pounds, the carrier's events and the Advance Shipment Notice.
 */
import { escapeHtml as e } from '../http/html';
import type { FormError } from './layout';
import { table } from './layout';

/** A state or code in words: the first letter capitalised, underscores as spaces. */
export function words(code: string): string {
  const text = code.replaceAll('_', ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function pounds(pence: number): string {
  return `£${(pence / 100).toFixed(2)}`;
}

export function eventsTable(events: { status: string; at: string }[]): string {
  return table(
    'Carrier events, oldest first',
    ['Status', 'At'],
    events.map((ev) => [e(words(ev.status)), e(ev.at.slice(0, 16).replace('T', ' '))]),
    'The carrier has reported nothing yet.',
  );
}

/** The device IDs of an Advance Shipment Notice, as one list named by its heading. */
export function deviceList(ids: string[]): string {
  const items = ids.map((id) => `<li>${e(id)}</li>`).join('');
  return `<h2 id="asn-heading">Advance Shipment Notice</h2><p>${ids.length} device${ids.length === 1 ? '' : 's'}.</p>${ids.length ? `<ul aria-labelledby="asn-heading">${items}</ul>` : ''}`;
}

/** The form inputs of a POST, as strings (urlencoded bodies only hold strings). */
export function formBody(body: unknown): Record<string, string> {
  return Object.fromEntries(Object.entries((body ?? {}) as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
}

/** A number typed in a form: blank stays blank, so the service says the field is missing. */
export function numberOf(text: string | undefined): number | undefined {
  return text === undefined || text.trim() === '' ? undefined : Number(text);
}

/** An error about one of the forecast's months belongs to the months as a whole. */
export function monthsError(error?: FormError): FormError | undefined {
  return error && (error.field === 'month' || error.field?.startsWith('months')) ? { ...error, field: 'months' } : error;
}

/** The rules an order is checked against, said on the forms before anything is sent (OMS-01..03). */
export function orderTermsNote(terms: {
  months: string[];
  leadTimeMonths: number;
  horizonMonths: number;
  tolerancePercent: number;
  packSize: number;
}): string {
  const range = terms.months.length ? `from ${terms.months[0]} to ${terms.months.at(-1)}` : 'none at the moment';
  return `<p id="order-terms">Delivery months you can order now: ${e(range)} (a lead time of ${terms.leadTimeMonths} months; a forecast horizon of ${terms.horizonMonths} months). Quantities are in multiples of the pack size, ${terms.packSize}. An order within ±${terms.tolerancePercent} % of your latest forecast for its month is submitted; otherwise it is a tolerance exception that DCC must approve before you can confirm it.</p>`;
}
