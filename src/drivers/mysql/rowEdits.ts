import { format } from 'mysql2';
import type { Pool } from 'mysql2/promise';
import { DriverError } from '../errors';
import { Cell, ColumnInfo } from './resultShapes';
import { ident } from './identifier';

export type EditRequest =
  | { readonly kind: 'update'; readonly original: readonly Cell[]; readonly values: Readonly<Record<number, Cell>> }
  | { readonly kind: 'delete'; readonly original: readonly Cell[] }
  | { readonly kind: 'insert'; readonly values: Readonly<Record<number, Cell>> };

export interface EditTarget {
  readonly database: string;
  readonly table: string;
  readonly columns: readonly ColumnInfo[];
  /** Indexes into `columns` of the table's whole primary key. */
  readonly keyColumns: readonly number[];
}

/** Binary cells are shown as 0x hex; written back, they must be bytes again. */
function param(column: ColumnInfo, cell: Cell): string | Buffer | null {
  if (cell === null) return null;
  if (column.kind === 'binary') {
    if (!/^0x[0-9a-f]*$/i.test(cell)) throw new DriverError('config', `${column.name}: binary values are written as 0x followed by hex digits (a shortened preview cannot be saved).`);
    return Buffer.from(cell.slice(2), 'hex');
  }
  return cell;
}

function keyWhere(target: EditTarget, original: readonly Cell[]): string {
  return target.keyColumns.map((i) => {
    const column = target.columns[i]!;
    const value = original[i] ?? null;
    return value === null ? `${ident(column.name)} IS NULL` : format(`${ident(column.name)} = ?`, [param(column, value)]);
  }).join(' AND ');
}

/**
 * The statements that apply grid edits, one per row, each addressed by the row's primary key and limited to one row:
 * shown to the user for review before anything runs.
 */
export function editStatements(target: EditTarget, edits: readonly EditRequest[]): string[] {
  if (target.keyColumns.length === 0) throw new DriverError('config', `${target.table} has no primary key in this result, so its rows cannot be told apart.`, 'Select the key columns too, or edit with SQL.');
  const table = `${ident(target.database)}.${ident(target.table)}`;
  return edits.map((edit) => {
    if (edit.kind === 'delete') return `DELETE FROM ${table} WHERE ${keyWhere(target, edit.original)} LIMIT 1`;
    const entries = Object.entries(edit.values).map(([i, v]) => [target.columns[Number(i)]!, v] as const);
    if (entries.length === 0) throw new DriverError('config', 'An edit without values.');
    if (edit.kind === 'insert') {
      return format(`INSERT INTO ${table} (${entries.map(([c]) => ident(c.name)).join(', ')}) VALUES (?)`, [entries.map(([c, v]) => param(c, v))]);
    }
    const sets = entries.map(([c, v]) => format(`${ident(c.name)} = ?`, [param(c, v)])).join(', ');
    return `UPDATE ${table} SET ${sets} WHERE ${keyWhere(target, edit.original)} LIMIT 1`;
  });
}

/**
 * Runs reviewed statements in one transaction: all of them or none. An UPDATE or DELETE that matches no row (someone
 * changed or removed it meanwhile) rolls everything back and says which.
 */
export async function applyStatements(pool: Pool, statements: readonly string[]): Promise<number> {
  const connection = await pool.getConnection();
  try {
    await connection.beginTransaction();
    for (const [i, sql] of statements.entries()) {
      const [result] = await connection.query(sql);
      const affected = (result as { affectedRows?: number }).affectedRows ?? 0;
      if (affected === 0 && !sql.startsWith('INSERT')) {
        throw new DriverError('config', `Statement ${i + 1} matched no row (it was changed or deleted meanwhile); nothing was saved.`, 'Run the query again to see the current rows.');
      }
    }
    await connection.commit();
    return statements.length;
  } catch (error) {
    await connection.rollback().catch(() => undefined);
    throw error;
  } finally {
    connection.release();
  }
}
