import type { PoolConnection, RowDataPacket } from 'mysql2/promise';
import { DriverError } from '../errors';
import { ident } from './identifier';

/** A trigger of a dumped table. */
export interface DumpTrigger {
  readonly name: string;
  readonly table: string;
  /** BEFORE or AFTER. */
  readonly timing: string;
  /** INSERT, UPDATE or DELETE. */
  readonly event: string;
}

/** A stored procedure or function, or an event, of the dumped database. */
export interface DumpRoutine {
  readonly name: string;
  readonly kind: 'PROCEDURE' | 'FUNCTION' | 'EVENT';
}

/**
 * The triggers of the named tables, by table, each table's in the order the server fires them (created in this order,
 * they fire in it again without their FOLLOWS / PRECEDES clauses).
 */
export async function dumpTriggers(connection: PoolConnection, database: string, tables: readonly string[]): Promise<Map<string, DumpTrigger[]>> {
  const [rows] = await connection.query<RowDataPacket[]>(
    'SELECT TRIGGER_NAME AS name, EVENT_OBJECT_TABLE AS tableName, ACTION_TIMING AS timing, EVENT_MANIPULATION AS event FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ? ORDER BY EVENT_OBJECT_TABLE, ACTION_ORDER, TRIGGER_NAME', [database]);
  const byTable = new Map<string, DumpTrigger[]>();
  for (const row of rows) {
    const table = String(row['tableName']);
    if (!tables.includes(table)) continue;
    const list = byTable.get(table) ?? [];
    list.push({ name: String(row['name']), table, timing: String(row['timing']), event: String(row['event']) });
    byTable.set(table, list);
  }
  return byTable;
}

/** The database's procedures and functions, then its events. */
export async function dumpRoutines(connection: PoolConnection, database: string): Promise<DumpRoutine[]> {
  const [routines] = await connection.query<RowDataPacket[]>(
    "SELECT ROUTINE_NAME AS name, ROUTINE_TYPE AS kind FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ? AND ROUTINE_TYPE IN ('PROCEDURE', 'FUNCTION') ORDER BY ROUTINE_TYPE, ROUTINE_NAME", [database]);
  const [events] = await connection.query<RowDataPacket[]>('SELECT EVENT_NAME AS name FROM information_schema.EVENTS WHERE EVENT_SCHEMA = ? ORDER BY EVENT_NAME', [database]);
  return [
    ...routines.map((r): DumpRoutine => ({ name: String(r['name']), kind: r['kind'] === 'FUNCTION' ? 'FUNCTION' : 'PROCEDURE' })),
    ...events.map((e): DumpRoutine => ({ name: String(e['name']), kind: 'EVENT' })),
  ];
}

/** DROP TRIGGER and the trigger's CREATE in its own sql_mode and collation, for the restoring client. */
export async function createTrigger(connection: PoolConnection, database: string, trigger: DumpTrigger): Promise<string> {
  const [rows] = await connection.query<RowDataPacket[]>(`SHOW CREATE TRIGGER ${ident(database)}.${ident(trigger.name)}`);
  const row = rows[0];
  const sql = definition(row, 'SQL Original Statement', `trigger ${ident(trigger.name)}`);
  return block(`DROP TRIGGER IF EXISTS ${ident(trigger.name)}`, triggerStatement(sql, trigger), row);
}

/** DROP and the routine's or event's CREATE as the server shows it, in its own sql_mode, collation (and time zone). */
export async function createRoutine(connection: PoolConnection, database: string, routine: DumpRoutine): Promise<string> {
  const [rows] = await connection.query<RowDataPacket[]>(`SHOW CREATE ${routine.kind} ${ident(database)}.${ident(routine.name)}`);
  const row = rows[0];
  const column = `Create ${routine.kind.charAt(0)}${routine.kind.slice(1).toLowerCase()}`;
  return block(`DROP ${routine.kind} IF EXISTS ${ident(routine.name)}`, definition(row, column, `${routine.kind.toLowerCase()} ${ident(routine.name)}`), row);
}

function definition(row: RowDataPacket | undefined, column: string, what: string): string {
  const sql = row?.[column];
  if (typeof sql !== 'string' || sql === '') {
    throw new DriverError('server', `The definition of ${what} could not be read, so it would be missing from the dump.`,
      'The server shows it only to its definer or to a user allowed to read all routines (SELECT on mysql.proc); dump as such a user.');
  }
  return sql;
}

