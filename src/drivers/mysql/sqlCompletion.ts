/**
 * Completion and hover for SQL being typed, from what the server's catalog holds so far (catalog.ts) and what the
 * statement under the caret refers to (sqlScope.ts). Plain facts: the editor layer turns them into its own items.
 */
import { CatalogColumn, CatalogTable, SchemaCatalog, ServerCatalog } from './catalog';
import { dialectOf, SqlDialect } from './sqlLexer';
import { nameAt, scopeAt, TableRef } from './sqlScope';
import { builtInWords, DialectWords, RESERVED } from './sqlWords';
import { databaseInUse, StatementIndex } from './statementIndex';
import type { Statement } from './statements';

export type CompletionKind = 'column' | 'table' | 'view' | 'database' | 'keyword' | 'function' | 'join';

export interface CompletionFact {
  readonly label: string;
  readonly kind: CompletionKind;
  readonly detail: string;
  /** What to insert: the name quoted where it must be; a snippet with a tab stop for functions. */
  readonly insertText: string;
  readonly snippet?: boolean;
  /** Columns first, then joins, tables, databases, functions and keywords. */
  readonly sortText: string;
}

export interface CompletionFacts {
  readonly items: readonly CompletionFact[];
  /** Offset in the document where the text the items replace starts. */
  readonly replaceStart: number;
  /** Offset where the name under the caret ends (with its closing backtick): the range an item replaces, as opposed to inserting before the caret. */
  readonly replaceEnd: number;
  /** Part of the schema is still loading: ask again as the user types. */
  readonly incomplete: boolean;
  /** The name being typed opens with a backtick (which the replaced text includes). */
  readonly quoted: boolean;
}

export type HoverFacts = { readonly start: number; readonly end: number; readonly database: string } & (
  | { readonly kind: 'table'; readonly table: CatalogTable }
  | { readonly kind: 'column'; readonly table: string; readonly column: CatalogColumn; readonly references?: { readonly table: string; readonly column: string } }
);

/** How an unknown server reads text until its dialect is known: MySQL 8's defaults. */
const DEFAULT_DIALECT: SqlDialect = dialectOf('', '8.0.0');
const PLAIN = /^[A-Za-z_][A-Za-z0-9_$]*$/;

/** A name as it must be written: in backticks if it is not a plain word or is reserved, or if the user opened one. */
export function quoteName(name: string, quoted = false): string {
  return quoted || !PLAIN.test(name) || RESERVED.has(name.toUpperCase()) ? `\`${name.replace(/`/g, '``')}\`` : name;
}

/**
 * The statement the offset is in: the last one starting before it, unless a semicolon ended that one first (the
 * caret then starts a new statement; text after it that the splitter saw as part of the next is left out).
 */
function statementAround(text: string, statements: readonly Statement[], offset: number): { sql: string; start: number } {
  const statement = statements.filter((s) => s.start <= offset).at(-1);
  if (!statement || (offset > statement.end && /;/.test(text.slice(statement.end, offset)))) return { sql: '', start: offset };
  return { sql: text.slice(statement.start, Math.max(statement.end, offset)), start: statement.start };
}

/** The statement at `offset` and the database it runs in: the last `USE` before it, else the document's. */
function placeOf(text: string, offset: number, database: string | undefined, dialect: SqlDialect, index: StatementIndex): { sql: string; start: number; database: string | undefined } {
  const statements = index.of(text);
  const around = statementAround(text, statements, offset);
  return { ...around, database: databaseInUse(statements, around.start, dialect) ?? database };
}

const same = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

class Resolver {
  readonly pending = new Set<SchemaCatalog>();

  constructor(private readonly catalog: ServerCatalog, readonly database: string | undefined) {}

  schema(database: string | undefined): SchemaCatalog | undefined {
    const name = database ?? this.database;
    if (!name) return undefined;
    const schema = this.catalog.schema(name);
    if (schema.state === 'loading') this.pending.add(schema);
    return schema;
  }

  table(ref: { database?: string; table: string }): CatalogTable | undefined {
    return this.schema(ref.database)?.table(ref.table);
  }

  /** The column names a reference offers: a derived table's selected names, a table's columns. */
  columns(ref: TableRef): { name: string; detail: string }[] {
    if (ref.derived) return ref.derived.map((name) => ({ name, detail: `${ref.table} (derived)` }));
    return (this.table(ref)?.columns ?? []).map((c) => ({ name: c.name, detail: `${c.columnType} · ${ref.alias ?? ref.table}` }));
  }

  /** The reference a qualifier names: an alias first, then a table not given one. */
  named(refs: readonly TableRef[], qualifier: string): TableRef | undefined {
    return refs.find((r) => r.alias !== undefined && same(r.alias, qualifier)) ?? refs.find((r) => r.alias === undefined && same(r.table, qualifier));
  }
}

