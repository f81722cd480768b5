import type { PoolConnection, RowDataPacket } from 'mysql2/promise';
import { DriverError } from '../errors';
import { ident } from './identifier';

/** What a dump holds of a database: its tables (with the columns whose values it writes) and views. */
export interface DumpObject {
  readonly name: string;
  readonly kind: 'table' | 'view';
  /** Tables: the columns a restore inserts into (generated ones are computed by the server again). */
  readonly columns: readonly string[];
  /** Tables: the server's row estimate, for progress. */
  readonly estimatedRows: number;
}

/** Tables and views of a database, all of them or the named ones; sequences are not dumped. */
export async function dumpObjects(connection: PoolConnection, database: string, only?: readonly string[]): Promise<DumpObject[]> {
  const [tables] = await connection.query<RowDataPacket[]>(
    'SELECT TABLE_NAME AS name, TABLE_TYPE AS type, TABLE_ROWS AS estimate FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME', [database]);
  const [columns] = await connection.query<RowDataPacket[]>(
    'SELECT TABLE_NAME AS tableName, COLUMN_NAME AS name, EXTRA AS extra FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, ORDINAL_POSITION', [database]);
  const insertable = new Map<string, string[]>();
  for (const c of columns) {
    // Generated columns (and a system-versioned table's period columns) take no value of their own.
    if (/GENERATED|ROW START|ROW END/i.test(String(c['extra'] ?? ''))) continue;
    const list = insertable.get(String(c['tableName'])) ?? [];
    list.push(String(c['name']));
    insertable.set(String(c['tableName']), list);
  }
  const objects: DumpObject[] = [];
  for (const t of tables) {
    const name = String(t['name']);
    const type = String(t['type']);
    if (only && !only.includes(name)) continue;
    if (type === 'VIEW' || type === 'SYSTEM VIEW') objects.push({ name, kind: 'view', columns: [], estimatedRows: 0 });
    else if (type === 'BASE TABLE' || type === 'SYSTEM VERSIONED') objects.push({ name, kind: 'table', columns: insertable.get(name) ?? [], estimatedRows: Number(t['estimate'] ?? 0) || 0 });
  }
  const missing = only?.filter((name) => !objects.some((o) => o.name === name)) ?? [];
  if (missing.length) throw new DriverError('config', `${database} has no table or view ${missing.map((m) => ident(m)).join(', ')} to dump.`);
  return objects;
}

/** CREATE TABLE as the server shows it. */
export async function createTable(connection: PoolConnection, database: string, table: string): Promise<string> {
  const [rows] = await connection.query<RowDataPacket[]>(`SHOW CREATE TABLE ${ident(database)}.${ident(table)}`);
  return String(rows[0]?.['Create Table'] ?? '');
}

/**
 * CREATE VIEW for a restore into any database under any user: without the DEFINER (the restoring user becomes it)
 * and without the dumped database's name before the view's own tables and columns.
 */
export async function createView(connection: PoolConnection, database: string, view: string): Promise<string> {
  const [rows] = await connection.query<RowDataPacket[]>(`SHOW CREATE VIEW ${ident(database)}.${ident(view)}`);
  const sql = String(rows[0]?.['Create View'] ?? '');
  return unqualified(sql.replace(/^(CREATE (?:ALGORITHM=\w+ )?)DEFINER=`(?:[^`]|``)*`@`(?:[^`]|``)*` /, '$1'), database);
}

/** The statement with every `database`. prefix outside string literals removed. */
export function unqualified(sql: string, database: string): string {
  const prefix = ident(database);
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    if (c === "'" || c === '"') {
      let j = i + 1;
      while (j < sql.length && sql[j] !== c) j += sql[j] === '\\' ? 2 : 1;
      out += sql.slice(i, j + 1);
      i = j + 1;
    } else if (c === '`') {
      let j = i + 1;
      while (j < sql.length && (sql[j] !== '`' || sql[j + 1] === '`')) j += sql[j] === '`' ? 2 : 1;
      const quoted = sql.slice(i, j + 1);
      if (quoted === prefix && sql[j + 1] === '.') {
        i = j + 2;
      } else {
        out += quoted;
        i = j + 1;
      }
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** Views in an order that creates each after the views it reads from. */
export function viewOrder(views: ReadonlyMap<string, string>): string[] {
  const done = new Set<string>();
  const order: string[] = [];
  const visit = (name: string, path: Set<string>): void => {
    if (done.has(name) || path.has(name)) return;
    path.add(name);
    const body = views.get(name) ?? '';
    for (const other of views.keys()) if (other !== name && body.includes(ident(other))) visit(other, path);
    done.add(name);
    order.push(name);
  };
  for (const name of [...views.keys()].sort()) visit(name, new Set());
  return order;
}
