import type { PoolConnection, RowDataPacket } from 'mysql2/promise';

export interface ColumnSchema {
  readonly name: string;
  /** The full column type, e.g. "varchar(120)", "bigint(20) unsigned", "enum('a','b')". */
  readonly columnType: string;
  /** The bare type name, e.g. "varchar", "bigint". */
  readonly dataType: string;
  readonly nullable: boolean;
  readonly primaryKey: boolean;
  readonly autoIncrement: boolean;
  /** As information_schema reports it (MariaDB quotes string defaults; NULL is the text "NULL"). */
  readonly defaultValue: string | null;
  /** information_schema's EXTRA, e.g. "auto_increment", "DEFAULT_GENERATED on update CURRENT_TIMESTAMP". */
  readonly extra: string;
  readonly comment: string;
}

export interface ForeignKeySchema {
  readonly name: string;
  readonly columns: readonly string[];
  readonly referencedTable: string;
  readonly referencedColumns: readonly string[];
}

export interface IndexSchema {
  readonly name: string;
  readonly columns: readonly string[];
  readonly unique: boolean;
}

export interface TableSchema {
  readonly name: string;
  readonly view: boolean;
  readonly estimatedRows?: number;
  readonly columns: readonly ColumnSchema[];
  readonly foreignKeys: readonly ForeignKeySchema[];
  readonly indexes: readonly IndexSchema[];
}

const text = (v: unknown): string => (v === null || v === undefined ? '' : String(v));

function grouped<T>(rows: RowDataPacket[], key: (r: RowDataPacket) => string, make: (rows: RowDataPacket[]) => T): Map<string, T> {
  const groups = new Map<string, RowDataPacket[]>();
  for (const row of rows) groups.set(key(row), [...(groups.get(key(row)) ?? []), row]);
  return new Map([...groups].map(([k, v]) => [k, make(v)]));
}

/**
 * MariaDB stores JSON columns as LONGTEXT with a json_valid() check; those are JSON all the same. (MySQL reports
 * its native JSON type directly; servers without CHECK_CONSTRAINTS have no such columns.)
 */
async function jsonColumns(pool: PoolConnection, database: string): Promise<Set<string>> {
  const [rows] = await pool.query<RowDataPacket[]>('SELECT TABLE_NAME t, CHECK_CLAUSE c FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ?', [database]).catch(() => [[] as RowDataPacket[]]);
  const found = new Set<string>();
  for (const row of rows) {
    const column = /^json_valid\(`((?:[^`]|``)+)`\)$/i.exec(text(row['c']).trim())?.[1];
    if (column) found.add(`${text(row['t'])}.${column.replace(/``/g, '`')}`);
  }
  return found;
}

/** Every table and view of a database with columns, foreign keys and indexes, in four information_schema queries. */
export async function readSchema(pool: PoolConnection, database: string): Promise<TableSchema[]> {
  const [[tables], [columns], [keys], [indexes]] = await Promise.all([
    pool.query<RowDataPacket[]>('SELECT TABLE_NAME t, TABLE_TYPE k, TABLE_ROWS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME', [database]),
    pool.query<RowDataPacket[]>(
      `SELECT TABLE_NAME t, COLUMN_NAME c, COLUMN_TYPE ct, DATA_TYPE dt, IS_NULLABLE n, COLUMN_KEY k, COLUMN_DEFAULT d, EXTRA e, COLUMN_COMMENT m
       FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, ORDINAL_POSITION`, [database]),
    pool.query<RowDataPacket[]>(
      `SELECT TABLE_NAME t, CONSTRAINT_NAME c, COLUMN_NAME col, REFERENCED_TABLE_NAME rt, REFERENCED_COLUMN_NAME rc
       FROM information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = ? AND REFERENCED_TABLE_NAME IS NOT NULL
       ORDER BY TABLE_NAME, CONSTRAINT_NAME, ORDINAL_POSITION`, [database]),
    pool.query<RowDataPacket[]>(
      'SELECT TABLE_NAME t, INDEX_NAME i, COLUMN_NAME c, NON_UNIQUE nu FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX', [database]),
  ]);
  const json = await jsonColumns(pool, database);
  const columnsOf = grouped(columns, (r) => text(r['t']), (rows) => rows.map((r): ColumnSchema => ({
    name: text(r['c']), columnType: text(r['ct']),
    dataType: json.has(`${text(r['t'])}.${text(r['c'])}`) ? 'json' : text(r['dt']).toLowerCase(), nullable: r['n'] === 'YES', primaryKey: r['k'] === 'PRI',
    autoIncrement: /auto_increment/i.test(text(r['e'])), defaultValue: r['d'] === null || r['d'] === undefined ? null : text(r['d']), extra: text(r['e']), comment: text(r['m']),
  })));
  const keysOf = grouped(keys, (r) => text(r['t']), (rows) => [...grouped(rows, (r) => text(r['c']), (fk): ForeignKeySchema => ({
    name: text(fk[0]?.['c']), columns: fk.map((r) => text(r['col'])), referencedTable: text(fk[0]?.['rt']), referencedColumns: fk.map((r) => text(r['rc'])),
  })).values()]);
  const indexesOf = grouped(indexes, (r) => text(r['t']), (rows) => [...grouped(rows, (r) => text(r['i']), (ix): IndexSchema => ({
    name: text(ix[0]?.['i']), columns: ix.map((r) => text(r['c'])), unique: Number(ix[0]?.['nu']) === 0,
  })).values()]);
  return tables.map((t) => {
    const name = text(t['t']);
    const estimate = t['n'] === null || t['n'] === undefined ? undefined : Number(t['n']);
    return {
      name, view: t['k'] === 'VIEW', ...(estimate === undefined ? {} : { estimatedRows: estimate }),
      columns: columnsOf.get(name) ?? [], foreignKeys: keysOf.get(name) ?? [], indexes: indexesOf.get(name) ?? [],
    };
  });
}
