import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { Connection as CoreConnection, FieldPacket } from 'mysql2';
import type { Pool } from 'mysql2/promise';
import { stringify } from 'csv-stringify';
import { DriverError } from '../errors';
import { cellOf } from './queryRunner';
import { isReadingStatement } from './statements';
import { ident } from './identifier';
import { onConnectionLost } from './connectionLoss';

export interface ExportOptions {
  readonly format: 'csv' | 'json';
  readonly database?: string;
  readonly signal?: AbortSignal;
  readonly onProgress?: (rows: number) => void;
}

/**
 * Runs a reading statement again and streams every row straight into `out` (no cap, nothing held in memory): the
 * socket is paused whenever the file falls behind. CSV has a header row and empty fields for NULL; JSON is an array
 * of objects with null for NULL. Binary values are written whole, as 0x hex.
 */
export async function exportResult(pool: Pool, sql: string, out: Writable, options: ExportOptions): Promise<number> {
  if (!isReadingStatement(sql)) throw new DriverError('config', 'Only a reading statement (SELECT, SHOW, …) can be exported: exporting runs it again.', 'Run changes first, then export a SELECT.');
  const connection = await pool.getConnection();
  const core = connection.connection as unknown as CoreConnection;
  let rows = 0;
  let unwatch = (): void => undefined;
  try {
    if (options.database) await connection.query(`USE ${ident(options.database)}`);
    const stream = core.query({ sql, rowsAsArray: true }).stream({ highWaterMark: 1000 });
    let names: string[] = [];
    const csv = options.format === 'csv' ? stringify({ cast: { string: (v) => v } }) : undefined;
    csv?.pipe(out, { end: false });
    const sink = csv ?? out;
    stream.on('fields', (fields: FieldPacket[]) => {
      names = fields.map((f) => f.name);
      csv?.write(names);
    });
    if (!csv) out.write('[');
    options.signal?.addEventListener('abort', () => stream.destroy(new DriverError('closed', 'Export cancelled.')), { once: true });
    unwatch = onConnectionLost(core, (error) => stream.destroy(new DriverError('closed', `Export stopped after ${rows} rows: the connection to the server was lost (${error.message}); the file holds those rows only.`, 'Export again once the server is back.')));
    for await (const row of stream as AsyncIterable<unknown[]>) {
      const cells = row.map((v) => cellOf(v, Number.MAX_SAFE_INTEGER));
      const ok = csv ? csv.write(cells.map((c) => c ?? '')) : out.write(`${rows ? ',' : ''}\n${JSON.stringify(Object.fromEntries(names.map((n, i) => [n, cells[i] ?? null])))}`);
      rows++;
      if (rows % 10_000 === 0) options.onProgress?.(rows);
      if (!ok) await once(sink, 'drain');
    }
    if (csv) {
      csv.end();
      await once(csv, 'end');
    } else {
      out.write(rows ? '\n]\n' : ']\n');
    }
    return rows;
  } catch (error) {
    if (options.signal?.aborted) {
      await pool.query(`KILL QUERY ${Number(core.threadId)}`).catch(() => undefined);
      throw new DriverError('closed', `Export cancelled after ${rows} rows; the file holds those rows only.`);
    }
    throw error;
  } finally {
    unwatch();
    connection.release();
  }
}
