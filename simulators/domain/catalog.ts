/**
 * The service catalogue Users order from (SM-04): what each item is for, which Functional Component
 * ordering it needs, and whether it takes a signed file that a workflow validates; and where DCC's
 * service desk may move an item it works.
 */
import { Conflict, NotFound } from './errors';

export interface CatalogItem {
  sys_id: string;
  name: string;
  short_description: string;
  component: string;
  /** The file layout its workflow validates, if any. */
  file?: 'adt' | 'qca';
  /** Variables the order must give, with what each means. */
  variables: Record<string, string>;
  /** What DCC's fulfilment changes in the platform. */
  onFulfil?: 'nominated-contact';
  /** What ordering it starts, beyond the request itself. */
  onOrder?: 'ch-transfer';
}

export const CATALOG: readonly CatalogItem[] = [
  {
    sys_id: 'a1d7c0de0000000000000000000000a1',
    name: 'ADT threshold submission',
    short_description: 'Submit Anomaly Detection Thresholds as a signed CSV file',
    component: 'files.submit',
    file: 'adt',
    variables: {},
  },
  {
    sys_id: 'a1d7c0de0000000000000000000000a2',
    name: 'Quarantine Command Action',
    short_description: 'Answer a quarantine incident with a signed Quarantine Command Action file',
    component: 'files.submit',
    file: 'qca',
    variables: { incident_number: 'The number of the quarantine incident DCC raised, e.g. INC0010042' },
  },
  {
    sys_id: 'a1d7c0de0000000000000000000000a3',
    name: 'Communications Hub transfer',
    short_description: 'Transfer Communications Hubs to another party',
    component: 'oms.returns',
    variables: { receiving_party: 'The name of the party that receives the hubs', device_ids: 'Comma-separated device IDs' },
    onOrder: 'ch-transfer',
  },
  {
    sys_id: 'a1d7c0de0000000000000000000000a4',
    name: 'Nominated Contacts update',
    short_description: 'Change who DCC contacts for your party',
    component: 'requests.write',
    variables: { contact_role: 'The nominated role, e.g. Security', contact_name: 'Name', contact_email: 'Email address' },
    onFulfil: 'nominated-contact',
  },
];

/** The catalogue's item with this sys_id; an unknown one is not found. */
export function catalogItem(sysId: string): CatalogItem {
  const item = CATALOG.find((i) => i.sys_id === sysId);
  if (!item) throw new NotFound('Catalogue item');
  return item;
}

export type DeskState = 'fulfilled' | 'rejected' | 'closed';

/** The states DCC's service desk may move an item from, to each of these; each move is made once. */
const DESK_MOVES: Record<DeskState, readonly string[]> = {
  fulfilled: ['validating', 'in_progress'],
  rejected: ['submitted', 'validating', 'in_progress'],
  closed: ['submitted', 'validating', 'in_progress', 'fulfilled', 'rejected'],
};

export function assertDeskMove(number: string, from: string, to: DeskState): void {
  if (DESK_MOVES[to].includes(from)) return;
  const words = (state: string) => state.replace('_', ' ');
  throw new Conflict(
    from === to ? `${number} was already ${to}` : `${number} is ${words(from)} and cannot be ${to}`,
    'Someone may have just changed it: look at the item again.',
    'state',
  );
}
