/**
 * A new or reinstated account's first credentials: a one-time password, which goes only by email to
 * the person, and the SSI notification that the account was made or reinstated. Onboarding issues
 * the initial administrator's the same way.
 */
import type { SimConfig } from '../config';
import type { Queryable } from '../store/db';
import type { Caller, Core } from './context';
import { recordNotification } from './notifications';
import { generateOneTimePassword, hashPassword } from './passwords';

type Delivery = () => Promise<void>;

/** A one-time password and the account columns that hold it. */
export async function oneTimeCredentials(passwords: SimConfig['passwords'], now: Date) {
  const password = generateOneTimePassword();
  const columns = {
    password_hash: await hashPassword(password, passwords.scryptCost),
    password_expires_at: new Date(now.getTime() + passwords.oneTimePasswordHours * 3_600_000),
    password_must_change: true,
  };
  return { password, columns };
}

/**
 * Records in `tx` that the account was made or reinstated; the deliveries, run once it has committed,
 * send the SSI notice's email copy and the one-time password.
 */
export async function welcome(
  core: Core,
  tx: Queryable,
  account: { id: string; username: string },
  caller: Caller,
  password: string,
  what: 'created' | 'reinstated',
): Promise<Delivery[]> {
  const notice = await recordNotification(core, tx, {
    accountId: account.id,
    subject: 'Your DCC FSM account',
    body: `${caller.username} ${what} your account ${account.username}.`,
  });
  const email = async () => {
    await core.mail
      .send({
        to: account.username,
        subject: 'Your DCC FSM one-time password',
        text: `${caller.username} ${what} your DCC FSM account ${account.username}. Your one-time password is ${password}. It expires in ${core.config.passwords.oneTimePasswordHours} hours; at first sign-in you choose your own password and a second factor.`,
      })
      // The account stands; without the email, the person can still use "forgot password".
      .catch(() =>
        core.audit({ accountId: account.id, kind: 'welcome_email_failed', detail: 'the one-time password could not be emailed' }),
      );
  };
  return [notice, email];
}
