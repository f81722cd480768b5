import { BrowseNode } from '../types';
import { placeOf } from '../places';
import { ModelGraph } from './modelSpec';
import { ColumnSchema, TableSchema } from './schema';

const SYSTEM_SCHEMAS = new Set(['information_schema', 'performance_schema', 'mysql', 'sys']);

export interface SchemaSource {
  databases(): Promise<string[]>;
  schema(database: string): Promise<TableSchema[]>;
  modelGraph(database: string): Promise<ModelGraph>;
  forget(database: string): Promise<void>;
}

function columnNode(db: string, table: string, c: ColumnSchema): BrowseNode {
  const parts = [c.columnType, c.nullable ? 'null' : 'not null', c.primaryKey ? 'primary key' : '', c.autoIncrement ? 'auto_increment' : '', c.defaultValue === null ? '' : `default ${c.defaultValue}`];
  return {
    place: { kind: 'mysql', of: 'column', db, table, column: c.name }, label: c.name, type: 'column', icon: c.primaryKey ? 'key' : 'symbol-field', expandable: false,
    description: parts.filter(Boolean).join(' · '), ...(c.comment ? { tooltip: `${c.name}: ${c.comment}` } : {}),
  };
}

async function tableOf(source: SchemaSource, db: string, name: string): Promise<TableSchema | undefined> {
  return (await source.schema(db)).find((t) => t.name === name);
}

/**
 * The explorer below a MySQL connection: databases → Models (Sequelize) and tables / views → columns, indexes and
 * foreign keys. Expanding a database reads its schema afresh.
 */
export async function schemaChildren(source: SchemaSource, profileDatabase: string | undefined, node?: BrowseNode): Promise<BrowseNode[]> {
  if (!node) {
    const rank = (name: string): number => (name === profileDatabase ? 0 : SYSTEM_SCHEMAS.has(name) ? 2 : 1);
    return (await source.databases()).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
      .map((name) => ({ place: { kind: 'mysql', of: 'db', db: name }, label: name, type: SYSTEM_SCHEMAS.has(name) ? 'systemDb' : 'db', icon: 'database', expandable: true }));
  }
  const place = placeOf('mysql', node.place);
  if (place?.of === 'db') {
    const db = place.db;
    await source.forget(db);
    const tables = await source.schema(db);
    const models: BrowseNode[] = tables.length && !SYSTEM_SCHEMAS.has(db)
      ? [{ place: { kind: 'mysql', of: 'models', db }, label: 'Models', type: 'models', icon: 'symbol-class', expandable: true, description: 'Sequelize, from the schema' }]
      : [];
    return [...models, ...tables.map((t): BrowseNode => ({
      place: { kind: 'mysql', of: 'table', db, table: t.name }, label: t.name, type: t.view ? 'view' : 'table', icon: t.view ? 'eye' : 'table', expandable: true,
      description: t.view ? 'view' : `~${t.estimatedRows ?? '?'} rows`,
      tooltip: t.view ? `${db}.${t.name} (view)` : `${db}.${t.name}: about ${t.estimatedRows ?? '?'} rows (estimate); ${t.foreignKeys.length} foreign keys, ${t.indexes.length} indexes`,
    }))];
  }
  if (place?.of === 'table') {
    const { db, table: name } = place;
    const table = await tableOf(source, db, name);
    if (!table) return [];
    const groups: BrowseNode[] = [
      ...(table.indexes.length ? [{ place: { kind: 'mysql', of: 'indexes', db, table: name }, label: 'Indexes', type: 'indexes', icon: 'list-ordered', expandable: true, description: String(table.indexes.length) } satisfies BrowseNode] : []),
      ...(table.foreignKeys.length ? [{ place: { kind: 'mysql', of: 'foreignKeys', db, table: name }, label: 'Foreign keys', type: 'foreignKeys', icon: 'references', expandable: true, description: String(table.foreignKeys.length) } satisfies BrowseNode] : []),
    ];
    return [...table.columns.map((c) => columnNode(db, name, c)), ...groups];
  }
  if (place?.of === 'indexes') {
    const { db, table } = place;
    return ((await tableOf(source, db, table))?.indexes ?? []).map((ix) => ({
      place: { kind: 'mysql', of: 'index', db, table, index: ix.name }, label: ix.name, type: 'index', icon: ix.name === 'PRIMARY' ? 'key' : 'list-ordered', expandable: false,
      description: `${ix.unique ? 'unique · ' : ''}(${ix.columns.join(', ')})`,
    }));
  }
  if (place?.of === 'foreignKeys') {
    const { db, table } = place;
    return ((await tableOf(source, db, table))?.foreignKeys ?? []).map((fk) => ({
      place: { kind: 'mysql', of: 'foreignKey', db, table, foreignKey: fk.name }, label: `(${fk.columns.join(', ')}) → ${fk.referencedTable}(${fk.referencedColumns.join(', ')})`, type: 'foreignKey', icon: 'references', expandable: false,
      description: fk.name,
    }));
  }
  if (place?.of === 'models') {
    const db = place.db;
    const graph = await source.modelGraph(db);
    return graph.models.map((m) => {
      const count = graph.associations.filter((a) => a.source === m.name).length;
      return {
        place: { kind: 'mysql', of: 'model', db, model: m.name }, label: m.name, type: 'model', icon: 'symbol-class', expandable: count > 0,
        description: `${m.table}${m.junction ? ' · junction' : ''}${m.view ? ' · view' : ''}${count ? ` · ${count} associations` : ''}`,
      };
    });
  }
  if (place?.of === 'model') {
    const { db, model: name } = place;
    const graph = await source.modelGraph(db);
    return graph.associations.filter((a) => a.source === name).map((a) => ({
      place: { kind: 'mysql', of: 'association', db, model: name, association: a.as }, label: `${a.as}`, type: 'association', icon: a.kind === 'belongsToMany' ? 'git-compare' : 'arrow-right', expandable: false,
      description: `${a.kind} ${a.target}${a.through ? ` through ${a.through}` : ''} · ${a.foreignKey}`,
    }));
  }
  return [];
}
