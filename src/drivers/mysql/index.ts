import type { Writable } from 'node:stream';
import type { Connection as CoreConnection } from 'mysql2';
import { createPool, Pool, PoolConnection, RowDataPacket } from 'mysql2/promise';
import { bounded, killQuery } from './deadline';
import type { RunPlace } from './queryRunner';
import { streamWhenReady } from '../streamWhenReady';
import { BrowseNode, Driver, MySqlProfile, Session, Tunnel } from '../types';
import { placeOf } from '../places';
import { DriverError, timeoutError, withTimeout } from '../errors';
import { StateEmitter } from '../stateEmitter';
import { exportResult, ExportOptions } from './exportResult';
import { liveModels, LiveModels, SequelizeTarget } from './liveModels';
import { modelGraph, ModelGraph } from './modelSpec';
import { previewSql, runOrmQuery } from './orm';
import { OrmQuery, OrmResult } from './ormShapes';
import { ColumnSchema, readSchema, TableSchema } from './schema';
import { schemaChildren } from './schemaTree';
import { runScratchpad, ScratchpadOptions, ScratchpadResult } from './scratchpad';
import { SqlRun } from './sqlRun';
import { applyStatements, describeEdit, editStatements, EditRequest, EditTarget, PreparedEdit } from './rowEdits';
import { Cell, ColumnInfo } from './resultShapes';
import { RowStore } from './rowStore';
import { ServerCatalog } from './catalog';
import { complete, CompletionFacts, hover, HoverFacts } from './sqlCompletion';
import { changesSchema } from './sqlScope';
import { Page, PagePosition, PageQuery, readPage, tableLayout, TableLayout } from './tableData';
import { mySqlTls, sslOption } from './tls';
import { connectError } from './connectError';
import { dumpSql, DumpOptions, DumpSummary } from './dump';
import { CsvImportOptions, CsvImportPlan, CsvMapping, importCsv, mappingByHeader, previewCsv } from './csvImport';
import type { CsvField } from './csvValues';

import { splitStatements, statementAt, Statement } from './statements';
import { StatementIndex } from './statementIndex';
import { explainCheck, ExplainMode, ExplainPlan, explainStatement, ExplainVerdict } from './explain';
import { ProcessRow, SERVER_NODE, ServerValueKind, serverViewChildren, ServerUser } from './serverViews';
import { MySqlServerAdmin } from './serverAdmin';
import { modelSource } from './modelSource';
import type { AccountChange, GrantLevel, HeldPrivilege, PrivilegeName } from './accounts';

export { splitStatements, modelSource, previewCsv, mappingByHeader };
export type { DumpProgress, DumpSummary } from './dump';
export type { CsvImportPlan, CsvMapping } from './csvImport';
export type { CsvField } from './csvValues';
export type { SqlRun, EditTarget, EditRequest, PreparedEdit, TableLayout, Page, PagePosition, PageQuery };
export type { ExplainMode, ExplainPlan, ExplainVerdict, ProcessRow, ServerValueKind, ServerUser };
export type { AccountChange, GrantLevel, HeldPrivilege, PrivilegeName, MySqlServerAdmin };

/** The query timeout when the caller names none (the switchboard.mysql.queryTimeoutSeconds default). */
const DEFAULT_QUERY_TIMEOUT_MS = 300_000;

/** A MySQL / MariaDB connection: schema tree, SQL runs, exports, and Sequelize models read from the live schema. */
export class MySqlSession implements Session {
  readonly kind = 'mysql';
  private readonly states = new StateEmitter();
  private readonly schemas = new Map<string, Promise<TableSchema[]>>();
  private readonly live = new Map<string, Promise<LiveModels>>();
  /** The connections Sequelize opened per database, to drop when the server stops answering. */
  private readonly liveConnections = new Map<string, Set<CoreConnection>>();
  /** What completion and hover know of the server, loaded in the background on first use. */
  private readonly catalog: ServerCatalog;
  /** The statements of the document last completed in, kept between keystrokes. */
  private readonly statementIndex = new StatementIndex();
  /** The server's views and accounts: process list, status, variables, users, grants, account changes. */
  readonly server: MySqlServerAdmin;

