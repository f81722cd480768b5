import type { Pool, PoolConnection } from 'mysql2/promise';
import { ResultSink, RunOptions, RunPlace, runStatement } from './queryRunner';
import { StatementOutcome } from './resultShapes';
import { Statement } from './statements';
import { checkStatement, sessionDialect } from './statementGate';
import { SqlDialect } from './sqlLexer';
import { bounded, giveBack, sessionWillChange, useDatabase } from './deadline';

/**
 * One run of statements from an editor, on one connection, so that USE, variables and transactions carry from one
 * statement to the next as they do in the mysql client. Read-only connections run reads only, as the statement gate
 * reads them with this session's sql_mode. A connection dropped because the server stopped answering is replaced by
 * a new one for the next statement (its session state, USE included, is set up again).
 */
export class SqlRun {
  private constructor(
    private readonly pool: Pool, private connection: PoolConnection | undefined, private readonly database: string | undefined,
    private readonly readOnly: SqlDialect | undefined, private readonly profileName: string, private readonly place: RunPlace,
  ) {}

  static async open(pool: Pool, database: string | undefined, readOnly: boolean, profileName: string, place: RunPlace): Promise<SqlRun> {
    const { connection, dialect } = await SqlRun.connect(pool, database, readOnly, place);
    return new SqlRun(pool, connection, database, dialect, profileName, place);
  }

  private static async connect(pool: Pool, database: string | undefined, readOnly: boolean, place: RunPlace): Promise<{ connection: PoolConnection; dialect?: SqlDialect }> {
    // Setting the connection up is bounded like any other operation; the connection itself is kept for the run.
    let kept: PoolConnection | undefined;
    const dialect = await bounded(pool, place.endpoint, place.timeoutMs, 'opening a connection for SQL', async (connection) => {
      // USE, SET, transactions and locks typed by the user change this session: it is closed, not pooled, after the run.
      sessionWillChange(connection);
      if (database) await useDatabase(connection, database);
      // A read-only session cannot change its sql_mode (SET is not a read), so the dialect read now holds for the run.
      const read = readOnly ? await sessionDialect(connection) : undefined;
      kept = connection;
      return read;
    }, true);
    return { connection: kept!, ...(dialect ? { dialect } : {}) };
  }

  async run(statement: Statement, sink: ResultSink, options: RunOptions): Promise<StatementOutcome> {
    const verdict = this.readOnly ? checkStatement(statement.text, this.readOnly, 'read') : { ok: true as const };
    if (!verdict.ok) {
      return {
        statement: statement.text, line: statement.line, ms: 0, results: [],
        error: { message: `Refused: "${this.profileName}" is a read-only connection, and ${verdict.reason}. Only reads run here: SELECT, TABLE, VALUES and reading WITH queries (without INTO or locking), SHOW, DESCRIBE, EXPLAIN, HELP and USE.`, code: 'READ_ONLY', line: statement.line },
      };
    }
    this.connection ??= (await SqlRun.connect(this.pool, this.database, this.readOnly !== undefined, this.place)).connection;
    const { dropped, ...outcome } = await runStatement(this.pool, this.connection, statement, sink, options, this.place);
    if (dropped) this.connection = undefined;
    return outcome;
  }

  close(): void {
    if (this.connection) giveBack(this.connection);
    this.connection = undefined;
  }
}
