import type { Writable } from 'node:stream';
import { createPool, Pool, RowDataPacket } from 'mysql2/promise';
import { BrowseNode, ConnectOptions, Driver, MySqlProfile, Session } from '../types';
import { DriverError, isDriverError, messageOf, networkError, redact, timeoutError, withTimeout } from '../errors';
import { StateEmitter } from '../stateEmitter';
import { exportResult, ExportOptions } from './exportResult';
import { liveModels, LiveModels, SequelizeTarget } from './liveModels';
import { modelGraph, ModelGraph } from './modelSpec';
import { previewSql, runOrmQuery } from './orm';
import { OrmQuery, OrmResult } from './ormShapes';
import { readSchema, TableSchema } from './schema';
import { schemaChildren } from './schemaTree';
import { runScratchpad, ScratchpadOptions, ScratchpadResult } from './scratchpad';
import { SqlRun } from './sqlRun';
import { applyStatements, editStatements, EditRequest, EditTarget } from './rowEdits';
import { Cell, ColumnInfo } from './resultShapes';
import { RowStore } from './rowStore';

import { splitStatements, statementAt, Statement } from './statements';
import { modelSource } from './modelSource';

export { splitStatements, modelSource };
export type { SqlRun, EditTarget, EditRequest };

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

/** A MySQL / MariaDB connection: schema tree, SQL runs, exports, and Sequelize models read from the live schema. */
export class MySqlSession implements Session {
  readonly kind = 'mysql';
  private readonly states = new StateEmitter();
  private readonly schemas = new Map<string, Promise<TableSchema[]>>();
  private readonly live = new Map<string, Promise<LiveModels>>();

  constructor(private readonly pool: Pool, private readonly profile: MySqlProfile, private readonly target: Omit<SequelizeTarget, 'database'>) {}

  get readOnly(): boolean {
    return this.profile.readOnly;
  }

  get defaultDatabase(): string | undefined {
    return this.profile.database;
  }

  async describe(): Promise<string> {
    const [rows] = await this.pool.query<RowDataPacket[]>('SELECT VERSION() AS v');
    const version = String(rows[0]?.['v'] ?? '');
    return /mariadb/i.test(version) ? `MariaDB ${version.replace(/-MariaDB.*$/i, '')}` : `MySQL ${version}`;
  }

  async databases(): Promise<string[]> {
    const [rows] = await this.pool.query<RowDataPacket[]>('SELECT SCHEMA_NAME AS name FROM information_schema.SCHEMATA ORDER BY SCHEMA_NAME');
    return rows.map((r) => String(r['name']));
  }

  children(node?: BrowseNode): Promise<BrowseNode[]> {
    return schemaChildren(this, this.profile.database, node);
  }

  /** Tables of a database with columns, keys and indexes; cached until `forget`. */
  schema(database: string): Promise<TableSchema[]> {
    let schema = this.schemas.get(database);
    if (!schema) {
      schema = readSchema(this.pool, database);
      schema.catch(() => this.schemas.delete(database));
      this.schemas.set(database, schema);
    }
    return schema;
  }

  async modelGraph(database: string): Promise<ModelGraph> {
    return modelGraph(database, await this.schema(database));
  }

  /** Sequelize with a model per table, on a connection of its own. */
  models(database: string): Promise<LiveModels> {
    let models = this.live.get(database);
    if (!models) {
      models = this.modelGraph(database).then(async (graph) => {
        const live = liveModels({ ...this.target, database }, graph);
        // Connect now: Sequelize's first-connection queries (server version) then stay out of what is previewed.
        await live.sequelize.authenticate();
        return live;
      });
      models.catch(() => this.live.delete(database));
      this.live.set(database, models);
    }
    return models;
  }

  /** Drops what was read of a database's schema (after DDL, or on Refresh). */
  async forget(database: string): Promise<void> {
    this.schemas.delete(database);
    const models = this.live.get(database);
    this.live.delete(database);
    await (await models?.catch(() => undefined))?.sequelize.close().catch(() => undefined);
  }

