/**
 * The World: everything one scenario knows, created fresh for each. It names parties by the alias
 * the feature uses ("Supplier A") but builds each with data of its own: seeded by the run's seed and
 * the scenario's place (rebuilt exactly by FSM_FIXTURE_SEED), plus a random uniqueness tag in the
 * names, so scenarios in parallel workers, and reruns against a long-lived platform, never meet.
 * It holds the cast (parties, users), the capabilities' notes, and the outcome a Then step judges;
 * steps call tasks, and hold no state of their own.
 */
import { setWorldConstructor, World, type IWorldOptions } from '@cucumber/cucumber';
import type { Faker } from '@faker-js/faker';
import type { TimeSource } from '../../clients/authenticator';
import { EnvironmentError } from '../../clients/http';
import { harnessMessage } from '../../clients/messages';
import { SimControlClient, type OnboardedParty } from '../../clients/sim-control';
import { fixtureFaker, uniquenessTag } from '../../fixtures/faker';
import { BrowseThePortal } from '../screenplay/abilities/browse-the-portal';
import { CallTheApi } from '../screenplay/abilities/call-the-api';
import { Actor } from '../screenplay/actor';
import type { Ability } from '../screenplay/modes';
import { Notes } from '../screenplay/notes';
import type { Outcome, Refusal } from '../screenplay/outcome';
import type { TokenWay } from '../../clients/bearer';
import type { TargetFile } from '../../clients/target';
import { loadScenarioConfig, type ScenarioConfig } from './config';
import { NotOnTarget } from './not-on-target';
import { workerBrowser, workerFixtures, workerHeldTokens } from './worker';

export type TargetParty = TargetFile['parties'][string];

export interface PartyMemory {
  alias: string;
  onboarded: OnboardedParty;
  administrator: Actor;
}

export class FsmWorld extends World {
  readonly config: ScenarioConfig;
  readonly parties = new Map<string, PartyMemory>();
  /** Users administrators created (or DCC migrated) in this scenario, by the name the feature gives them. */
  readonly users = new Map<string, { actor: Actor; sysId: string }>();
  /** What the scenario noted for later steps, a notebook per capability (OmsNotes, RequestNotes...). */
  readonly notes = new Notes();
  faker!: Faker;
  /** Random, not rebuilt by the seed: makes names unique on a platform that keeps earlier runs' data. */
  tag = '';
  /** Every browser session opened in this scenario (UI mode), closed by the After hook. */
  readonly browserSessions: BrowseThePortal[] = [];
  /** The actor a step named last: "they" in the steps that follow. */
  private spotlight: Actor | undefined;
  /** The outcome of the last action a Then step must judge (the After hook insists on refusals). */
  private lastOutcome: { outcome: Outcome<unknown>; action: string } | undefined;

  constructor(options: IWorldOptions) {
    super(options);
    this.config = loadScenarioConfig(options.parameters);
  }

  /** Read when a step needs it, not at construction: a dry run builds Worlds without BeforeAll. */
  get fsmUrl(): string {
    return workerFixtures().fsmUrl;
  }

  /** The issuer URL of a DCC Identity tenant, as the target reports it. */
  idpIssuer(tenant: string): string {
    const { idpIssuers } = workerFixtures().urls;
    const issuer = Object.hasOwn(idpIssuers, tenant) ? idpIssuers[tenant] : undefined;
    if (!issuer) throw new EnvironmentError(harnessMessage(`The target names no DCC Identity tenant "${tenant}".`));
    return issuer;
  }

  /** The platform by the internet route (IAM-05). */
  get fsmInternetUrl(): string {
    const url = workerFixtures().urls.fsmInternet;
    if (!url) throw new EnvironmentError(harnessMessage('The target does not say where the internet route is; run against the simulator.'));
    return url;
  }

  /** Seeds this scenario's data from the run seed and the scenario's place (scenarioScope), so a failure can be rebuilt. */
  prepare(scope: string): void {
    const { runSeed } = workerFixtures();
    this.faker = fixtureFaker(runSeed, scope);
    this.tag = uniquenessTag();
    this.log(`Fixture seed ${runSeed} (FSM_FIXTURE_SEED) for ${scope}; uniqueness tag ${this.tag} (random, not from the seed).`);
  }

  /** Says what fixture data a step built, so that a run with the same seed can be seen to build it again. */
  logFixture(what: string, data: unknown): void {
    this.log(`Fixture data, ${what}: ${JSON.stringify(data)}`);
  }

  get control(): SimControlClient {
    const { control, target } = workerFixtures();
    if (!control) {
      throw new NotOnTarget(
        harnessMessage(
          `Not available on this target (${target.name}): this step needs the simulator's control API (/__sim). It runs against the simulator (--target sim).`,
        ),
      );
    }
    return new SimControlClient(this.fsmUrl);
  }

  /** The credentials a real environment's target file gives for a party alias, if any: its administrator's, and its integration's. */
  targetCredentials(alias: string): TargetParty | undefined {
    const { target } = workerFixtures();
    return target.kind === 'environment' && Object.hasOwn(target.parties, alias) ? target.parties[alias] : undefined;
  }

