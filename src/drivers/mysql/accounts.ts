import type { PoolConnection, RowDataPacket } from 'mysql2/promise';
import { DriverError } from '../errors';
import { ident } from './identifier';
import type { ServerUser } from './serverViews';

/**
 * Account management: CREATE USER, DROP USER / ROLE, GRANT and REVOKE, written here from what the user chose, never
 * from text a user or a server typed into a statement. Account names and the objects granted on are quoted as
 * identifiers (backticks, which read the same in every sql_mode); privileges must be names the server itself lists
 * in SHOW PRIVILEGES; the password is the one string literal, quoted for the session's own sql_mode.
 */

/** Where a privilege applies: the whole server, a database (`db.*`) or one table. */
export interface GrantLevel {
  readonly database?: string;
  readonly table?: string;
}

export type AccountChange =
  | { readonly action: 'create'; readonly account: ServerUser; readonly password: string }
  | { readonly action: 'drop'; readonly account: ServerUser }
  | { readonly action: 'grant' | 'revoke'; readonly account: ServerUser; readonly level: GrantLevel; readonly privileges: readonly string[] };

type Level = 'server' | 'database' | 'table';

/** A privilege the server knows, with the levels SHOW PRIVILEGES says it applies at. */
export interface PrivilegeName {
  readonly name: string;
  readonly levels: readonly Level[];
}

/** One privilege an account holds, as information_schema lists it (column privileges are not listed). */
export interface HeldPrivilege {
  readonly level: GrantLevel;
  readonly privilege: string;
}

/** A privilege name as SQL writes it: words only, upper case ("CREATE TEMPORARY TABLES", "READ_ONLY ADMIN"). */
const PRIVILEGE_WORDS = /^[A-Z_]+(?: [A-Z_]+)*$/;
/** Control characters have no place in a password literal. */
const CONTROL = /[\x00-\x1f\x7f]/;

const text = (value: unknown): string => (Buffer.isBuffer(value) ? value.toString('utf8') : String(value ?? ''));

/** `user`@`host`, or a MariaDB role (empty host) by its name alone. */
export const accountName = (account: ServerUser): string => (account.host === '' ? ident(account.user) : `${ident(account.user)}@${ident(account.host)}`);

/** `*.*`, `db`.* or `db`.`table`. */
export function levelName(level: GrantLevel): string {
  if (level.database === undefined) {
    if (level.table !== undefined) throw new RangeError('a table level needs its database');
    return '*.*';
  }
  return `${ident(level.database)}.${level.table === undefined ? '*' : ident(level.table)}`;
}

