import type { Pool, PoolConnection, RowDataPacket } from 'mysql2/promise';
import { DriverError } from '../errors';
import { acquire, giveBack } from './deadline';
import { ident } from './identifier';
import { RunPlace, runStatement } from './queryRunner';
import { Cell, ColumnInfo } from './resultShapes';
import { RowStore } from './rowStore';
import type { ForeignKeySchema, TableSchema } from './schema';
import { lex, LexError, SqlDialect } from './sqlLexer';
import { checkStatement, sessionDialect } from './statementGate';

/** A table or view as the data view reads it: its columns in order, its primary key and its foreign keys. */
export interface TableLayout {
  readonly database: string;
  readonly table: string;
  readonly view: boolean;
  readonly columns: readonly { readonly name: string; readonly nullable: boolean; readonly charset: string; readonly collation: string; readonly numeric: boolean; readonly keyable: boolean }[];
  /** The primary key's columns in key order (empty: none). */
  readonly key: readonly string[];
  readonly foreignKeys: readonly ForeignKeySchema[];
  readonly estimatedRows?: number;
}

export type PagePosition =
  | { readonly kind: 'first' }
  | { readonly kind: 'last' }
  /** The page after (or before) a row as it was read: every column of it. */
  | { readonly kind: 'after' | 'before'; readonly row: readonly Cell[] }
  | { readonly kind: 'offset'; readonly offset: number };

export interface PageQuery {
  /** A WHERE condition as the user typed it ('' for none). */
  readonly filter: string;
  /** Rows whose columns equal these values (a foreign key followed to the row it references). */
  readonly match?: { readonly columns: readonly string[]; readonly values: readonly Cell[] };
  readonly sort?: { readonly column: string; readonly direction: 'ASC' | 'DESC' };
}

/** The rows of a page in the order shown (a page read backwards is turned around here). */
export interface PageRows {
  readonly length: number;
  slice(start: number, end: number): Cell[][];
  set(index: number, row: Cell[]): void;
}

export interface Page {
  readonly columns: readonly ColumnInfo[];
  readonly rows: PageRows;
  /** The statement as the server received it. */
  readonly sql: string;
  /** Paged by key (page 10,000 as fast as page 1), or by OFFSET (no usable key, or a sort on a nullable column). */
  readonly keyset: boolean;
}

const SAFE_NAME = /^[A-Za-z0-9_]+$/;
/**
 * Types a page cannot start after by value: binary values reach the grid as (possibly cut) hex, and floating-point
 * ones as the digits the server prints, which need not compare equal to what is stored.
 */
const UNKEYABLE = new Set(['binary', 'varbinary', 'tinyblob', 'blob', 'mediumblob', 'longblob', 'bit', 'float', 'double', 'real', 'geometry', 'point', 'linestring', 'polygon']);
const NUMERIC_TEXT = /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i;

/** A row-store turned around: a page read from the end, shown in the table's order. */
function reversed(store: RowStore): PageRows {
  const n = store.length;
  return {
    length: n,
    slice: (start, end) => store.slice(Math.max(0, n - Math.min(end, n)), n - start).reverse(),
    set: (index, row) => store.set(n - 1 - index, row),
  };
}

/** What the data view needs to know of a table, read from information_schema (the character set and collation too). */
export async function tableLayout(connection: PoolConnection, schema: TableSchema, database: string): Promise<TableLayout> {
  const [rows] = await connection.query<RowDataPacket[]>(
    'SELECT COLUMN_NAME c, IS_NULLABLE n, CHARACTER_SET_NAME cs, COLLATION_NAME co, NUMERIC_PRECISION np, DATA_TYPE dt FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION',
    [database, schema.name]);
  const primary = schema.indexes.find((i) => i.name === 'PRIMARY');
  return {
    database, table: schema.name, view: schema.view,
    columns: rows.map((r) => ({
      name: String(r['c']), nullable: r['n'] === 'YES', charset: String(r['cs'] ?? ''), collation: String(r['co'] ?? ''), numeric: r['np'] !== null && r['np'] !== undefined,
      keyable: !UNKEYABLE.has(String(r['dt']).toLowerCase()),
    })),
    key: primary?.columns ?? [], foreignKeys: schema.foreignKeys, ...(schema.estimatedRows === undefined ? {} : { estimatedRows: schema.estimatedRows }),
  };
}

