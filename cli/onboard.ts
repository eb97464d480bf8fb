/**
 * `fsm-harness onboard`: DCC onboards a party on a running simulator (ACC-01), for a rehearsal by
 * hand. Whatever is not given comes from faker. It prints the administrator's user name and the
 * one-time password DCC hands over, and how to read the passwords emailed to the users they create.
 */
import { fixtureFaker, newRunSeed, uniquenessTag } from '../fixtures/faker';
import { buildParty } from '../fixtures/parties';
import { ProductError } from '../clients/http';
import { harnessMessage } from '../clients/messages';
import { SimControlClient, type PartyRequest } from '../clients/sim-control';
import { parse, UsageError } from './args';

const USAGE = `Usage: fsm-harness onboard [--name NAME] [--email EMAIL] [--admin-name NAME] [--regions R,R]
                           [--user-roles IS,ES] [--gateway] [--target URL]

  Onboards a party on the simulator at --target (default http://127.0.0.1:4010; start it with
  fsm-harness sim) as DCC does: the party and its first administrator, with the one-time password
  DCC hands over. What is not given is made up (faker). Regions: North, Central, South. User Roles: IS, ES,
  GS, RSA, ED, GT, OU. Without --gateway the party is registered for the internet route from this
  machine (127.0.0.0/8). See README, Rehearsing by hand.`;

export async function onboardCommand(argv: string[]): Promise<number> {
  const args = parse(
    argv,
    {
      name: { type: 'string' },
      email: { type: 'string' },
      'admin-name': { type: 'string' },
      regions: { type: 'string' },
      'user-roles': { type: 'string' },
      gateway: { type: 'boolean', default: false },
      target: { type: 'string', default: 'http://127.0.0.1:4010' },
    },
    USAGE,
  );
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const request = partyRequest(args);
  const target = String(args.target);
  const onboarded = await new SimControlClient(target).onboardParty(request).catch((error: unknown) => {
    // The simulator refused what was typed: its message says what to fix, without a stack.
    if (error instanceof ProductError) throw new UsageError(harnessMessage(error.message));
    throw error;
  });
  const { party, administrator } = onboarded;
  console.log(
    [
      `Onboarded ${party.name} (User Roles ${party.userRoles.join(', ')}; Regions ${party.regions.join(', ')}).`,
      `Administrator:       ${administrator.username} (Job Type Roles ${administrator.roles.join(', ')})`,
      `One-time password:   ${administrator.oneTimePassword} (DCC hands it over at onboarding; expires ${administrator.expiresAt})`,
      `Sign in at ${target}/portal/login with that email address and password: the first sign-in asks for`,
      `a new password and a second factor. The users the administrator creates get theirs by email; read it with`,
      `  curl '${target}/__sim/mailbox?to=USER-EMAIL'`,
      `See README, Rehearsing by hand.`,
    ].join('\n'),
  );
  return 0;
}

function list(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  const items = String(value)
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
  if (!items.length) throw new UsageError(harnessMessage(`Give at least one value, comma-separated; got "${String(value)}".`));
  return items;
}

/** The body of POST /__sim/parties: faker's party, with what was given over it. */
function partyRequest(args: Record<string, string | boolean | undefined>): PartyRequest {
  const tag = uniquenessTag();
  const built = buildParty(fixtureFaker(newRunSeed(), `onboard-${tag}`), tag.slice(0, 4));
  const administrator = {
    ...built.administrator,
    ...(typeof args.email === 'string' ? { email: args.email } : {}),
    ...(typeof args['admin-name'] === 'string' ? { name: args['admin-name'] } : {}),
  };
  return {
    ...built,
    ...(typeof args.name === 'string' ? { name: args.name } : {}),
    regions: list(args.regions) ?? built.regions,
    userRoles: list(args['user-roles']) ?? built.userRoles,
    gatewayConnected: Boolean(args.gateway),
    internetRegistered: !args.gateway,
    internetCidrs: args.gateway ? [] : ['127.0.0.0/8'],
    administrator,
  };
}