/** The password as a string literal for a session whose backslashes are (or are not) escapes. */
function passwordLiteral(password: string, backslashEscapes: boolean): string {
  const quoted = password.replace(/'/g, "''");
  return `'${backslashEscapes ? quoted.replace(/\\/g, '\\\\') : quoted}'`;
}

/**
 * The statement a change runs. With `shown`, the password is masked: this is what a confirmation shows, and the
 * statement that runs differs from it only there.
 */
export function accountStatement(change: AccountChange, options: { readonly shown: true } | { readonly shown: false; readonly backslashEscapes: boolean }): string {
  const who = accountName(change.account);
  switch (change.action) {
    case 'create':
      return `CREATE USER ${who} IDENTIFIED BY ${options.shown ? "'********'" : passwordLiteral(change.password, options.backslashEscapes)}`;
    case 'drop':
      return `${change.account.host === '' ? 'DROP ROLE' : 'DROP USER'} ${who}`;
    case 'grant':
      return `GRANT ${change.privileges.join(', ')} ON ${levelName(change.level)} TO ${who}`;
    case 'revoke':
      return `REVOKE ${change.privileges.join(', ')} ON ${levelName(change.level)} FROM ${who}`;
  }
}

/** What is wrong with a change before it reaches the server, if anything. */
function checkChange(change: AccountChange, known: ReadonlySet<string>): void {
  if (change.account.user === '') throw new DriverError('config', 'An account needs a user name.', 'Anonymous accounts are not managed here; use SQL.');
  if (change.action === 'create') {
    if (change.account.host === '') throw new DriverError('config', 'An account needs a host ("%" is any host).');
    if (CONTROL.test(change.password)) throw new DriverError('config', 'The password holds a control character (a newline, a tab or another).', 'Type the password without it.');
  }
  if (change.action === 'grant' || change.action === 'revoke') {
    if (change.privileges.length === 0) throw new DriverError('config', `Nothing to ${change.action}: no privilege was chosen.`);
    const unknown = change.privileges.filter((p) => !PRIVILEGE_WORDS.test(p) || !known.has(p));
    if (unknown.length > 0) throw new DriverError('config', `Not a privilege this server knows: ${unknown.join(', ')}.`, 'Choose from the privileges SHOW PRIVILEGES lists.');
  }
}

/** The levels each SHOW PRIVILEGES context allows ("Functions,Procedures" are granted per database here). */
const CONTEXT_LEVELS: Readonly<Record<string, readonly Level[]>> = {
  databases: ['server', 'database'],
  functions: ['server', 'database'],
  procedures: ['server', 'database'],
  tables: ['server', 'database', 'table'],
  indexes: ['server', 'database', 'table'],
};
/** Database privileges that SHOW PRIVILEGES files under "Server Admin" (in MySQL and MariaDB alike). */
const DATABASE_TOO = new Set(['EVENT']);

/** SHOW PRIVILEGES: each privilege by its SQL name, with the levels its context names. USAGE (no privilege) is left out. */
export async function privilegeNames(connection: PoolConnection): Promise<PrivilegeName[]> {
  const [rows] = await connection.query<RowDataPacket[]>('SHOW PRIVILEGES');
  const names: PrivilegeName[] = [];
  for (const row of rows) {
    const name = text(row['Privilege']).toUpperCase();
    if (name === 'USAGE' || !PRIVILEGE_WORDS.test(name)) continue;
    const levels = new Set<Level>(['server']);
    for (const context of text(row['Context']).toLowerCase().split(',')) for (const level of CONTEXT_LEVELS[context.trim()] ?? []) levels.add(level);
    if (DATABASE_TOO.has(name)) levels.add('database');
    names.push({ name, levels: (['server', 'database', 'table'] as const).filter((l) => levels.has(l)) });
  }
  return names;
}

/**
 * The privileges an account holds at the server, database and table levels, from information_schema, where GRANTEE
 * is 'user'@'host' written without escapes (a role's host is empty; MariaDB lists no global privileges of roles
 * there). GRANT OPTION is listed where a level's privileges are grantable.
 */
export async function heldPrivileges(connection: PoolConnection, account: ServerUser): Promise<HeldPrivilege[]> {
  const grantee = `'${account.user}'@'${account.host}'`;
  const [rows] = await connection.query<RowDataPacket[]>(
    `SELECT NULL AS db, NULL AS tbl, PRIVILEGE_TYPE AS privilege, IS_GRANTABLE AS grantable FROM information_schema.USER_PRIVILEGES WHERE GRANTEE = ?
     UNION ALL SELECT TABLE_SCHEMA, NULL, PRIVILEGE_TYPE, IS_GRANTABLE FROM information_schema.SCHEMA_PRIVILEGES WHERE GRANTEE = ?
     UNION ALL SELECT TABLE_SCHEMA, TABLE_NAME, PRIVILEGE_TYPE, IS_GRANTABLE FROM information_schema.TABLE_PRIVILEGES WHERE GRANTEE = ?`,
    [grantee, grantee, grantee]);
  const held: HeldPrivilege[] = [];
  const grantable = new Map<string, GrantLevel>();
  for (const row of rows) {
    const privilege = text(row['privilege']).toUpperCase();
    if (privilege === 'USAGE') continue;
    const level: GrantLevel = row['db'] === null ? {} : row['tbl'] === null ? { database: text(row['db']) } : { database: text(row['db']), table: text(row['tbl']) };
    held.push({ level, privilege });
    if (text(row['grantable']) === 'YES') grantable.set(levelName(level), level);
  }
  for (const level of grantable.values()) held.push({ level, privilege: 'GRANT OPTION' });
  return held;
}

/** Runs one change on a writable connection, after checking it against the server's own privilege names. */
export async function changeAccount(connection: PoolConnection, change: AccountChange): Promise<void> {
  const known = change.action === 'grant' || change.action === 'revoke' ? new Set((await privilegeNames(connection)).map((p) => p.name)) : new Set<string>();
  checkChange(change, known);
  const [modes] = await connection.query<RowDataPacket[]>('SELECT @@SESSION.sql_mode AS mode');
  const backslashEscapes = !/\bNO_BACKSLASH_ESCAPES\b/.test(text(modes[0]?.['mode']));
  await connection.query(accountStatement(change, { shown: false, backslashEscapes }));
}
