/**
 * What an actor can do on the FSM platform, in the domain's words. One implementation drives the
 * REST API, another (with the portal) drives the browser; tasks and steps never know which.
 * A refusal by the platform is an Outcome, not an exception, so a scenario can assert on it.
 */
import type { LoginPrompt } from '../../../clients/fsm-api';
import type { SampleFile } from '../../../fixtures/files';
import type { IncidentRequest } from '../../../fixtures/incidents';

export type Outcome<T> = { ok: true; value: T } | { ok: false; status: number; message: string };

/** How the actor answers each prompt of a login: a new password, an MFA method, a code. */
export type PromptAnswerer = (prompt: LoginPrompt) => Promise<Record<string, string>>;

export interface IncidentSummary {
  sysId: string;
  number: string;
  shortDescription: string;
  impact: number;
  urgency: number;
  priority: number;
  state: number;
  active: boolean;
  /** Who raised it (sys_created_by): the original raiser for a migrated ticket. */
  raisedBy: string;
  /** When it was raised (sys_created_on), ISO 8601 UTC; '' where the view does not show it (the portal's list). */
  raisedAt: string;
  /** Its Target Resolution Time (SM-03), ISO 8601 UTC; '' when it has none (a migrated ticket). */
  targetResolutionAt: string;
}

export interface IncidentChange {
  impact?: string;
  urgency?: string;
  short_description?: string;
  comments?: string;
  state?: number;
}

export interface UserChange {
  roles?: string[];
  region?: string;
  active?: boolean;
  /** Leaves a migrated account inactive, on purpose. */
  migration_review?: 'declined';
}

export interface UserView {
  sysId: string;
  username: string;
  name: string;
  active: boolean;
  roles: string[];
  migrationReview: string;
}

export interface SignedFile {
  name: string;
  csv: string;
  signature: string;
}

export interface RequestOutcome {
  number: string;
  state: string;
  rejectionReason: string;
  rowProblems: { row: number; reason: string }[];
}

export interface IncidentFilter {
  activeOnly?: boolean;
  /** Priority this high or higher (1 is the highest). */
  maxPriority?: number;
  limit?: number;
}

export interface IncidentPage {
  total: number;
  incidents: IncidentSummary[];
}

export interface Identity {
  username: string;
  partyName: string;
  roles: string[];
  mfaMethod: string | null;
  /** How the session was authenticated (pwd, mfa, otp, email). */
  amr: string[];
}

export interface IdentitySignIn {
  prompts: string[];
  /** Claims of the ID token the identity provider issued. */
  idClaims: Record<string, unknown>;
}

export interface OrderView {
  sysId: string;
  number: string;
  state: string;
  quantity: number;
}

export interface ConsignmentView {
  sysId: string;
  number: string;
  state: string;
  quantity: number;
  deliveryDate: string;
  /** The Advance Shipment Notice's device IDs. */
  deviceIds: string[];
  acceptedQuantity: number | null;
  /** The carrier's events so far, oldest first. */
  events: string[];
}

export interface ReturnView {
  sysId: string;
  rmaNumber: string;
  state: string;
  triageOutcome: string | null;
  chargePence: number | null;
}

/** The OMS module of the platform, in the domain's words (OMS-01..09). */
export interface UseOms {
  stock(): Promise<{ variant: string; status: string; count: number }[]>;
  submitForecast(region: string, variant: string, months: { month: string; quantity: number }[]): Promise<Outcome<{ version: number }>>;
  placeOrder(order: { region: string; variant: string; deliveryMonth: string; location: string; quantity: number }): Promise<Outcome<OrderView>>;
  confirmOrder(orderSysId: string): Promise<Outcome<ConsignmentView>>;
  consignment(sysId: string): Promise<Outcome<ConsignmentView>>;
  amendDelivery(sysId: string, date: string): Promise<Outcome<ConsignmentView>>;
  respondToDelivery(sysId: string, response: { decision: 'accept' } | { decision: 'reject'; reason: string; quantity: number }): Promise<Outcome<ConsignmentView>>;
  raiseReturn(deviceId: string, reason: string): Promise<Outcome<ReturnView>>;
  returnProgress(sysId: string): Promise<Outcome<ReturnView>>;
  /** Transfers of hubs to the actor's party, waiting for an answer or answered (OMS-10). */
  incomingTransfers(): Promise<{ sysId: string; fromParty: string; devices: number; state: string }[]>;
  answerTransfer(sysId: string, accept: boolean): Promise<Outcome<{ state: string }>>;
}

export interface UseFsm {
  readonly oms: UseOms;
  logIn(username: string, password: string, answer: PromptAnswerer): Promise<Outcome<{ prompts: string[] }>>;
  /** Signs in through a tenant of the DCC Identity Provider Service (the Entra path, IAM-03). */
  logInThroughIdentity(tenant: string, username: string, password: string, answer: PromptAnswerer): Promise<Outcome<IdentitySignIn>>;
  /** Asks for a code by email and sets a new password with it (UEPT-FSM-04). */
  resetForgottenPassword(username: string, readCode: () => Promise<string>, newPassword: string): Promise<Outcome<void>>;
  /** Proves the current MFA method afresh, then enrols the one the actor now prefers. */
  changeMfaMethod(answer: PromptAnswerer): Promise<Outcome<{ prompts: string[] }>>;
  raiseIncident(request: IncidentRequest): Promise<Outcome<IncidentSummary>>;
  listIncidents(filter: IncidentFilter): Promise<IncidentPage>;
  openIncident(sysId: string): Promise<Outcome<IncidentSummary>>;
  /** Changes fields, comments (`comments`), cancels, or answers a resolution (`state` 7 confirms, 2 rejects). */
  changeIncident(sysId: string, change: IncidentChange): Promise<Outcome<IncidentSummary>>;
  attachToIncident(sysId: string, file: SampleFile): Promise<Outcome<{ fileName: string; bytes: number }>>;
  /** What the actor sees of an incident beyond its fields: the comments and the attached files. */
  incidentDetails(sysId: string): Promise<{ comments: string[]; attachments: string[] }>;
  createUser(user: { email: string; name: string; roles: string[]; region?: string }): Promise<Outcome<{ sysId: string }>>;
  changeUser(sysId: string, change: UserChange): Promise<Outcome<void>>;
  /** Orders a catalogue item by name, attaches the signed file and submits it to the item's workflow. */
  submitSignedFile(itemName: string, file: SignedFile, variables?: Record<string, string>): Promise<Outcome<RequestOutcome>>;
  /** The actor's SSI notifications, newest first. */
  notifications(): Promise<{ subject: string; body: string }[]>;
  setEmailCopies(enabled: boolean): Promise<Outcome<void>>;
  whoAmI(): Promise<Outcome<Identity>>;
  /** The accounts the actor can see. */
  users(): Promise<UserView[]>;
  /** Titles of the knowledge articles that mention `words`. */
  searchKnowledge(words: string): Promise<string[]>;
  /** Orders a catalogue item by name, with its variables. */
  orderItem(itemName: string, variables: Record<string, string>): Promise<Outcome<{ sysId: string; number: string }>>;
  nominatedContacts(): Promise<{ role: string; name: string; email: string }[]>;
}
