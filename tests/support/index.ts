/**
 * What the unit tests share: the databases to run store tests on (PGlite always; PostgreSQL when
 * TEST_DATABASE_URL is set, each test file in its own schema) and a running simulator on a free port.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { AuthenticatorApp } from '../../clients/authenticator';
import { FsmApiClient } from '../../clients/fsm-api';
import type { ApiResponse, SnError } from '../../clients/http';
import { answerPrompt, codeInMail, oneTimePasswordIn, type Person } from '../../clients/login-answers';
import { SimControlClient, type PartyRequest } from '../../clients/sim-control';
import { SimConfigSchema } from '../../simulators/config';
import { SimClock } from '../../simulators/domain/clock';
import pino from 'pino';
import type { Caller, Core } from '../../simulators/services/context';
import { buildCore } from '../../simulators/services/core';
import type { EmailGateway } from '../../simulators/services/mail';
import { loadRoleCatalogue, startSimulators, type Simulators } from '../../simulators/start';
import { dropSchema, openDb, type Db } from '../../simulators/store/db';
import { migrate } from '../../simulators/store/migrate';

export interface TestDatabase {
  name: 'pglite' | 'postgres';
  /** Why this database is skipped, if it is. */
  skip: string | false;
  open(): Promise<Db>;
  dispose(): Promise<void>;
}

const postgresUrl = process.env.TEST_DATABASE_URL;
if (!postgresUrl && process.env.FSM_REQUIRE_POSTGRES === '1') {
  throw new Error('[fsm-harness] FSM_REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set: the store tests must run on PostgreSQL here.');
}

export function testDatabases(): TestDatabase[] {
  const schema = `test_${randomBytes(6).toString('hex')}`;
  return [
    { name: 'pglite', skip: false, open: () => openDb({}), dispose: async () => undefined },
    {
      name: 'postgres',
      skip: postgresUrl ? false : 'set TEST_DATABASE_URL=postgres://... to run the store tests on PostgreSQL too',
      open: () => openDb({ databaseUrl: postgresUrl, schema }),
      dispose: () => dropSchema(String(postgresUrl), schema),
    },
  ];
}

/** A Core over a migrated database, with a cheap password hash so tests stay fast. */
export async function testCore(db: Db): Promise<Core & { clock: SimClock }> {
  await migrate(db);
  const config = SimConfigSchema.parse({ passwords: { assumed: true, scryptCost: 1024 } });
  const clock = new SimClock();
  const mail: EmailGateway = { send: async () => undefined };
  const core = buildCore({
    db,
    clock,
    config,
    roles: loadRoleCatalogue(config.roleCataloguePath),
    logger: pino({ level: 'silent' }),
    ownMailbox: () => '',
    carrierUrl: () => '',
    mail,
  });
  return { ...core, clock };
}

/** Silent unless a test reads the log: `logFile` and `logLevel` capture it (the secrets suite does). */
/** The Caller a party's administrator acts as in a use case, holding `roles` (tests of services, without HTTP). */
export function administratorOf(
  onboarded: { party: { id: string }; administrator: { sysId: string; username: string } },
  roles: string[],
): Caller {
  return {
    accountId: onboarded.administrator.sysId,
    partyId: onboarded.party.id,
    username: onboarded.administrator.username,
    roles,
    amr: ['pwd'],
  };
}

export function startTestSimulators(
  options: {
    control?: boolean;
    logFile?: string;
    logLevel?: pino.LevelWithSilent;
    databaseUrl?: string;
    schema?: string;
    /** Settings over the tests' own (each a whole section of the configuration). */
    settings?: Record<string, unknown>;
  } = {},
): Promise<Simulators> {
  const config = SimConfigSchema.parse({
    passwords: { assumed: true, scryptCost: 1024 },
    http: { bodyLimitBytes: 64 * 1024 },
    email: { timeoutMs: 300 },
    attachments: { maxBytes: 64 * 1024 },
    ...options.settings,
  });
  const { databaseUrl, schema } = options;
  return startSimulators({
    config,
    control: options.control ?? true,
    logLevel: options.logLevel ?? 'silent',
    logFile: options.logFile,
    databaseUrl,
    schema,
  });
}

