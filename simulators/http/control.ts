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
import { resetStore } from '../store/reset';
import { requireJsonObject } from './errors';
import type { Journal } from './journal';

const ClockChange = z
  .object({ set: z.string().max(40).optional(), advance: z.string().max(40).optional(), freeze: z.boolean().optional() })
  .strict()
  .refine((v) => v.set !== undefined || v.advance !== undefined || v.freeze !== undefined, 'Send set, advance or freeze');

const JournalQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(100_000).optional(),
    since: z.coerce.number().int().min(0).optional(),
  })
  .strict();

export interface ControlDeps {
  core: Core;
  clock: SimClock;
  journals: Journal[];
}

export function controlRouter({ core, clock, journals }: ControlDeps, bodyLimit: number, journal: Journal): Router {
  const router = Router();
  router.use(express.json({ limit: bodyLimit }), requireJsonObject);

  router.post('/reset', async (_req, res) => {
    await resetStore(core.db);
    clock.reset();
    for (const j of journals) j.clear();
    res.json({ result: { reset: true, now: clock.now().toISOString() } });
  });

  router.post('/parties', async (req, res) => {
    res.status(201).json({ result: await onboardParty(core, req.body) });
  });

  router.get('/clock', (_req, res) => void res.json({ result: clock.state() }));

  router.post('/clock', (req, res) => {
    const change = parseInput(ClockChange, req.body);
    if (change.set !== undefined) clock.set(change.set);
    if (change.advance !== undefined) clock.advance(change.advance);
    if (change.freeze !== undefined) clock.freeze(change.freeze);
    res.json({ result: clock.state() });
  });

  router.get('/journal', (req, res) => {
    res.json({ result: journal.list(parseInput(JournalQuery, req.query)) });
  });

  return router;
}
