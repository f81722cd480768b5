import type { Pool, PoolConnection, RowDataPacket } from 'mysql2/promise';
import { bounded, coreOf } from './deadline';
import type { ForeignKeySchema } from './schema';
import { sessionDialect } from './statementGate';
import { SqlDialect } from './sqlLexer';
import { DialectWords, readWords } from './sqlWords';

/** What completion and hover know of a column. */
export interface CatalogColumn {
  readonly name: string;
  readonly columnType: string;
  readonly nullable: boolean;
  /** information_schema's COLUMN_KEY: PRI, UNI, MUL or ''. */
  readonly key: string;
  /** As information_schema reports it; null for no default. */
  readonly defaultValue: string | null;
  readonly extra: string;
  readonly comment: string;
}

export interface CatalogTable {
  readonly name: string;
  readonly view: boolean;
  readonly comment: string;
  readonly estimatedRows?: number;
  /** Grows while the columns stream in. */
  readonly columns: CatalogColumn[];
  readonly foreignKeys: ForeignKeySchema[];
}

/**
 * What completion knows of one database, filled as information_schema streams in: tables first (one query), then
 * columns in table order (streamed: each arrives as it is read), then foreign keys. Completion reads whatever has
 * arrived so far and never waits for the rest.
 */
export class SchemaCatalog {
  private readonly byName = new Map<string, CatalogTable>();
  private readonly byLowerName = new Map<string, CatalogTable>();
  private ordered: CatalogTable[] = [];
  state: 'loading' | 'ready' | 'failed' = 'loading';
  /** Settles when the load ends (rejected with why it failed). */
  loaded: Promise<void> = Promise.resolve();
  /** When the load failed (Date.now()), and why. */
  failed?: { readonly at: number; readonly error: unknown };

  constructor(readonly database: string) {}

  get tables(): readonly CatalogTable[] {
    return this.ordered;
  }

  /** A table by name: as spelled first, then ignoring case (servers with lower_case_table_names fold it). */
  table(name: string): CatalogTable | undefined {
    return this.byName.get(name) ?? this.byLowerName.get(name.toLowerCase());
  }

  add(table: CatalogTable): void {
    this.byName.set(table.name, table);
    if (!this.byLowerName.has(table.name.toLowerCase())) this.byLowerName.set(table.name.toLowerCase(), table);
    this.ordered.push(table);
  }
}

const text = (v: unknown): string => (v === null || v === undefined ? '' : String(v));

/** A streamed row's field by name. */
type Field = (name: string) => unknown;

/** Streams a query's rows to `onRow` as they arrive, on a pooled connection. */
function streamRows(connection: PoolConnection, sql: string, values: readonly unknown[], onRow: (r: Field) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const query = coreOf(connection).query({ sql, values: [...values] });
    query.on('result', (row: unknown) => {
      if (typeof row === 'object' && row !== null && !Array.isArray(row) && !('affectedRows' in row)) onRow((name) => Reflect.get(row, name));
    });
    query.on('error', reject);
    query.on('end', () => resolve());
  });
}

/** Fills `catalog` from information_schema, bounded by the query timeout like every other read. */
export function loadCatalog(pool: Pool, endpoint: string, timeoutMs: number, catalog: SchemaCatalog): Promise<void> {
  const database = catalog.database;
  return bounded(pool, endpoint, timeoutMs, `reading the schema of ${database} for completion`, async (connection) => {
    const [tables] = await connection.query<RowDataPacket[]>(
      'SELECT TABLE_NAME t, TABLE_TYPE k, TABLE_ROWS n, TABLE_COMMENT c FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME', [database]);
    for (const t of tables) {
      const rows = t['n'] === null || t['n'] === undefined ? undefined : Number(t['n']);
      const view = t['k'] === 'VIEW';
      // A view's TABLE_COMMENT is the word VIEW, not a comment anyone wrote.
      catalog.add({ name: text(t['t']), view, comment: view ? '' : text(t['c']), ...(rows === undefined ? {} : { estimatedRows: rows }), columns: [], foreignKeys: [] });
    }
    await streamRows(connection,
      `SELECT TABLE_NAME t, COLUMN_NAME c, COLUMN_TYPE ct, IS_NULLABLE n, COLUMN_KEY k, COLUMN_DEFAULT d, EXTRA e, COLUMN_COMMENT m
       FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, ORDINAL_POSITION`, [database], (r) => {
        const defaultValue = r('d');
        catalog.table(text(r('t')))?.columns.push({
          name: text(r('c')), columnType: text(r('ct')), nullable: r('n') === 'YES', key: text(r('k')),
          defaultValue: defaultValue === null || defaultValue === undefined ? null : text(defaultValue), extra: text(r('e')), comment: text(r('m')),
        });
      });
    let last: { table: string; fk: ForeignKeySchema & { columns: string[]; referencedColumns: string[] } } | undefined;
    await streamRows(connection,
      `SELECT TABLE_NAME t, CONSTRAINT_NAME c, COLUMN_NAME col, REFERENCED_TABLE_SCHEMA rs, REFERENCED_TABLE_NAME rt, REFERENCED_COLUMN_NAME rc
       FROM information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = ? AND REFERENCED_TABLE_NAME IS NOT NULL
       ORDER BY TABLE_NAME, CONSTRAINT_NAME, ORDINAL_POSITION`, [database], (r) => {
        const table = text(r('t'));
        // Only keys within the database: a completion joins tables by their names in it.
        if (text(r('rs')) !== database) return;
        if (last?.table !== table || last.fk.name !== text(r('c'))) {
          last = { table, fk: { name: text(r('c')), columns: [], referencedTable: text(r('rt')), referencedColumns: [] } };
          catalog.table(table)?.foreignKeys.push(last.fk);
        }
        last.fk.columns.push(text(r('col')));
        last.fk.referencedColumns.push(text(r('rc')));
      });
  });
}

