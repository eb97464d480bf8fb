/**
 * One task, two modes. A capability writes each task twice, side by side: over the REST API (its
 * via-api.ts) and on the portal's pages (its in-portal.ts). `tasksOf` joins the two, and the ability
 * of whoever performs the task decides which runs. The API form fixes each task's arguments and
 * result; the compiler holds the portal form to them. Steps call the joined tasks:
 * `Incidents.raise(actor, request)`.
 */
import { CallTheApi } from './abilities/call-the-api';
import type { BrowseThePortal } from './abilities/browse-the-portal';
import type { Portal } from './pages/portal';

export type Ability = CallTheApi | BrowseThePortal;

/** Who performs a task: an actor, in their session; or a session of its own (a sign-in from a fresh browser). */
export type Performer = Ability | { readonly ability: Ability };

type ApiForm = (api: CallTheApi, ...args: never[]) => Promise<unknown>;
type ArgsOf<F> = F extends (ability: never, ...args: infer A) => unknown ? A : never;
type ResultOf<F> = F extends (...args: never[]) => infer R ? R : never;

/** The portal forms of a capability's tasks: the API forms' arguments and results, on the portal's pages. */
export type InPortal<T> = { [K in keyof T]: (portal: Portal, ...args: ArgsOf<T[K]>) => ResultOf<T[K]> };

/** A capability's tasks as steps call them: the performer first, then the task's arguments. */
export type Tasks<T> = { [K in keyof T]: (who: Performer, ...args: ArgsOf<T[K]>) => ResultOf<T[K]> };

type AnyForm<A> = (ability: A, ...args: unknown[]) => Promise<unknown>;

export function tasksOf<T extends Record<string, ApiForm>>(viaApi: T, inPortal: InPortal<T>): Tasks<T> {
  const task =
    (name: string) =>
    async (who: Performer, ...args: unknown[]) => {
      const ability = 'ability' in who ? who.ability : who;
      if (ability instanceof CallTheApi) return (viaApi[name] as AnyForm<CallTheApi>)(ability, ...args);
      return (inPortal[name] as unknown as AnyForm<Portal>)(await ability.portal(), ...args);
    };
  return Object.fromEntries(Object.keys(viaApi).map((name) => [name, task(name)])) as unknown as Tasks<T>;
}
