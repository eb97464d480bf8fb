/**
 * Names every plain JavaScript object answers to without having been given them (issue 14):
 * `constructor`, `__proto__`, `toString`, `hasOwnProperty` and the rest of Object.prototype, and a
 * function's `prototype`. Sent where a table, field, role, variable or other name goes, each must be
 * an unknown name like any other. Read from the runtime, so that a name it adds is tried too.
 */
export const INHERITED_NAMES: readonly string[] = [...Object.getOwnPropertyNames(Object.prototype), 'prototype'];
