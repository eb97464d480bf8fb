/**
 * The control API (`/__sim`), the test-facing side of a simulator, like WireMock's `/__admin`:
 * reset, onboard parties, read and move the shared clock, read the request journal. Not mounted at
 * all when the simulators start with --no-control.
 */
import express, { Router } from 'express';
import { z } from 'zod';
import type { SimClock } from '../domain/clock';
import type { SimulatorService } from '../services/simulator';
import { parseInput } from '../services/validate';
import { requireJsonObject } from './errors';
import type { Journal } from './journal';

const ClockChange = z
  .object({ set: z.string().max(40).optional(), advance: z.string().max(40).optional(), freeze: z.boolean().optional() })
  .strict()
  .refine((v) => v.set !== undefined || v.advance !== undefined || v.freeze !== undefined, 'Send set, advance or freeze');

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
  simulator: SimulatorService;
  clock: SimClock;
  journals: Journal[];
}

export function controlRouter({ simulator, clock, journals, urls }: ControlDeps, bodyLimit: number, journal: Journal): Router {
  const router = Router();
  /** A DSMS export (ACC-04): accounts arrive inactive for review; historic tickets as closed incidents. Exports are large. */
  router.post('/migrations', express.json({ limit: MIGRATION_LIMIT }), requireJsonObject, async (req, res) => {
    res.status(201).json({ result: await simulator.importDsmsExport(req.body) });
  });

  router.use(express.json({ limit: bodyLimit }), requireJsonObject);

  router.post('/reset', async (_req, res) => {
    await simulator.reset();
    clock.reset();
    for (const j of journals) j.clear();
    res.json({ result: { reset: true, now: clock.now().toISOString() } });
  });

  router.post('/parties', async (req, res) => {
    res.status(201).json({ result: await simulator.onboard(req.body) });
  });

  /** ServiceNow's application registry and "Web service access only" users, which the platform's API does not expose. */
  router.post('/oauth-apps', async (req, res) => {
    res.status(201).json({ result: await simulator.addOAuthApp(req.body) });
  });
  router.post('/integration-users', async (req, res) => {
    res.status(201).json({ result: await simulator.addIntegrationUser(req.body) });
  });

  /** Routes and allowlists of a party (IAM-05). */
  router.patch('/parties/:id', async (req, res) => {
    res.json({ result: await simulator.changeParty(String(req.params.id), req.body) });
  });

  /** The email gateway delivers here unless configured elsewhere; tests read what a person would. */
  router.post('/mailbox', async (req, res) => {
    await simulator.deliverMail(req.body);
    res.status(202).json({ result: { accepted: true } });
  });

  /** What was handed to the gateway by now, including mail the platform sends after answering (a forgotten password's code). */
  router.get('/mailbox', async (req, res) => {
    res.json({ result: await simulator.mailbox(req.query) });
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