/**
 * The statement between DELIMITER ;; and DELIMITER ; (the client finds ;; only outside quotes), with the session set
 * to the object's sql_mode, collation and time zone (an event's schedule is in it) and put back after it. The text
 * stays in the dump's utf8mb4; the collation is the one its string literals get.
 */
function block(drop: string, create: string, row: RowDataPacket | undefined): string {
  const saved = ['@SB_SAVED_SQL_MODE=@@SQL_MODE'];
  const set = [`SQL_MODE=${setting(row?.['sql_mode'], /^[A-Z0-9_,]*$/, 'sql_mode')}`];
  const back = ['SQL_MODE=@SB_SAVED_SQL_MODE'];
  if (row?.['collation_connection']) {
    saved.push('@SB_SAVED_COLLATION_CONNECTION=@@COLLATION_CONNECTION');
    set.push(`COLLATION_CONNECTION=${setting(row['collation_connection'], /^\w+$/, 'collation')}`);
    back.push('COLLATION_CONNECTION=@SB_SAVED_COLLATION_CONNECTION');
  }
  if (row?.['time_zone']) {
    saved.push('@SB_SAVED_TIME_ZONE=@@TIME_ZONE');
    set.push(`TIME_ZONE=${setting(row['time_zone'], /^[\w+\-:/]+$/, 'time zone')}`);
    back.push('TIME_ZONE=@SB_SAVED_TIME_ZONE');
  }
  return `${drop};\nSET ${[...saved, ...set].join(', ')};\nDELIMITER ;;\n${create} ;;\nDELIMITER ;\nSET ${back.join(', ')};\n`;
}

/** A session setting the server reported, as a string literal; only the characters such settings have. */
function setting(value: unknown, allowed: RegExp, what: string): string {
  const text = String(value ?? '');
  if (!allowed.test(text)) throw new DriverError('protocol', `The server reported an unexpected ${what} (${JSON.stringify(text)}) for a definition being dumped.`);
  return `'${text}'`;
}

/**
 * The trigger's CREATE with its name and table unqualified (the server keeps them as they were typed, database and
 * all) and without FOLLOWS / PRECEDES: the server's text up to TRIGGER (CREATE and the DEFINER as it shows it), the
 * head rebuilt, then the body after FOR EACH ROW as it is. The server's text when its head does not read as expected.
 */
export function triggerStatement(sql: string, trigger: DumpTrigger): string {
  if (!/^(BEFORE|AFTER)$/.test(trigger.timing) || !/^(INSERT|UPDATE|DELETE)$/.test(trigger.event)) return sql;
  const tokens = tokensOf(sql);
  const word = (i: number, ...words: string[]): boolean => words.includes(tokens[i]?.text.toUpperCase() ?? '');
  const keyword = tokens.findIndex((_t, i) => word(i, 'TRIGGER'));
  const each = tokens.findIndex((_t, i) => i > keyword && word(i, 'FOR') && word(i + 1, 'EACH') && word(i + 2, 'ROW'));
  if (keyword < 0 || each < 0) return sql;
  const body = tokens[word(each + 3, 'FOLLOWS', 'PRECEDES') ? each + 5 : each + 3];
  if (!body) return sql;
  return `${sql.slice(0, tokens[keyword]!.start)}TRIGGER ${ident(trigger.name)} ${trigger.timing} ${trigger.event} ON ${ident(trigger.table)} FOR EACH ROW ${sql.slice(body.start)}`;
}

/** The statement's tokens (words, quoted names and strings, single other characters), comments and spaces left out. */
function tokensOf(sql: string): { text: string; start: number }[] {
  const tokens: { text: string; start: number }[] = [];
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    const start = i;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '#' || (c === '-' && sql.startsWith('-- ', i))) {
      const end = sql.indexOf('\n', i);
      i = end < 0 ? sql.length : end + 1;
      continue;
    }
    if (sql.startsWith('/*', i)) {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? sql.length : end + 2;
      continue;
    }
    if (c === '`' || c === "'" || c === '"') {
      i++;
      while (i < sql.length && !(sql[i] === c && sql[i + 1] !== c)) i += sql[i] === c || (c !== '`' && sql[i] === '\\') ? 2 : 1;
      i++;
    } else if (/[\w$\u0080-\uffff]/.test(c)) {
      while (i < sql.length && /[\w$\u0080-\uffff]/.test(sql[i]!)) i++;
    } else {
      i++;
    }
    tokens.push({ text: sql.slice(start, i), start });
  }
  return tokens;
}
