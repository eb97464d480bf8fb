/**
 * Named prepared statements on PGlite, for the statements run on every request (`prepare: true`).
 * PGlite's `query()` sends an unnamed statement each time: six calls into PostgreSQL (parse, describe,
 * bind, describe, execute, sync), and the statement parsed and planned again, about 0.8 ms of the
 * server's one thread for a session's read. A named statement is parsed and described once; each call
 * is then one bind-execute-sync, and PostgreSQL keeps its generic plan when that is no worse than a
 * custom one (plan_cache_mode auto), as it does for the same statements on PostgreSQL (db.ts).
 */
import { parse, protocol, type messages, type PGlite } from '@electric-sql/pglite';

/** Statements kept per database, the least recently used closed beyond it (a list's filters make many texts). */
const KEPT = 100;

interface Prepared {
  name: string;
  /** The parameters' type OIDs, to serialise values as PGlite's own query() does. */
  paramTypes: number[];
  /** The columns answered, each with PGlite's parser for its type (none: answered as text). */
  columns: Column[];
}

interface Column {
  name: string;
  type: number;
  parse?: (text: string, type: number) => unknown;
}

/** SQLSTATEs after which a kept statement is dropped, to be prepared again: it is gone, or its tables changed shape. */
const STALE = new Set(['26000', '0A000']);

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

export type PreparedQuery = <T>(sql: string, params: readonly unknown[] | undefined, inTransaction: boolean) => Promise<T[]>;

/**
 * Runs statements by name on `lite`. Outside a transaction a call takes PGlite's transaction and query
 * locks, as `query()` does, and syncs to the file system after it (an acknowledged write is durable);
 * inside one (`inTransaction`, its lock already held) it takes the query lock and leaves the sync to COMMIT.
 */
export function preparedStatements(lite: PGlite): PreparedQuery {
  const kept = new Map<string, Prepared>();
  let named = 0;

  /** The statement for `sql`: kept (and now the most recently used), or parsed and described now. */
  async function statementFor(sql: string): Promise<Prepared> {
    const found = kept.get(sql);
    if (found) {
      kept.delete(sql);
      kept.set(sql, found);
      return found;
    }
    const evicted = kept.size >= KEPT ? [...kept.keys()][0] : undefined;
    const closing = evicted === undefined ? undefined : kept.get(evicted);
    if (evicted !== undefined) kept.delete(evicted);
    const name = `fsm_${(named += 1)}`;
    const answer = await lite.execProtocolStream(
      concat([
        ...(closing ? [protocol.serialize.close({ type: 'S', name: closing.name })] : []),
        protocol.serialize.parse({ name, text: sql }),
        protocol.serialize.describe({ type: 'S', name }),
        protocol.serialize.sync(),
      ]),
      { syncToFs: false },
    );
    const statement: Prepared = { name, paramTypes: parse.parseDescribeStatementResults(answer), columns: columnsOf(answer) };
    kept.set(sql, statement);
    return statement;
  }

  async function run<T>(sql: string, params: readonly unknown[] = [], inTransaction: boolean): Promise<T[]> {
    const statement = await statementFor(sql);
    const values = params.map((value, i) => {
      if (value === null || value === undefined) return null;
      const serialise = lite.serializers[statement.paramTypes[i] ?? 0];
      return serialise ? serialise(value) : String(value);
    });
    try {
      const answer = await lite.execProtocolStream(
        concat([protocol.serialize.bind({ statement: statement.name, values }), protocol.serialize.execute({}), protocol.serialize.sync()]),
        { syncToFs: !inTransaction },
      );
      return rowsOf<T>(statement.columns, answer);
    } catch (error) {
      if (STALE.has((error as { code?: string }).code ?? '')) kept.delete(sql);
      throw error;
    }
  }

  function columnsOf(answer: messages.BackendMessage[]): Column[] {
    const described = answer.find((message): message is messages.RowDescriptionMessage => message.name === 'rowDescription');
    return (described?.fields ?? []).map(({ name, dataTypeID }) => ({ name, type: dataTypeID, parse: lite.parsers[dataTypeID] }));
  }

  return (sql, params, inTransaction) =>
    inTransaction
      ? lite.runExclusive(() => run(sql, params, true))
      : lite._runExclusiveTransaction(() => lite.runExclusive(() => run(sql, params, false)));
}

/**
 * The rows of an answer, decoded as PGlite's query() decodes them (its parser for each column's type,
 * text otherwise), without its per-row arrays of pairs: about 3% of a read's time in the server.
 */
function rowsOf<T>(columns: readonly Column[], answer: messages.BackendMessage[]): T[] {
  const rows: T[] = [];
  for (const message of answer) {
    if (message.name !== 'dataRow') continue;
    const row: Record<string, unknown> = {};
    (message as messages.DataRowMessage).fields.forEach((text, i) => {
      const column = columns[i];
      if (!column) return;
      const value = text === null ? null : column.parse ? column.parse(text, column.type) : text;
      // A column named __proto__ is a field like any other, as in PGlite's Object.fromEntries.
      if (column.name === '__proto__')
        Object.defineProperty(row, column.name, { value, enumerable: true, writable: true, configurable: true });
      else row[column.name] = value;
    });
    rows.push(row as T);
  }
  return rows;
}
