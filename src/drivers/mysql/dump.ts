import type { Writable } from 'node:stream';
import type { FieldPacket } from 'mysql2';
import type { Pool, PoolConnection, RowDataPacket } from 'mysql2/promise';
import { DriverError } from '../errors';
import { acquire, coreOf, killQuery, onSilence, stalled, within } from './deadline';
import { onConnectionLost } from './connectionLoss';
import { ident } from './identifier';
import { tapRows } from './rowTap';
import { span } from './wireRows';
import { LiteralOf, literalOf } from './sqlLiterals';
import { createTable, createView, DumpObject, dumpObjects, viewOrder } from './dumpSchema';
import { createRoutine, createTrigger, DumpRoutine, dumpRoutines, DumpTrigger, dumpTriggers } from './dumpRoutines';

export interface DumpOptions {
  readonly database: string;
  /** Only these tables or views; the whole database when absent. */
  readonly tables?: readonly string[];
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: DumpProgress) => void;
  /** How long the server may send nothing before the dump is stopped. */
  readonly timeoutMs: number;
}

export interface DumpProgress {
  readonly table: string;
  /** Rows written of this table so far. */
  readonly rows: number;
  /** The server's estimate of this table's rows. */
  readonly estimatedRows: number;
  /** Tables, views, routines and events written before this one, of how many. */
  readonly done: number;
  readonly total: number;
}

export interface DumpSummary {
  readonly tables: number;
  readonly views: number;
  readonly rows: number;
  readonly triggers: number;
  /** Stored procedures and functions. */
  readonly routines: number;
  readonly events: number;
}

/** A multi-row INSERT is cut once it passes this many bytes (mysqldump's net_buffer_length). */
const BATCH_BYTES = 1024 * 1024;
/** The restoring session's mode: not strict (zero dates restore), 0 stays 0 in AUTO_INCREMENT columns, no backslash-free quoting. */
const DUMP_SQL_MODE = 'NO_AUTO_VALUE_ON_ZERO';

const HEADER = `SET @SB_OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT, @SB_OLD_CHARACTER_SET_RESULTS=@@CHARACTER_SET_RESULTS, @SB_OLD_COLLATION_CONNECTION=@@COLLATION_CONNECTION;
SET NAMES utf8mb4;
SET @SB_OLD_SQL_MODE=@@SQL_MODE, SQL_MODE='${DUMP_SQL_MODE}';
SET @SB_OLD_TIME_ZONE=@@TIME_ZONE, TIME_ZONE='+00:00';
SET @SB_OLD_FOREIGN_KEY_CHECKS=@@FOREIGN_KEY_CHECKS, FOREIGN_KEY_CHECKS=0;
SET @SB_OLD_UNIQUE_CHECKS=@@UNIQUE_CHECKS, UNIQUE_CHECKS=0;
`;
const FOOTER = `
SET UNIQUE_CHECKS=@SB_OLD_UNIQUE_CHECKS;
SET FOREIGN_KEY_CHECKS=@SB_OLD_FOREIGN_KEY_CHECKS;
SET TIME_ZONE=@SB_OLD_TIME_ZONE;
SET SQL_MODE=@SB_OLD_SQL_MODE;
SET CHARACTER_SET_CLIENT=@SB_OLD_CHARACTER_SET_CLIENT, CHARACTER_SET_RESULTS=@SB_OLD_CHARACTER_SET_RESULTS, COLLATION_CONNECTION=@SB_OLD_COLLATION_CONNECTION;
`;

/** A name in a `--` comment line: quoted, and with no line break that would end the comment. */
const shown = (name: string): string => ident(name).replace(/[\r\n]/g, ' ');

/** Where the dump stands, for the error a failure reports. */
class Writer {
  constructor(private readonly out: Writable) {}
  /** Writes `text`; resolves at once, or once the file has taken what it holds when it fell behind. */
  write(text: string): Promise<void> | undefined {
    if (this.out.write(text)) return undefined;
    return new Promise((resolve) => this.out.once('drain', resolve));
  }
}

