import type { PoolConnection, RowDataPacket } from 'mysql2/promise';
import { DriverError } from '../errors';
import { planFromJson, planFromTree, PlanStep } from './explainPlan';
import { useDatabase } from './deadline';
import { checkStatement, sessionDialect } from './statementGate';
import { lex, LexError, SqlDialect, Token } from './sqlLexer';

/**
 * EXPLAIN and ANALYZE of one statement. What may be explained where:
 * - EXPLAIN on a read-only connection: only a statement the read-only gate lets run (a plain read). EXPLAIN of a
 *   DELETE would not execute it, but EXPLAIN shares the gate with the statement itself so that there is one rule to
 *   trust, and the gate's own reading of EXPLAIN already refuses EXPLAIN of a write.
 * - ANALYZE runs the statement. On a read-only connection only a read; on a writable one a write only once the user
 *   has confirmed (`writeConfirmed`), only if a rollback undoes it (the gate's `rollback` mode: no user locks,
 *   sequences or files), and then inside a transaction that is rolled back afterwards. A read runs in a READ ONLY
 *   transaction, so that a stored function it calls (which the gate cannot see into) cannot write either.
 */
export type ExplainMode = 'explain' | 'analyze';

export interface ExplainPlan {
  readonly mode: ExplainMode;
  /** What was sent, e.g. "EXPLAIN FORMAT=JSON SELECT …". */
  readonly sent: string;
  /** The server's output as it came: JSON, or MySQL's EXPLAIN ANALYZE tree. */
  readonly raw: string;
  readonly plan: PlanStep;
  /** Whether the statement reads only (the read-only gate lets it run). */
  readonly reads: boolean;
  /** ANALYZE of a write: it ran in a transaction that was rolled back. */
  readonly rolledBack: boolean;
}

/** What the statement is to EXPLAIN: explainable at all, a read, whether ANALYZE may run it, and why not. */
export interface ExplainVerdict {
  readonly explainable: boolean;
  readonly reads: boolean;
  /** Why it cannot be explained, or (for a write) why it is not a read. */
  readonly reason?: string;
  /**
   * Whether ANALYZE may run it at all: a read, or a write that the rollback after it undoes (no user lock, sequence
   * step or file written). Known before anything is asked, so that nobody confirms a run that is then refused.
   */
  readonly analyzable: boolean;
  /** Why ANALYZE may not run it. */
  readonly analyzeReason?: string;
}

const EXPLAINABLE = new Set(['SELECT', 'WITH', 'TABLE', 'VALUES', 'INSERT', 'UPDATE', 'DELETE', 'REPLACE']);

/** The statement without trailing semicolons, and its first word (past opening parentheses). */
function shape(sql: string, dialect: SqlDialect): { text: string; first?: Token } | { problem: string } {
  let tokens: Token[];
  try {
    tokens = lex(sql, dialect);
  } catch (error) {
    if (error instanceof LexError) return { problem: `the statement cannot be read safely: ${error.message}` };
    throw error;
  }
  while (tokens.at(-1)?.kind === 'op' && tokens.at(-1)?.text === ';') tokens.pop();
  const last = tokens.at(-1);
  if (!last) return { problem: 'there is no statement' };
  if (tokens.some((t) => t.kind === 'op' && t.text === ';')) return { problem: 'it holds more than one statement' };
  const first = tokens.find((t) => !(t.kind === 'op' && t.text === '('));
  return { text: sql.slice(0, last.end), ...(first ? { first } : {}) };
}

/** Whether `sql` can be explained and whether it only reads, as the gate reads it with this dialect. */
export function explainVerdict(sql: string, dialect: SqlDialect): ExplainVerdict {
  const read = shape(sql, dialect);
  if ('problem' in read) return { explainable: false, reads: false, reason: read.problem, analyzable: false };
  if (read.first?.kind !== 'word' || !EXPLAINABLE.has(read.first.text)) {
    return { explainable: false, reads: false, reason: `EXPLAIN takes SELECT, TABLE, VALUES, WITH, INSERT, UPDATE, DELETE or REPLACE, not ${read.first?.text ?? 'this'}`, analyzable: false };
  }
  const verdict = checkStatement(read.text, dialect, 'read');
  if (verdict.ok) return { explainable: true, reads: true, analyzable: true };
  const undone = checkStatement(read.text, dialect, 'rollback');
  return { explainable: true, reads: false, reason: verdict.reason, analyzable: undone.ok, ...(undone.ok ? {} : { analyzeReason: `${undone.reason}, which the rollback after it does not undo` }) };
}

