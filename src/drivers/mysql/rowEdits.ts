import type { PoolConnection, ResultSetHeader } from 'mysql2/promise';
import { DriverError } from '../errors';
import { Cell, ColumnInfo } from './resultShapes';
import { ident } from './identifier';

export type EditRequest =
  | { readonly kind: 'update'; readonly row: number; readonly original: readonly Cell[]; readonly values: Readonly<Record<number, Cell>> }
  | { readonly kind: 'delete'; readonly row: number; readonly original: readonly Cell[] }
  | { readonly kind: 'insert'; readonly values: Readonly<Record<number, Cell>> };

export interface EditTarget {
  readonly database: string;
  readonly table: string;
  readonly columns: readonly ColumnInfo[];
  /** Indexes into `columns` of the table's whole primary key. */
  readonly keyColumns: readonly number[];
}

export type Param = string | Buffer | null;

/**
 * One reviewed change: a statement with placeholders and the values bound to them. It runs as a server-side prepared
 * statement, so no value is ever part of the SQL text and no sql_mode (NO_BACKSLASH_ESCAPES, ANSI_QUOTES) can change
 * what it means. Identifiers are quoted with backticks, which no sql_mode changes either.
 */
export interface PreparedEdit {
  readonly sql: string;
  readonly params: readonly Param[];
  /** What the user knows this row as: "row 3 (id = 7)", or "new row 1". */
  readonly label: string;
}

/** "0x…… (N bytes)", the grid's text for a binary value cut after its first bytes. */
const CUT_BINARY = /^0x([0-9a-f]*)… \((\d+) bytes\)$/i;

function bytesOf(column: ColumnInfo, cell: string): Buffer {
  if (!/^0x(?:[0-9a-f]{2})*$/i.test(cell)) throw new DriverError('config', `${column.name}: binary values are written as 0x followed by pairs of hex digits (a shortened preview cannot be saved).`);
  return Buffer.from(cell.slice(2), 'hex');
}

/** A value to write into a column: binary cells are shown as 0x hex and go back as bytes. */
function valueParam(column: ColumnInfo, cell: Cell): Param {
  if (cell === null) return null;
  return column.kind === 'binary' ? bytesOf(column, cell) : cell;
}

/**
 * The condition that a column still holds what the grid read, NULL-safe. Text is compared byte for byte in the
 * character set the grid received it in (so a change of case or of trailing spaces counts, whatever the column's
 * collation), and numbers, dates and JSON by the text the server sends for them (so a FLOAT or DOUBLE matches to the
 * digits the server prints, which is what the grid showed). Binary values match byte for byte; one the grid cut
 * matches by its first bytes and its length, since the rest was never read.
 */
function matches(column: ColumnInfo, cell: Cell): { sql: string; params: Param[] } {
  const name = ident(column.origin || column.name);
  if (column.kind === 'binary' && cell !== null) {
    const cut = CUT_BINARY.exec(cell);
    if (cut) return { sql: `LEFT(${name}, ${cut[1]!.length / 2}) <=> ? AND OCTET_LENGTH(${name}) <=> ?`, params: [Buffer.from(cut[1]!, 'hex'), cut[2]!] };
    return { sql: `CAST(${name} AS BINARY) <=> ?`, params: [bytesOf(column, cell)] };
  }
  if (column.kind === 'binary') return { sql: `${name} IS NULL`, params: [] };
  return { sql: `CAST(CONVERT(${name} USING utf8mb4) AS BINARY) <=> CAST(? AS BINARY)`, params: [cell] };
}

/** WHERE for the row as it was read: the primary key first (so the server finds it by index), then every column. */
function rowWhere(target: EditTarget, original: readonly Cell[]): { sql: string; params: Param[] } {
  const parts: string[] = [];
  const params: Param[] = [];
  for (const i of target.keyColumns) {
    const column = target.columns[i]!;
    if (column.kind === 'binary' || /FLOAT|DOUBLE/.test(column.type)) continue;
    parts.push(`${ident(column.origin || column.name)} <=> ?`);
    params.push(original[i] ?? null);
  }
  target.columns.forEach((column, i) => {
    const condition = matches(column, original[i] ?? null);
    parts.push(condition.sql);
    params.push(...condition.params);
  });
  return { sql: parts.join(' AND '), params };
}

