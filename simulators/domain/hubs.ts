/**
 * A party's Communications Hubs on the platform: in stock, installed at premises, on the way back to
 * DCC or returned. A hub is returned once; only hubs in stock or installed can be transferred.
 */
import { Conflict } from './errors';

export const HubStatus = { InStock: 'in_stock', Installed: 'installed', Returning: 'returning', Returned: 'returned' } as const;
export type HubStatus = (typeof HubStatus)[keyof typeof HubStatus];

export const TRANSFERABLE: readonly HubStatus[] = [HubStatus.InStock, HubStatus.Installed];

export function assertReturnable(deviceId: string, status: HubStatus): void {
  if (status === HubStatus.Returning || status === HubStatus.Returned)
    throw new Conflict(`${deviceId} is already being returned`, '', 'device_id');
}