/**
 * Why a filter is not one condition, if it is not: it must lex as the server reads it, hold no statement separator,
 * and keep its parentheses balanced, never closing one it did not open (`1) UNION SELECT … (` would step out of the
 * WHERE it is put in). What it may do as a condition is then decided by the read gate on the whole statement.
 */
export function filterProblem(filter: string, dialect: SqlDialect): string | undefined {
  let tokens;
  try {
    tokens = lex(filter, dialect);
  } catch (error) {
    if (error instanceof LexError) return `the filter cannot be read safely: ${error.message}`;
    throw error;
  }
  let depth = 0;
  for (const t of tokens) {
    if (t.kind !== 'op') continue;
    if (t.text === ';') return 'the filter holds a semicolon: it must be one condition';
    if (t.text === '(') depth++;
    if (t.text === ')' && --depth < 0) return 'the filter closes a parenthesis it did not open';
  }
  return depth === 0 ? undefined : 'the filter leaves a parenthesis open';
}

/**
 * Whether pages go by key: the table has a primary key of types a page can start after, and the rows are sorted by it
 * (or by a NOT NULL column of such a type, with the key after it to break ties). Otherwise by OFFSET.
 */
export function pagesByKey(layout: TableLayout, query: PageQuery): boolean {
  const byName = new Map(layout.columns.map((c) => [c.name, c]));
  const sort = query.sort ? byName.get(query.sort.column) : undefined;
  return layout.key.length > 0 && layout.key.every((k) => byName.get(k)?.keyable === true)
    && (sort === undefined || layout.key.includes(sort.name) || (!sort.nullable && sort.keyable));
}

/** The SQL that reads one page, and the values bound to its user variables. */
export function pageStatement(layout: TableLayout, columns: readonly string[], query: PageQuery, position: PagePosition, pageSize: number): { sql: string; vars: (string | null)[]; keyset: boolean; backwards: boolean } {
  const vars: (string | null)[] = [];
  const byName = new Map(layout.columns.map((c) => [c.name, c]));
  const bind = (column: string, cell: Cell): string => {
    const info = byName.get(column);
    if (info?.numeric && cell !== null && NUMERIC_TEXT.test(cell)) return cell;
    vars.push(cell);
    const variable = `@sb_v${vars.length - 1}`;
    // Compared in the column's own character set and collation, so the order is the index's order.
    return info && SAFE_NAME.test(info.charset) && SAFE_NAME.test(info.collation) ? `CONVERT(${variable} USING ${info.charset}) COLLATE ${info.collation}` : variable;
  };
  const where: string[] = [];
  if (query.filter.trim()) where.push(`(${query.filter}\n)`);
  if (query.match) where.push(query.match.columns.map((c, i) => `${ident(c)} <=> ${bind(c, query.match!.values[i] ?? null)}`).join(' AND '));
  const sortColumn = query.sort?.column;
  const direction = query.sort?.direction ?? 'ASC';
  const order = [...(sortColumn !== undefined && !layout.key.includes(sortColumn) ? [sortColumn] : []), ...layout.key];
  const keyset = pagesByKey(layout, query);
  const backwards = position.kind === 'last' || position.kind === 'before';
  const dir = (backwards ? (direction === 'ASC' ? 'DESC' : 'ASC') : direction);
  if (keyset && (position.kind === 'after' || position.kind === 'before')) {
    // (a, b) > (x, y) written out, so that every server uses the index for it.
    const cells = order.map((name) => position.row[columns.indexOf(name)] ?? null);
    const greater = (dir === 'ASC') ? '>' : '<';
    const terms = order.map((_, i) => [...order.slice(0, i).map((name, j) => `${ident(name)} = ${bind(name, cells[j]!)}`), `${ident(order[i]!)} ${greater} ${bind(order[i]!, cells[i]!)}`].join(' AND '));
    where.push(`(${terms.map((t) => `(${t})`).join(' OR ')})`);
  }
  const offset = !keyset && position.kind === 'offset' ? position.offset : 0;
  const sql = `SELECT ${columns.map(ident).join(', ')} FROM ${ident(layout.database)}.${ident(layout.table)}`
    + (where.length ? ` WHERE ${where.join(' AND ')}` : '')
    + (order.length ? ` ORDER BY ${order.map((c) => `${ident(c)} ${dir}`).join(', ')}` : sortColumn !== undefined ? ` ORDER BY ${ident(sortColumn)} ${dir}` : '')
    + ` LIMIT ${Math.floor(pageSize)}${offset ? ` OFFSET ${Math.floor(offset)}` : ''}`;
  return { sql, vars, keyset, backwards };
}

