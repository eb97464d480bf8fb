/**
 * ServiceNow encoded queries (`sysparm_query`), parsed into a small tree the store compiles to SQL.
 * `^` is AND, `^OR` joins a condition to the one before it (OR binds tighter than AND, as in
 * ServiceNow), `ORDERBY`/`ORDERBYDESC` sort, and `^^` is a literal caret. Anything we do not support
 * is refused with a message, never silently ignored.
 */
import { InvalidInput } from './errors';

export const OPERATORS = [
  '!=',
  '<=',
  '>=',
  '=',
  '<',
  '>',
  'NOTLIKE',
  'LIKE',
  'STARTSWITH',
  'ENDSWITH',
  'NOT IN',
  'IN',
  'ISNOTEMPTY',
  'ISEMPTY',
] as const;
export type Operator = (typeof OPERATORS)[number];

export interface Condition {
  field: string;
  operator: Operator;
  value: string;
}
export interface OrderBy {
  field: string;
  descending: boolean;
}
export interface EncodedQuery {
  /** AND of groups; each group is an OR of conditions. */
  where: Condition[][];
  orderBy: OrderBy[];
}

const FIELD = /^[a-z_][a-z0-9_]*/;
const MAX_LENGTH = 4000;

export function parseEncodedQuery(text: string): EncodedQuery {
  if (text.length > MAX_LENGTH) throw queryError(`is longer than ${MAX_LENGTH} characters`, 'Split the query into smaller requests.');
  const query: EncodedQuery = { where: [], orderBy: [] };
  for (const term of splitTerms(text)) {
    if (term === '') continue;
    if (term.startsWith('ORDERBYDESC')) query.orderBy.push({ field: sortField(term.slice(11)), descending: true });
    else if (term.startsWith('ORDERBY')) query.orderBy.push({ field: sortField(term.slice(7)), descending: false });
    else if (term.startsWith('NQ'))
      throw queryError('uses ^NQ (new query), which this simulator does not support', 'Send each query separately.');
    else if (term.startsWith('OR')) {
      const group = query.where.at(-1);
      if (!group) throw queryError(`starts with an OR condition ("${term}")`, 'Put a condition before ^OR.');
      group.push(parseCondition(term.slice(2)));
    } else query.where.push([parseCondition(term)]);
  }
  return query;
}

/** Splits on single carets; `^^` stands for a literal caret inside a value. */
function splitTerms(text: string): string[] {
  const terms: string[] = [];
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '^' && text[i + 1] === '^') {
      current += '^';
      i++;
    } else if (ch === '^') {
      terms.push(current);
      current = '';
    } else current += ch;
  }
  terms.push(current);
  return terms;
}

function parseCondition(term: string): Condition {
  const field = FIELD.exec(term)?.[0];
  if (!field)
    throw queryError(`has a condition without a field name ("${term}")`, 'Conditions look like priority<=2 or short_descriptionLIKEmeter.');
  const rest = term.slice(field.length);
  const operator = OPERATORS.find((op) => rest.startsWith(op));
  if (!operator) {
    throw queryError(`has an unknown or missing operator after "${field}" ("${term}")`, `Supported operators: ${OPERATORS.join(' ')}.`);
  }
  const value = rest.slice(operator.length);
  if ((operator === 'ISEMPTY' || operator === 'ISNOTEMPTY') && value !== '') {
    throw queryError(`has a value after ${operator} ("${term}")`, `${operator} takes no value.`);
  }
  return { field, operator, value };
}

function sortField(name: string): string {
  if (!FIELD.test(name) || FIELD.exec(name)?.[0] !== name)
    throw queryError(`has an ORDERBY without a valid field ("${name}")`, 'For example ORDERBYDESCnumber.');
  return name;
}

function queryError(problem: string, fix: string): InvalidInput {
  return new InvalidInput(`sysparm_query ${problem}`, fix, 'sysparm_query');
}
