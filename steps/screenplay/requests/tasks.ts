/**
 * Service requests (SM-04..06, SM-08), as a User makes them: order a catalogue item, submit a signed
 * file (ADT, Quarantine Command Action) to its workflow, search knowledge, read the nominated contacts.
 * Each task over the API (via-api.ts) and on the portal (in-portal.ts), joined here; and the notes.
 */
import { signFile } from '../../../fixtures/signed-files';
import type { FsmWorld } from '../../support/world';
import type { Actor } from '../actor';
import { tasksOf } from '../modes';
import { noted } from '../notes';
import { requestsInPortal } from './in-portal';
import { requestsViaApi } from './via-api';

export interface SignedFile {
  name: string;
  csv: string;
  signature: string;
}

/** What the workflow made of a submitted file. */
export interface RequestOutcome {
  number: string;
  state: string;
  rejectionReason: string;
  rowProblems: { row: number; reason: string }[];
}

/** A request item ordered from the catalogue ('' for its sys_id when the person may not read requests). */
export interface OrderedItem {
  sysId: string;
  number: string;
}

export const Requests = tasksOf(requestsViaApi, requestsInPortal);

/** What a scenario knows of its requests: the file submitted last, the item ordered last (for DCC to act on), the last search. */
export class RequestNotes {
  private submitted: RequestOutcome | undefined;
  private ordered: OrderedItem | undefined;
  /** Titles the last knowledge search found. */
  found: string[] = [];

  get request(): RequestOutcome {
    return noted(this.submitted, 'No file was submitted in this scenario.');
  }
  set request(request: RequestOutcome) {
    this.submitted = request;
  }

  get orderedItem(): OrderedItem {
    return noted(this.ordered, 'No request was ordered in this scenario.');
  }
  set orderedItem(item: OrderedItem) {
    this.ordered = item;
  }
}

/** The catalogue items that take a signed file, and the name the file goes by. */
const SIGNED_FILE_ITEMS = {
  ADT: { item: 'ADT threshold submission', file: 'adt.csv' },
  QCA: { item: 'Quarantine Command Action', file: 'qca.csv' },
} as const;

/**
 * Submits a file (an ADT file, a Quarantine Command Action) signed with the party's key, or with
 * `otherKey`, to its item's workflow; the scenario notes what the workflow made of it.
 */
export async function submitSignedFile(
  world: FsmWorld,
  actor: Actor,
  kind: keyof typeof SIGNED_FILE_ITEMS,
  csv: string,
  options: { otherKey?: string; variables?: Record<string, string> } = {},
): Promise<void> {
  const { item, file } = SIGNED_FILE_ITEMS[kind];
  const signed = { name: file, csv, signature: signFile(csv, options.otherKey) };
  world.notes.of(RequestNotes).request = world.expectSuccess(
    await Requests.submitSignedFile(actor, item, signed, options.variables),
    `Submitting the ${item}`,
  );
}