/**
 * Writes a database (or some of its tables and views) as SQL the mariadb / mysql client restores: for each table
 * DROP TABLE IF EXISTS, CREATE TABLE as the server shows it, its rows as multi-row INSERTs, then its triggers (after
 * the rows, which they would otherwise change); then, for a whole database, its procedures and functions (before the
 * views, which may call functions); the views, each after those it reads from; and the events. One consistent
 * snapshot (a REPEATABLE READ transaction) covers every table; rows stream from the server to `out`, the socket paused
 * whenever the file falls behind. The restoring session is set up at the top (character set, sql_mode, UTC for
 * TIMESTAMP values, no foreign key checks) and put back at the end; no statement names the database, so the dump
 * restores into whichever one the client uses.
 */
export async function dumpSql(pool: Pool, endpoint: string, out: Writable, options: DumpOptions): Promise<DumpSummary> {
  const { database, signal, timeoutMs } = options;
  const connection = await acquire(pool, endpoint, timeoutMs, 'starting a dump');
  const writer = new Writer(out);
  let rows = 0;
  try {
    const read = <T>(work: Promise<T>, what: string): Promise<T> => within(work, timeoutMs, () => stalled(endpoint, timeoutMs / 1000, what));
    const setup = async (): Promise<{ objects: DumpObject[]; version: string; triggers: Map<string, DumpTrigger[]>; routines: DumpRoutine[] }> => {
      // This connection's session is changed for the dump and the connection dropped afterwards.
      await connection.query(`SET NAMES utf8mb4, SESSION sql_mode = '${DUMP_SQL_MODE}', SESSION time_zone = '+00:00'`);
      await connection.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
      await connection.query('START TRANSACTION WITH CONSISTENT SNAPSHOT');
      const [version] = await connection.query<RowDataPacket[]>('SELECT VERSION() AS v');
      const objects = await dumpObjects(connection, database, options.tables);
      const triggers = await dumpTriggers(connection, database, objects.filter((o) => o.kind === 'table').map((o) => o.name));
      // Routines and events belong to the database, not to any of its tables.
      const routines = options.tables ? [] : await dumpRoutines(connection, database);
      return { objects, version: String(version[0]?.['v'] ?? ''), triggers, routines };
    };
    const { objects, version, triggers, routines } = await read(setup(), 'starting a dump');
    const tables = objects.filter((o) => o.kind === 'table');
    const views = objects.filter((o) => o.kind === 'view');
    const events = routines.filter((r) => r.kind === 'EVENT');
    const summary = { tables: tables.length, views: views.length, triggers: [...triggers.values()].flat().length, routines: routines.length - events.length, events: events.length };
    const counts = `${summary.tables} tables, ${summary.views} views, ${summary.triggers} triggers, ${summary.routines} routines, ${summary.events} events`;
    const total = objects.length + routines.length;
    await writer.write(`-- Switchboard SQL dump of ${shown(database)} (${counts}) from ${version} at ${endpoint}, ${new Date().toISOString()}\n`
      + '-- Restore into a database of your choice: mariadb <database> < this-file.sql\n\n' + HEADER);
    let done = 0;
    for (const table of tables) {
      signal?.throwIfAborted();
      options.onProgress?.({ table: table.name, rows: 0, estimatedRows: table.estimatedRows, done, total });
      const create = await read(createTable(connection, database, table.name), `reading the definition of ${table.name}`);
      await writer.write(`\n--\n-- Table ${shown(table.name)}\n--\n\nDROP TABLE IF EXISTS ${ident(table.name)};\n${create};\n`);
      rows += await tableRows(pool, connection, endpoint, writer, database, table, (n) => options.onProgress?.({ table: table.name, rows: n, estimatedRows: table.estimatedRows, done, total }), options);
      for (const trigger of triggers.get(table.name) ?? []) {
        signal?.throwIfAborted();
        const sql = await read(createTrigger(connection, database, trigger), `reading the definition of trigger ${trigger.name}`);
        await writer.write(`\n--\n-- Trigger ${shown(trigger.name)} of ${shown(table.name)}\n--\n\n${sql}`);
      }
      done++;
    }
    const writeRoutine = async (routine: DumpRoutine): Promise<void> => {
      signal?.throwIfAborted();
      options.onProgress?.({ table: routine.name, rows: 0, estimatedRows: 0, done, total });
      const sql = await read(createRoutine(connection, database, routine), `reading the definition of ${routine.kind.toLowerCase()} ${routine.name}`);
      await writer.write(`\n--\n-- ${routine.kind.charAt(0)}${routine.kind.slice(1).toLowerCase()} ${shown(routine.name)}\n--\n\n${sql}`);
      done++;
    };
    for (const routine of routines.filter((r) => r.kind !== 'EVENT')) await writeRoutine(routine);
    const definitions = new Map<string, string>();
    for (const view of views) {
      signal?.throwIfAborted();
      definitions.set(view.name, await read(createView(connection, database, view.name), `reading the definition of ${view.name}`));
    }
    for (const name of viewOrder(definitions)) {
      options.onProgress?.({ table: name, rows: 0, estimatedRows: 0, done, total });
      await writer.write(`\n--\n-- View ${shown(name)}\n--\n\nDROP VIEW IF EXISTS ${ident(name)};\n${definitions.get(name) ?? ''};\n`);
      done++;
    }
    for (const event of events) await writeRoutine(event);
    await writer.write(FOOTER + `\n-- Dump complete: ${counts}, ${rows} rows.\n`);
    return { ...summary, rows };
  } catch (error) {
    if (signal?.aborted) throw new DriverError('cancelled', `Dump of ${database} cancelled after ${rows} rows.`);
    throw error;
  } finally {
    // Its session was changed for the dump (and may be in the middle of a result): it is not given back to the pool.
    connection.destroy();
  }
}

