import { createPool, Pool, RowDataPacket } from 'mysql2/promise';
import { BrowseNode, ConnectOptions, Driver, MySqlProfile, Session } from '../types';
import { DriverError, isDriverError, messageOf, networkError, redact, timeoutError, withTimeout } from '../errors';
import { StateEmitter } from '../stateEmitter';

const SYSTEM_SCHEMAS = new Set(['information_schema', 'performance_schema', 'mysql', 'sys']);

function connectError(error: unknown, endpoint: string, options: ConnectOptions): Error {
  if (isDriverError(error)) return error;
  const code = typeof error === 'object' && error && 'code' in error ? String(error.code) : '';
  if (code === 'ER_ACCESS_DENIED_ERROR' || code === 'ER_DBACCESS_DENIED_ERROR') {
    return new DriverError('auth', `MySQL at ${endpoint} denied access (${code}).`, 'Check the user name, password and the database grants.');
  }
  if (code === 'ER_BAD_DB_ERROR') return new DriverError('config', `MySQL at ${endpoint}: the database does not exist (ER_BAD_DB_ERROR).`, 'Edit the connection and pick an existing database, or leave it empty.');
  if (code === 'ETIMEDOUT') return timeoutError('MySQL', endpoint, options.timeoutMs, 'MySQL greeting');
  const net = networkError(error, 'MySQL', endpoint);
  if (net) return net;
  const text = redact(messageOf(error), [options.secrets.password]);
  if (/HANDSHAKE_SSL|SSL|TLS/i.test(code + text)) return new DriverError('tls', `TLS to MySQL at ${endpoint} failed: ${text}.`, 'Check whether the server offers TLS.');
  if (/packet|protocol|handshake|Malformed|PROTOCOL/i.test(code + text)) {
    return new DriverError('protocol', `The server at ${endpoint} does not speak the MySQL protocol (${text.slice(0, 80)}).`, 'Check the port: is this really MySQL or MariaDB?');
  }
  return new DriverError('server', `MySQL at ${endpoint}: ${text}`, undefined, { cause: error });
}

const ident = (name: string): string => `\`${name.replace(/`/g, '``')}\``;

class MySqlSession implements Session {
  readonly kind = 'mysql';
  private readonly states = new StateEmitter();

  constructor(private readonly pool: Pool, private readonly profile: MySqlProfile) {}

  async describe(): Promise<string> {
    const [rows] = await this.pool.query<RowDataPacket[]>('SELECT VERSION() AS v');
    const version = String(rows[0]?.['v'] ?? '');
    return /mariadb/i.test(version) ? `MariaDB ${version.replace(/-MariaDB.*$/i, '')}` : `MySQL ${version}`;
  }

  async children(node?: BrowseNode): Promise<BrowseNode[]> {
    const [what, db, , table] = node?.path ?? [];
    if (!node) return this.databases();
    if (what === 'db' && db !== undefined && table === undefined) return this.tables(db);
    if (what === 'db' && db !== undefined && table !== undefined) return this.columns(db, table);
    return [];
  }

  private async databases(): Promise<BrowseNode[]> {
    const [rows] = await this.pool.query<RowDataPacket[]>('SELECT SCHEMA_NAME AS name FROM information_schema.SCHEMATA ORDER BY SCHEMA_NAME');
    const names = rows.map((r) => String(r['name']));
    // The profile's own database first, then user schemas, then the system ones.
    const rank = (name: string): number => (name === this.profile.database ? 0 : SYSTEM_SCHEMAS.has(name) ? 2 : 1);
    return names
      .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
      .map((name) => ({ path: ['db', name], label: name, type: SYSTEM_SCHEMAS.has(name) ? 'systemDb' : 'db', icon: 'database', expandable: true }));
  }

  private async tables(db: string): Promise<BrowseNode[]> {
    const [rows] = await this.pool.query<RowDataPacket[]>(
      'SELECT TABLE_NAME AS name, TABLE_TYPE AS type, TABLE_ROWS AS estimate, ENGINE AS engine FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME',
      [db],
    );
    return rows.map((r) => {
      const isView = String(r['type']) === 'VIEW';
      const estimate = r['estimate'] === null ? undefined : Number(r['estimate']);
      return {
        path: ['db', db, 'table', String(r['name'])],
        label: String(r['name']),
        type: isView ? 'view' : 'table',
        icon: isView ? 'eye' : 'table',
        expandable: true,
        description: isView ? 'view' : `~${estimate ?? '?'} rows`,
        tooltip: isView ? `${db}.${String(r['name'])} (view)` : `${db}.${String(r['name'])}: about ${estimate ?? '?'} rows (estimate), ${String(r['engine'] ?? '')}`,
      };
    });
  }

  private async columns(db: string, table: string): Promise<BrowseNode[]> {
    const [rows] = await this.pool.query<RowDataPacket[]>(`SHOW FULL COLUMNS FROM ${ident(db)}.${ident(table)}`);
    return rows.map((r) => {
      const key = String(r['Key'] ?? '');
      const nullable = r['Null'] === 'YES';
      const def = r['Default'];
      const parts = [String(r['Type']), nullable ? 'null' : 'not null', key === 'PRI' ? 'primary key' : key === 'UNI' ? 'unique' : key === 'MUL' ? 'indexed' : '', def === null || def === undefined ? '' : `default ${String(def)}`];
      return {
        path: ['db', db, 'table', table, 'column', String(r['Field'])],
        label: String(r['Field']),
        type: 'column',
        icon: key === 'PRI' ? 'key' : 'symbol-field',
        expandable: false,
        description: parts.filter(Boolean).join(' · '),
      };
    });
  }

  onState(listener: Parameters<Session['onState']>[0]): () => void {
    return this.states.on(listener);
  }

  async close(): Promise<void> {
    this.states.clear();
    await this.pool.end().catch(() => undefined);
  }
}

export const driver: Driver<MySqlProfile> = {
  async connect(profile, options) {
    const endpoint = `${profile.host}:${profile.port}`;
    const pool = createPool({
      host: options.endpoint?.host ?? profile.host,
      port: options.endpoint?.port ?? profile.port,
      user: profile.username,
      password: options.secrets.password ?? '',
      ...(profile.database ? { database: profile.database } : {}),
      connectTimeout: options.timeoutMs,
      connectionLimit: 4,
      maxIdle: 1,
      enableKeepAlive: true,
      supportBigNumbers: true,
      bigNumberStrings: true,
      dateStrings: true,
      charset: 'utf8mb4',
      ...(profile.tls ? { ssl: { rejectUnauthorized: true } } : {}),
    });
    try {
      const connection = await withTimeout(pool.getConnection(), options.timeoutMs + 1000, () => timeoutError('MySQL', endpoint, options.timeoutMs, 'MySQL greeting'));
      connection.release();
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw connectError(error, endpoint, options);
    }
    return new MySqlSession(pool, profile);
  },
};