  /** `tunnel`: the SSH tunnel the connection rides on, if any. */
  constructor(private readonly pool: Pool, private readonly profile: MySqlProfile, private readonly target: Omit<SequelizeTarget, 'database'>, private readonly place: RunPlace, private readonly tunnel?: Tunnel) {
    this.catalog = new ServerCatalog(pool, place.endpoint, place.timeoutMs, () => this.databases());
    this.server = new MySqlServerAdmin((what, work) => this.bounded(what, work), profile);
  }

  /** One operation on a pooled connection, bounded by the query timeout (see deadline.ts). */
  private bounded<T>(what: string, work: (connection: PoolConnection) => Promise<T>): Promise<T> {
    return bounded(this.pool, this.place.endpoint, this.place.timeoutMs, what, work);
  }

  /**
   * An ORM operation bounded by the query timeout: past it, Sequelize's connections for the database are killed and
   * dropped, and the next ORM operation starts on new ones.
   */
  private async withOrm<T>(database: string, what: string, work: (live: LiveModels) => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        for (const connection of this.liveConnections.get(database) ?? []) {
          void killQuery(this.pool, connection.threadId ?? undefined);
          connection.destroy();
        }
        void this.forget(database);
        reject(new DriverError('timeout', `MySQL at ${this.place.endpoint} did not finish ${what} within ${this.place.timeoutMs / 1000} s, so it was stopped and its connection dropped.`,
          'If the server is busy or unreachable, try again later; the next query opens a new connection. The limit is the query timeout.'));
      }, this.place.timeoutMs);
    });
    expired.catch(() => undefined);
    try {
      return await Promise.race([this.models(database).then(work), expired]);
    } finally {
      clearTimeout(timer);
    }
  }

  get readOnly(): boolean {
    return this.profile.readOnly;
  }

  get defaultDatabase(): string | undefined {
    return this.profile.database;
  }

  async describe(): Promise<string> {
    const [rows] = await this.bounded('reading the server version', (c) => c.query<RowDataPacket[]>('SELECT VERSION() AS v'));
    const version = String(rows[0]?.['v'] ?? '');
    return /mariadb/i.test(version) ? `MariaDB ${version.replace(/-MariaDB.*$/i, '')}` : `MySQL ${version}`;
  }

  async databases(): Promise<string[]> {
    const [rows] = await this.bounded('listing the databases', (c) => c.query<RowDataPacket[]>('SELECT SCHEMA_NAME AS name FROM information_schema.SCHEMATA ORDER BY SCHEMA_NAME'));
    return rows.map((r) => String(r['name']));
  }

  async children(node?: BrowseNode): Promise<BrowseNode[]> {
    const place = placeOf('mysql', node?.place);
    if (place?.of === 'server' || place?.of === 'users' || place?.of === 'user') return serverViewChildren(this.server, place);
    const schema = await schemaChildren(this, this.profile.database, node);
    // Below the databases, as the Redis connection's Server row.
    return node ? schema : [...schema, SERVER_NODE];
  }

  /** Whether a statement can be explained here and whether it only reads (ANALYZE of a write is confirmed first). */
  explainVerdict(sql: string): Promise<ExplainVerdict & { mariadb: boolean }> {
    return this.bounded('reading the statement', (c) => explainCheck(c, sql));
  }

  /** EXPLAIN FORMAT=JSON, or ANALYZE, of one statement as a tree of steps (see explain.ts for what is refused). */
  explain(sql: string, database: string | undefined, mode: ExplainMode, writeConfirmed = false): Promise<ExplainPlan> {
    const request = { sql, database, mode, readOnly: this.profile.readOnly, profileName: this.profile.name, writeConfirmed };
    return this.bounded(mode === 'analyze' ? 'analyzing the statement' : 'explaining the statement', (c) => explainStatement(c, request));
  }

  /** Tables of a database with columns, keys and indexes; cached until `forget`. */
  schema(database: string): Promise<TableSchema[]> {
    let schema = this.schemas.get(database);
    if (!schema) {
      schema = this.bounded(`reading the schema of ${database}`, (c) => readSchema(c, database));
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
      const connections = new Set<CoreConnection>();
      this.liveConnections.set(database, connections);
      models = this.modelGraph(database).then(async (graph) => {
        const live = liveModels({ ...this.target, database }, graph, async (connection) => {
          connections.add(connection);
          connection.once('end', () => connections.delete(connection));
        });
        // Connect now: Sequelize's first-connection queries (server version) then stay out of what is previewed.
        await live.sequelize.authenticate();
        return live;
      });
      models.catch(() => this.live.delete(database));
      this.live.set(database, models);
    }
    return models;
  }

  /** A table or view as the data view reads it; undefined if the database has no such table. */
  async tableLayout(database: string, table: string): Promise<TableLayout | undefined> {
    const schema = (await this.schema(database)).find((t) => t.name === table);
    return schema && this.bounded(`reading the columns of ${table}`, (c) => tableLayout(c, schema, database));
  }

  /** One page of a table for the data view: a plain read, whatever the filter holds (see tableData.ts). */
  readPage(layout: TableLayout, query: PageQuery, position: PagePosition, pageSize: number, signal?: AbortSignal): Promise<Page> {
    return readPage(this.pool, this.place, layout, query, position, pageSize, signal);
  }

  /** What to offer at an offset of SQL being typed, from what the catalog holds so far (never waiting for it). */
  complete(text: string, offset: number, database: string | undefined): CompletionFacts {
    return complete(this.catalog, text, offset, database ?? this.profile.database, this.statementIndex);
  }

  /** What a table or column name at an offset is, from the catalog. */
  hover(text: string, offset: number, database: string | undefined): HoverFacts | undefined {
    return hover(this.catalog, text, offset, database ?? this.profile.database, this.statementIndex);
  }

  /** Resolves once the catalog of a database (and the server's words) have loaded, or failed to. */
  async catalogLoaded(database: string | undefined): Promise<void> {
    await this.catalog.ready();
    const name = database ?? this.profile.database;
    if (name) await this.catalog.schema(name).loaded.catch(() => undefined);
  }

  /** How far the catalog of a database has got: loading, ready, or failed (and why); without starting a read. */
  catalogState(database: string): { state: 'absent' | 'loading' | 'ready' | 'failed'; error?: unknown } {
    const schema = this.catalog.known(database);
    return schema ? { state: schema.state, ...(schema.failed ? { error: schema.failed.error } : {}) } : { state: 'absent' };
  }

  /** Whether a statement changes the schema (DDL): what completion knows is read again after it runs. */
  changesSchema(sql: string): boolean {
    return changesSchema(sql);
  }

  /** Drops everything completion knows of the server; it is read again on next use. */
  refreshCatalog(): void {
    this.catalog.forget();
  }

  /** Drops what was read of a database's schema (after DDL, or on Refresh). */
  async forget(database: string): Promise<void> {
    this.catalog.forget(database);
    this.schemas.delete(database);
    const models = this.live.get(database);
    this.live.delete(database);
    this.liveConnections.delete(database);
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
    return SqlRun.open(this.pool, database, this.profile.readOnly, this.profile.name, this.place);
  }

  /** A grid store holding rows that did not come from the server as they are (ORM results, scratchpad values). */
  textRows(columns: number, rows: readonly Cell[][]): RowStore {
    const store = RowStore.ofText(columns);
    for (const row of rows) store.add(row);
    return store;
  }

  export(sql: string, out: Writable, options: ExportOptions): Promise<number> {
    return exportResult(this.pool, sql, out, { timeoutMs: this.place.timeoutMs, ...options }, this.place.endpoint);
  }

  /** A database, or some of its tables and views, as SQL the mariadb client restores, streamed into `out`. */
  dump(out: Writable, options: Omit<DumpOptions, 'timeoutMs'>): Promise<DumpSummary> {
    return dumpSql(this.pool, this.place.endpoint, out, { ...options, timeoutMs: this.place.timeoutMs });
  }

  /** The first records of a CSV file, to show and map its fields by. */
  previewCsv(file: string, delimiter: string | undefined, count: number): Promise<CsvField[][]> {
    return previewCsv(file, delimiter, count);
  }

  /** Table columns filled from the header fields that name them. */
  mappingByHeader(header: readonly CsvField[], columns: readonly ColumnSchema[]): CsvMapping[] {
    return mappingByHeader(header, columns);
  }

  /** A CSV file into a table, in one transaction, every field checked first; refused on read-only connections. */
  importCsv(plan: CsvImportPlan, options: Omit<CsvImportOptions, 'timeoutMs'>): Promise<{ rows: number }> {
    return importCsv(this.pool, this.place.endpoint, this.profile.readOnly, this.profile.name, plan, { ...options, timeoutMs: this.place.timeoutMs });
  }

  /** Where a result's rows can be edited: one table, its whole primary key among the columns. */
  async editTarget(columns: readonly ColumnInfo[]): Promise<EditTarget | undefined> {
    const [first] = columns;
    if (!first?.table || !first.database || columns.some((c) => c.table !== first.table || c.database !== first.database)) return undefined;
    const table = (await this.schema(first.database)).find((t) => t.name === first.table && !t.view);
    const key = table?.columns.filter((c) => c.primaryKey).map((c) => c.name) ?? [];
    const keyColumns = key.map((name) => columns.findIndex((c) => (c.origin || c.name) === name));
    // Every column must be one of the table's own (an alias is fine): the edit matches the row by all of them.
    const known = new Set(table?.columns.map((c) => c.name));
    if (key.length === 0 || keyColumns.some((i) => i < 0) || columns.some((c) => !known.has(c.origin || c.name))) return undefined;
    return { database: first.database, table: first.table, columns, keyColumns };
  }

  editStatements(target: EditTarget, edits: readonly EditRequest[]): PreparedEdit[] {
    if (this.profile.readOnly) throw new DriverError('readOnly', `Editing rows refused: "${this.profile.name}" is a read-only connection.`);
    return editStatements(target, edits);
  }

  /** What the review shows for each edit: the statement the server receives and the values bound to it. */
  describeEdits(edits: readonly PreparedEdit[]): string[] {
    return edits.map(describeEdit);
  }

  async applyStatements(edits: readonly PreparedEdit[]): Promise<number> {
    if (this.profile.readOnly) throw new DriverError('readOnly', `Editing rows refused: "${this.profile.name}" is a read-only connection.`);
    return this.bounded(`saving ${edits.length} row edit${edits.length === 1 ? '' : 's'} (the server rolls back what a dropped connection had not committed)`, (c) => applyStatements(c, edits));
  }

  async previewOrm(database: string, query: OrmQuery): Promise<string[]> {
    return this.withOrm(database, 'preparing the ORM query', (live) => previewSql(live, query));
  }

  async runOrm(database: string, query: OrmQuery): Promise<OrmResult> {
    return this.withOrm(database, 'the ORM query', (live) => runOrmQuery(live, query));
  }

  async scratchpad(database: string, code: string, options: ScratchpadOptions): Promise<ScratchpadResult> {
    if (options.commit && this.profile.readOnly) throw new DriverError('readOnly', `Committing refused: "${this.profile.name}" is a read-only connection.`, 'Run the snippet without committing.');
    // A worker thread cannot be handed an SSH channel: through a tunnel it dials the tunnel's private Unix socket.
    const { stream, ...plain } = this.target;
    const socketPath = stream && this.tunnel ? await this.tunnel.socketPath() : undefined;
    const job = { target: { ...plain, database, ...(socketPath ? { socketPath } : {}) }, graph: await this.modelGraph(database), code, language: options.language, commit: options.commit };
    // Killing the connection (not only its query) rolls the worker's transaction back on the server at once.
    return runScratchpad(job, options, (threadId) => killQuery(this.pool, threadId, 'connection'));
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

export const driver: Driver<MySqlProfile, MySqlSession> = {
  async connect(profile, options) {
    const endpoint = `${profile.host}:${profile.port}`;
    // Through SSH each pooled connection gets its own SSH channel as its stream; no port opens on this machine.
    const tunnel = options.tunnel;
    const stream = tunnel ? () => streamWhenReady(tunnel.open()) : undefined;
    const tls = mySqlTls(profile, options.secrets);
    const pool = createPool({
      host: profile.host,
      port: profile.port,
      ...(stream ? { stream } : {}),
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
      ...sslOption(tls),
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
      host: profile.host, port: profile.port, user: profile.username,
      password: options.secrets.password ?? '', ...(tls ? { tls } : {}), readOnly: profile.readOnly, ...(stream ? { stream } : {}),
    };
    return new MySqlSession(pool, profile, target, { endpoint, timeoutMs: options.replyTimeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS }, tunnel);
  },
};
