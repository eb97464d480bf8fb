/**
 * `fsm-harness submit`: sends sealed evidence packs (or an issued TCR) to DCC's completion service.
 * A pack travels as JSON: its signed statement, its manifest exactly as sealed, and each file in base64.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { harnessMessage } from '../clients/messages';
import { DEFAULT_EVIDENCE_DIR, MANIFEST } from '../reporting/evidence';
import { UNLISTED } from '../reporting/pack-check';
import { ATTESTATION } from '../reporting/signing/attest';
import { parse, UsageError } from './args';

const USAGE = `Usage: fsm-harness submit --to URL [--run ID | --all] [--evidence DIR] [--party NAME]
       fsm-harness submit --to URL --report FILE [--party NAME]

  Sends sealed evidence packs to DCC's completion service at URL (default: the latest pack; --all: every
  pack in --evidence, default ${DEFAULT_EVIDENCE_DIR}). The service checks each pack's signature against
  the keys registered for the party it names; a pack already received is not stored twice. --report
  sends an issued Test Completion Report (its signed tcr.dsse.json). --party (default $FSM_PARTY) is
  the party you submit as: the service refuses a pack of another party's.
Exit code: 0 when every submission was received (or already was), 1 when one was refused.`;

export async function submitCommand(argv: string[]): Promise<number> {
  const args = parse(
    argv,
    {
      to: { type: 'string' },
      run: { type: 'string' },
      all: { type: 'boolean', default: false },
      evidence: { type: 'string', default: DEFAULT_EVIDENCE_DIR },
      party: { type: 'string' },
      report: { type: 'string' },
    },
    USAGE,
  );
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  if (!args.to || !/^https?:\/\//.test(String(args.to)))
    throw new UsageError(harnessMessage(`Give the service's URL with --to http(s)://...\n\n${USAGE}`));
  const to = String(args.to).replace(/\/+$/, '');
  const party = (args.party as string | undefined) ?? (process.env.FSM_PARTY || undefined);
  if (args.report)
    return answer(
      `report ${String(args.report)}`,
      await post(`${to}/api/reports`, { ...(party ? { party } : {}), envelope: readJson(String(args.report)) }),
    );
  const packs = choosePacks(String(args.evidence), args.run as string | undefined, Boolean(args.all));
  let refused = 0;
  for (const dir of packs)
    if ((await answer(`run ${relative(String(args.evidence), dir)}`, await post(`${to}/api/packs`, packBody(dir, party)))) !== 0)
      refused += 1;
  return refused ? 1 : 0;
}

/** The sealed packs to send: one run's, every one's, or the latest sealed (by its manifest's date). */
export function choosePacks(root: string, runId: string | undefined, all: boolean): string[] {
  if (!existsSync(root)) throw new Error(harnessMessage(`No evidence packs in ${root}: run a suite first (fsm-harness run).`));
  const sealed = readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(root, e.name, MANIFEST)) && existsSync(join(root, e.name, ATTESTATION)))
    .map((e) => ({ dir: join(root, e.name), at: String((readJson(join(root, e.name, MANIFEST)) as { createdAt?: unknown }).createdAt) }))
    .sort((a, b) => a.at.localeCompare(b.at));
  if (runId !== undefined) {
    const one = sealed.find((p) => p.dir === join(root, runId));
    if (!one) throw new Error(harnessMessage(`No sealed, signed pack for run ${runId} in ${root}.`));
    return [one.dir];
  }
  if (!sealed.length) throw new Error(harnessMessage(`No sealed, signed pack in ${root}: run a suite first (fsm-harness run).`));
  return all ? sealed.map((p) => p.dir) : [sealed.at(-1)?.dir ?? ''];
}

export function packBody(dir: string, party?: string): unknown {
  const files = filesUnder(dir)
    .filter((path) => !UNLISTED.has(path))
    .map((path) => ({ path, base64: readFileSync(join(dir, path)).toString('base64') }));
  return {
    ...(party ? { party } : {}),
    envelope: readJson(join(dir, ATTESTATION)),
    manifest: readFileSync(join(dir, MANIFEST), 'utf8'),
    files,
  };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((p) => statSync(join(dir, p)).isFile())
    .map((p) => p.split(sep).join('/'))
    .sort();
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(harnessMessage(`Cannot read ${path}: ${(error as Error).message}`));
  }
}

async function post(url: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).catch(
    (error: unknown) => {
      throw new Error(harnessMessage(`The completion service at ${url} did not answer: ${(error as Error).message}`));
    },
  );
  const json = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  return { status: response.status, json };
}

function answer(what: string, { status, json }: { status: number; json: Record<string, unknown> }): number {
  if (status < 300) {
    const counts = json.counts ? `counts ${String(json.counts)}` : json.rehearsal ? `a rehearsal: ${String(json.rehearsal)}` : '';
    console.log(`${what}: ${String(json.status)}${counts ? `; ${counts}` : ''}.`);
    return 0;
  }
  const error = json.error as { message?: unknown; detail?: unknown } | undefined;
  console.error(harnessMessage(`${what} refused (${status}): ${String(error?.message ?? 'no message')}. ${String(error?.detail ?? '')}`));
  return 1;
}