/**
 * Reads one page of a table: the statement is checked whole by the read gate (whatever the filter holds, it stays a
 * plain read) and runs inside a READ ONLY transaction, so not even a stored function called from the filter writes.
 * Rows come as the results grid has them (RowStore).
 */
export async function readPage(pool: Pool, place: RunPlace, layout: TableLayout, query: PageQuery, position: PagePosition, pageSize: number, signal?: AbortSignal): Promise<Page> {
  if (!pagesByKey(layout, query) && (position.kind === 'after' || position.kind === 'before')) throw new DriverError('config', `${layout.table} is paged by row number here, not by key.`);
  if (pagesByKey(layout, query) && position.kind === 'offset' && position.offset > 0) throw new DriverError('config', `${layout.table} is paged by key here, not by row number.`);
  const columns = layout.columns.map((c) => c.name);
  const { sql, vars, keyset, backwards } = pageStatement(layout, columns, query, position, pageSize);
  const connection = await acquire(pool, place.endpoint, place.timeoutMs, `reading a page of ${layout.table}`);
  let dropped = false;
  try {
    const dialect = await sessionDialect(connection);
    const problem = query.filter.trim() ? filterProblem(query.filter, dialect) : undefined;
    const verdict = problem ? { ok: false as const, reason: problem } : checkStatement(sql, dialect, 'read');
    if (!verdict.ok) throw new DriverError('config', `The filter was not applied: ${verdict.reason}.`, 'Write one condition, as after WHERE: for example  status = \'open\' AND total > 100');
    if (vars.length) await connection.execute(`SET ${vars.map((_, i) => `@sb_v${i} = ?`).join(', ')}`, vars);
    await connection.query('START TRANSACTION READ ONLY');
    let store: RowStore | undefined;
    let info: readonly ColumnInfo[] = [];
    const outcome = await runStatement(pool, connection, { text: sql, start: 0, end: sql.length, line: 0 }, {
      columns: (_set, cols, rows) => {
        info = cols;
        store = rows;
      },
      rows: () => undefined,
    }, { maxRows: pageSize, ...(signal ? { signal } : {}) }, place);
    dropped = outcome.dropped === true;
    if (outcome.error) throw new DriverError('server', `Reading ${layout.table} failed: ${outcome.error.code ? `${outcome.error.code}: ` : ''}${outcome.error.message}`, query.filter ? 'Check the filter: it is put after WHERE as it is.' : undefined);
    if (outcome.cancelled) throw new DriverError('cancelled', `Reading ${layout.table} was cancelled.`);
    await connection.query('COMMIT');
    const rows = store ?? RowStore.ofText(columns.length);
    return { columns: info, rows: backwards ? reversed(rows) : rows, sql, keyset };
  } catch (error) {
    if (!dropped) await connection.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    if (dropped) connection.destroy();
    else giveBack(connection);
  }
}
