/**
 * The OMS module of the FSM platform (OMS-01..11), one service per aggregate: orders and forecasts,
 * consignments and their delivery, returns, CH transfers, and the party's hubs. The rules and state
 * machines are in domain/ (order, consignment, returns, transfer, hubs); the queries in store/.
 */
import type { Core } from './context';
import { DeliveryService } from './oms-deliveries';
import { HubService } from './oms-hubs';
import { OrderService } from './oms-orders';
import { ReturnService } from './oms-returns';
import { TransferService } from './oms-transfers';

export class OmsService {
  readonly orders: OrderService;
  readonly deliveries: DeliveryService;
  readonly returns: ReturnService;
  readonly transfers: TransferService;
  readonly hubs: HubService;

  constructor(core: Core) {
    this.orders = new OrderService(core);
    this.deliveries = new DeliveryService(core);
    this.returns = new ReturnService(core);
    this.transfers = new TransferService(core);
    this.hubs = new HubService(core);
  }
}
