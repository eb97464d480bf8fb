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

export class RoleCatalogue {
  private constructor(private readonly data: RoleCatalogueData) {}

  /** Validates the catalogue: every component names a known domain, every role known components. */
  static from(raw: unknown, source = 'role catalogue'): RoleCatalogue {
    const data = CatalogueSchema.parse(raw);
    for (const [name, component] of Object.entries(data.components)) {
      if (!data.domains[component.domain]) throw new Error(`${source}: component ${name} names unknown domain ${component.domain}`);
    }
    for (const [name, role] of Object.entries(data.roles)) {
      const unknown = role.components.filter((c) => !data.components[c]);
      if (unknown.length) throw new Error(`${source}: role ${name} names unknown components ${unknown.join(', ')}`);
    }
    return new RoleCatalogue(data);
  }

  get roleNames(): string[] {
    return Object.keys(this.data.roles);
  }

  /** What a role is for, as the catalogue describes it to the administrators who grant it. */
  describe(role: string): string {
    return this.data.roles[role]?.description ?? '';
  }

  get componentNames(): string[] {
    return Object.keys(this.data.components);
  }

  /** Refuses role names the catalogue does not know, naming the ones it does. */
  assertRoles(roles: readonly string[]): void {
    const unknown = roles.filter((r) => !this.data.roles[r]);
    if (unknown.length) {
      throw new InvalidInput(`Unknown Job Type Role: ${unknown.join(', ')}`, `Known roles: ${this.roleNames.join(', ')}.`, 'roles');
    }
  }

  componentsOf(roles: readonly string[]): Set<string> {
    return new Set(roles.flatMap((r) => this.data.roles[r]?.components ?? []));
  }

  grants(roles: readonly string[], component: string): boolean {
    return this.componentsOf(roles).has(component);
  }

  require(roles: readonly string[], component: string): void {
    if (!this.data.components[component]) throw new Error(`No Functional Component named ${component}`);
    if (!this.grants(roles, component)) {
      const granting = this.roleNames.filter((r) => this.data.roles[r]?.components.includes(component));
      throw new Forbidden(`Your roles do not include the Functional Component ${component}. Ask your organisation administrator for one of: ${granting.join(', ')}.`);
    }
  }
}