/**
 * What completion knows of a server: its dialect and words, its databases, and a catalog per database, each loaded in
 * the background on first use and kept until the schema changes (DDL) or the user refreshes it.
 */
export class ServerCatalog {
  private readonly schemas = new Map<string, SchemaCatalog>();
  private words: { dialect: SqlDialect; words: DialectWords } | undefined;
  private wordsLoading: Promise<void> | undefined;
  private wordsFailedAt = 0;
  private databaseList: readonly string[] = [];
  private databasesLoading: Promise<void> | undefined;
  private databasesFailedAt = 0;

  /**
   * `timeoutMs` bounds each read and is also how long a failed one waits before it is tried again: completion asks at
   * every keystroke, and a server that cannot answer is not asked again at every keystroke.
   */
  constructor(private readonly pool: Pool, private readonly endpoint: string, private readonly timeoutMs: number, private readonly listDatabases: () => Promise<string[]>) {}

  private mayRetry(failedAt: number): boolean {
    return Date.now() - failedAt >= this.timeoutMs;
  }

  /** The dialect and words, once read (undefined until then; the read starts on first ask). */
  dialectWords(): { dialect: SqlDialect; words: DialectWords } | undefined {
    if (!this.wordsLoading && this.mayRetry(this.wordsFailedAt)) {
      this.wordsLoading = bounded(this.pool, this.endpoint, this.timeoutMs, 'reading the server\'s keywords', async (connection) => {
        const dialect = await sessionDialect(connection);
        this.words = { dialect, words: await readWords(connection, dialect) };
      }).catch(() => {
        this.wordsFailedAt = Date.now();
        this.wordsLoading = undefined;
      });
    }
    return this.words;
  }

  /** Resolves once the dialect and words are known (or could not be read). */
  async ready(): Promise<void> {
    this.dialectWords();
    await this.wordsLoading;
    this.databases();
    await this.databasesLoading;
  }

  databases(): readonly string[] {
    if (!this.databasesLoading && this.mayRetry(this.databasesFailedAt)) {
      this.databasesLoading = this.listDatabases().then((list) => {
        this.databaseList = list;
      }, () => {
        this.databasesFailedAt = Date.now();
        this.databasesLoading = undefined;
      });
    }
    return this.databaseList;
  }

  /** The catalog of a database, loading in the background if it is not here yet (or failed long enough ago). */
  schema(database: string): SchemaCatalog {
    const known = this.schemas.get(database);
    if (known && !(known.failed && this.mayRetry(known.failed.at))) return known;
    const created = new SchemaCatalog(database);
    this.schemas.set(database, created);
    created.loaded = loadCatalog(this.pool, this.endpoint, this.timeoutMs, created).then(() => {
      created.state = 'ready';
    }, (error: unknown) => {
      // Kept with what it read, until it may be tried again.
      created.state = 'failed';
      created.failed = { at: Date.now(), error };
      throw error;
    });
    created.loaded.catch(() => undefined);
    return created;
  }

  /** The catalog of a database if one was asked for, without starting a read. */
  known(database: string): SchemaCatalog | undefined {
    return this.schemas.get(database);
  }

  /** Forgets a database's catalog (after DDL), or everything (on refresh): the next use reads it again. */
  forget(database?: string): void {
    if (database === undefined) {
      this.schemas.clear();
      this.databasesLoading = undefined;
      this.databasesFailedAt = 0;
      if (!this.words) this.wordsFailedAt = 0;
    } else this.schemas.delete(database);
  }
}
