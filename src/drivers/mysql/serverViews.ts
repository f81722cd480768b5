import type { PoolConnection, RowDataPacket } from 'mysql2/promise';
import { BrowseNode } from '../types';
import type { MySqlPlace } from '../places';
import { coreOf, sessionWillChange } from './deadline';

/** One row of the process list: a connection to the server and what it is doing. */
export interface ProcessRow {
  readonly id: number;
  readonly user: string;
  readonly host: string;
  readonly db: string | null;
  readonly command: string;
  readonly timeSeconds: number;
  readonly state: string | null;
  /** The statement it runs, cut at INFO_CHARS. */
  readonly info: string | null;
  /** The connection that read the list (one of Switchboard's own). */
  readonly own: boolean;
}

/** How much of a running statement the list carries: enough to recognise it, not a whole bulk insert. */
export const INFO_CHARS = 2000;

const text = (value: unknown): string => (value === null || value === undefined ? '' : Buffer.isBuffer(value) ? value.toString('utf8') : String(value));
const orNull = (value: unknown): string | null => (value === null || value === undefined ? null : text(value));

/** The server's connections (those the user may see: all of them with the PROCESS privilege, else their own). */
export async function processList(connection: PoolConnection): Promise<ProcessRow[]> {
  const [rows] = await connection.query<RowDataPacket[]>(
    `SELECT ID AS id, USER AS user, HOST AS host, DB AS db, COMMAND AS command, TIME AS time, STATE AS state, LEFT(INFO, ${INFO_CHARS}) AS info,
       ID = CONNECTION_ID() AS own
     FROM information_schema.PROCESSLIST ORDER BY ID`);
  return rows.map((r) => ({
    id: Number(r['id']), user: text(r['user']), host: text(r['host']), db: orNull(r['db']), command: text(r['command']),
    timeSeconds: Number(r['time']), state: orNull(r['state']), info: orNull(r['info']), own: Number(r['own']) === 1,
  }));
}

/** ER_NO_SUCH_THREAD: the connection had already gone. */
const NO_SUCH_THREAD = 1094;
/** ER_CONNECTION_KILLED: the connection sending KILL was the one killed (Switchboard's own, as the list marks it). */
const CONNECTION_KILLED = 1927;

const errnoOf = (error: unknown): unknown => (typeof error === 'object' && error !== null && 'errno' in error ? error.errno : undefined);

/** KILL QUERY (the statement only) or KILL CONNECTION; false when there was no such connection any more. */
export async function killProcess(connection: PoolConnection, id: number, what: 'query' | 'connection'): Promise<boolean> {
  if (!Number.isSafeInteger(id) || id <= 0) throw new RangeError(`not a connection id: ${id}`);
  // The pool may hand the kill the very connection that read the list: killed, it must not go back to the pool.
  const itself = coreOf(connection).threadId === id;
  if (itself && what === 'connection') sessionWillChange(connection);
  try {
    await connection.query(`KILL ${what === 'query' ? 'QUERY' : 'CONNECTION'} ${id}`);
    return true;
  } catch (error) {
    if (errnoOf(error) === NO_SUCH_THREAD) return false;
    if (itself && errnoOf(error) === CONNECTION_KILLED) return true;
    throw error;
  }
}

export type ServerValueKind = 'status' | 'variables';

/** SHOW GLOBAL STATUS or SHOW GLOBAL VARIABLES, as name/value pairs in the server's order. */
export async function serverValues(connection: PoolConnection, kind: ServerValueKind): Promise<[string, string][]> {
  const [rows] = await connection.query<RowDataPacket[]>(kind === 'status' ? 'SHOW GLOBAL STATUS' : 'SHOW GLOBAL VARIABLES');
  return rows.map((r) => [text(r['Variable_name']), text(r['Value'])]);
}

export interface ServerUser {
  readonly user: string;
  readonly host: string;
}

/** ER_TABLEACCESS_DENIED_ERROR, ER_DBACCESS_DENIED_ERROR: not allowed to read mysql.user. */
const DENIED = new Set([1142, 1044]);

/** The accounts (from mysql.user); a user who may not read it sees only their own. */
export async function serverUsers(connection: PoolConnection): Promise<ServerUser[]> {
  try {
    const [rows] = await connection.query<RowDataPacket[]>('SELECT User AS user, Host AS host FROM mysql.user ORDER BY User, Host');
    return rows.map((r) => ({ user: text(r['user']), host: text(r['host']) }));
  } catch (error) {
    if (!(typeof error === 'object' && error !== null && 'errno' in error && typeof error.errno === 'number' && DENIED.has(error.errno))) throw error;
    const [rows] = await connection.query<RowDataPacket[]>("SELECT SUBSTRING_INDEX(CURRENT_USER(), '@', 1) AS user, SUBSTRING_INDEX(CURRENT_USER(), '@', -1) AS host");
    return rows.map((r) => ({ user: text(r['user']), host: text(r['host']) }));
  }
}

/** SHOW GRANTS FOR an account: one GRANT statement per line, as the server writes them. */
export async function serverGrants(connection: PoolConnection, account: ServerUser): Promise<string[]> {
  // An account with an empty host is a role in MariaDB: SHOW GRANTS FOR takes the role's name alone.
  const [rows] = account.host === ''
    ? await connection.query<RowDataPacket[]>('SHOW GRANTS FOR ?', [account.user])
    : await connection.query<RowDataPacket[]>('SHOW GRANTS FOR ?@?', [account.user, account.host]);
  return rows.map((r) => text(Object.values(r)[0]));
}

export interface ServerViewSource {
  users(): Promise<ServerUser[]>;
  grants(account: ServerUser): Promise<string[]>;
}

/** The "Server" row below a MySQL connection, above its databases. */
export const SERVER_NODE: BrowseNode = { place: { kind: 'mysql', of: 'server' }, label: 'Server', type: 'serverViews', icon: 'server', expandable: true, tooltip: 'Processes, status, variables, users' };

/**
 * The server's own views: Processes, Status and Variables open panels; Users lists the accounts and, below each,
 * its grants (Create User, Grant, Revoke and Drop act on them: see accounts.ts).
 */
export async function serverViewChildren(source: ServerViewSource, place: MySqlPlace): Promise<BrowseNode[]> {
  if (place.of === 'server') {
    return [
      { place: { kind: 'mysql', of: 'serverView', view: 'processes' }, label: 'Processes', type: 'serverView', icon: 'pulse', expandable: false, opens: true },
      { place: { kind: 'mysql', of: 'serverView', view: 'status' }, label: 'Status', type: 'serverView', icon: 'dashboard', expandable: false, opens: true },
      { place: { kind: 'mysql', of: 'serverView', view: 'variables' }, label: 'Variables', type: 'serverView', icon: 'settings', expandable: false, opens: true },
      { place: { kind: 'mysql', of: 'users' }, label: 'Users', type: 'users', icon: 'person', expandable: true },
    ];
  }
  if (place.of === 'users') {
    return (await source.users()).map((u) => ({
      place: { kind: 'mysql', of: 'user', user: u.user, host: u.host }, label: u.host === '' ? u.user : `${u.user}@${u.host}`, type: 'user', icon: u.host === '' ? 'organization' : 'person', expandable: true,
    }));
  }
  if (place.of !== 'user') return [];
  const { user, host } = place;
  return (await source.grants({ user, host })).map((grant, i) => ({
    place: { kind: 'mysql', of: 'grant', user, host, index: i }, label: grant, type: 'grant', icon: 'shield', expandable: false, tooltip: grant,
  }));
}
