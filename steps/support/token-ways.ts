/**
 * When the API mode signs in for a token as on a real platform, who a party's API calls are and by
 * which way (the target file's `signIn`): with `oauth`, its integration account by its OAuth app;
 * with `entra`, its administrator through DCC Identity in the worker's Chromium.
 */
import type { TokenWay } from '../../clients/bearer';
import { oauthWay } from '../../clients/servicenow-oauth';
import { entraWay } from '../screenplay/abilities/entra-way';
import type { FsmWorld, TargetParty } from './world';
import { workerBrowser, workerFixtures } from './worker';

export interface TokenSignIn {
  username: string;
  password: string;
  way: TokenWay;
}

export function tokenSignInOf(world: FsmWorld, { administrator, integration, entra }: TargetParty): TokenSignIn | undefined {
  const { target } = workerFixtures();
  if (!world.signsInForToken || target.kind !== 'environment') return undefined;
  if (target.signIn === 'oauth' && integration)
    return { username: integration.username, password: integration.password, way: oauthWay(world.fsmUrl, integration) };
  if (target.signIn === 'entra' && entra) {
    const { chromiumPath, headless } = world.config;
    return { ...administrator, way: entraWay(entra, () => workerBrowser(chromiumPath, headless)) };
  }
  return undefined;
}
