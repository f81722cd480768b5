import type { Connection as CoreConnection } from 'mysql2';
import { CONNECTION_LOST, onConnectionLost } from './connectionLoss';
import type { FieldPacket, Pool, PoolConnection, ResultSetHeader } from 'mysql2/promise';
import { Cell, ColumnInfo, ColumnKind, ResultSummary, SqlErrorInfo, StatementOutcome } from './resultShapes';
import { Statement } from './statements';

/** Where streamed results go. Row batches arrive in order; `columns` opens each result set. */
export interface ResultSink {
  columns(set: number, columns: readonly ColumnInfo[]): void;
  rows(set: number, rows: Cell[][]): void;
}

export interface RunOptions {
  /** Rows kept per result set; beyond it the query is stopped and the set marked capped. */
  readonly maxRows: number;
  readonly signal?: AbortSignal;
  /** Binary cells longer than this many bytes are cut (the size is kept in the text). */
  readonly binaryPreviewBytes?: number;
}

const BATCH_ROWS = 500;
const BATCH_MS = 50;

// mysql2 column type codes.
const NUMBER_TYPES = new Set([0, 1, 2, 3, 4, 5, 8, 9, 13, 246]);
const DATE_TYPES = new Set([7, 10, 11, 12, 14]);
const BLOB_TYPES = new Set([249, 250, 251, 252, 253, 254, 16]);
const TYPE_NAMES: Record<number, string> = {
  0: 'DECIMAL', 1: 'TINYINT', 2: 'SMALLINT', 3: 'INT', 4: 'FLOAT', 5: 'DOUBLE', 6: 'NULL', 7: 'TIMESTAMP', 8: 'BIGINT', 9: 'MEDIUMINT',
  10: 'DATE', 11: 'TIME', 12: 'DATETIME', 13: 'YEAR', 14: 'DATE', 15: 'VARCHAR', 16: 'BIT', 245: 'JSON', 246: 'DECIMAL', 247: 'ENUM',
  248: 'SET', 249: 'TINYBLOB', 250: 'MEDIUMBLOB', 251: 'LONGBLOB', 252: 'BLOB', 253: 'VARCHAR', 254: 'CHAR', 255: 'GEOMETRY',
};
const BINARY_CHARSET = 63;
const PRI_KEY_FLAG = 2;

function columnOf(field: FieldPacket): ColumnInfo {
  const code = field.columnType ?? field.type ?? 15;
  const binary = (BLOB_TYPES.has(code) && field.characterSet === BINARY_CHARSET) || code === 16 || code === 255;
  const kind: ColumnKind = NUMBER_TYPES.has(code) ? 'number' : DATE_TYPES.has(code) ? 'date' : code === 245 ? 'json' : binary ? 'binary' : 'text';
  let type = TYPE_NAMES[code] ?? `TYPE ${code}`;
  if (binary && code >= 249 && code <= 252) type = type.replace('TEXT', 'BLOB');
  else if (!binary && code >= 249 && code <= 252) type = type.replace('BLOB', 'TEXT');
  else if (binary && code === 253) type = 'VARBINARY';
  else if (binary && code === 254) type = 'BINARY';
  return { name: field.name, table: field.orgTable ?? field.table ?? '', database: field.schema ?? field.db ?? '', type, kind, primaryKey: ((field.flags as number) & PRI_KEY_FLAG) !== 0 };
}

/** A value as the grid shows it: text is kept exactly, bytes become hex, parsed JSON goes back to JSON text. */
export function cellOf(value: unknown, binaryPreviewBytes: number): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (Buffer.isBuffer(value)) {
    const shown = value.subarray(0, binaryPreviewBytes).toString('hex');
    return value.length > binaryPreviewBytes ? `0x${shown}… (${value.length} bytes)` : `0x${shown}`;
  }
  if (value instanceof Date) return value.toISOString();
  return JSON.stringify(value);
}

/** Turns a server error into what the grid shows; "at line N" is mapped onto the editor's lines, else the statement's first. */
export function sqlError(error: unknown, statementLine: number): SqlErrorInfo {
  const e = (typeof error === 'object' && error !== null ? error : {}) as { message?: string; code?: string; errno?: number; sqlState?: string };
  const lost = e.code === CONNECTION_LOST || e.code === 'ECONNRESET';
  const message = lost
    ? `The connection to the server was lost while the statement ran (${e.message ?? e.code}). A change may or may not have been applied: check before running it again, once the server is back.`
    : e.message ?? String(error);
  const at = /at line (\d+)\s*$/.exec(message);
  return {
    message, ...(e.code ? { code: e.code } : {}), ...(e.errno ? { errno: e.errno } : {}), ...(e.sqlState ? { sqlState: e.sqlState } : {}),
    line: at ? statementLine + Number(at[1]) - 1 : statementLine,
  };
}

