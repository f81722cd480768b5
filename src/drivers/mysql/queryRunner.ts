import { CONNECTION_LOST, onConnectionLost } from './connectionLoss';
import type { FieldPacket, Pool, PoolConnection, ResultSetHeader } from 'mysql2/promise';
import { coreOf, GRACE_MS, stalled, watchdog } from './deadline';
import { Cap, ColumnInfo, ResultSummary, SqlErrorInfo, StatementOutcome } from './resultShapes';
import { columnOf, formatOf } from './resultColumns';
import { RowStore } from './rowStore';
import { tapRows } from './rowTap';
import { Statement } from './statements';

/**
 * Where streamed results go: `columns` opens each result set with the store its rows are kept in; `rows` says how many
 * it holds so far: at once for the first row, then every 500 rows, and within 50 ms of any row not yet counted.
 */
export interface ResultSink {
  columns(set: number, columns: readonly ColumnInfo[], rows: RowStore): void;
  rows(set: number, count: number): void;
}

export interface RunOptions {
  /** Rows kept per result set; beyond it the query is stopped and the set marked capped. */
  readonly maxRows: number;
  /** Bytes of row data kept per result set (as received); beyond it the query is stopped and the set marked capped. */
  readonly maxBytes?: number;
  readonly signal?: AbortSignal;
  /** Binary cells longer than this many bytes are cut (the size is kept in the text). */
  readonly binaryPreviewBytes?: number;
  /** How long the server may send nothing before the statement is stopped (the query timeout); the session's default if unset. */
  readonly timeoutMs?: number;
}

/** Where a statement runs, for its time limit and for naming the server when it stops answering. */
export interface RunPlace {
  readonly endpoint: string;
  readonly timeoutMs: number;
}

const BATCH_ROWS = 500;
const BATCH_MS = 50;

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
export async function runStatement(pool: Pool, connection: PoolConnection, statement: Statement, sink: ResultSink, options: RunOptions, place: RunPlace): Promise<StatementOutcome & { dropped?: boolean }> {
  const started = performance.now();
  const core = coreOf(connection);
  const results: ResultSummary[] = [];
  const timeoutMs = options.timeoutMs ?? place.timeoutMs;
  let cancelled = false;
  let timedOut = false;
  let drop = (): void => undefined;
  // Silence past the time limit, a cancel or a row cap: KILL QUERY, then the connection is dropped if that does not end it.
  const dog = watchdog(pool, connection, timeoutMs, () => drop(), () => (timedOut = true));
  const kill = (): void => {
    cancelled = true;
    dog.now();
  };
  const onAbort = (): void => kill();
  if (options.signal?.aborted) onAbort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  let unwatch = (): void => undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      drop = () => reject(cancelled
        ? Object.assign(new Error(`The statement was cancelled, and MySQL at ${place.endpoint} did not stop it within ${GRACE_MS / 1000} s, so its connection was dropped. A change may or may not have been applied: check once the server answers again.`), { code: 'DROPPED' })
        : Object.assign(stalled(place.endpoint, timeoutMs / 1000, `running ${JSON.stringify(statement.text.slice(0, 80))}`), { code: 'TIMEOUT' }));
      let set = -1;
      let columns: ColumnInfo[] = [];
      let store: RowStore | undefined;
      let rowCount = 0;
      let announced = 0;
      let capped: Cap = false;
      let timer: NodeJS.Timeout | undefined;
      const flush = (): void => {
        clearTimeout(timer);
        timer = undefined;
        if (rowCount > announced) sink.rows(set, (announced = rowCount));
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
        announced = 0;
        capped = false;
        store = undefined;
        if (!fields) return;
        columns = fields.map(columnOf);
        store = new RowStore(fields.map((field, i) => formatOf(field, columns[i]!)), options.binaryPreviewBytes);
        sink.columns(set, columns, store);
      });
      // Rows go into the store as the bytes the server sent; 'result' then only brings the counts of data changes.
      tapRows(query, (bytes, start, end) => {
        if (capped || !store) return;
        // A row past a cap: the set is capped (a result of exactly maxRows rows is complete).
        const cap: Cap = rowCount === options.maxRows ? 'rows' : store.bytes + end - start > (options.maxBytes ?? Infinity) ? 'bytes' : false;
        if (cap) {
          capped = cap;
          flush();
          kill();
          return;
        }
        store.addWire(bytes, start, end);
        rowCount++;
        const waiting = rowCount - announced;
        if (rowCount === 1) flush();
        else if (waiting === 1) timer = setTimeout(flush, BATCH_MS);
        else if (waiting >= BATCH_ROWS) {
          flush();
          // Let the rest of the extension host run between batches: stop reading the socket until the next turn.
          core.pause();
          setImmediate(() => core.resume());
        }
      });
      query.on('result', (change: ResultSetHeader) => {
        if (set < 0) set = 0;
        results[set] = {
          kind: 'change', affectedRows: change.affectedRows, warnings: change.warningStatus,
          ...(change.changedRows ? { changedRows: change.changedRows } : {}),
          ...(change.insertId ? { insertId: String(change.insertId) } : {}),
          ...(change.info ? { info: change.info } : {}),
        };
      });
      query.on('error', (error: Error & { errno?: number }) => {
        closeSet();
        // ER_QUERY_INTERRUPTED (1317) after our own KILL QUERY is a cancellation or the row cap, not a failure.
        if (error.errno === 1317 && cancelled) resolve();
        else if (error.errno === 1317 && timedOut) reject(Object.assign(new Error(`The statement was stopped (KILL QUERY) after MySQL at ${place.endpoint} sent nothing for ${timeoutMs / 1000} s: the query timeout.`), { code: 'TIMEOUT' }));
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
    return { statement: statement.text, line: statement.line, ms: performance.now() - started, results, error: sqlError(error, statement.line), ...(dog.dropped ? { dropped: true } : {}) };
  } finally {
    dog.stop();
    unwatch();
    options.signal?.removeEventListener('abort', onAbort);
  }
}
