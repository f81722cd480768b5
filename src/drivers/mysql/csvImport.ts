import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { parse, Parser } from 'csv-parse';
import type { Pool, PoolConnection, RowDataPacket } from 'mysql2/promise';
import { DriverError, messageOf } from '../errors';
import { acquire, coreOf, killQuery, stalled, within } from './deadline';
import { ident } from './identifier';
import { readSchema, ColumnSchema, TableSchema } from './schema';
import { Bound, checkOf, CsvField, FieldCheck, notImportable } from './csvValues';

/** Which CSV field (0-based) fills a table column. */
export interface CsvMapping {
  readonly column: string;
  readonly field: number;
}

export interface CsvImportPlan {
  readonly database: string;
  readonly table: string;
  readonly file: string;
  /** The first record names the fields and is not imported. */
  readonly header: boolean;
  readonly delimiter?: string;
  readonly mapping: readonly CsvMapping[];
}

export interface CsvImportOptions {
  readonly signal?: AbortSignal;
  /** Rows inserted so far, and the share of the file read (0–1). */
  readonly onProgress?: (rows: number, share: number) => void;
  /** How long one INSERT may take before the import is stopped (and rolled back). */
  readonly timeoutMs: number;
}

/** A CSV record and the line it starts on. */
interface Line {
  readonly fields: readonly CsvField[];
  readonly line: number;
}

/** Rows per INSERT: at most this many, and fewer for wide tables (each value is a placeholder). */
const BATCH_ROWS = 1000;
const BATCH_PLACEHOLDERS = 30_000;

function parser(delimiter: string | undefined): Parser {
  // An unquoted empty field is NULL; a quoted one ("") the empty string.
  return parse({ bom: true, relax_column_count: true, skip_empty_lines: true, info: true, ...(delimiter ? { delimiter } : {}), cast: (value, context) => (value === '' && !context.quoting ? null : value) });
}

/** A record as csv-parse hands it over with `info` on. */
function isParsed(item: unknown): item is { record: CsvField[]; info: { lines: number } } {
  if (typeof item !== 'object' || item === null || !('record' in item) || !('info' in item)) return false;
  const { record, info } = item;
  return Array.isArray(record) && record.every((f) => f === null || typeof f === 'string')
    && typeof info === 'object' && info !== null && 'lines' in info && typeof info.lines === 'number';
}

/**
 * The records of a CSV file with the line each starts on. (csv-parse counts a CRLF inside a quoted field as two
 * lines; that is taken back, so the line named is the one an editor shows.)
 */
async function* records(file: string, delimiter: string | undefined, onBytes?: (bytes: number) => void): AsyncGenerator<Line> {
  const input = createReadStream(file);
  let read = 0;
  input.on('data', (chunk) => {
    read += chunk.length;
    onBytes?.(read);
  });
  let overcounted = 0;
  try {
    for await (const item of input.pipe(parser(delimiter))) {
      if (!isParsed(item)) continue;
      const { record, info } = item;
      const inside = record.reduce((n, f) => n + (f?.match(/\n/g)?.length ?? 0), 0);
      overcounted += record.reduce((n, f) => n + (f?.match(/\r\n/g)?.length ?? 0), 0);
      yield { fields: record, line: info.lines - overcounted - inside };
    }
  } catch (error) {
    throw new DriverError('config', `${file} is not CSV that can be read: ${messageOf(error)}.`, undefined, { cause: error });
  } finally {
    input.destroy();
  }
}

/** The first records of a file, to show and to map its fields by: the header (when there is one) first. */
export async function previewCsv(file: string, delimiter?: string, count = 5): Promise<CsvField[][]> {
  const first: CsvField[][] = [];
  for await (const { fields } of records(file, delimiter)) {
    first.push([...fields]);
    if (first.length >= count) break;
  }
  return first;
}

/** Table columns filled from the header fields that name them (case-insensitively), generated ones left out. */
export function mappingByHeader(header: readonly CsvField[], columns: readonly ColumnSchema[]): CsvMapping[] {
  const mapping: CsvMapping[] = [];
  header.forEach((name, field) => {
    const column = columns.find((c) => c.name.toLowerCase() === (name ?? '').trim().toLowerCase());
    if (column && !notImportable(column) && !mapping.some((m) => m.column === column.name)) mapping.push({ column: column.name, field });
  });
  return mapping;
}

/** The table and the check of each mapped column, or why the plan cannot run. */
async function prepare(connection: PoolConnection, plan: CsvImportPlan): Promise<{ table: TableSchema; checks: FieldCheck[] }> {
  const table = (await readSchema(connection, plan.database)).find((t) => t.name === plan.table && !t.view);
  if (!table) throw new DriverError('config', `${plan.database} has no table ${ident(plan.table)} to import into.`);
  if (plan.mapping.length === 0) throw new DriverError('config', 'No CSV field is mapped to a column: nothing would be imported.');
  const checks = plan.mapping.map(({ column: name, field }) => {
    const column = table.columns.find((c) => c.name === name);
    if (!column) throw new DriverError('config', `${ident(plan.table)} has no column ${ident(name)}.`);
    const why = notImportable(column);
    if (why) throw new DriverError('config', `${why}, so no CSV field can fill it.`);
    if (!Number.isInteger(field) || field < 0) throw new DriverError('config', `Field ${field} of the CSV does not exist.`);
    if (plan.mapping.filter((m) => m.column === name).length > 1) throw new DriverError('config', `${ident(name)} is mapped more than once.`);
    return checkOf(column);
  });
  return { table, checks };
}

