/**
 * How an API ability gets its bearer (clients/bearer.ts), whatever the way: signed in once, renewed by
 * the refresh token when the access token is about to expire, and signed in again only when there is
 * no refresh token or it is refused; a later session of the same person starts from the held tokens.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BearerSession, type HeldTokens, type SigningIn, type TokenOutcome, type TokenWay } from '../../clients/bearer';

const person: SigningIn = { username: 'ada@party.example', password: 'pw', answer: async () => ({}) };

/** A way that counts its calls and issues numbered tokens valid for `lifeMs`, rotating refresh tokens when asked. */
function countingWay(clock: { now: number }, options: { lifeMs?: number; rotate?: boolean; refuseRefresh?: boolean } = {}) {
  const calls: string[] = [];
  let n = 0;
  const issue = (refreshToken?: string): TokenOutcome => ({
    ok: true,
    value: { accessToken: `access-${++n}`, ...(refreshToken ? { refreshToken } : {}), expiresAt: clock.now + (options.lifeMs ?? 60_000) },
  });
  const way: TokenWay = {
    name: 'test way',
    signIn: async () => (calls.push('sign-in'), issue(`refresh-${n + 1}`)),
    refresh: async (refreshToken) => {
      calls.push(`refresh ${refreshToken}`);
      if (options.refuseRefresh) return { ok: false, status: 400, message: 'invalid_grant' };
      return issue(options.rotate ? `refresh-${n + 1}` : undefined);
    },
  };
  return { way, calls };
}

describe('BearerSession', () => {
  it('signs in once, then renews by the refresh token when the access token is about to expire', async () => {
    const clock = { now: 0 };
    const { way, calls } = countingWay(clock, { rotate: true });
    const session = new BearerSession(way, person, new Map(), () => clock.now);
    assert.equal(await session.bearer(), undefined, 'no bearer before signing in');
    assert.equal((await session.open()).ok, true);
    assert.equal(await session.bearer(), 'access-1');
    clock.now = 45_000;
    assert.equal(await session.bearer(), 'access-2', 'renewed 30 s before it expires');
    clock.now = 100_000;
    assert.equal(await session.bearer(), 'access-3', 'renewed with the rotated refresh token');
    assert.deepEqual(calls, ['sign-in', 'refresh refresh-1', 'refresh refresh-2']);
  });

  it("starts a later session of the same person from the worker's held refresh token, not a new sign-in", async () => {
    const clock = { now: 0 };
    const { way, calls } = countingWay(clock);
    const held: HeldTokens = new Map();
    await new BearerSession(way, person, held, () => clock.now).open();
    const later = new BearerSession(way, person, held, () => clock.now);
    assert.deepEqual(await later.open(), { ok: true, value: { refreshToken: 'refresh-1', accessToken: 'access-2', expiresAt: 60_000 } });
    const other = new BearerSession(way, { ...person, username: 'bo@party.example' }, held, () => clock.now);
    await other.open();
    assert.deepEqual(calls, ['sign-in', 'refresh refresh-1', 'sign-in'], 'another person signs in for themselves');
  });

  it('signs in again when the refresh token is refused, and says so when that is refused too', async () => {
    const clock = { now: 0 };
    const { way, calls } = countingWay(clock, { refuseRefresh: true });
    const session = new BearerSession(way, person, new Map(), () => clock.now);
    await session.open();
    clock.now = 59_000;
    assert.equal(await session.bearer(), 'access-2');
    assert.deepEqual(calls, ['sign-in', 'refresh refresh-1', 'sign-in']);
    const refusing: TokenWay = { ...way, signIn: async () => ({ ok: false, status: 401, message: 'wrong password' }) };
    const stale = new BearerSession(
      refusing,
      person,
      new Map([[`test way\n${person.username}`, { accessToken: 'a', expiresAt: 0 }]]),
      () => 0,
    );
    assert.deepEqual(await stale.open(), { ok: false, status: 401, message: 'wrong password' });
    let refuseNow = false;
    const flaky: TokenWay = { ...way, signIn: async (p) => (refuseNow ? { ok: false, status: 401, message: 'locked' } : way.signIn(p)) };
    const expiring = new BearerSession(flaky, person, new Map(), () => clock.now);
    await expiring.open();
    refuseNow = true;
    clock.now = 200_000;
    await assert.rejects(expiring.bearer(), /access token expired, and signing in again \(test way\) was refused: HTTP 401: locked/);
  });
});
