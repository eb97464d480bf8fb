/**
 * MFA as login checks (IAM-01, IAM-02, IAM-07): prove the account's method, or choose one and enrol
 * it: an authenticator app (TOTP, shown as a key, an otpauth:// URI and a QR code) or a code by email.
 * SMS is offered only when the feature flag is on.
 */
import QRCode from 'qrcode';
import { DomainError, InvalidInput } from '../domain/errors';
import { acceptTotpStep, enrolCodeMethod, enrolTotp } from '../store/mfa';
import { ReplayedCode, WrongCode } from './failures';
import type { LoginCheck, LoginContext, Prompt } from './login-checks';
import { maskAddress, sendEmailCode, useEmailCode } from './one-time-codes';
import { newTotpSecret, totpStepOf, totpUri } from './totp';

const enrolled = (passed: readonly string[]) => passed.includes('mfa_enrol_totp') || passed.includes('mfa_enrol_email');
const codeField = { name: 'code', label: 'Code', type: 'code' as const };
const RESEND = { name: 'resend', label: 'Send me a new code' };
const CHOOSE_ANOTHER = { name: 'choose_another', label: 'Choose another method' };

/** Sends a code unless one was sent for this prompt already; a failed send becomes the prompt's error. */
async function emailCodePrompt(ctx: LoginContext, prompt: Omit<Prompt, 'message' | 'fields'>): Promise<Prompt> {
  const to = maskAddress(ctx.account.username);
  let error: string | undefined;
  if (!ctx.state.codeSent) {
    try {
      await sendEmailCode(ctx.core, ctx.db, ctx.account, 'mfa');
      ctx.state.codeSent = true;
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      error = `${e.message}. ${e.detail}`;
    }
  }
  const message = `We sent a 6-digit code to ${to}. It expires in ${ctx.core.config.mfa.emailCodeMinutes} minutes.`;
  return {
    ...prompt,
    message: error ? `We could not send a code to ${to}.` : message,
    fields: [codeField],
    data: { ...prompt.data, sent_to: to },
    ...(error ? { error } : {}),
  };
}

function answerOf(input: Record<string, unknown>): { action?: string; code: string } {
  const action = typeof input.action === 'string' ? input.action : undefined;
  const code = typeof input.code === 'string' ? input.code.replace(/\s+/g, '') : '';
  if (!action && !code) throw new InvalidInput('Enter the code', '', 'code');
  return { action, code };
}

export const mfaVerify: LoginCheck = {
  name: 'mfa_verify',
  pending: ({ account, passed }) => account.mfa_method !== null && !passed.includes('mfa_verify') && !enrolled(passed),
  async prompt(ctx) {
    if (ctx.account.mfa_method === 'totp') {
      return {
        name: 'mfa_verify',
        title: 'Confirm it is you',
        message: 'Enter the 6-digit code from your authenticator app.',
        fields: [codeField],
        data: { method: 'totp' },
      };
    }
    return emailCodePrompt(ctx, { name: 'mfa_verify', title: 'Confirm it is you', actions: [RESEND], data: { method: 'email' } });
  },
  async submit(ctx, input) {
    const { action, code } = answerOf(input);
    const { core, db, account } = ctx;
    if (action === 'resend' && account.mfa_method !== 'totp') return (ctx.state.codeSent = false);
    if (action) throw new InvalidInput(`"${action}" is not an answer to this prompt`, '', 'action');
    if (account.mfa_method !== 'totp') {
      await useEmailCode(core, db, account.id, 'mfa', code);
      return true;
    }
    const step = totpStepOf(core.config, core.clock, account.totp_secret ?? '', code);
    if (step === undefined) throw new WrongCode();
    if (!(await acceptTotpStep(db, account.id, step)))
      throw new ReplayedCode('totp_replay', `time step ${step} already used`, 'Wait for the next code from your app.');
    return true;
  },
};

