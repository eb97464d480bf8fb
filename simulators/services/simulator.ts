/**
 * The simulator's own use cases, behind the control API (`/__sim`) and never part of the platform:
 * reset the store, onboard a party as DCC does, change a party's routes and file-signing key, and
 * the email gateway's mailbox that tests read as a person would.
 */
import { z } from 'zod';
import { NotFound } from '../domain/errors';
import { signingKey } from '../domain/files';
import { newSysId } from '../domain/ids';
import { PartyInput } from '../domain/party';
import { listMail, storeMail } from '../store/mailbox';
import { findParty, updatePartyAccess } from '../store/parties';
import { setSigningKey } from '../store/requests';
import { resetStore } from '../store/reset';
import type { Core } from './context';
import { seedKnowledge } from './knowledge';
import { addIntegrationUser, addOAuthApp } from './integration-setup';
import { importDsmsExport } from './migration';
import { onboardParty } from './onboarding';
import { parseInput } from './validate';

const PartyAccessChange = z
  .object({
    gatewayConnected: z.boolean(),
    internetRegistered: z.boolean(),
    internetCidrs: PartyInput.shape.internetCidrs,
    signingKey: z.string().max(5000).nullable(),
  })
  .partial()
  .strict();
const Mail = z
  .object({ from: z.string().max(254), to: z.string().email().max(254), subject: z.string().max(500), text: z.string().max(20_000) })
  .strict();
const MailboxQuery = z.object({ to: z.string().email().max(254), limit: z.coerce.number().int().min(1).max(100).default(20) }).strict();

export class SimulatorService {
  constructor(private readonly core: Core) {}

  /** Empties the store and seeds the knowledge articles again. */
  async reset(): Promise<void> {
    await this.core.settled();
    await resetStore(this.core.db);
    await seedKnowledge(this.core);
  }

  onboard(body: unknown) {
    return onboardParty(this.core, body);
  }

  /** A DSMS export (ACC-04): accounts arrive inactive for review; historic tickets as closed incidents. */
  importDsmsExport(body: unknown) {
    return importDsmsExport(this.core, body);
  }

  /** Routes and allowlists of a party (IAM-05), and its file-signing key. */
  async changeParty(partyId: string, body: unknown) {
    const { signingKey: pem, ...change } = parseInput(PartyAccessChange, body);
    const party = await findParty(this.core.db, partyId);
    if (!party) throw new NotFound('Party');
    if (pem) signingKey(pem);
    if (pem !== undefined) await setSigningKey(this.core.db, party.id, pem);
    return updatePartyAccess(this.core.db, party.id, { ...party, ...change });
  }

  /** An OAuth app of a party (ServiceNow's application registry), its secret shown once. */
  addOAuthApp(body: unknown) {
    return addOAuthApp(this.core, body);
  }

  /** An integration (web-service only) account of a party, its password shown once. */
  addIntegrationUser(body: unknown) {
    return addIntegrationUser(this.core, body);
  }

  async deliverMail(body: unknown): Promise<void> {
    const mail = parseInput(Mail, body);
    await storeMail(this.core.db, { id: newSysId(), ...mail, receivedAt: this.core.clock.now() });
  }

  /** What was handed to the gateway by now, including mail the platform sends after answering (a forgotten password's code). */
  async mailbox(query: unknown) {
    const { to, limit } = parseInput(MailboxQuery, query);
    await this.core.settled();
    return listMail(this.core.db, to, limit);
  }
}
