import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { Connection as CoreConnection, FieldPacket } from 'mysql2';
import type { Pool } from 'mysql2/promise';
import { stringify } from 'csv-stringify';
import { DriverError, isDriverError } from '../errors';
import { acquire, giveBack, killQuery, onSilence, stalled, useDatabase, within } from './deadline';
import { columnOf, formatOf } from './resultColumns';
import { tapRows } from './rowTap';
import { CellFormat, decodeRow } from './wireRows';
import { checkStatement, sessionDialect } from './statementGate';
import { onConnectionLost } from './connectionLoss';

export interface ExportOptions {
  readonly format: 'csv' | 'json';
  readonly database?: string;
  readonly signal?: AbortSignal;
  readonly onProgress?: (rows: number) => void;
  /** How long the server may send nothing before the export is stopped. */
  readonly timeoutMs?: number;
}

/**
 * Runs a reading statement again and streams every row straight into `out` (no cap, nothing held in memory): the
 * socket is paused whenever the file falls behind. CSV has a header row and empty fields for NULL; JSON is an array
 * of objects with null for NULL. Binary values are written whole, as 0x hex.
 */
export async function exportResult(pool: Pool, sql: string, out: Writable, options: ExportOptions, endpoint: string): Promise<number> {
  const timeoutMs = options.timeoutMs ?? 0x7fffffff;
  const connection = await acquire(pool, endpoint, timeoutMs, 'starting an export');
  const core = connection.connection as unknown as CoreConnection;
  let rows = 0;
  let finished = false;
  let unwatch = (): void => undefined;
  let paused = false;
  try {
    const dialect = await within((async () => {
      if (options.database) await useDatabase(connection, options.database);
      return sessionDialect(connection);
    })(), timeoutMs, () => stalled(endpoint, timeoutMs / 1000, 'starting an export'));
    const verdict = checkStatement(sql, dialect, 'read');
    if (!verdict.ok) {
      finished = true;
      throw new DriverError('config', `Only a read can be exported, since exporting runs the statement again, and ${verdict.reason}.`, 'Run changes first, then export a SELECT.');
    }
    const csv = options.format === 'csv' ? stringify({ cast: { string: (v) => v } }) : undefined;
    csv?.pipe(out, { end: false });
    const sink = csv ?? out;
    if (!csv) out.write('[');
    await new Promise<void>((resolve, reject) => {
      let names: string[] = [];
      let formats: CellFormat[] = [];
      const query = core.query({ sql, rowsAsArray: true });
      query.on('fields', (fields: FieldPacket[]) => {
        names = fields.map((f) => f.name);
        formats = fields.map((f) => formatOf(f, columnOf(f)));
        csv?.write(names);
      });
      // Each row is cut into cells straight from the bytes the server sent, the way the grid reads them.
      tapRows(query, (bytes, start, end) => {
        const cells = decodeRow(bytes, start, end, formats, Number.MAX_SAFE_INTEGER);
        const ok = csv ? csv.write(cells.map((c) => c ?? '')) : out.write(`${rows ? ',' : ''}\n${JSON.stringify(Object.fromEntries(names.map((n, i) => [n, cells[i] ?? null])))}`);
        rows++;
        if (rows % 10_000 === 0) options.onProgress?.(rows);
        if (!ok && !paused) {
          // The file fell behind: stop reading the server until it drains.
          paused = true;
          core.pause();
          sink.once('drain', () => {
            paused = false;
            core.resume();
          });
        }
      });
      query.on('error', reject);
      query.on('end', resolve);
      options.signal?.addEventListener('abort', () => reject(new DriverError('closed', 'Export cancelled.')), { once: true });
      const lost = onConnectionLost(core, (error) => reject(new DriverError('closed', `Export stopped after ${rows} rows: the connection to the server was lost (${error.message}); the file holds those rows only.`, 'Export again once the server is back.')));
      // A paused socket (the file fell behind) is not the server's silence: only a running read is timed.
      const silent = options.timeoutMs ? onSilence(core, options.timeoutMs, () => {
        if (!paused) reject(stalled(endpoint, (options.timeoutMs ?? 0) / 1000, `exporting (after ${rows} rows; the file holds those rows only)`));
      }) : () => undefined;
      unwatch = () => {
        lost();
        silent();
      };
    });
    finished = true;
    if (csv) {
      csv.end();
      await once(csv, 'end');
    } else {
      out.write(rows ? '\n]\n' : ']\n');
    }
    return rows;
  } catch (error) {
    if (options.signal?.aborted || (isDriverError(error) && error.code === 'timeout')) {
      await killQuery(pool, core.threadId ?? undefined);
    }
    if (options.signal?.aborted) {
      throw new DriverError('closed', `Export cancelled after ${rows} rows; the file holds those rows only.`);
    }
    throw error;
  } finally {
    unwatch();
    // A connection left in the middle of a result (cancelled, or paused for a file that stopped draining) is not reused.
    if (finished) giveBack(connection);
    else connection.destroy();
  }
}
