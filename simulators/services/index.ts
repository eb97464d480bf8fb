/**
 * The use cases, built once over the Core and handed to every adapter (REST API, portal, control API,
 * DCC Identity). They are the only way to the data: adapters receive these objects, never the Core or
 * the store (lint refuses store imports outside services), so each rule (a role check, party scoping,
 * a state transition) lives in one place whichever door a request comes through.
 */
import { AttachmentService } from './attachments';
import { ContactService } from './contacts';
import { DirectoryService } from './directory';
import type { RoleCatalogue } from '../domain/roles';
import type { Core } from './context';
import { deleteIncident } from './incident-deletion';
import { IncidentService } from './incidents';
import { IntegrationAuth } from './integration-auth';
import { KnowledgeService } from './knowledge';
import { LoginService } from './login';
import { NotificationService } from './notifications';
import { OmsService } from './oms';
import { ProfileService } from './profile';
import { RateLimits } from './rate-limits';
import { RecordService, type Writer } from './records';
import { RequestService } from './requests';
import { SessionService } from './sessions';
import { SimulatorService } from './simulator';
import { PasswordResetService } from './password-reset';
import { UserService } from './users';

export interface Services {
  incidents: IncidentService;
  requests: RequestService;
  oms: OmsService;
  records: RecordService;
  attachments: AttachmentService;
  notifications: NotificationService;
  knowledge: KnowledgeService;
  contacts: ContactService;
  login: LoginService;
  passwordReset: PasswordResetService;
  users: UserService;
  sessions: SessionService;
  /** ServiceNow's own ways in for integration accounts: HTTP Basic and /oauth_token.do. */
  integrationAuth: IntegrationAuth;
  /** ServiceNow's inbound REST API rate limits, when configured. */
  rateLimits: RateLimits;
  /** DCC Identity's accounts and storage. */
  directory: DirectoryService;
  profile: ProfileService;
  /** The control API's use cases (reset, onboarding, mailbox): the simulator's, never the platform's. */
  simulator: SimulatorService;
  /** The role catalogue, for adapters that show or hide what a person may use. */
  roles: RoleCatalogue;
}

export function buildServices(core: Core): Services {
  const incidents = new IncidentService(core);
  const users = new UserService(core);
  const writers = new Map<string, Writer>([
    [
      'incident',
      {
        create: (c, b) => incidents.raise(c, b),
        update: (c, id, b) => incidents.update(c, id, b),
        createAs: (b, may) => incidents.raiseAs(b, may),
        delete: (c, id) => deleteIncident(core, c, id),
      },
    ],
    ['sys_user', { create: (c, b) => users.create(c, b), update: (c, id, b) => users.update(c, id, b) }],
  ]);
  const sessions = new SessionService(core);
  const records = new RecordService(core, incidents, writers, sessions);
  const attachments = new AttachmentService(core, records);
  const oms = new OmsService(core);
  return {
    incidents,
    requests: new RequestService(core, incidents, attachments, oms.transfers),
    oms,
    records,
    attachments,
    notifications: new NotificationService(core),
    knowledge: new KnowledgeService(core, records),
    contacts: new ContactService(core),
    login: new LoginService(core),
    passwordReset: new PasswordResetService(core),
    users,
    sessions,
    rateLimits: new RateLimits(core),
    integrationAuth: new IntegrationAuth(core, sessions),
    directory: new DirectoryService(core),
    profile: new ProfileService(core),
    simulator: new SimulatorService(core),
    roles: core.roles,
  };
}
