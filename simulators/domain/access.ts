/**
 * The internet access policy (IAM-05): over the internet route only a party registered for internet
 * access, without a DCC Gateway connection, calling from an allowlisted CIDR, gets in. The Gateway
 * route is open to the parties that can reach it.
 */
import { Forbidden } from './errors';

export type Route = 'gateway' | 'internet';

export interface PartyAccess {
  gatewayConnected: boolean;
  internetRegistered: boolean;
  internetCidrs: readonly string[];
}

export function assertRouteAllowed(party: PartyAccess, route: Route, ip: string): void {
  if (route === 'gateway') return;
  if (party.gatewayConnected) {
    throw new Forbidden('Your organisation is connected to the DCC Gateway: reach the platform through the Gateway, not the internet.');
  }
  if (!party.internetRegistered) {
    throw new Forbidden('Your organisation is not registered for internet access to the platform. Ask DCC to register it.');
  }
  if (!party.internetCidrs.some((cidr) => inCidr(ip, cidr))) {
    throw new Forbidden(`Access from ${ip} is not on your organisation's allowlist. Ask DCC to add your address range.`);
  }
}

/** IPv4 only (and IPv4-mapped IPv6, as Node reports loopback clients); anything else is outside. */
export function inCidr(ip: string, cidr: string): boolean {
  const address = toInt(ip.replace(/^::ffff:/, ''));
  const [base = '', bits = '32'] = cidr.split('/');
  const network = toInt(base);
  const prefix = Number(bits);
  if (address === undefined || network === undefined || !(prefix >= 0 && prefix <= 32)) return false;
  const mask = prefix === 0 ? 0 : (~0 << (32 - prefix)) >>> 0;
  return (address & mask) >>> 0 === (network & mask) >>> 0;
}

function toInt(ip: string): number | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return undefined;
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}
