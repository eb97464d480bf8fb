/**
 * The throughput part of `npm run bench`: requests a second for reading and for creating an incident,
 * beside a bare Node and a bare Express server answering "hello", as ratios to them.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import autocannon from 'autocannon';
import express from 'express';
import { benchSimulators, SECONDS, signedIn, type Measured } from './bench-common';

function listen(handler: Parameters<typeof createServer>[1]): Promise<Server> {
  return new Promise((resolve) => {
    const server = createServer(handler).listen(0, '127.0.0.1', () => resolve(server));
  });
}
const urlOf = (s: Server) => `http://127.0.0.1:${(s.address() as AddressInfo).port}`;

/** Requests a second at 10 connections; the load comes from a worker thread, not the server's own event loop. */
async function rate(url: string, options: Partial<autocannon.Options> = {}): Promise<number> {
  await autocannon({ url, connections: 10, duration: 1, workers: 1, ...options });
  const result = await autocannon({ url, connections: 10, duration: SECONDS, workers: 1, ...options });
  if (result.errors || result.non2xx) throw new Error(`${url}: ${result.errors} errors, ${result.non2xx} non-2xx responses`);
  return result.requests.average;
}

export async function throughput(label: string, databaseUrl?: string): Promise<Measured> {
  const node = await listen((_req, res) => res.end('hello'));
  const app = express().get('/', (_req, res) => void res.send('hello'));
  const bareExpress = await listen(app);
  const sims = await benchSimulators('bencht', databaseUrl, { logLevel: 'silent' });
  try {
    const { api, firstLoginMs } = await signedIn(sims, `Bench Throughput ${label}`);
    const incident = (await api.create('incident', { short_description: 'Bench incident' })).body.result;
    const headers = { authorization: `Bearer ${api.accessToken}`, 'content-type': 'application/json' };
    const nodeRps = await rate(urlOf(node));
    const expressRps = await rate(urlOf(bareExpress));
    const readRps = await rate(`${sims.urls.fsm}/api/now/table/incident/${String(incident.sys_id)}`, { headers });
    const createRps = await rate(`${sims.urls.fsm}/api/now/table/incident`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ short_description: 'Bench create', impact: '2', urgency: '2' }),
    });
    const figures = {
      firstLoginMs,
      // Named for the part: each part measures the bare servers again, beside its own database.
      [`nodeHelloRps_${label}`]: nodeRps,
      [`expressHelloRps_${label}`]: expressRps,
      [`readRps_${label}`]: readRps,
      [`createRps_${label}`]: createRps,
      [`readVsExpress_${label}`]: +(readRps / expressRps).toFixed(3),
      [`readVsNode_${label}`]: +(readRps / nodeRps).toFixed(3),
      [`createVsRead_${label}`]: +(createRps / readRps).toFixed(3),
    };
    // Issue 19's bar: an embedded PGlite answers on the same two cores as the server, PostgreSQL beside it.
    const bar = label === 'pglite' ? 0.2 : 0.3;
    const goals = [
      { name: `readVsExpress (${label})`, value: +(readRps / expressRps).toFixed(3), goal: `>= ${bar}`, met: readRps / expressRps >= bar },
      { name: `createVsRead (${label})`, value: +(createRps / readRps).toFixed(3), goal: '>= 0.5', met: createRps / readRps >= 0.5 },
    ];
    return { figures, goals };
  } finally {
    await sims.stop();
    node.close();
    bareExpress.close();
  }
}