/**
 * Imports a CSV file into a table in one transaction: every field is checked against its column's type before its
 * row is sent, rows go in multi-row INSERTs with placeholders, and the first bad row (its line, the column and why),
 * a server error, a cancel or a lost connection roll everything back. Strict mode is on for the import's session, so
 * the server refuses what it would otherwise cut or change. Refused on read-only connections.
 */
export async function importCsv(pool: Pool, endpoint: string, readOnly: boolean, name: string, plan: CsvImportPlan, options: CsvImportOptions): Promise<{ rows: number }> {
  if (readOnly) throw new DriverError('readOnly', `Importing refused: "${name}" is a read-only connection.`, 'Only a writable connection changes data.');
  const { signal, timeoutMs } = options;
  const connection = await acquire(pool, endpoint, timeoutMs, 'starting an import');
  const core = coreOf(connection);
  const onAbort = (): void => void killQuery(pool, core.threadId ?? undefined);
  signal?.addEventListener('abort', onAbort, { once: true });
  const late = (what: string) => () => stalled(endpoint, timeoutMs / 1000, what);
  let rows = 0;
  try {
    const { checks } = await within(prepare(connection, plan), timeoutMs, late('reading the table'));
    const [mode] = await connection.query<RowDataPacket[]>('SELECT @@SESSION.sql_mode AS mode');
    const modes = String(mode[0]?.['mode'] ?? '').split(',').filter((m) => m && m !== 'NO_BACKSLASH_ESCAPES');
    // Placeholders are filled in with backslash escapes; strict mode makes the server refuse what it would cut.
    await connection.query('SET NAMES utf8mb4, SESSION sql_mode = ?', [[...new Set([...modes, 'STRICT_ALL_TABLES'])].join(',')]);
    await connection.query('START TRANSACTION');
    const size = (await stat(plan.file)).size || 1;
    let read = 0;
    const head = `INSERT INTO ${ident(plan.database)}.${ident(plan.table)} (${plan.mapping.map((m) => ident(m.column)).join(', ')}) VALUES ?`;
    const perBatch = Math.max(1, Math.min(BATCH_ROWS, Math.floor(BATCH_PLACEHOLDERS / plan.mapping.length)));
    let batch: Bound[][] = [];
    let lines: number[] = [];
    const send = async (): Promise<void> => {
      if (batch.length === 0) return;
      signal?.throwIfAborted();
      await connection.query('SAVEPOINT sb_batch');
      try {
        await within(connection.query(head, [batch]), timeoutMs, late(`importing (after ${rows} rows)`));
      } catch (error) {
        if (signal?.aborted) throw error;
        await locate(connection, head, batch, lines, error);
      }
      rows += batch.length;
      batch = [];
      lines = [];
      options.onProgress?.(rows, Math.min(1, read / size));
    };
    let first = true;
    for await (const { fields, line } of records(plan.file, plan.delimiter, (bytes) => (read = bytes))) {
      signal?.throwIfAborted();
      if (first && plan.header) {
        first = false;
        continue;
      }
      first = false;
      const values = plan.mapping.map(({ column, field }, i): Bound => {
        if (field >= fields.length) throw new DriverError('config', `Line ${line} has ${fields.length} fields, and ${ident(column)} takes field ${field + 1}. Nothing was imported.`);
        const checked = checks[i]!(fields[field] ?? null);
        if (!checked.ok) throw new DriverError('config', `Line ${line}, column ${ident(column)}: ${checked.reason}. Nothing was imported.`);
        return checked.value;
      });
      batch.push(values);
      lines.push(line);
      if (batch.length >= perBatch) await send();
    }
    await send();
    signal?.throwIfAborted();
    await connection.query('COMMIT');
    return { rows };
  } catch (error) {
    await within(connection.query('ROLLBACK'), 2000, late('rolling back')).catch(() => undefined);
    if (signal?.aborted) throw new DriverError('cancelled', `Import into ${plan.table} cancelled: nothing was imported (${rows} rows sent were rolled back).`);
    throw error;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    // Its session was changed for the import: it is not given back to the pool.
    connection.destroy();
  }
}

/** After a batch failed on the server: the row that fails, named by its line, found by sending the rows one by one. */
async function locate(connection: PoolConnection, head: string, batch: readonly Bound[][], lines: readonly number[], error: unknown): Promise<never> {
  await connection.query('ROLLBACK TO SAVEPOINT sb_batch');
  for (let i = 0; i < batch.length; i++) {
    try {
      await connection.query(head, [[batch[i]]]);
    } catch (rowError) {
      throw new DriverError('server', `Line ${lines[i]}: the server refused the row: ${messageOf(rowError)}. Nothing was imported.`, undefined, { cause: rowError });
    }
  }
  throw new DriverError('server', `The server refused rows from line ${lines[0]} to ${lines[lines.length - 1]}: ${messageOf(error)}. Nothing was imported.`, undefined, { cause: error });
}