export const mfaChoose: LoginCheck = {
  name: 'mfa_choose',
  pending: ({ account, state, passed }) => (account.mfa_method === null || state.enrol === true) && !state.method && !enrolled(passed),
  prompt: async ({ core, account }) => ({
    name: 'mfa_choose',
    title: 'Set up a second way to confirm it is you',
    message: 'Every sign-in asks for a code as well as your password. Choose how you will get it.',
    fields: [
      {
        name: 'method',
        label: 'How will you get your code?',
        type: 'choice',
        choices: [
          { value: 'totp', label: 'An authenticator app (recommended)' },
          { value: 'email', label: `An email to ${maskAddress(account.username)}` },
          ...(core.config.mfa.smsEnabled ? [{ value: 'sms', label: 'A text message' }] : []),
        ],
      },
    ],
  }),
  async submit({ core, state }, input) {
    const offered = core.config.mfa.smsEnabled ? ['totp', 'email', 'sms'] : ['totp', 'email'];
    const method = input.method;
    if (typeof method !== 'string' || !offered.includes(method)) {
      throw new InvalidInput(
        `Choose one of: ${offered.join(', ')}`,
        method === 'sms' ? 'Text messages are not offered on this platform.' : '',
        'method',
      );
    }
    if (method === 'sms') throw new InvalidInput('Text messages cannot be set up here yet; choose totp or email', '', 'method');
    state.method = method as 'totp' | 'email';
    state.codeSent = false;
    if (method === 'totp') state.pendingSecret = newTotpSecret();
    return true;
  },
};

export const mfaEnrolTotp: LoginCheck = {
  name: 'mfa_enrol_totp',
  pending: ({ state, passed }) => state.method === 'totp' && !passed.includes('mfa_enrol_totp'),
  async prompt({ core, account, state }) {
    const secret = state.pendingSecret ?? '';
    const uri = totpUri(core.config, account.username, secret);
    return {
      name: 'mfa_enrol_totp',
      title: 'Add the platform to your authenticator app',
      message: 'Scan the QR code with your authenticator app, or type the key into it, then enter the 6-digit code it shows.',
      fields: [codeField],
      actions: [CHOOSE_ANOTHER],
      // SVG: a tenth of the time of a PNG to make (1 ms, not 11), and sharp at any size on screen.
      data: {
        secret,
        otpauth_uri: uri,
        qr_code: `data:image/svg+xml;base64,${Buffer.from(await QRCode.toString(uri, { type: 'svg', margin: 1, width: 240 })).toString('base64')}`,
      },
    };
  },
  async submit(ctx, input) {
    const { action, code } = answerOf(input);
    if (action === 'choose_another') return chooseAnother(ctx);
    if (action) throw new InvalidInput(`"${action}" is not an answer to this prompt`, '', 'action');
    const { core, db, account, state } = ctx;
    const step = totpStepOf(core.config, core.clock, state.pendingSecret ?? '', code);
    if (step === undefined) throw new WrongCode('That code does not match the key. Check the time on your device and try the next code.');
    await enrolTotp(db, account.id, state.pendingSecret ?? '', step, core.clock.now());
    return true;
  },
};

export const mfaEnrolEmail: LoginCheck = {
  name: 'mfa_enrol_email',
  pending: ({ state, passed }) => state.method === 'email' && !passed.includes('mfa_enrol_email'),
  prompt: (ctx) =>
    emailCodePrompt(ctx, {
      name: 'mfa_enrol_email',
      title: 'Confirm your email address',
      actions: [RESEND, CHOOSE_ANOTHER],
      data: { method: 'email' },
    }),
  async submit(ctx, input) {
    const { action, code } = answerOf(input);
    if (action === 'choose_another') return chooseAnother(ctx);
    if (action === 'resend') return (ctx.state.codeSent = false);
    if (action) throw new InvalidInput(`"${action}" is not an answer to this prompt`, '', 'action');
    const { core, db, account } = ctx;
    await useEmailCode(core, db, account.id, 'mfa', code);
    await enrolCodeMethod(db, account.id, 'email', core.clock.now());
    return true;
  },
};

function chooseAnother({ state }: LoginContext): false {
  delete state.method;
  delete state.pendingSecret;
  state.codeSent = false;
  return false;
}
