/** Parameter types of the step patterns, in the domain's words. */
import { defineParameterType } from '@cucumber/cucumber';

/** "ORG_ADMIN and SERVICE_USER", "IS, ES and GS": a list of upper-case names. */
defineParameterType({
  name: 'listOfWords',
  regexp: /[A-Z][A-Z0-9_]*(?:(?:, | and )[A-Z][A-Z0-9_]*)*/,
  transformer: (text: string) => text.split(/, | and /),
});
