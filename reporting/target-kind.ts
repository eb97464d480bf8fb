/**
 * What kind of target a run was against, and the one rule of what counts as mandated completion:
 * only a run against a real environment. A run against a simulator (started by the harness, or at a
 * URL) is a rehearsal, whatever it passed; so is a run recorded before runs said their kind. No
 * completion service confirms yet which environments DCC recognises, so an environment run is
 * "unconfirmed": it counts in the local completion view, and every report says it is not verified by DCC.
 */
import type { Target } from '../clients/target';

export type TargetKind = 'sim' | 'simulator-url' | 'environment';

export interface TargetIdentity {
  targetKind: TargetKind;
  environmentName: string;
  environmentUrl: string | null;
  /** The environment's tenant, as its target file names it; null for a simulator. */
  environmentTenant: string | null;
  /** SHA-256 of the TLS certificate the platform presented (AA:BB:... as node gives it); null over http. */
  tlsFingerprint: string | null;
}

/** How a run's results may be used: as mandated completion (unconfirmed by DCC), or as a rehearsal only. */
export type Evidence = 'environment (unconfirmed)' | 'rehearsal';

export const UNCONFIRMED_NOTE = 'Environment runs are unconfirmed: DCC has not verified the environment (no completion service yet).';

/**
 * The identity recorded for a run; `fsmUrl` is the platform's URL when the harness started the
 * simulators itself, `tlsFingerprint` the certificate its platform presented (see tls-fingerprint.ts).
 */
export function identityOf(target: Target, fsmUrl?: string, tlsFingerprint: string | null = null): TargetIdentity {
  const url = target.kind === 'sim' ? (fsmUrl ?? null) : target.fsm;
  const kind = target.kind === 'sim' ? 'sim' : target.kind === 'simulator' ? 'simulator-url' : 'environment';
  const tenant = target.kind === 'environment' ? (target.tenant ?? null) : null;
  return { targetKind: kind, environmentName: target.name, environmentUrl: url, environmentTenant: tenant, tlsFingerprint };
}

export function countsForCompletion(run: { targetKind: TargetKind | null }): boolean {
  return run.targetKind === 'environment';
}

export function evidenceOf(run: { targetKind: TargetKind | null }): Evidence {
  return countsForCompletion(run) ? 'environment (unconfirmed)' : 'rehearsal';
}

const REHEARSAL = 'not mandated completion';

/** The line every report opens with: which kind of target its runs were, and what that means for completion. */
export function targetHeadline(runs: { targetKind: TargetKind | null; environmentName: string | null }[]): string {
  const environments = runs.filter(countsForCompletion);
  const rehearsals = runs.filter((r) => !countsForCompletion(r));
  const named = [...new Set(environments.map((r) => r.environmentName ?? 'unnamed'))].join(', ');
  if (!runs.length) return 'No run in scope.';
  if (!environments.length) {
    const unknown = rehearsals.some((r) => r.targetKind === null) ? ' (runs that did not record their target count as rehearsals)' : '';
    return `Rehearsal on the simulator — ${REHEARSAL}${unknown}.`;
  }
  const counted = `Run against a real environment (${named}) — counts for completion here, but unconfirmed: not verified by DCC.`;
  if (!rehearsals.length) return counted;
  return `${counted} ${rehearsals.length} of ${runs.length} runs were rehearsals on the simulator — ${REHEARSAL}.`;
}
