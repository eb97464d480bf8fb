/** What every use case needs: the store, the one clock, the validated configuration and the role catalogue. */
import type { Clock } from '../domain/clock';
import type { RoleCatalogue } from '../domain/roles';
import type { SimConfig } from '../config';
import type { Db } from '../store/db';
import type { WorkingCalendar } from '../domain/working-days';
import type { Carrier } from './carrier';
import type { EmailGateway } from './mail';

export interface Core {
  db: Db;
  clock: Clock;
  config: SimConfig;
  roles: RoleCatalogue;
  mail: EmailGateway;
  carrier: Carrier;
  /** Working days in England and Wales, for delivery windows. */
  calendar: WorkingCalendar;
  /** Security events (replayed codes, lockouts) go here as well as to the store; never secrets. */
  audit: (event: { accountId: string | null; kind: string; detail?: string }) => Promise<void>;
  /**
   * Work done after the answer has gone, so that its time does not show in the answer (the email
   * of a forgotten password, which only an existing account gets). A failure is logged.
   */
  later: (what: string, task: () => Promise<void>) => void;
  /** Resolves once the work handed to `later` is done: the mailbox, a reset and shutdown wait for it. */
  settled: () => Promise<void>;
}

/** The authenticated person a request acts for. */
export interface Caller {
  accountId: string;
  partyId: string;
  username: string;
  roles: string[];
  /** How the person proved who they are (RFC 8176 values: pwd, mfa, otp...). */
  amr: string[];
  /** The DCC Identity issuer (tenant) the person signed in through, when they did. */
  issuer?: string;
}
