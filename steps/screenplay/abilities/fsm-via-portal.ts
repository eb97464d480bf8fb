/**
 * UseFsm through the portal in Chromium: each task is done as a person does it, on the pages, with
 * role and label locators (steps/screenplay/pages). One browser context per ability (one person's
 * session), traced so that a failed scenario carries the trace and a screenshot.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { SampleFile } from '../../../fixtures/files';
import type { IncidentRequest } from '../../../fixtures/incidents';
import { IncidentsInPortal } from '../pages/incidents';
import { OmsInPortal } from '../pages/oms';
import { Portal } from '../pages/portal';
import { ProfilePages } from '../pages/profile';
import { RequestsInPortal } from '../pages/requests';
import { SignInPages } from '../pages/sign-in';
import { UsersInPortal } from '../pages/users';
import type { Identity, IdentitySignIn, IncidentChange, IncidentFilter, IncidentPage, IncidentSummary, Outcome, PromptAnswerer, RequestOutcome, SignedFile, UseFsm, UseOms, UserChange, UserView } from './use-fsm';

export interface PortalAbilityOptions {
  /** The worker's browser, launched at first use. */
  browser: () => Promise<Browser>;
  baseUrl: string;
  /** Sent with every request: X-Forwarded-For stands in for a source address on the internet route. */
  headers?: Record<string, string>;
}

export class FsmViaPortal implements UseFsm {
  private opened: Promise<{ context: BrowserContext; portal: Portal }> | undefined;
  private readonly lazy = <T>(make: (portal: Portal) => T) => {
    let made: T | undefined;
    return async () => (made ??= make((await this.open()).portal));
  };
  private readonly incidents = this.lazy((p) => new IncidentsInPortal(p));
  private readonly requests = this.lazy((p) => new RequestsInPortal(p));
  private readonly admin = this.lazy((p) => new UsersInPortal(p));
  private readonly profile = this.lazy((p) => new ProfilePages(p));
  private readonly omsPages = this.lazy((p) => new OmsInPortal(p));
  readonly oms: UseOms;

  constructor(private readonly options: PortalAbilityOptions) {
    const pages = this.omsPages;
    this.oms = new Proxy({} as UseOms, {
      get: (_target, name: keyof UseOms) => async (...args: unknown[]) => ((await pages())[name] as (...a: unknown[]) => unknown)(...args),
    });
  }

  /** The browser context and page of this person, opened at first use. */
  open(): Promise<{ context: BrowserContext; portal: Portal }> {
    this.opened ??= (async () => {
      const context = await (await this.options.browser()).newContext({ extraHTTPHeaders: this.options.headers ?? {}, locale: 'en-GB', timezoneId: 'Europe/London' });
      await context.tracing.start({ screenshots: true, snapshots: true });
      const page = await context.newPage();
      return { context, portal: new Portal(page, this.options.baseUrl) };
    })();
    return this.opened;
  }

  /** The page, if the person ever opened one (for screenshots after a failure). */
  async currentPage(): Promise<Page | undefined> {
    return this.opened ? (await this.opened).portal.page : undefined;
  }

  /** Ends the person's browser session; with `tracePath`, keeps the trace there. */
  async close(tracePath?: string): Promise<void> {
    if (!this.opened) return;
    const { context } = await this.opened;
    await context.tracing.stop(tracePath ? { path: tracePath } : {}).catch(() => undefined);
    await context.close();
  }

  async logIn(username: string, password: string, answer: PromptAnswerer): Promise<Outcome<{ prompts: string[] }>> {
    const { portal } = await this.open();
    portal.expectOk(await portal.open('/portal/login'), 'Opening the sign-in page');
    return new SignInPages(portal).signIn(username, password, answer, leftSignIn);
  }

  async logInThroughIdentity(tenant: string, username: string, password: string, answer: PromptAnswerer): Promise<Outcome<IdentitySignIn>> {
    return (await this.profile()).signInThroughIdentity(tenant, username, password, answer);
  }

  async resetForgottenPassword(username: string, readCode: () => Promise<string>, newPassword: string): Promise<Outcome<void>> {
    return (await this.profile()).resetForgottenPassword(username, readCode, newPassword);
  }

  async changeMfaMethod(answer: PromptAnswerer): Promise<Outcome<{ prompts: string[] }>> {
    return (await this.profile()).changeMfaMethod(answer);
  }

  async notifications(): Promise<{ subject: string; body: string }[]> {
    return (await this.profile()).notifications();
  }

  async setEmailCopies(enabled: boolean): Promise<Outcome<void>> {
    return (await this.profile()).setEmailCopies(enabled);
  }

  async whoAmI(): Promise<Outcome<Identity>> {
    return (await this.profile()).whoAmI();
  }

  async raiseIncident(request: IncidentRequest): Promise<Outcome<IncidentSummary>> {
    return (await this.incidents()).raiseIncident(request);
  }

  async listIncidents(filter: IncidentFilter): Promise<IncidentPage> {
    return (await this.incidents()).listIncidents(filter);
  }

  async openIncident(sysId: string): Promise<Outcome<IncidentSummary>> {
    return (await this.incidents()).openIncident(sysId);
  }

  async changeIncident(sysId: string, change: IncidentChange): Promise<Outcome<IncidentSummary>> {
    return (await this.incidents()).changeIncident(sysId, change);
  }

  async attachToIncident(sysId: string, file: SampleFile): Promise<Outcome<{ fileName: string; bytes: number }>> {
    return (await this.incidents()).attachToIncident(sysId, file);
  }

  async incidentDetails(sysId: string): Promise<{ comments: string[]; attachments: string[] }> {
    return (await this.incidents()).incidentDetails(sysId);
  }

  async createUser(user: { email: string; name: string; roles: string[]; region?: string }): Promise<Outcome<{ sysId: string }>> {
    return (await this.admin()).createUser(user);
  }

  async changeUser(sysId: string, change: UserChange): Promise<Outcome<void>> {
    return (await this.admin()).changeUser(sysId, change);
  }

  async users(): Promise<UserView[]> {
    return (await this.admin()).users();
  }

  async submitSignedFile(itemName: string, file: SignedFile, variables: Record<string, string> = {}): Promise<Outcome<RequestOutcome>> {
    return (await this.requests()).submitSignedFile(itemName, file, variables);
  }

  async searchKnowledge(words: string): Promise<string[]> {
    return (await this.requests()).searchKnowledge(words);
  }

  async orderItem(itemName: string, variables: Record<string, string>): Promise<Outcome<{ sysId: string; number: string }>> {
    return (await this.requests()).orderItem(itemName, variables);
  }

  async nominatedContacts(): Promise<{ role: string; name: string; email: string }[]> {
    return (await this.requests()).nominatedContacts();
  }
}

/** Signed in: the browser has left the sign-in pages for the portal's own. */
export function leftSignIn(url: URL): boolean {
  return url.pathname.startsWith('/portal') && !url.pathname.startsWith('/portal/login') && !url.pathname.startsWith('/portal/profile/mfa');
}
