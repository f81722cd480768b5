import type { RowDataPacket } from 'mysql2';
import { closing, dialectOf, isOp, isWord, lex, LexError, SqlDialect, Token } from './sqlLexer';

/**
 * Which statements may run where, decided from the tokens the server will see (sqlLexer.ts), by an allow-list of
 * statement forms rather than a list of bad words:
 * - `read` (read-only connections, exports): SELECT / TABLE / VALUES / reading WITH, SHOW, DESCRIBE / DESC /
 *   EXPLAIN of a read or of a table, HELP and USE. A read may not write its result anywhere (INTO OUTFILE, DUMPFILE
 *   or variables), lock rows (FOR UPDATE, FOR SHARE, LOCK IN SHARE MODE) or call a built-in that acts outside its
 *   result (user locks, sequences, server files, replication waits). SLEEP and BENCHMARK only take time, which the
 *   query timeout bounds. Stored functions run under the server-side READ ONLY transaction, which refuses their writes.
 * - `rollback` (a scratchpad that is rolled back): reads, locking reads, INSERT / UPDATE / DELETE / REPLACE and
 *   savepoints: what a ROLLBACK undoes. DDL, LOCK TABLES, transaction control and the rest commit implicitly or are
 *   not undone, so they are refused.
 * - `readTransaction` (a scratchpad on a read-only connection): reads, and savepoints inside the transaction.
 * One statement at a time: text after a semicolon is refused.
 */
export type GateMode = 'read' | 'readTransaction' | 'rollback';

export type Verdict = { readonly ok: true } | { readonly ok: false; readonly reason: string };

const OK: Verdict = { ok: true };
const no = (reason: string): Verdict => ({ ok: false, reason });

/** Built-ins whose effect outlives the statement or reaches past the database: refused in a read. */
const SIDE_EFFECTS: ReadonlyMap<string, string> = new Map(Object.entries({
  GET_LOCK: 'takes a user lock other sessions wait for', RELEASE_LOCK: 'releases a user lock', RELEASE_ALL_LOCKS: 'releases user locks',
  NEXTVAL: 'advances a sequence', SETVAL: 'sets a sequence', LOAD_FILE: 'reads a file on the server',
  MASTER_POS_WAIT: 'waits on replication', SOURCE_POS_WAIT: 'waits on replication', MASTER_GTID_WAIT: 'waits on replication',
  WAIT_FOR_EXECUTED_GTID_SET: 'waits on replication', WAIT_UNTIL_SQL_THREAD_AFTER_GTIDS: 'waits on replication',
}));
const QUERY_STARTS = new Set(['SELECT', 'TABLE', 'VALUES', 'WITH']);
const DML = new Set(['INSERT', 'UPDATE', 'DELETE', 'REPLACE']);
const EXPLAIN_OPTIONS = new Set(['EXTENDED', 'PARTITIONS']);

const describe = (t: Token | undefined): string => (t === undefined ? 'nothing' : t.kind === 'word' ? t.text : `"${t.text}"`);


/** Why a query (SELECT, TABLE, VALUES, WITH, with every subquery in it) is not a plain read, if it is not. */
function queryProblem(tokens: readonly Token[], allowLocks: boolean): string | undefined {
  for (const [i, t] of tokens.entries()) {
    const after = tokens[i + 1];
    if (t.kind !== 'word' && t.kind !== 'quoted') continue;
    const call = isOp(after, '(');
    const effect = call ? SIDE_EFFECTS.get(t.text.toUpperCase()) : undefined;
    if (effect) return `${t.text.toUpperCase()}() ${effect}`;
    if (t.kind !== 'word') continue;
    if (t.text === 'INTO') return isWord(after, 'OUTFILE', 'DUMPFILE') ? `INTO ${after!.text} writes a file on the server` : 'SELECT … INTO stores the result instead of returning it';
    // INSERT(…) and REPLACE(…) are string functions; the statements never have a parenthesis right after the keyword.
    if (DML.has(t.text) && !(call && (t.text === 'INSERT' || t.text === 'REPLACE')) && !(t.text === 'UPDATE' && isWord(tokens[i - 1], 'FOR'))) return `${t.text} changes data`;
    if (isWord(t, 'NEXT') && isWord(after, 'VALUE')) return 'NEXT VALUE FOR advances a sequence';
    if (isWord(t, 'PROCEDURE', 'HANDLER', 'CALL')) return `${t.text} is not part of a read`;
    if (!allowLocks && ((isWord(t, 'FOR') && isWord(after, 'UPDATE', 'SHARE')) || t.text === 'LOCK')) return 'a locking read (FOR UPDATE, FOR SHARE, LOCK IN SHARE MODE) blocks other sessions\' writes';
  }
  return undefined;
}

/** A WITH clause's main statement: the token after its last common table expression. */
function afterCtes(tokens: readonly Token[], at: number): number {
  let i = at + 1;
  if (isWord(tokens[i], 'RECURSIVE')) i++;
  for (;;) {
    i++; // the name
    if (isOp(tokens[i], '(')) i = closing(tokens, i);
    if (!isWord(tokens[i], 'AS') || !isOp(tokens[i + 1], '(')) return i;
    i = closing(tokens, i + 1);
    if (!isOp(tokens[i], ',')) return i;
    i++;
  }
}

