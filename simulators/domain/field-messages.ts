/**
 * The one catalogue of field messages, shared by the REST API and the portal: what a person is told
 * about a field they left empty or filled wrongly ("Enter a comment", "Choose at least one month"),
 * in place of a validator's own words. `fieldErrorMap` is a zod error map: the validation layer
 * (services/validate.ts) passes it to every parse, so no schema's default message reaches a person.
 * A message a schema gives for a check itself (a sentence written for people) still wins.
 */
import type { z } from 'zod';

interface FieldWords {
  /** How the field is named in a sentence: "the delivery month". */
  label: string;
  /** What to do when it is missing or empty. */
  missing: string;
  /** What to do when its value is not one it takes (a choice, a union). */
  invalid?: string;
}

/** By field name (the API's, which the portal's forms share); the last name of a nested path is looked up too. */
const FIELDS = new Map<string, FieldWords>([
  ['comments', { label: 'the comment', missing: 'Enter a comment' }],
  ['work_notes', { label: 'the work note', missing: 'Enter a work note' }],
  ['close_notes', { label: 'the resolution notes', missing: 'Enter the resolution notes' }],
  ['short_description', { label: 'the short description', missing: 'Enter a short description of what is wrong' }],
  ['description', { label: 'the description', missing: 'Enter a description' }],
  ['impact', { label: 'the impact', missing: 'Choose an impact', invalid: 'Choose an impact: 1 (high), 2 (medium) or 3 (low)' }],
  ['urgency', { label: 'the urgency', missing: 'Choose an urgency', invalid: 'Choose an urgency: 1 (high), 2 (medium) or 3 (low)' }],
  ['state', { label: 'the state', missing: 'Choose a state', invalid: 'Choose a state by its number, such as 2 (In Progress)' }],
  ['user_name', { label: 'the email address', missing: 'Enter the email address' }],
  ['username', { label: 'the email address', missing: 'Enter your email address' }],
  ['email', { label: 'the email address', missing: 'Enter the email address' }],
  ['password', { label: 'the password', missing: 'Enter your password' }],
  ['new_password', { label: 'the new password', missing: 'Enter a new password' }],
  ['code', { label: 'the code', missing: 'Enter the code' }],
  ['name', { label: 'the name', missing: 'Enter the name' }],
  ['roles', { label: 'Job Type Roles', missing: 'Choose at least one Job Type Role' }],
  ['userRoles', { label: 'User Roles', missing: 'Choose at least one User Role' }],
  ['region', { label: 'the Region', missing: 'Choose a Region' }],
  ['regions', { label: 'Regions', missing: 'Choose at least one Region' }],
  ['active', { label: 'active', missing: 'Say whether the account is active', invalid: 'Give active as true or false' }],
  ['variant', { label: 'the CH variant', missing: 'Choose a CH variant' }],
  ['months', { label: 'months', missing: 'Choose at least one month' }],
  ['month', { label: 'the month', missing: 'Choose a month' }],
  ['quantity', { label: 'the quantity', missing: 'Enter a quantity' }],
  ['delivery_month', { label: 'the delivery month', missing: 'Choose a delivery month' }],
  ['delivery_date', { label: 'the delivery date', missing: 'Enter a delivery date' }],
  ['location', { label: 'the delivery location', missing: 'Enter the delivery location' }],
  ['device_id', { label: 'the device ID', missing: 'Enter the device ID of the hub' }],
  ['device_ids', { label: 'the device IDs', missing: 'Enter at least one device ID' }],
  ['reason', { label: 'the reason', missing: 'Choose a reason' }],
  ['decision', { label: 'the decision', missing: 'Choose whether to accept or reject' }],
  ['outcome', { label: 'the triage outcome', missing: 'Choose a triage outcome' }],
  ['category', { label: 'the category', missing: 'Choose a category' }],
]);