/** Streams one table's rows into INSERT statements; returns how many rows it wrote. */
async function tableRows(pool: Pool, connection: PoolConnection, endpoint: string, writer: Writer, database: string, table: DumpObject, progress: (rows: number) => void, options: DumpOptions): Promise<number> {
  if (table.columns.length === 0) return 0;
  const core = coreOf(connection);
  const head = `INSERT INTO ${ident(table.name)} (${table.columns.map(ident).join(', ')}) VALUES\n`;
  let rows = 0;
  let batch: string[] = [];
  let batchBytes = 0;
  let paused = false;
  let literals: LiteralOf[] = [];
  let unwatch = (): void => undefined;
  const flush = (): Promise<void> | undefined => {
    if (batch.length === 0) return undefined;
    const statement = `${head}${batch.join(',\n')};\n`;
    batch = [];
    batchBytes = 0;
    return writer.write(statement);
  };
  try {
    await new Promise<void>((resolve, reject) => {
      const query = core.query({ sql: `SELECT ${table.columns.map(ident).join(', ')} FROM ${ident(database)}.${ident(table.name)}`, rowsAsArray: true });
      query.on('fields', (fields: FieldPacket[]) => (literals = fields.map(literalOf)));
      tapRows(query, (bytes, start, end) => {
        const values: string[] = [];
        let at = start;
        for (let i = 0; i < literals.length && at < end; i++) {
          const cell = span(bytes, at);
          if (cell.end < 0) {
            values.push('NULL');
            at = cell.start;
          } else {
            values.push(literals[i]!(bytes, cell.start, cell.end));
            at = cell.end;
          }
        }
        const row = `(${values.join(',')})`;
        batch.push(row);
        batchBytes += row.length + 2;
        rows++;
        if (rows % 10_000 === 0) progress(rows);
        const waiting = batchBytes >= BATCH_BYTES ? flush() : undefined;
        if (waiting && !paused) {
          // The file fell behind: stop reading the server until it has taken the batch.
          paused = true;
          core.pause();
          void waiting.then(() => {
            paused = false;
            core.resume();
          });
        }
      });
      query.on('error', reject);
      query.on('end', () => resolve());
      options.signal?.addEventListener('abort', () => reject(new DriverError('cancelled', 'Dump cancelled.')), { once: true });
      const lost = onConnectionLost(core, (error) => reject(new DriverError('closed', `The dump stopped in ${table.name} after ${rows} rows: the connection to the server was lost (${error.message}).`, 'Try again once the server is back; the connection shows when it is.')));
      const silent = onSilence(core, options.timeoutMs, () => {
        if (!paused) reject(stalled(endpoint, options.timeoutMs / 1000, `dumping ${table.name} (after ${rows} rows)`));
      });
      unwatch = () => {
        lost();
        silent();
      };
    });
  } catch (error) {
    await killQuery(pool, core.threadId ?? undefined);
    throw error;
  } finally {
    unwatch();
  }
  await flush();
  progress(rows);
  return rows;
}