/** The first cell of the first row: EXPLAIN FORMAT=JSON, ANALYZE FORMAT=JSON and EXPLAIN ANALYZE each return one. */
function onlyCell(rows: RowDataPacket[]): string {
  const first = rows[0];
  const value = first ? Object.values(first)[0] : undefined;
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  throw new DriverError('protocol', 'The server answered EXPLAIN without a plan.');
}

export interface ExplainRequest {
  readonly sql: string;
  readonly database: string | undefined;
  readonly mode: ExplainMode;
  readonly readOnly: boolean;
  readonly profileName: string;
  /** The user has confirmed that ANALYZE may run a writing statement. */
  readonly writeConfirmed?: boolean;
}

/** EXPLAIN (or ANALYZE) of one statement on `connection`, refused as the comment at the top says. */
export async function explainStatement(connection: PoolConnection, request: ExplainRequest): Promise<ExplainPlan> {
  if (request.database) await useDatabase(connection, request.database);
  const dialect = await sessionDialect(connection);
  const verdict = explainVerdict(request.sql, dialect);
  if (!verdict.explainable) throw new DriverError('config', `Cannot explain this statement: ${verdict.reason ?? 'it is not a query'}.`);
  const what = request.mode === 'analyze' ? 'ANALYZE' : 'EXPLAIN';
  if (request.readOnly && !verdict.reads) {
    throw new DriverError('readOnly', `${what} refused: "${request.profileName}" is a read-only connection, and ${verdict.reason ?? 'the statement is not a read'}.`, 'Only reads can be explained on a read-only connection.');
  }
  // Confirmed or not, ANALYZE runs only what the rollback undoes: not a user lock, a sequence step or a file written.
  if (request.mode === 'analyze' && !verdict.analyzable) {
    throw new DriverError('config', `ANALYZE refused: it runs the statement, and ${verdict.analyzeReason ?? 'the rollback after it does not undo it'}.`, 'EXPLAIN shows its plan without running it.');
  }
  if (request.mode === 'analyze' && !verdict.reads && !request.writeConfirmed) {
    throw new DriverError('config', `ANALYZE refused: it runs the statement, and ${verdict.reason ?? 'the statement writes'}; it needs to be confirmed first.`);
  }
  const shaped = shape(request.sql, dialect);
  const statement = 'text' in shaped ? shaped.text : request.sql;
  const sent = request.mode === 'explain' ? `EXPLAIN FORMAT=JSON ${statement}`
    : dialect.mariadb ? `ANALYZE FORMAT=JSON ${statement}` : `EXPLAIN ANALYZE ${statement}`;
  if (request.mode === 'analyze' && !dialect.mariadb && dialect.version < 80018) {
    throw new DriverError('config', 'EXPLAIN ANALYZE needs MySQL 8.0.18 or later.');
  }
  const rollBack = request.mode === 'analyze' && !verdict.reads;
  // A read is analyzed in a READ ONLY transaction: a stored function it calls cannot write, on a writable connection too.
  if (request.mode === 'analyze') await connection.query(rollBack ? 'START TRANSACTION' : 'START TRANSACTION READ ONLY');
  let raw: string;
  try {
    const [rows] = await connection.query<RowDataPacket[]>(sent);
    raw = onlyCell(rows);
  } finally {
    if (request.mode === 'analyze') await connection.query('ROLLBACK');
  }
  const plan = sent.startsWith('EXPLAIN ANALYZE') ? planFromTree(raw) : planFromJson(raw);
  return { mode: request.mode, sent, raw, plan, reads: verdict.reads, rolledBack: rollBack };
}

/** The dialect the statement will be read with, for deciding before running whether to ask (see explainVerdict). */
export async function explainCheck(connection: PoolConnection, sql: string): Promise<ExplainVerdict & { mariadb: boolean }> {
  const dialect = await sessionDialect(connection);
  return { ...explainVerdict(sql, dialect), mariadb: dialect.mariadb };
}
