import type { AssociationSpec } from './modelSpec';
import type { OrmInclude, OrmNested, OrmTable } from './ormShapes';
import type { Cell } from './resultShapes';

type Plain = Record<string, unknown>;
const isPlain = (value: unknown): value is Plain => typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value) && !(value instanceof Date);

/** One level of the tree the instances are read as: its model and what of it was included. */
interface Level {
  readonly model: string;
  readonly includes: readonly OrmInclude[];
}

/**
 * Instances as Sequelize hands them back (`get({ plain: true })`), one row each: a to-one association's attributes
 * join the row as "alias.attribute" columns, a to-many one becomes a cell counting its instances with a table of
 * them nested under it (and so on down the includes). `cell` says how a value is shown.
 */
export function nestedTable(records: readonly unknown[], level: Level, associations: readonly AssociationSpec[], cell: (value: unknown) => Cell): OrmTable {
  const columns: string[] = [];
  const seen = new Set<string>();
  const flat: Map<string, Cell>[] = [];
  const nested: { row: number; column: string; model: string; table: OrmTable }[] = [];
  const put = (row: Map<string, Cell>, column: string, value: Cell): void => {
    if (!seen.has(column)) {
      seen.add(column);
      columns.push(column);
    }
    row.set(column, value);
  };
  const spread = (record: Plain, at: Level, prefix: string, row: Map<string, Cell>, index: number): void => {
    for (const [key, value] of Object.entries(record)) {
      const include = at.includes.find((i) => i.as === key);
      const association = include && associations.find((a) => a.source === at.model && a.as === key);
      const column = `${prefix}${key}`;
      if (!include || !association) {
        put(row, column, cell(value));
      } else if (association.kind === 'hasMany' || association.kind === 'belongsToMany') {
        // A many-to-many instance carries its junction row under the junction model's name: not one of its attributes.
        const items = (Array.isArray(value) ? value : []).filter(isPlain).map((item) => (association.through ? withoutKey(item, association.through) : item));
        put(row, column, `${items.length} ${key}`);
        nested.push({ row: index, column, model: association.target, table: nestedTable(items, { model: association.target, includes: include.include ?? [] }, associations, cell) });
      } else if (isPlain(value)) {
        spread(value, { model: association.target, includes: include.include ?? [] }, `${column}.`, row, index);
      }
    }
  };
  records.forEach((record, index) => {
    const row = new Map<string, Cell>();
    if (isPlain(record)) spread(record, level, '', row, index);
    flat.push(row);
  });
  const rows = flat.map((row) => columns.map((c) => row.get(c) ?? null));
  const placed: OrmNested[] = nested.map((n) => ({ row: n.row, column: columns.indexOf(n.column), model: n.model, table: n.table }));
  return { columns, rows, nested: placed };
}

function withoutKey(record: Plain, key: string): Plain {
  return Object.fromEntries(Object.entries(record).filter(([k]) => k !== key));
}
