/**
 * The control API (`/__sim`), the test-facing side of a simulator, like WireMock's `/__admin`:
 * reset, onboard parties, read and move the shared clock, read the request journal. Not mounted at
 * all when the simulators start with --no-control.
 */
import express, { Router } from 'express';
import { z } from 'zod';
import type { SimClock } from '../domain/clock';
import type { Core } from '../services/context';
import { onboardParty } from '../services/onboarding';
import { parseInput } from '../services/validate';
import { signingKey } from '../domain/files';
import { PartyInput } from '../domain/party';
import { setSigningKey } from '../store/requests';
import { NotFound } from '../domain/errors';
import { newSysId } from '../domain/ids';
import { listMail, storeMail } from '../store/mailbox';
import { findParty, updatePartyAccess } from '../store/parties';
import { seedKnowledge } from '../services/knowledge';
import { importDsmsExport } from '../services/migration';
import { resetStore } from '../store/reset';
import { requireJsonObject } from './errors';
import type { Journal } from './journal';

const ClockChange = z
  .object({ set: z.string().max(40).optional(), advance: z.string().max(40).optional(), freeze: z.boolean().optional() })
  .strict()
  .refine((v) => v.set !== undefined || v.advance !== undefined || v.freeze !== undefined, 'Send set, advance or freeze');

const PartyAccessChange = z
  .object({ gatewayConnected: z.boolean(), internetRegistered: z.boolean(), internetCidrs: PartyInput.shape.internetCidrs, signingKey: z.string().max(5000).nullable() })
  .partial()
  .strict();

const Mail = z.object({ from: z.string().max(254), to: z.string().email().max(254), subject: z.string().max(500), text: z.string().max(20_000) }).strict();
const MailboxQuery = z.object({ to: z.string().email().max(254), limit: z.coerce.number().int().min(1).max(100).default(20) }).strict();

const MIGRATION_LIMIT = 50 * 1024 * 1024;

const JournalQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(100_000).optional(),
    since: z.coerce.number().int().min(0).optional(),
  })
  .strict();

export interface ControlDeps {
  /** Every simulator's base URL and the identity provider's issuers, for the harness to find them. */
  urls: () => Record<string, unknown>;
  core: Core;
  clock: SimClock;
  journals: Journal[];
}

export function controlRouter({ core, clock, journals, urls }: ControlDeps, bodyLimit: number, journal: Journal): Router {
  const router = Router();
  /** A DSMS export (ACC-04): accounts arrive inactive for review; historic tickets as closed incidents. Exports are large. */
  router.post('/migrations', express.json({ limit: MIGRATION_LIMIT }), requireJsonObject, async (req, res) => {
    res.status(201).json({ result: await importDsmsExport(core, req.body) });
  });

  router.use(express.json({ limit: bodyLimit }), requireJsonObject);

  router.post('/reset', async (_req, res) => {
    await core.settled();
    await resetStore(core.db);
    await seedKnowledge(core);
    clock.reset();
    for (const j of journals) j.clear();
    res.json({ result: { reset: true, now: clock.now().toISOString() } });
  });

  router.post('/parties', async (req, res) => {
    res.status(201).json({ result: await onboardParty(core, req.body) });
  });

  /** Routes and allowlists of a party (IAM-05). */
  router.patch('/parties/:id', async (req, res) => {
    const { signingKey: pem, ...change } = parseInput(PartyAccessChange, req.body);
    const party = await findParty(core.db, String(req.params.id));
    if (!party) throw new NotFound('Party');
    if (pem) signingKey(pem);
    if (pem !== undefined) await setSigningKey(core.db, party.id, pem);
    res.json({ result: await updatePartyAccess(core.db, party.id, { ...party, ...change }) });
  });

  /** The email gateway delivers here unless configured elsewhere; tests read what a person would. */
  router.post('/mailbox', async (req, res) => {
    const mail = parseInput(Mail, req.body);
    await storeMail(core.db, { id: newSysId(), ...mail, receivedAt: clock.now() });
    res.status(202).json({ result: { accepted: true } });
  });

  /** What was handed to the gateway by now, including mail the platform sends after answering (a forgotten password's code). */
  router.get('/mailbox', async (req, res) => {
    const { to, limit } = parseInput(MailboxQuery, req.query);
    await core.settled();
    res.json({ result: await listMail(core.db, to, limit) });
  });

  router.get('/urls', (_req, res) => void res.json({ result: urls() }));

  router.get('/clock', (_req, res) => void res.json({ result: clock.state() }));

  router.post('/clock', (req, res) => {
    const change = parseInput(ClockChange, req.body);
    clock.change(change);
    res.json({ result: clock.state() });
  });

  router.get('/journal', (req, res) => {
    res.json({ result: journal.list(parseInput(JournalQuery, req.query)) });
  });

  return router;
}
