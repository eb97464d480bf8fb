/**
 * The one error family of the simulators. Every refusal the product makes is a DomainError: it knows
 * its code, its HTTP status and whether its message may be shown to the caller (`expose`, as in
 * panva/node-oidc-provider). The HTTP layer turns it into ServiceNow's error shape or a form error.
 */
export class DomainError extends Error {
  readonly expose: boolean;
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly detail = '',
    /** The input field the error is about, so a form can show it next to that field. */
    readonly field?: string,
    expose = status < 500,
  ) {
    super(message);
    this.name = new.target.name;
    this.expose = expose;
  }
}

/** One field's problem, as a form shows it next to that field. */
export interface FieldProblem {
  field: string;
  message: string;
}

/** The caller sent something we cannot accept; the message says what to fix, and `problems` each field's problem. */
export class InvalidInput extends DomainError {
  constructor(
    message: string,
    detail = '',
    field?: string,
    readonly problems: readonly FieldProblem[] = [],
  ) {
    super('invalid_input', 400, message, detail, field);
  }
}

/** Deliberately vague: used for every authentication failure so attackers learn nothing. */
export class NotAuthenticated extends DomainError {
  constructor(detail = 'Sign in again, or check the email address and password.') {
    super('not_authenticated', 401, 'User Not Authenticated', detail);
  }
}

export class Forbidden extends DomainError {
  constructor(detail: string) {
    super('forbidden', 403, 'Operation Failed', detail);
  }
}

/** Also used for records of another party: their existence is not confirmed. */
export class NotFound extends DomainError {
  constructor(what = 'Record') {
    super('not_found', 404, 'No Record found', `${what} doesn't exist or you are not allowed to see it.`);
  }
}

/** A legal request that the record's current state does not allow (an illegal state transition...). */
export class Conflict extends DomainError {
  constructor(message: string, detail = '', field?: string) {
    super('conflict', 409, message, detail, field);
  }
}

/** A service the platform depends on (the email gateway...) did not answer; the person can retry or choose another way. */
export class Unavailable extends DomainError {
  constructor(message: string, detail = '') {
    super('unavailable', 503, message, detail, undefined, true);
  }
}