/** Items built once per list of words and per schema state: a keystroke on a big schema maps nothing anew. */
const wordCache = new WeakMap<DialectWords, { keywords: CompletionFact[]; all: CompletionFact[] }>();
const tableCache = new WeakMap<SchemaCatalog, { count: number; quoted: boolean; items: CompletionFact[] }>();

function wordItems(dialect: SqlDialect, catalog: ServerCatalog, functions: boolean): CompletionFact[] {
  const words = catalog.dialectWords()?.words ?? builtInWords(dialect);
  let cached = wordCache.get(words);
  if (!cached) {
    const keywords = words.keywords.map((k): CompletionFact => ({ label: k, kind: 'keyword', detail: 'keyword', insertText: k, sortText: `5${k}` }));
    const all = [...words.functions.map((f): CompletionFact => ({ label: f, kind: 'function', detail: 'function', insertText: `${f}($0)`, snippet: true, sortText: `4${f}` })), ...keywords];
    cached = { keywords, all };
    wordCache.set(words, cached);
  }
  return functions ? cached.all : cached.keywords;
}

function tableItems(schema: SchemaCatalog | undefined, quoted: boolean): CompletionFact[] {
  if (!schema) return [];
  const cached = tableCache.get(schema);
  // Tables only ever arrive (a changed schema is a new catalog), so their count says whether the items are current.
  if (cached && cached.count === schema.tables.length && cached.quoted === quoted) return cached.items;
  const items = schema.tables.map((t): CompletionFact => ({
    label: t.name, kind: t.view ? 'view' : 'table', insertText: quoteName(t.name, quoted), sortText: `2${t.name}`,
    detail: t.view ? `view · ${schema.database}` : `table · ${schema.database}${t.estimatedRows === undefined ? '' : ` · ~${t.estimatedRows.toLocaleString('en-US')} rows`}`,
  }));
  tableCache.set(schema, { count: schema.tables.length, quoted, items });
  return items;
}

function columnItems(names: readonly { name: string; detail: string; qualified?: string }[], quoted: boolean): CompletionFact[] {
  // In the tables' own column order, which is how people think of them.
  return names.map((c, i) => ({ label: c.name, kind: 'column', detail: c.detail, insertText: c.qualified ?? quoteName(c.name, quoted), sortText: `0${String(i).padStart(5, '0')}` }));
}

/** ON conditions for the table just joined, from the foreign keys between it and the tables before it. */
function joinItems(resolver: Resolver, refs: readonly TableRef[], joined: TableRef): CompletionFact[] {
  const items: CompletionFact[] = [];
  const joinedTable = resolver.table(joined);
  if (!joinedTable) return items;
  const nameIn = (ref: TableRef): string => quoteName(ref.alias ?? ref.table);
  const condition = (from: TableRef, columns: readonly string[], to: TableRef, referenced: readonly string[]): string =>
    columns.map((c, i) => `${nameIn(from)}.${quoteName(c)} = ${nameIn(to)}.${quoteName(referenced[i] ?? '')}`).join(' AND ');
  for (const other of refs) {
    if (other === joined || other.start > joined.start || other.derived) continue;
    const otherTable = resolver.table(other);
    if (!otherTable) continue;
    for (const fk of joinedTable.foreignKeys.filter((k) => same(k.referencedTable, otherTable.name))) {
      const text = condition(joined, fk.columns, other, fk.referencedColumns);
      items.push({ label: text, kind: 'join', detail: `foreign key ${fk.name}`, insertText: text, sortText: `1${text}` });
    }
    for (const fk of otherTable.foreignKeys.filter((k) => same(k.referencedTable, joinedTable.name))) {
      const text = condition(other, fk.columns, joined, fk.referencedColumns);
      items.push({ label: text, kind: 'join', detail: `foreign key ${fk.name}`, insertText: text, sortText: `1${text}` });
    }
  }
  return items;
}

/** Columns of every table in scope; a name more than one of them has is written with its table. */
function scopeColumns(resolver: Resolver, refs: readonly TableRef[], quoted: boolean): CompletionFact[] {
  const all = refs.flatMap((ref) => resolver.columns(ref).map((c) => ({ ...c, ref })));
  const counts = new Map<string, number>();
  for (const c of all) counts.set(c.name.toLowerCase(), (counts.get(c.name.toLowerCase()) ?? 0) + 1);
  return columnItems(all.map((c) => (counts.get(c.name.toLowerCase())! > 1 ? { ...c, qualified: `${quoteName(c.ref.alias ?? c.ref.table)}.${quoteName(c.name)}` } : c)), quoted);
}

/**
 * What to offer at `offset` of a document bound to `documentDatabase` (the connection's default when undefined; a
 * `USE` earlier in the document moves the statements after it). `index` keeps the document's statements between calls.
 */
