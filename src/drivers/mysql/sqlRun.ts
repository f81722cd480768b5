import type { Pool, PoolConnection } from 'mysql2/promise';
import { ResultSink, runStatement, RunOptions } from './queryRunner';
import { StatementOutcome } from './resultShapes';
import { isReadingStatement, Statement } from './statements';
import { ident } from './identifier';

/**
 * One run of statements from an editor, on one connection, so that USE, variables and transactions carry from one
 * statement to the next as they do in the mysql client. Read-only connections run reading statements only.
 */
export class SqlRun {
  private constructor(private readonly pool: Pool, private readonly connection: PoolConnection, private readonly readOnly: boolean, private readonly profileName: string) {}

  static async open(pool: Pool, database: string | undefined, readOnly: boolean, profileName: string): Promise<SqlRun> {
    const connection = await pool.getConnection();
    try {
      if (database) await connection.query(`USE ${ident(database)}`);
    } catch (error) {
      connection.release();
      throw error;
    }
    return new SqlRun(pool, connection, readOnly, profileName);
  }

  async run(statement: Statement, sink: ResultSink, options: RunOptions): Promise<StatementOutcome> {
    if (this.readOnly && !isReadingStatement(statement.text)) {
      return {
        statement: statement.text, line: statement.line, ms: 0, results: [],
        error: { message: `Refused: "${this.profileName}" is a read-only connection, and this statement may change data. Only SELECT, SHOW, DESCRIBE, EXPLAIN and reading WITH queries run here.`, code: 'READ_ONLY', line: statement.line },
      };
    }
    return runStatement(this.pool, this.connection, statement, sink, options);
  }

  close(): void {
    this.connection.release();
  }
}