  /** The statements of a script, or the one at an offset: split the way the mysql client splits. */
  statements(sql: string, offset?: number): Statement[] {
    if (offset === undefined) return splitStatements(sql);
    const at = statementAt(sql, offset);
    return at ? [at] : [];
  }

  /** TypeScript Sequelize models of a database, for the user's project. */
  async modelSource(database: string): Promise<string> {
    return modelSource(await this.modelGraph(database));
  }

  openRun(database: string | undefined): Promise<SqlRun> {
    return SqlRun.open(this.pool, database, this.profile.readOnly, this.profile.name);
  }

  /** A grid store holding rows that did not come from the server as they are (ORM results, scratchpad values). */
  textRows(columns: number, rows: readonly Cell[][]): RowStore {
    const store = RowStore.ofText(columns);
    for (const row of rows) store.add(row);
    return store;
  }

  export(sql: string, out: Writable, options: ExportOptions): Promise<number> {
    return exportResult(this.pool, sql, out, options);
  }

  /** Where a result's rows can be edited: one table, its whole primary key among the columns. */
  async editTarget(columns: readonly ColumnInfo[]): Promise<EditTarget | undefined> {
    const [first] = columns;
    if (!first?.table || !first.database || columns.some((c) => c.table !== first.table || c.database !== first.database)) return undefined;
    const table = (await this.schema(first.database)).find((t) => t.name === first.table && !t.view);
    const key = table?.columns.filter((c) => c.primaryKey).map((c) => c.name) ?? [];
    const keyColumns = key.map((name) => columns.findIndex((c) => c.name === name));
    if (key.length === 0 || keyColumns.some((i) => i < 0)) return undefined;
    return { database: first.database, table: first.table, columns, keyColumns };
  }

  editStatements(target: EditTarget, edits: readonly EditRequest[]): string[] {
    if (this.profile.readOnly) throw new DriverError('readOnly', `Editing rows refused: "${this.profile.name}" is a read-only connection.`);
    return editStatements(target, edits);
  }

  async applyStatements(statements: readonly string[]): Promise<number> {
    if (this.profile.readOnly) throw new DriverError('readOnly', `Editing rows refused: "${this.profile.name}" is a read-only connection.`);
    return applyStatements(this.pool, statements);
  }

  async previewOrm(database: string, query: OrmQuery): Promise<string[]> {
    return previewSql(await this.models(database), query);
  }

  async runOrm(database: string, query: OrmQuery): Promise<OrmResult> {
    return runOrmQuery(await this.models(database), query);
  }

  async scratchpad(database: string, code: string, options: ScratchpadOptions): Promise<ScratchpadResult> {
    if (options.commit && this.profile.readOnly) throw new DriverError('readOnly', `Committing refused: "${this.profile.name}" is a read-only connection.`, 'Run the snippet without committing.');
    return runScratchpad(await this.models(database), code, options, async (threadId) => {
      await this.pool.query(`KILL QUERY ${Number(threadId)}`).catch(() => undefined);
    });
  }

  onState(listener: Parameters<Session['onState']>[0]): () => void {
    return this.states.on(listener);
  }

  async close(): Promise<void> {
    this.states.clear();
    await Promise.all([...this.live.keys()].map((db) => this.forget(db)));
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
      // JSON as the server's text: a parse and a stringify would round numbers past 2^53.
      jsonStrings: true,
      charset: 'utf8mb4',
      ...(profile.tls ? { ssl: { rejectUnauthorized: true } } : {}),
    });
    // Read-only connections are read-only on the server too, for every statement on every pooled connection.
    if (profile.readOnly) pool.pool.on('connection', (connection) => connection.query('SET SESSION TRANSACTION READ ONLY', () => undefined));
    try {
      const connection = await withTimeout(pool.getConnection(), options.timeoutMs + 1000, () => timeoutError('MySQL', endpoint, options.timeoutMs, 'MySQL greeting'));
      connection.release();
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw connectError(error, endpoint, options);
    }
    const target = {
      host: options.endpoint?.host ?? profile.host, port: options.endpoint?.port ?? profile.port, user: profile.username,
      password: options.secrets.password ?? '', ssl: profile.tls, readOnly: profile.readOnly,
    };
    return new MySqlSession(pool, profile, target);
  },
};
