/**
 * CH transfers between parties (OMS-10). A transfer starts inside the transaction of the catalogue
 * order that asks for it (the request item), holding the sender's hubs; the receiving party accepts
 * it (the hubs become theirs, the request is fulfilled) or rejects it (the hubs are free again), once.
 */
import { Conflict, NotFound } from '../domain/errors';
import { HubStatus, TRANSFERABLE } from '../domain/hubs';
import { newSysId, SYS_ID } from '../domain/ids';
import {
  assertAllMoved,
  assertDeskMayDecide,
  assertNotHeld,
  assertOwned,
  assertReceiver,
  itemOutcome,
  TRANSFER,
  TransferState,
  transferredHubs,
} from '../domain/transfer';
import type { Queryable } from '../store/db';
import { heldHubs, holdHubs, lockHubs, moveHeldHubs, releaseHubs } from '../store/hubs';
import { findPartyByName } from '../store/parties';
import { moveRequestItem, type RequestItemRow } from '../store/requests';
import { incomingTransfers, insertTransfer, lockIncomingTransfer, setTransferState, transferOfItemIs } from '../store/transfers';
import type { Caller, Core } from './context';

export class TransferService {
  constructor(private readonly core: Core) {}

  /**
   * Starts the transfer a catalogue order asks for, in that order's transaction: the hubs must be the
   * orderer's and in no other pending transfer; they are held for this one until it is answered.
   */
  async start(tx: Queryable, caller: Caller, item: RequestItemRow): Promise<void> {
    const receiver = assertReceiver(await findPartyByName(tx, item.variables.receiving_party?.trim() ?? ''), caller.partyId);
    const ids = transferredHubs(item.variables.device_ids);
    assertOwned(ids, await lockHubs(tx, caller.partyId, ids, TRANSFERABLE));
    assertNotHeld(await heldHubs(tx, ids), 'variables');
    const sysId = newSysId();
    await insertTransfer(
      tx,
      {
        sys_id: sysId,
        request_item: item.sys_id,
        from_party: caller.partyId,
        to_party: receiver,
        device_ids: ids,
        state: TransferState.Pending,
      },
      this.core.clock.now(),
    );
    await holdHubs(tx, ids, sysId);
  }

  /**
   * The receiving party's answer, once; accepted hubs become theirs and the request is fulfilled,
   * rejected ones are free again. Accepting moves only hubs still the sender's and held for this
   * transfer: if any is not, nothing changes.
   */
  async answer(caller: Caller, transferSysId: string, accept: boolean): Promise<{ state: TransferState; devices: number }> {
    this.core.roles.require(caller.roles, 'oms.returns');
    return this.core.db.transaction(async (tx) => {
      const t = SYS_ID.test(transferSysId) ? await lockIncomingTransfer(tx, caller.partyId, transferSysId) : undefined;
      if (!t) throw new NotFound('Transfer');
      const state = TRANSFER.next(t.state, accept ? 'accept' : 'reject');
      const now = this.core.clock.now();
      await setTransferState(tx, t.sys_id, state, now, caller.username);
      if (accept) assertAllMoved(t.device_ids, await moveHeldHubs(tx, t, caller.partyId, HubStatus.InStock, now));
      else await releaseHubs(tx, t.sys_id);
      const outcome = itemOutcome(state);
      const open = await moveRequestItem(tx, t.request_item, {
        from: 'in_progress',
        state: outcome.state,
        rejection_reason: outcome.reason,
        at: now,
        by: caller.username,
      });
      if (!open)
        throw new Conflict(
          'The request for this transfer is no longer open',
          'Ask the sending party to order the transfer again.',
          'state',
        );
      return { state, devices: t.device_ids.length };
    });
  }

  /** Transfers to the caller's party, oldest first. */
  async incoming(caller: Caller): ReturnType<typeof incomingTransfers> {
    this.core.roles.require(caller.roles, 'oms.read');
    return incomingTransfers(this.core.db, caller.partyId);
  }

  /** A CH transfer's request item is the receiving party's to decide while the transfer is pending, not DCC's. */
  async assertDeskMayDecide(tx: Queryable, item: { sys_id: string; number: string }): Promise<void> {
    assertDeskMayDecide(item.number, await transferOfItemIs(tx, item.sys_id, TransferState.Pending));
  }
}
