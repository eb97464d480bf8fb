/**
 * Communications Hub vocabulary (OMS-01..11), pure: variants and what may be ordered here, months,
 * pack multiples and return reasons. The aggregates' rules are in order.ts, consignment.ts, returns.ts
 * and transfer.ts. Numbers come from configuration and are ASSUMED unless cited.
 */
import { InvalidInput } from './errors';

export const ORDERABLE_VARIANTS = ['4G-SB', '4G-DB'] as const;
export const LEGACY_VARIANTS = ['2G3G-SB', '2G3G-DB', 'LRR'] as const;
export type Variant = (typeof ORDERABLE_VARIANTS)[number];

/** `YYYY-MM` months, compared as month numbers. */
export function monthIndex(month: string): number {
  const match = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month);
  if (!match) throw new InvalidInput(`"${month.slice(0, 20)}" is not a month`, 'Write months as YYYY-MM, e.g. 2027-04.', 'month');
  return Number(match[1]) * 12 + Number(match[2]) - 1;
}

/** The `YYYY-MM` text of a month number. */
export function monthText(index: number): string {
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

export function monthOf(date: Date): number {
  return date.getUTCFullYear() * 12 + date.getUTCMonth();
}

export function assertOrderableVariant(variant: string): Variant {
  if ((LEGACY_VARIANTS as readonly string[]).includes(variant)) {
    throw new InvalidInput(
      `${variant} Communications Hubs are not ordered on this platform`,
      'Order 2G/3G and LRR hubs on the legacy ordering system, as before (OMS-11).',
      'variant',
    );
  }
  if (!(ORDERABLE_VARIANTS as readonly string[]).includes(variant))
    throw new InvalidInput(`Unknown variant ${variant.slice(0, 20)}`, `Order one of ${ORDERABLE_VARIANTS.join(', ')}.`, 'variant');
  return variant as Variant;
}

export function assertQuantity(quantity: number, packSize: number, max: number): void {
  if (!Number.isInteger(quantity) || quantity <= 0) throw new InvalidInput('quantity must be a whole number above zero', '', 'quantity');
  if (quantity % packSize !== 0)
    throw new InvalidInput(
      `quantity must be a multiple of the pack size, ${packSize}`,
      `For example ${Math.max(packSize, Math.round(quantity / packSize) * packSize)}.`,
      'quantity',
    );
  if (quantity > max)
    throw new InvalidInput(
      `quantity ${quantity} is above the most one order may hold, ${max}`,
      'Split it over months or Regions.',
      'quantity',
    );
}

/** Return reasons, as DUIS 8.14.3 (fault) and 8.14.4 (no fault) group them; the codes are ASSUMED. */
export const FAULT_REASONS = ['no_power', 'no_wan_connection', 'hardware_fault', 'physical_damage'] as const;
export const NO_FAULT_REASONS = ['removed_no_fault', 'premises_demolished', 'surplus_stock'] as const;
