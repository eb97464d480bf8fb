/**
 * The email gateway: the platform hands each message to an HTTP endpoint, by default this simulator's
 * own mailbox (/__sim/mailbox). A slow or failing gateway becomes a clear Unavailable error that the
 * person can act on (try again, or choose another method), never a hang or a 500.
 */
import { Unavailable } from '../domain/errors';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

export interface EmailGateway {
  send(message: MailMessage): Promise<void>;
}

export class HttpEmailGateway implements EmailGateway {
  /** `url` is read when sending: the simulator's own address is known only once it listens. */
  constructor(
    private readonly url: () => string,
    private readonly from: string,
    private readonly timeoutMs: number,
  ) {}

  async send(message: MailMessage): Promise<void> {
    let response: Response;
    try {
      response = await fetch(this.url(), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ from: this.from, ...message }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch {
      throw notSent();
    }
    if (!response.ok) throw notSent();
  }
}

function notSent(): Unavailable {
  return new Unavailable('We could not send the email just now', 'Try again in a minute, or choose another way to confirm it is you.');
}
