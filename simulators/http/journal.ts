/**
 * The request journal of one simulator (like WireMock's request log): what was asked, by whom, the
 * answer's status and time. Bounded, newest last. Bodies and secrets are never recorded.
 */
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Clock } from '../domain/clock';

export interface JournalEntry {
  id: number;
  requestId: string;
  at: string;
  method: string;
  path: string;
  status: number;
  durationMs: number;
  user?: string;
}

const SECRET_PARAMS = /([?&](?:password|new_password|code|token|login_token|access_token|refresh_token|client_secret)=)[^&]*/gi;

export class Journal {
  private entries: JournalEntry[] = [];
  private seq = 0;

  constructor(private readonly capacity: number) {}

  record(entry: Omit<JournalEntry, 'id'>): void {
    if (this.capacity === 0) return;
    this.entries.push({ id: ++this.seq, ...entry });
    // The oldest are dropped a capacity at a time, not one per request (list() shows the newest `capacity`).
    if (this.entries.length >= 2 * this.capacity) this.entries = this.entries.slice(-this.capacity);
  }

  list(options: { since?: number; limit?: number } = {}): JournalEntry[] {
    const kept = this.entries.length > this.capacity ? this.entries.slice(-this.capacity) : this.entries;
    const after = kept.filter((e) => e.id > (options.since ?? 0));
    return after.slice(-(options.limit ?? after.length));
  }

  clear(): void {
    this.entries = [];
  }

  /** Express middleware: gives each request an id and journals it when the answer is sent. */
  middleware(clock: Clock) {
    return (req: Request, res: Response, next: NextFunction): void => {
      const started = process.hrtime.bigint();
      const requestId = randomUUID();
      res.locals.requestId = requestId;
      res.setHeader('X-Request-Id', requestId);
      res.on('finish', () => {
        if (req.path.startsWith('/__sim/journal')) return;
        const url = req.originalUrl;
        this.record({
          requestId,
          at: clock.now().toISOString(),
          method: req.method,
          // Only `name=value` can carry a secret: a URL without `=` is recorded as it is.
          path: (url.includes('=') ? url.replace(SECRET_PARAMS, '$1[redacted]') : url).slice(0, 2000),
          status: res.statusCode,
          durationMs: Number(process.hrtime.bigint() - started) / 1e6,
          user: (res.locals.caller as { username?: string } | undefined)?.username,
        });
      });
      next();
    };
  }
}
