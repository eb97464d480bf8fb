/**
 * Password hashing (scrypt, deliberately slow), the password policy and one-time passwords.
 * Hashes are `scrypt$N$salt$hash` so the cost can change without invalidating stored ones.
 */
import { randomBytes, randomInt, scrypt, timingSafeEqual } from 'node:crypto';
import { InvalidInput } from '../domain/errors';

const KEY_LENGTH = 32;

function derive(password: string, salt: Buffer, cost: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, { N: cost, r: 8, p: 1, maxmem: 256 * cost * 8 }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

export async function hashPassword(password: string, cost: number): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, cost);
  return `scrypt$${cost}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, cost, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !cost || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await derive(password, Buffer.from(salt, 'base64url'), Number(cost));
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** A hash of nothing anyone knows, verified for unknown users so they take as long as known ones. */
export function decoyHash(cost: number): Promise<string> {
  return hashPassword(randomBytes(16).toString('hex'), cost);
}

export function assertPasswordPolicy(password: unknown, minLength: number, field = 'new_password'): string {
  if (typeof password !== 'string') throw new InvalidInput(`${field} is required`, '', field);
  const problems: string[] = [];
  if (password.length < minLength) problems.push(`at least ${minLength} characters`);
  if (password.length > 256) problems.push('at most 256 characters');
  if (!/[a-z]/.test(password) || !/[A-Z]/.test(password)) problems.push('upper- and lower-case letters');
  if (!/\d/.test(password)) problems.push('a digit');
  if (!/[^A-Za-z0-9]/.test(password)) problems.push('a symbol');
  if (problems.length) throw new InvalidInput(`The password needs ${problems.join(', ')}`, '', field);
  return password;
}

const ALPHABETS = ['ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnopqrstuvwxyz', '23456789', '!#%+-=?@'];

/** A one-time password that satisfies the policy: what DCC hands a new party's administrator. */
export function generateOneTimePassword(length = 16): string {
  const all = ALPHABETS.join('');
  const chars = ALPHABETS.map((a) => a[randomInt(a.length)] ?? 'x');
  while (chars.length < length) chars.push(all[randomInt(all.length)] ?? 'x');
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j] ?? '', chars[i] ?? ''];
  }
  return chars.join('');
}