export function complete(catalog: ServerCatalog, text: string, offset: number, documentDatabase: string | undefined, index = new StatementIndex()): CompletionFacts {
  const dialect = catalog.dialectWords()?.dialect ?? DEFAULT_DIALECT;
  const { sql, start, database } = placeOf(text, offset, documentDatabase, dialect, index);
  const scope = scopeAt(sql, offset - start, dialect);
  const resolver = new Resolver(catalog, database);
  const { context, refs, quoted } = scope;
  let items: CompletionFact[] = [];
  const databases = (): CompletionFact[] => catalog.databases().map((d) => ({ label: d, kind: 'database', detail: 'database', insertText: quoteName(d, quoted), sortText: `3${d}` }));
  switch (context.kind) {
    case 'none':
      break;
    case 'member': {
      const [first, second] = context.qualifier;
      if (second !== undefined) {
        const table = resolver.table({ database: first!, table: second });
        items = columnItems((table?.columns ?? []).map((c) => ({ name: c.name, detail: `${c.columnType} · ${table!.name}` })), quoted);
        break;
      }
      const ref = resolver.named(refs, first!);
      const table = ref ? undefined : resolver.table({ table: first! });
      if (ref) items = columnItems(resolver.columns(ref), quoted);
      else if (table) items = columnItems(table.columns.map((c) => ({ name: c.name, detail: `${c.columnType} · ${table.name}` })), quoted);
      else if (catalog.databases().some((d) => same(d, first!))) items = tableItems(resolver.schema(catalog.databases().find((d) => same(d, first!))), quoted);
      break;
    }
    case 'tableName':
      items = [...tableItems(resolver.schema(undefined), quoted), ...databases()];
      break;
    case 'database':
      items = databases();
      break;
    case 'joinCondition':
      items = [...joinItems(resolver, refs, context.joined), ...scopeColumns(resolver, refs, quoted), ...wordItems(dialect, catalog, true)];
      break;
    case 'alias':
      items = wordItems(dialect, catalog, false);
      break;
    case 'expression':
      items = [...scopeColumns(resolver, refs, quoted), ...tableItems(resolver.schema(undefined), quoted), ...wordItems(dialect, catalog, true)];
      break;
  }
  return { items, replaceStart: start + scope.replaceStart, replaceEnd: start + scope.replaceEnd, incomplete: resolver.pending.size > 0 || catalog.dialectWords() === undefined, quoted };
}

/** What a table or column name under the caret is: its type, key, default and comment. */
export function hover(catalog: ServerCatalog, text: string, offset: number, documentDatabase: string | undefined, index = new StatementIndex()): HoverFacts | undefined {
  const dialect = catalog.dialectWords()?.dialect ?? DEFAULT_DIALECT;
  const { sql, start, database } = placeOf(text, offset, documentDatabase, dialect, index);
  const found = nameAt(sql, offset - start, dialect);
  if (!found) return undefined;
  const resolver = new Resolver(catalog, database);
  const at = { start: start + found.start, end: start + found.end };
  const columnOf = (db: string | undefined, table: CatalogTable | undefined): HoverFacts | undefined => {
    const column = table?.columns.find((c) => same(c.name, found.name));
    if (!table || !column || !(db ?? database)) return undefined;
    const fk = table.foreignKeys.find((k) => k.columns.length === 1 && same(k.columns[0]!, column.name));
    return { ...at, database: (db ?? database)!, kind: 'column', table: table.name, column, ...(fk ? { references: { table: fk.referencedTable, column: fk.referencedColumns[0]! } } : {}) };
  };
  const tableOf = (db: string | undefined, name: string): HoverFacts | undefined => {
    const table = resolver.table({ ...(db ? { database: db } : {}), table: name });
    return table && (db ?? database) ? { ...at, database: (db ?? database)!, kind: 'table', table } : undefined;
  };
  const [first, second] = found.qualifier;
  if (second !== undefined) return columnOf(first, resolver.table({ database: first!, table: second }));
  if (first !== undefined) {
    const ref = resolver.named(found.refs, first);
    if (ref && !ref.derived) return columnOf(ref.database, resolver.table(ref));
    return columnOf(undefined, resolver.table({ table: first })) ?? tableOf(first, found.name);
  }
  const aliased = found.refs.find((r) => r.alias !== undefined && same(r.alias, found.name) && !r.derived);
  if (aliased) return tableOf(aliased.database, aliased.table);
  const named = found.refs.find((r) => same(r.table, found.name) && !r.derived);
  if (named) return tableOf(named.database, named.table);
  for (const ref of found.refs) {
    const column = ref.derived ? undefined : columnOf(ref.database, resolver.table(ref));
    if (column) return column;
  }
  return tableOf(undefined, found.name);
}
