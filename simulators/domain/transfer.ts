/**
 * A CH transfer between parties (OMS-10): ordered from the catalogue, it holds the sender's hubs until
 * the receiving party accepts (the hubs become theirs, the request is fulfilled) or rejects it (the
 * hubs are free again, the request is rejected). A hub is in one pending transfer at a time.
 */
import { Conflict, InvalidInput } from './errors';
import { StateMachine } from './state-machine';

export const TransferState = { Pending: 'pending', Accepted: 'accepted', Rejected: 'rejected' } as const;
export type TransferState = (typeof TransferState)[keyof typeof TransferState];
export type TransferEvent = 'accept' | 'reject';

export const TRANSFER = new StateMachine<TransferState, TransferEvent>(
  { accept: { pending: 'accepted' }, reject: { pending: 'rejected' } },
  (from) => new Conflict(`This transfer was already ${from}`, '', 'state'),
);

/** The request item's state, and why, once the receiving party has answered. */
export function itemOutcome(state: TransferState): { state: 'fulfilled' | 'rejected'; reason: string | null } {
  return state === TransferState.Accepted
    ? { state: 'fulfilled', reason: null }
    : { state: 'rejected', reason: 'The receiving party rejected the transfer.' };
}

/** The hubs a transfer order names (`device_ids`, comma-separated), each once, as the platform writes them. */
export function transferredHubs(deviceIds: string | undefined): string[] {
  return [
    ...new Set(
      (deviceIds ?? '')
        .split(',')
        .map((d) => d.trim().toUpperCase())
        .filter(Boolean),
    ),
  ];
}

export function assertReceiver(receiver: { id: string } | undefined, senderPartyId: string): string {
  if (!receiver || receiver.id === senderPartyId)
    throw new InvalidInput('receiving_party must name another onboarded party', '', 'variables');
  return receiver.id;
}

/** Every hub named is the sender's, in stock or installed. */
export function assertOwned(ids: readonly string[], owned: readonly string[]): void {
  const missing = ids.filter((id) => !owned.includes(id));
  if (!ids.length || missing.length)
    throw new InvalidInput(
      `These hubs are not yours to transfer: ${missing.join(', ') || '(none given)'}`,
      'Give device IDs of hubs in your stock or installed.',
      'variables',
    );
}

/** A hub held for a pending transfer is in no other, and is not returned until that one is answered. */
export function assertNotHeld(held: readonly { device_id: string; number: string }[], field: string): void {
  if (held.length)
    throw new Conflict(
      held.map((h) => `${h.device_id} is already in pending transfer ${h.number}`).join('; '),
      'A hub is in one transfer at a time: it is free again once the receiving party accepts or rejects that transfer.',
      field,
    );
}

/** Accepting moves only hubs still held for this transfer by the sender: if any is not, nothing moves. */
export function assertAllMoved(ids: readonly string[], moved: readonly string[]): void {
  const gone = ids.filter((id) => !moved.includes(id));
  if (gone.length)
    throw new Conflict(
      `This transfer can no longer be accepted: ${gone.join(', ')} ${gone.length === 1 ? 'is' : 'are'} no longer held for it by the sending party`,
      'Reject it; the sending party can order a new transfer of the hubs it still has.',
      'state',
    );
}

/** DCC's service desk does not decide a CH transfer's request while the transfer is pending: the receiving party does. */
export function assertDeskMayDecide(itemNumber: string, transferPending: boolean): void {
  if (transferPending)
    throw new Conflict(
      `${itemNumber} waits for the receiving party to accept or reject the transfer`,
      'DCC does not decide a CH transfer: the receiving party does.',
      'state',
    );
}