/** A field's words: from the catalogue, or made from its name ("affected_service" is "the affected service"). */
export function wordsFor(path: readonly (string | number)[]): FieldWords {
  const names = path.filter((p): p is string => typeof p === 'string');
  const known = FIELDS.get(names.join('.')) ?? FIELDS.get(names.at(-1) ?? '');
  if (known) return known;
  const label = names.length
    ? `the ${(names.at(-1) ?? '')
        .replace(/([a-z])([A-Z])/g, '$1 $2')
        .replace(/_/g, ' ')
        .toLowerCase()}`
    : 'the request';
  return { label, missing: `Enter ${label}` };
}

const capital = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
const TYPES = new Map([
  ['number', 'a number'],
  ['string', 'text'],
  ['boolean', 'true or false'],
  ['array', 'a list'],
  ['object', 'a JSON object'],
  ['integer', 'a whole number'],
]);

/** What a person is told about one failed check, without the field's path (the API adds it). */
export function fieldMessage(issue: z.ZodIssueOptionalMessage, defaultError: string, data?: unknown): string {
  const words = wordsFor(issue.path);
  const Label = capital(words.label);
  // Nothing sent, whatever the schema's shape (a union of a list and a string): the field is missing.
  if (data === undefined && (issue.code === 'invalid_union' || issue.code === 'invalid_type')) return words.missing;
  switch (issue.code) {
    case 'invalid_type':
      if (issue.received === 'undefined' || issue.received === 'null') return words.missing;
      return words.invalid ?? `${Label} must be ${TYPES.get(issue.expected) ?? issue.expected}`;
    case 'too_small':
      return tooSmall(issue, words, Label);
    case 'too_big':
      if (issue.type === 'string') return `${Label} can be at most ${issue.maximum} characters`;
      if (issue.type === 'array' || issue.type === 'set') return `Choose at most ${issue.maximum} ${words.label.replace(/^the /, '')}`;
      return `${Label} can be at most ${issue.maximum}`;
    case 'invalid_enum_value':
      return `${words.invalid ?? words.missing}: one of ${issue.options.join(', ')}`;
    case 'invalid_literal':
      return `${Label} can only be ${JSON.stringify(issue.expected)}`;
    case 'invalid_string':
      if (issue.validation === 'email') return 'Enter an email address such as name@example.com';
      return `${Label} is not in the form it takes`;
    case 'not_multiple_of':
      return `${Label} must be a multiple of ${issue.multipleOf}`;
    case 'invalid_date':
      return `Enter ${words.label} as a date such as 2027-01-31`;
    case 'invalid_union':
    case 'invalid_union_discriminator':
      return words.invalid ?? `${Label} is not valid: check it against the example`;
    case 'custom':
      return defaultError === 'Invalid input' ? `${Label} is not valid` : defaultError;
    default:
      return `${Label} is not valid`;
  }
}

function tooSmall(issue: z.ZodTooSmallIssue, words: FieldWords, Label: string): string {
  const min = Number(issue.minimum);
  if (issue.type === 'string') return min <= 1 ? words.missing : `${Label} needs at least ${min} characters`;
  if (issue.type === 'array' || issue.type === 'set')
    return min <= 1 ? words.missing : `Choose at least ${min} ${words.label.replace(/^the /, '')}`;
  return issue.inclusive ? `${Label} must be ${min} or more` : `${Label} must be more than ${min}`;
}

/** The error map the validation layer parses with. */
export const fieldErrorMap: z.ZodErrorMap = (issue, ctx) => ({ message: fieldMessage(issue, ctx.defaultError, ctx.data) });

/** The phrases of a validator's own messages, which must never reach a person (the hardening test looks for them). */
export const RAW_VALIDATOR_TEXT = [
  /String must contain/,
  /Array must contain/,
  /\bRequired\b/,
  /\bExpected\b/,
  /Invalid enum/,
  /Invalid input/,
  /Number must be/,
];
