/**
 * Authenticator-app codes (RFC 6238) through otplib, checked against the simulated clock so tests
 * can move time. A code is accepted once: its time step must be later than the last one accepted.
 */
import { authenticator } from 'otplib';
import type { SimConfig } from '../config';
import type { Clock } from '../domain/clock';

function options(config: SimConfig, clock: Clock) {
  return { step: config.mfa.totpStepSeconds, digits: config.mfa.totpDigits, window: config.mfa.totpWindow, epoch: clock.now().getTime() };
}

export function newTotpSecret(): string {
  return authenticator.generateSecret(20);
}

/** The otpauth:// URI an authenticator app reads from the QR code. */
export function totpUri(config: SimConfig, username: string, secret: string): string {
  return authenticator
    .clone({ step: config.mfa.totpStepSeconds, digits: config.mfa.totpDigits })
    .keyuri(username, config.mfa.totpIssuer, secret);
}

/** The time step the code belongs to, or undefined when it matches none in the window. */
export function totpStepOf(config: SimConfig, clock: Clock, secret: string, code: string): number | undefined {
  if (!new RegExp(`^\\d{${config.mfa.totpDigits}}$`).test(code)) return undefined;
  const opts = options(config, clock);
  const delta = authenticator.clone(opts).checkDelta(code, secret);
  if (delta === null) return undefined;
  return Math.floor(opts.epoch / 1000 / opts.step) + delta;
}