/**
 * Runs one statement on a connection of its own and streams what it returns: each result set's columns, then its rows
 * in batches (the first batch as soon as it arrives). Cancelling sends KILL QUERY from another connection, so the
 * server stops working too, not just the client listening.
 */
export async function runStatement(pool: Pool, connection: PoolConnection, statement: Statement, sink: ResultSink, options: RunOptions): Promise<StatementOutcome> {
  const started = performance.now();
  // The promise wrapper's typings describe `.connection` as a promise connection; at run time it is the core one,
  // whose query() streams events.
  const core = connection.connection as unknown as CoreConnection;
  const threadId = core.threadId;
  const results: ResultSummary[] = [];
  let cancelled = false;
  const kill = async (): Promise<void> => {
    cancelled = true;
    await pool.query(`KILL QUERY ${Number(threadId)}`).catch(() => undefined);
  };
  const onAbort = (): void => void kill();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  let unwatch = (): void => undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      let set = -1;
      let columns: ColumnInfo[] = [];
      let batch: Cell[][] = [];
      let rowCount = 0;
      let capped = false;
      let lastFlush = performance.now();
      const preview = options.binaryPreviewBytes ?? 256;
      const flush = (): void => {
        if (batch.length) sink.rows(set, batch);
        batch = [];
        lastFlush = performance.now();
      };
      const closeSet = (): void => {
        if (set < 0 || results[set]?.kind === 'change') return;
        flush();
        results[set] = { kind: 'rows', columns, rowCount, complete: !capped && !cancelled, capped };
      };
      unwatch = onConnectionLost(core, (error) => {
        closeSet();
        reject(error);
      });
      const query = core.query({ sql: statement.text, rowsAsArray: true });
      query.on('fields', (fields?: FieldPacket[]) => {
        closeSet();
        set++;
        rowCount = 0;
        capped = false;
        if (!fields) return;
        columns = fields.map(columnOf);
        sink.columns(set, columns);
      });
      query.on('result', (row: unknown[] | ResultSetHeader) => {
        if (!Array.isArray(row)) {
          if (set < 0) set = 0;
          results[set] = {
            kind: 'change', affectedRows: row.affectedRows, warnings: row.warningStatus,
            ...(row.changedRows ? { changedRows: row.changedRows } : {}),
            ...(row.insertId ? { insertId: String(row.insertId) } : {}),
            ...(row.info ? { info: row.info } : {}),
          };
          return;
        }
        if (capped) return;
        rowCount++;
        // In place: one array per row instead of two keeps the garbage collector's pauses short on big results.
        for (let i = 0; i < row.length; i++) row[i] = cellOf(row[i], preview);
        batch.push(row as Cell[]);
        if (rowCount >= options.maxRows) {
          capped = true;
          flush();
          void kill();
          return;
        }
        if (batch.length === 1 && rowCount === 1) flush();
        else if (batch.length >= BATCH_ROWS || performance.now() - lastFlush > BATCH_MS) {
          flush();
          // Let the rest of the extension host run between batches: stop reading the socket until the next turn.
          core.pause();
          setImmediate(() => core.resume());
        }
      });
      query.on('error', (error: Error & { errno?: number }) => {
        closeSet();
        // ER_QUERY_INTERRUPTED (1317) after our own KILL QUERY is a cancellation or the row cap, not a failure.
        if (error.errno === 1317 && cancelled) resolve();
        else reject(error);
      });
      query.on('end', () => {
        closeSet();
        resolve();
      });
    });
    const capHit = results.some((r) => r.kind === 'rows' && r.capped);
    return { statement: statement.text, line: statement.line, ms: performance.now() - started, results, ...(cancelled && !capHit ? { cancelled: true } : {}) };
  } catch (error) {
    return { statement: statement.text, line: statement.line, ms: performance.now() - started, results, error: sqlError(error, statement.line) };
  } finally {
    unwatch();
    options.signal?.removeEventListener('abort', onAbort);
  }
}