  /** True when the API mode signs in for a token as on a real platform (OAuth, or DCC Identity), never by the simulator's login API. */
  get signsInForToken(): boolean {
    const { target } = workerFixtures();
    return this.config.mode === 'api' && target.kind === 'environment' && target.signIn !== 'login';
  }

  /**
   * A fresh session on the platform (no one signed in yet), in the scenario's mode: by the Gateway
   * route, or by the internet from an address; signing in for a token, by the way given (if any).
   */
  newSession(route: { internetFrom?: string; tokenWay?: TokenWay } = {}): Ability {
    const baseUrl = route.internetFrom ? this.fsmInternetUrl : this.fsmUrl;
    const headers: Record<string, string> = route.internetFrom ? { 'x-forwarded-for': route.internetFrom } : {};
    if (this.config.mode === 'ui') {
      const { chromiumPath, headless } = this.config;
      const { target } = workerFixtures();
      const portal =
        target.kind === 'environment' ? { prefix: target.portal.prefix, labels: new Map(Object.entries(target.portal.labels)) } : {};
      const session = new BrowseThePortal({ browser: () => workerBrowser(chromiumPath, headless), baseUrl, headers, portal });
      this.browserSessions.push(session);
      return session;
    }
    const { target } = workerFixtures();
    return new CallTheApi(baseUrl, {
      registerClient: async (tenant, redirectUri) => {
        const { urls } = workerFixtures();
        if (!urls.idp)
          throw new EnvironmentError(harnessMessage(`The target does not say where DCC Identity is; run against the simulator.`));
        const registered = await this.control.registerIdpClient(urls.idp, { tenant, redirect_uris: [redirectUri] });
        return { issuer: registered.issuer, clientId: registered.client_id, clientSecret: registered.client_secret, redirectUri };
      },
      headers,
      ...(target.kind === 'environment' ? { paths: target.apis } : {}),
      signIn: this.signsInForToken ? { kind: 'token', way: route.tokenWay, held: workerHeldTokens() } : { kind: 'login' },
    });
  }

  /** A person of this scenario, with a fresh session, their inbox at the simulator's mailbox and an authenticator app on `time` (the platform's clock by default). */
  newActor(name: string, username: string, password: string, time?: TimeSource, route: { tokenWay?: TokenWay } = {}): Actor {
    const inbox = { read: () => this.control.mailbox(username) };
    return new Actor(name, username, password, this.newSession(route), this.faker, inbox, time ?? this.control.timeSource());
  }

  party(alias: string): PartyMemory {
    const party = this.parties.get(alias);
    if (!party)
      throw new Error(
        harnessMessage(
          `No party "${alias}" in this scenario. Known: ${[...this.parties.keys()].join(', ') || 'none'}. Onboard it in a Given step first.`,
        ),
      );
    return party;
  }

  /** The administrator's sys_id, known when the scenario onboarded the party (a target file's party does not give it). */
  administratorSysId(alias: string): string {
    const { sysId } = this.party(alias).onboarded.administrator;
    if (!sysId)
      throw new NotOnTarget(
        harnessMessage(`Not available on this target: the target file does not give the sys_id of "${alias}"'s administrator.`),
      );
    return sysId;
  }

  administratorOf(alias: string): Actor {
    this.spotlight = this.party(alias).administrator;
    return this.spotlight;
  }

  user(name: string): { actor: Actor; sysId: string } {
    const user = this.users.get(name);
    if (!user) throw new Error(harnessMessage(`No user "${name}" in this scenario. Create one in an earlier step.`));
    this.spotlight = user.actor;
    return user;
  }

  lastActor(): Actor {
    if (!this.spotlight) throw new Error(harnessMessage('No actor has been named yet in this scenario, so "they" means nobody.'));
    return this.spotlight;
  }

  /** Unwraps an outcome the step expects to succeed, or remembers a refusal for a Then step. */
  expectSuccess<T>(outcome: Outcome<T>, action: string): T {
    if (!outcome.ok) throw new Error(`${action} was refused: HTTP ${outcome.status}: ${outcome.message}`);
    return outcome.value;
  }

  /** Keeps the outcome of an action whose result a Then step will judge. */
  remember(outcome: Outcome<unknown>, action: string): void {
    this.lastOutcome = { outcome, action };
  }

  /** The refusal a Then step checks; once taken, the After hook no longer complains about it. */
  takeRefusal(): Refusal {
    const last = this.lastOutcome;
    if (!last) throw new Error('No action was attempted in this scenario, so there is nothing to check.');
    this.lastOutcome = undefined;
    if (last.outcome.ok) throw new Error(`${last.action} succeeded, but the platform should have refused it.`);
    return last.outcome;
  }

  /** A refusal no step looked at: the scenario may have passed for the wrong reason. */
  uncheckedRefusal(): string | undefined {
    const last = this.lastOutcome;
    return last && !last.outcome.ok
      ? `${last.action} was refused (HTTP ${last.outcome.status}: ${last.outcome.message}) and no step checked why.`
      : undefined;
  }
}

export { NotOnTarget };

setWorldConstructor(FsmWorld);
