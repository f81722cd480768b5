import type { PoolConnection, RowDataPacket } from 'mysql2/promise';
import { DriverError } from '../errors';
import { MySqlProfile } from '../types';
import { killProcess, processList, ProcessRow, serverGrants, serverUsers, serverValues, ServerValueKind, ServerUser } from './serverViews';
import { AccountChange, changeAccount, HeldPrivilege, heldPrivileges, PrivilegeName, privilegeNames } from './accounts';

/** One operation on a pooled connection, bounded by the query timeout (see deadline.ts). */
export type BoundedWork = <T>(what: string, work: (connection: PoolConnection) => Promise<T>) => Promise<T>;

/**
 * The server's own views (process list, status and variables, users and grants) and its accounts, as a session reads
 * and changes them; every change is refused on a read-only connection before anything is sent.
 */
export class MySqlServerAdmin {
  constructor(private readonly bounded: BoundedWork, private readonly profile: Pick<MySqlProfile, 'name' | 'readOnly'>) {}

  processes(): Promise<ProcessRow[]> {
    return this.bounded('reading the process list', processList);
  }

  /** KILL QUERY or KILL CONNECTION of another connection; refused on read-only connections. */
  kill(id: number, what: 'query' | 'connection'): Promise<boolean> {
    if (this.profile.readOnly) return Promise.reject(new DriverError('readOnly', `Killing ${what === 'query' ? 'a query' : 'a connection'} refused: "${this.profile.name}" is a read-only connection.`));
    return this.bounded(`killing connection ${id}`, (c) => killProcess(c, id, what));
  }

  serverValues(kind: ServerValueKind): Promise<[string, string][]> {
    return this.bounded(kind === 'status' ? 'reading the server status' : 'reading the server variables', (c) => serverValues(c, kind));
  }

  users(): Promise<ServerUser[]> {
    return this.bounded('listing the users', serverUsers);
  }

  grants(account: ServerUser): Promise<string[]> {
    return this.bounded(`reading the grants of ${account.user}`, (c) => serverGrants(c, account));
  }

  /** The tables and views of a database as the server lists them now (not the schema cached for completion). */
  async tableNames(database: string): Promise<string[]> {
    const [rows] = await this.bounded(`listing the tables of ${database}`, (c) => c.query<RowDataPacket[]>('SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME', [database]));
    return rows.map((r) => String(r['name']));
  }

  /** The privileges the server knows (SHOW PRIVILEGES) and where each applies. */
  privilegeNames(): Promise<PrivilegeName[]> {
    return this.bounded('reading the privileges the server knows', privilegeNames);
  }

  /** What an account holds at the server, database and table levels. */
  heldPrivileges(account: ServerUser): Promise<HeldPrivilege[]> {
    return this.bounded(`reading the privileges of ${account.user}`, (c) => heldPrivileges(c, account));
  }

  /** CREATE USER, DROP USER / ROLE, GRANT or REVOKE (see accounts.ts); refused on read-only connections. */
  changeAccount(change: AccountChange): Promise<void> {
    if (this.profile.readOnly) return Promise.reject(new DriverError('readOnly', `Changing accounts refused: "${this.profile.name}" is a read-only connection.`));
    return this.bounded(`changing the account ${change.account.user}`, (c) => changeAccount(c, change));
  }
}
