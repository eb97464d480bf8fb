/**
 * Job Type Roles as data: a role grants Functional Components, each in a Business Functional Domain.
 * Every function of the platform names the component it needs; nothing checks "is logged in" alone.
 */
import { z } from 'zod';
import { Forbidden, InvalidInput } from './errors';

const CatalogueSchema = z.object({
  domains: z.record(z.object({ name: z.string(), assumed: z.boolean() })),
  components: z.record(z.object({ domain: z.string(), description: z.string() })),
  roles: z.record(z.object({ description: z.string(), components: z.array(z.string()).min(1) })),
});
export type RoleCatalogueData = z.infer<typeof CatalogueSchema>;

type Role = RoleCatalogueData['roles'][string];
type Component = RoleCatalogueData['components'][string];

/** OMS components are worked in a Region (ACC-05): the one place that says so. */
const isRegional = (component: string) => component.startsWith('oms.');

/** A party's administrator role: the party always keeps one active holder (ACC-04), whom DCC acts for. */
export const ADMIN_ROLE = 'ORG_ADMIN';

/**
 * Role and component names arrive in requests and configuration files: they are looked up in Maps,
 * so a name Object.prototype has (`constructor`, `toString`) is unknown like any other.
 */
export class RoleCatalogue {
  private constructor(
    private readonly roles: ReadonlyMap<string, Role>,
    private readonly components: ReadonlyMap<string, Component>,
  ) {}

  /** Validates the catalogue: every component names a known domain, every role known components. */
  static from(raw: unknown, source = 'role catalogue'): RoleCatalogue {
    const data = CatalogueSchema.parse(raw);
    const domains = new Set(Object.keys(data.domains));
    for (const [name, component] of Object.entries(data.components)) {
      if (!domains.has(component.domain)) throw new Error(`${source}: component ${name} names unknown domain ${component.domain}`);
    }
    const components = new Map(Object.entries(data.components));
    for (const [name, role] of Object.entries(data.roles)) {
      const unknown = role.components.filter((c) => !components.has(c));
      if (unknown.length) throw new Error(`${source}: role ${name} names unknown components ${unknown.join(', ')}`);
    }
    return new RoleCatalogue(new Map(Object.entries(data.roles)), components);
  }

  get roleNames(): string[] {
    return [...this.roles.keys()];
  }

  /** What a role is for, as the catalogue describes it to the administrators who grant it. */
  describe(role: string): string {
    return this.roles.get(role)?.description ?? '';
  }

  get componentNames(): string[] {
    return [...this.components.keys()];
  }

  /** The roles that grant a component. */
  grantingRoles(component: string): string[] {
    return this.roleNames.filter((r) => this.roles.get(r)?.components.includes(component));
  }

  /** Roles that grant an OMS component: an account holding one works in a Region, counted per Region (ACC-05). */
  get regionalRoles(): string[] {
    return this.roleNames.filter((r) => [...this.componentsOf([r])].some(isRegional));
  }

  /**
   * What grants a component and who can give it, as a refusal or an offer says it: the Job Type
   * Role (and Region, for OMS), and the organisation administrator, or DCC for the first administrator.
   */
  howToGet(component: string, roles: readonly string[]): string {
    const what = this.components.get(component)?.description ?? component;
    const granting = this.grantingRoles(component);
    const region = isRegional(component) ? ' with a Region (North, Central or South)' : '';
    const grant = `${what} needs the Job Type Role ${granting.join(' or ')}${region}.`;
    if (granting.includes(ADMIN_ROLE) && granting.length === 1)
      return `${grant} Another administrator of your organisation can give it; DCC sets up a party's first administrator at onboarding (ask DCC's service desk).`;
    if (this.grants(roles, 'accounts.admin'))
      return `${grant} You are an administrator: give it to yourself or a user on the Users page (Users, then the account, then Job Type Roles).`;
    return `${grant} Ask your organisation administrator to give it to you.`;
  }

  /** Refuses role names the catalogue does not know, naming the ones it does. */
  assertRoles(roles: readonly string[]): void {
    const unknown = roles.filter((r) => !this.roles.has(r));
    if (unknown.length) {
      throw new InvalidInput(`Unknown Job Type Role: ${unknown.join(', ')}`, `Known roles: ${this.roleNames.join(', ')}.`, 'roles');
    }
  }

  componentsOf(roles: readonly string[]): Set<string> {
    return new Set(roles.flatMap((r) => this.roles.get(r)?.components ?? []));
  }

  grants(roles: readonly string[], component: string): boolean {
    return roles.some((r) => this.roles.get(r)?.components.includes(component) === true);
  }

  /** The roles that grant a component (a statement checks a session's roles against them: store/as-who.ts). */
  holdersOf(component: string): string[] {
    if (!this.components.has(component)) throw new Error(`No Functional Component named ${component}`);
    return this.roleNames.filter((r) => this.roles.get(r)?.components.includes(component));
  }

  require(roles: readonly string[], component: string): void {
    if (!this.components.has(component)) throw new Error(`No Functional Component named ${component}`);
    if (!this.grants(roles, component)) {
      throw new Forbidden(`Your roles do not include the Functional Component ${component}. ${this.howToGet(component, roles)}`);
    }
  }
}