export const TEST_PASSWORD = 'Correct-Horse-9-battery';

/** A refusal in ServiceNow's error shape, with this status, saying something like `message` (message or detail). */
export function assertRefused(response: ApiResponse, status: number, message: RegExp): void {
  assert.equal(response.status, status, JSON.stringify(response.body));
  const body = response.body as SnError;
  assert.equal(body.status, 'failure');
  assert.match(`${body.error.message} ${body.error.detail ?? ''}`, message);
}

/** The simulated clock as an authenticator app's time: tests move it instead of waiting. */
export function simTime(sims: Simulators) {
  return { now: async () => sims.clock.now(), pass: async (ms: number) => sims.clock.advance(`PT${Math.ceil(ms / 1000)}S`) };
}

/** A person at a test party: answers prompts with TEST_PASSWORD, their app on the simulated clock, and their inbox. */
export function testPerson(sims: Simulators, username: string, mfaMethod: 'totp' | 'email' = 'totp'): Person {
  const control = new SimControlClient(sims.urls.fsm);
  return {
    choosePassword: () => TEST_PASSWORD,
    mfaMethod,
    app: new AuthenticatorApp(simTime(sims)),
    async readEmailCode() {
      const [latest] = await control.mailbox(username);
      if (!latest) throw new Error(`no mail to ${username}`);
      return codeInMail(latest.subject, latest.text);
    },
  };
}

export interface SignedIn {
  api: FsmApiClient;
  partyId: string;
  username: string;
  person: Person;
  prompts: string[];
}

/** Onboards a party and signs its administrator in for the first time, enrolling MFA. */
export async function signedInClient(
  sims: Simulators,
  name: string,
  options: { mfaMethod?: 'totp' | 'email'; party?: Partial<PartyRequest> } = {},
): Promise<SignedIn> {
  const slug = name.toLowerCase().replace(/\W+/g, '-');
  const onboarded = await new SimControlClient(sims.urls.fsm).onboardParty({
    name,
    userRoles: ['IS'],
    regions: ['Central'],
    gatewayConnected: false,
    administrator: { email: `admin@${slug}.example`, name: 'Ann Admin' },
    ...options.party,
  });
  const { username, oneTimePassword } = onboarded.administrator;
  const api = new FsmApiClient(sims.urls.fsm);
  const person = testPerson(sims, username, options.mfaMethod);
  const { response, prompts } = await api.answerPrompts(await api.startLogin(username, oneTimePassword), (p) => answerPrompt(person, p));
  assert.equal(response.status, 200, JSON.stringify(response.body));
  assert.equal(response.body.result.status, 'authenticated');
  return { api, partyId: onboarded.party.id, username, person, prompts };
}

/**
 * A user created by an administrator through the API (`fields` of sys_user), signed in for the first
 * time with the one-time password from their welcome email, enrolling MFA.
 */
export async function newSignedInUser(
  sims: Simulators,
  admin: FsmApiClient,
  fields: Record<string, string>,
): Promise<{ api: FsmApiClient; person: Person; created: Awaited<ReturnType<FsmApiClient['create']>> }> {
  const created = await admin.create('sys_user', fields);
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const email = String(fields.user_name);
  const otp = oneTimePasswordIn((await new SimControlClient(sims.urls.fsm).mailbox(email)).map((m) => m.text)) ?? '';
  const person = testPerson(sims, email);
  const api = new FsmApiClient(sims.urls.fsm);
  const { response } = await api.answerPrompts(await api.startLogin(email, otp), (p) => answerPrompt(person, p));
  assert.equal(response.status, 200, JSON.stringify(response.body));
  assert.equal(response.body.result.status, 'authenticated', JSON.stringify(response.body));
  return { api, person, created };
}

/** Signs an existing person in again (a new session), as after a long absence. */
export async function signInAgain(sims: Simulators, who: SignedIn): Promise<FsmApiClient> {
  const api = new FsmApiClient(sims.urls.fsm);
  const { response } = await api.answerPrompts(await api.startLogin(who.username, TEST_PASSWORD), (p) => answerPrompt(who.person, p));
  assert.equal(response.status, 200, JSON.stringify(response.body));
  return api;
}
