/** Parameter types of the step patterns, in the domain's words. */
import { defineParameterType } from '@cucumber/cucumber';
import { INCIDENT_STATE_LABELS } from '../screenplay/incidents/states';

/** "ORG_ADMIN and SERVICE_USER", "IS, ES and GS": a list of upper-case names. */
defineParameterType({
  name: 'listOfWords',
  regexp: /[A-Z][A-Z0-9_]*(?:(?:, | and )[A-Z][A-Z0-9_]*)*/,
  transformer: (text: string) => text.split(/, | and /),
});

/** Login steps in the words a person would use, mapped to the platform's prompt names. */
const PROMPTS: Record<string, string> = {
  'a new password': 'password_change',
  'a second method': 'mfa_choose',
  'a code from the new app': 'mfa_enrol_totp',
  'a code from the email': 'mfa_enrol_email',
  'a code': 'mfa_verify',
};
const PROMPT = Object.keys(PROMPTS)
  .sort((a, b) => b.length - a.length)
  .join('|');
defineParameterType({
  name: 'prompts',
  regexp: new RegExp(`(?:${PROMPT})(?:, (?:${PROMPT}))*`),
  transformer: (text: string) => text.split(', ').map((phrase) => PROMPTS[phrase] ?? phrase),
});

/** The second factor as a person names it, mapped to the `amr` value that proves it. */
defineParameterType({
  name: 'mfaMethod',
  regexp: /authenticator app|email/,
  transformer: (text: string) => (text === 'email' ? 'email' : 'otp'),
});

defineParameterType({ name: 'tenant', regexp: /production|non-production/, transformer: (text: string) => text });
defineParameterType({ name: 'ipv4', regexp: /\d{1,3}(?:\.\d{1,3}){3}/, transformer: (text: string) => text });
defineParameterType({ name: 'cidr', regexp: /\d{1,3}(?:\.\d{1,3}){3}\/\d{1,2}/, transformer: (text: string) => text });

/** An incident state by its label, as the platform shows it ("In Progress"). */
defineParameterType({
  name: 'incidentState',
  regexp: new RegExp(INCIDENT_STATE_LABELS.join('|')),
  transformer: (label: string) => label,
});

/** Which emailed code a person enters after asking for a new one (IAM-04). */
defineParameterType({ name: 'whichCode', regexp: /first|new/, transformer: (text: string) => text as 'first' | 'new' });