function rowLabel(target: EditTarget, row: number, original: readonly Cell[]): string {
  const key = target.keyColumns.map((i) => `${target.columns[i]!.name} = ${original[i] ?? 'NULL'}`).join(', ');
  return `row ${row + 1} (${key})`;
}

/**
 * The statements that apply grid edits, one per row: an UPDATE or DELETE matches the row exactly as it was read, so
 * a colleague's change to any of its columns since then makes it match nothing and the whole set is rolled back.
 */
export function editStatements(target: EditTarget, edits: readonly EditRequest[]): PreparedEdit[] {
  if (target.keyColumns.length === 0) throw new DriverError('config', `${target.table} has no primary key in this result, so its rows cannot be told apart.`, 'Select the key columns too, or edit with SQL.');
  const table = `${ident(target.database)}.${ident(target.table)}`;
  let inserted = 0;
  return edits.map((edit): PreparedEdit => {
    if (edit.kind !== 'insert' && edit.original.length !== target.columns.length) throw new DriverError('config', `Row ${edit.row + 1} is not in this result any more: run the query again.`);
    if (edit.kind === 'delete') {
      const where = rowWhere(target, edit.original);
      return { sql: `DELETE FROM ${table} WHERE ${where.sql}`, params: where.params, label: rowLabel(target, edit.row, edit.original) };
    }
    const entries = Object.entries(edit.values).map(([i, v]) => {
      const column = target.columns[Number(i)];
      if (!column) throw new DriverError('config', `There is no column ${i} in this result.`);
      return [column, v] as const;
    });
    if (entries.length === 0) throw new DriverError('config', 'An edit without values.');
    const values = entries.map(([c, v]) => valueParam(c, v));
    const names = entries.map(([c]) => ident(c.origin || c.name));
    if (edit.kind === 'insert') {
      return { sql: `INSERT INTO ${table} (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`, params: values, label: `new row ${++inserted}` };
    }
    const where = rowWhere(target, edit.original);
    return { sql: `UPDATE ${table} SET ${names.map((n) => `${n} = ?`).join(', ')} WHERE ${where.sql}`, params: [...values, ...where.params], label: rowLabel(target, edit.row, edit.original) };
  });
}

/** A bound value as the review shows it (never sent as text: values go to the server as parameters). */
function shown(param: Param): string {
  if (param === null) return 'NULL';
  if (Buffer.isBuffer(param)) return `0x${param.toString('hex', 0, 64)}${param.length > 64 ? `… (${param.length} bytes)` : ''}`;
  return JSON.stringify(param);
}

/** What the review dialog shows for one edit: the statement as the server receives it and the values bound to it. */
export function describeEdit(edit: PreparedEdit): string {
  return `${edit.label}:\n${edit.sql}\n  with ? = ${edit.params.map(shown).join(', ')}`;
}

/**
 * Runs reviewed edits in one transaction, each as a prepared statement: all of them or none. Each must touch exactly
 * one row; one that touches none (its row was changed or deleted since it was read) or more rolls everything back and
 * names the row.
 */
export async function applyStatements(connection: PoolConnection, edits: readonly PreparedEdit[]): Promise<number> {
  try {
    await connection.beginTransaction();
    for (const edit of edits) {
      const [result] = await connection.execute<ResultSetHeader>(edit.sql, [...edit.params]);
      // Each edit's statement is used once: free it on the server (max_prepared_stmt_count is server-wide).
      connection.unprepare(edit.sql);
      if (result.affectedRows !== 1) {
        const why = result.affectedRows === 0 ? 'no longer matches what was read: it was changed or deleted meanwhile' : `matched ${result.affectedRows} rows`;
        throw new DriverError('conflict', `Nothing was saved: ${edit.label} ${why}.`, 'Run the query again to see the current rows, then edit again.');
      }
    }
    await connection.commit();
    return edits.length;
  } catch (error) {
    await connection.rollback().catch(() => undefined);
    throw error;
  }
}
