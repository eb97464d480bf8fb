/**
 * An authenticator app, as a person has on their phone: it reads the key (or the otpauth:// URI of
 * the QR code) shown at enrolment and gives RFC 6238 codes through otplib. Its time is the platform's
 * simulated time when the harness controls it. Like a careful person, it never offers the same code
 * twice: when the current code was used, it waits for the next time step (moving the simulated clock
 * rather than sleeping).
 */
import { authenticator } from 'otplib';
import { harnessMessage } from './messages';

export interface TimeSource {
  now(): Promise<Date>;
  /** Lets this much time pass: moves the simulated clock, or really waits against a real platform. */
  pass(ms: number): Promise<void>;
}

export class AuthenticatorApp {
  private secret: string | undefined;
  private step = 30;
  private digits = 6;
  private lastStep = -1;

  constructor(private readonly time: TimeSource) {}

  get enrolled(): boolean {
    return this.secret !== undefined;
  }

  /** Adds an account from the otpauth:// URI of the QR code, or from the key typed by hand. */
  add(uriOrKey: string): void {
    if (!uriOrKey.startsWith('otpauth://')) {
      this.secret = uriOrKey.replace(/\s+/g, '').toUpperCase();
      return;
    }
    const url = new URL(uriOrKey);
    const secret = url.searchParams.get('secret');
    if (!secret) throw new Error(harnessMessage(`The otpauth URI has no secret: ${url.protocol}//${url.host}${url.pathname}`));
    this.secret = secret;
    this.step = Number(url.searchParams.get('period') ?? 30);
    this.digits = Number(url.searchParams.get('digits') ?? 6);
  }

  async code(): Promise<string> {
    if (!this.secret) throw new Error(harnessMessage('The authenticator app has no account yet: enrol first.'));
    let now = (await this.time.now()).getTime();
    let step = Math.floor(now / 1000 / this.step);
    if (step <= this.lastStep) {
      await this.time.pass((this.lastStep + 1) * this.step * 1000 - now + 1);
      now = (await this.time.now()).getTime();
      step = Math.floor(now / 1000 / this.step);
    }
    this.lastStep = step;
    return authenticator.clone({ step: this.step, digits: this.digits, epoch: now }).generate(this.secret);
  }

  /** The code of a time step this many steps from now (-1: the previous one), for tests of drift and replay. */
  async codeAt(offsetSteps: number): Promise<string> {
    if (!this.secret) throw new Error(harnessMessage('The authenticator app has no account yet: enrol first.'));
    const now = (await this.time.now()).getTime() + offsetSteps * this.step * 1000;
    return authenticator.clone({ step: this.step, digits: this.digits, epoch: now }).generate(this.secret);
  }
}

/** Real time, for a real environment: the app waits for the next time step as a person would. */
export const realTime: TimeSource = {
  now: async () => new Date(),
  pass: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};