function query(tokens: readonly Token[], at: number, allowLocks: boolean): Verdict {
  if (isWord(tokens[at], 'WITH')) {
    const main = tokens[afterCtes(tokens, at)];
    if (!isWord(main, 'SELECT', 'TABLE', 'VALUES') && !isOp(main, '(')) return no(`WITH … ${describe(main)} is not a read`);
  }
  const problem = queryProblem(tokens.slice(at), allowLocks);
  return problem ? no(problem) : OK;
}

function explain(tokens: readonly Token[], at: number): Verdict {
  let i = at;
  while (EXPLAIN_OPTIONS.has(tokens[i]?.text ?? '') || isWord(tokens[i], 'FORMAT')) i += isWord(tokens[i], 'FORMAT') ? 3 : 1;
  const next = tokens[i];
  if (isWord(next, 'ANALYZE')) return no('EXPLAIN ANALYZE runs the statement');
  if (next === undefined) return no('EXPLAIN of nothing');
  if (isOp(next, '(') || QUERY_STARTS.has(next.kind === 'word' ? next.text : '')) return query(tokens, i, false);
  if (isWord(next, 'FOR') && isWord(tokens[i + 1], 'CONNECTION')) return OK;
  // EXPLAIN / DESCRIBE of a table: a name, optionally qualified, and optionally a column or pattern.
  if ((next.kind === 'word' && !DML.has(next.text)) || next.kind === 'quoted') return queryProblem(tokens.slice(i), false) ? no(`EXPLAIN ${describe(next)} is not a read`) : OK;
  return no(`EXPLAIN of ${describe(next)} is not a read`);
}

function readVerdict(tokens: readonly Token[], allowLocks: boolean): Verdict {
  let at = 0;
  while (isOp(tokens[at], '(')) at++;
  const first = tokens[at];
  if (first?.kind !== 'word') return no(`a statement starting with ${describe(first)} is not a read`);
  if (QUERY_STARTS.has(first.text)) return query(tokens, at, allowLocks);
  if (at > 0) return no(`(${first.text} is not a read`);
  if (first.text === 'SHOW' || first.text === 'HELP' || first.text === 'USE') return OK;
  if (first.text === 'DESCRIBE' || first.text === 'DESC' || first.text === 'EXPLAIN') return explain(tokens, at + 1);
  return no(`${first.text} is not a reading statement`);
}

/** SAVEPOINT, ROLLBACK TO and RELEASE SAVEPOINT: they stay inside the transaction (Sequelize nests with them). */
function isSavepoint(tokens: readonly Token[]): boolean {
  const [first, second] = tokens;
  return isWord(first, 'SAVEPOINT') || (isWord(first, 'ROLLBACK') && isWord(second, 'TO')) || (isWord(first, 'RELEASE') && isWord(second, 'SAVEPOINT'));
}

/** In a transaction that will be rolled back: what ROLLBACK undoes. */
function rollbackVerdict(tokens: readonly Token[]): Verdict {
  const read = readVerdict(tokens, true);
  if (read.ok || isSavepoint(tokens)) return OK;
  const [first] = tokens;
  // A query that is not a plain read (INTO OUTFILE, a side-effect built-in) is refused for the read's reason.
  if (isWord(first, 'SELECT', 'TABLE', 'VALUES') || isOp(first, '(') || (isWord(first, 'WITH') && !DML.has(tokens[afterCtes(tokens, 0)]?.text ?? ''))) return read;
  const main = isWord(first, 'WITH') ? tokens[afterCtes(tokens, 0)] : first;
  if (main?.kind === 'word' && DML.has(main.text)) {
    const problem = tokens.some((t, i) => isWord(t, 'INTO') && isWord(tokens[i + 1], 'OUTFILE', 'DUMPFILE'));
    return problem ? no('INTO OUTFILE writes a file, which no rollback removes') : OK;
  }
  return no(`${describe(first)} commits the transaction implicitly or is not undone by a rollback, so it cannot run in a snippet that is rolled back`);
}

/** Whether `sql` (one statement) may run in `mode`, read with the session's dialect. */
export function checkStatement(sql: string, dialect: SqlDialect, mode: GateMode): Verdict {
  let tokens: Token[];
  try {
    tokens = lex(sql, dialect);
  } catch (error) {
    if (error instanceof LexError) return no(`the statement cannot be read safely: ${error.message}`);
    throw error;
  }
  while (isOp(tokens.at(-1), ';')) tokens.pop();
  if (tokens.length === 0) return no('there is no statement');
  if (tokens.some((t) => isOp(t, ';'))) return no('it holds more than one statement; run them one at a time');
  if (mode === 'rollback') return rollbackVerdict(tokens);
  return mode === 'readTransaction' && isSavepoint(tokens) ? OK : readVerdict(tokens, false);
}

/** Anything that runs a query and returns rows: a pool, a pooled connection, a connection. */
interface Queryable {
  query<T extends RowDataPacket[]>(sql: string): Promise<[T, unknown]>;
}

/** How the server will read statements sent on this connection: its session sql_mode and its version. */
export async function sessionDialect(connection: Queryable): Promise<SqlDialect> {
  const [rows] = await connection.query<RowDataPacket[]>('SELECT @@SESSION.sql_mode AS m, VERSION() AS v');
  return dialectOf(String(rows[0]?.['m'] ?? ''), String(rows[0]?.['v'] ?? ''));
}
