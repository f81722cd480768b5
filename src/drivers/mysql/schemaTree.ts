import { BrowseNode } from '../types';
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
    path: ['db', db, 'table', table, 'column', c.name], label: c.name, type: 'column', icon: c.primaryKey ? 'key' : 'symbol-field', expandable: false,
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
      .map((name) => ({ path: ['db', name], label: name, type: SYSTEM_SCHEMAS.has(name) ? 'systemDb' : 'db', icon: 'database', expandable: true }));
  }
  const [what, db, kind, name, sub] = node.path;
  if (what !== 'db' || db === undefined) return [];
  if (kind === undefined) {
    await source.forget(db);
    const tables = await source.schema(db);
    const models: BrowseNode[] = tables.length && !SYSTEM_SCHEMAS.has(db)
      ? [{ path: ['db', db, 'models'], label: 'Models', type: 'models', icon: 'symbol-class', expandable: true, description: 'Sequelize, from the schema' }]
      : [];
    return [...models, ...tables.map((t) => ({
      path: ['db', db, 'table', t.name], label: t.name, type: t.view ? 'view' : 'table', icon: t.view ? 'eye' : 'table', expandable: true,
      description: t.view ? 'view' : `~${t.estimatedRows ?? '?'} rows`,
      tooltip: t.view ? `${db}.${t.name} (view)` : `${db}.${t.name}: about ${t.estimatedRows ?? '?'} rows (estimate); ${t.foreignKeys.length} foreign keys, ${t.indexes.length} indexes`,
    }))];
  }
  if (kind === 'table' && name !== undefined && sub === undefined) {
    const table = await tableOf(source, db, name);
    if (!table) return [];
    const groups: BrowseNode[] = [
      ...(table.indexes.length ? [{ path: ['db', db, 'table', name, 'indexes'], label: 'Indexes', type: 'indexes', icon: 'list-ordered', expandable: true, description: String(table.indexes.length) }] : []),
      ...(table.foreignKeys.length ? [{ path: ['db', db, 'table', name, 'foreignKeys'], label: 'Foreign keys', type: 'foreignKeys', icon: 'references', expandable: true, description: String(table.foreignKeys.length) }] : []),
    ];
    return [...table.columns.map((c) => columnNode(db, name, c)), ...groups];
  }
  if (kind === 'table' && name !== undefined && sub === 'indexes') {
    return ((await tableOf(source, db, name))?.indexes ?? []).map((ix) => ({
      path: ['db', db, 'table', name, 'index', ix.name], label: ix.name, type: 'index', icon: ix.name === 'PRIMARY' ? 'key' : 'list-ordered', expandable: false,
      description: `${ix.unique ? 'unique · ' : ''}(${ix.columns.join(', ')})`,
    }));
  }
  if (kind === 'table' && name !== undefined && sub === 'foreignKeys') {
    return ((await tableOf(source, db, name))?.foreignKeys ?? []).map((fk) => ({
      path: ['db', db, 'table', name, 'fk', fk.name], label: `(${fk.columns.join(', ')}) → ${fk.referencedTable}(${fk.referencedColumns.join(', ')})`, type: 'foreignKey', icon: 'references', expandable: false,
      description: fk.name,
    }));
  }
  if (kind === 'models') {
    const graph = await source.modelGraph(db);
    return graph.models.map((m) => {
      const count = graph.associations.filter((a) => a.source === m.name).length;
      return {
        path: ['db', db, 'model', m.name], label: m.name, type: 'model', icon: 'symbol-class', expandable: count > 0,
        description: `${m.table}${m.junction ? ' · junction' : ''}${m.view ? ' · view' : ''}${count ? ` · ${count} associations` : ''}`,
      };
    });
  }
  if (kind === 'model' && name !== undefined) {
    const graph = await source.modelGraph(db);
    return graph.associations.filter((a) => a.source === name).map((a) => ({
      path: ['db', db, 'model', name, 'association', a.as], label: `${a.as}`, type: 'association', icon: a.kind === 'belongsToMany' ? 'git-compare' : 'arrow-right', expandable: false,
      description: `${a.kind} ${a.target}${a.through ? ` through ${a.through}` : ''} · ${a.foreignKey}`,
    }));
  }
  return [];
}
