import { ColumnSchema, TableSchema } from './schema';

/** A Sequelize DataTypes entry: `DataTypes[key](...args)`, then `.UNSIGNED` where set. */
export interface DataTypeSpec {
  readonly key: 'BOOLEAN' | 'TINYINT' | 'SMALLINT' | 'MEDIUMINT' | 'INTEGER' | 'BIGINT' | 'DECIMAL' | 'FLOAT' | 'DOUBLE' | 'CHAR' | 'STRING' | 'TEXT'
    | 'BLOB' | 'DATEONLY' | 'DATE' | 'TIME' | 'JSON' | 'ENUM' | 'GEOMETRY';
  readonly args: readonly (string | number)[];
  readonly unsigned: boolean;
  /** The TypeScript type of a value read through Sequelize. */
  readonly tsType: string;
}

/** A column default: a plain value, or an SQL expression the server evaluates (CURRENT_TIMESTAMP, UUID()…). */
export type DefaultSpec = { readonly value: string } | { readonly literal: string };

export interface AttributeSpec {
  readonly name: string;
  readonly type: DataTypeSpec;
  readonly defaultValue?: DefaultSpec;
  readonly allowNull: boolean;
  readonly primaryKey: boolean;
  readonly autoIncrement: boolean;
  readonly columnType: string;
}

export type AssociationKind = 'belongsTo' | 'hasMany' | 'hasOne' | 'belongsToMany';

export interface AssociationSpec {
  readonly kind: AssociationKind;
  readonly source: string;
  readonly target: string;
  readonly as: string;
  readonly foreignKey: string;
  /** belongsToMany: the junction model and the key that points at the target. */
  readonly through?: string;
  readonly otherKey?: string;
}

export interface ModelSpec {
  readonly name: string;
  readonly table: string;
  readonly view: boolean;
  readonly attributes: readonly AttributeSpec[];
  /** Junction tables carry many-to-many associations between two other models. */
  readonly junction: boolean;
}

export interface ModelGraph {
  readonly database: string;
  readonly models: readonly ModelSpec[];
  readonly associations: readonly AssociationSpec[];
}

const words = (name: string): string[] => name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').split(/[^A-Za-z0-9]+/).filter(Boolean);
const pascal = (name: string): string => words(name).map((w) => w[0]!.toUpperCase() + w.slice(1).toLowerCase()).join('') || 'Model';
const camel = (name: string): string => {
  const p = pascal(name);
  return p[0]!.toLowerCase() + p.slice(1);
};

/** English singular and plural, enough for table names (users → User, categories → Category, addresses → Address). */
export function singular(word: string): string {
  if (/ies$/i.test(word)) return word.replace(/ies$/i, 'y');
  if (/(ss|us|is)$/i.test(word)) return word;
  if (/(x|ch|sh|ss|ses)es$/i.test(word)) return word.replace(/es$/i, '');
  if (/s$/i.test(word)) return word.replace(/s$/i, '');
  return word;
}

export function plural(word: string): string {
  if (/[^aeiou]y$/i.test(word)) return word.replace(/y$/i, 'ies');
  if (/(s|x|z|ch|sh)$/i.test(word)) return `${word}es`;
  return `${word}s`;
}

const size = (columnType: string): number[] => (/\(([\d,\s]+)\)/.exec(columnType)?.[1] ?? '').split(',').filter((s) => s.trim()).map(Number);

export function dataTypeOf(column: ColumnSchema): DataTypeSpec {
  const unsigned = /unsigned/i.test(column.columnType);
  const [a, b] = size(column.columnType);
  const t = (key: DataTypeSpec['key'], tsType: string, args: (string | number)[] = []): DataTypeSpec => ({ key, args, unsigned, tsType });
  switch (column.dataType) {
    case 'tinyint': return /^tinyint\(1\)/i.test(column.columnType) ? t('BOOLEAN', 'boolean') : t('TINYINT', 'number');
    case 'bool': case 'boolean': return t('BOOLEAN', 'boolean');
    case 'smallint': return t('SMALLINT', 'number');
    case 'mediumint': return t('MEDIUMINT', 'number');
    case 'int': case 'integer': return t('INTEGER', 'number');
    // Beyond 2^53 a number loses digits: BIGINT and DECIMAL are read as strings.
    case 'bigint': return t('BIGINT', 'string');
    case 'decimal': case 'numeric': return t('DECIMAL', 'string', a === undefined ? [] : b === undefined ? [a] : [a, b]);
    case 'float': return t('FLOAT', 'number');
    case 'double': case 'real': return t('DOUBLE', 'number');
    case 'char': return t('CHAR', 'string', a === undefined ? [] : [a]);
    case 'varchar': return t('STRING', 'string', a === undefined ? [] : [a]);
    case 'tinytext': return t('TEXT', 'string', ['tiny']);
    case 'text': return t('TEXT', 'string');
    case 'mediumtext': return t('TEXT', 'string', ['medium']);
    case 'longtext': return t('TEXT', 'string', ['long']);
    case 'json': return t('JSON', 'object');
    case 'binary': case 'varbinary': case 'blob': case 'bit': return t('BLOB', 'Buffer');
    case 'tinyblob': return t('BLOB', 'Buffer', ['tiny']);
    case 'mediumblob': return t('BLOB', 'Buffer', ['medium']);
    case 'longblob': return t('BLOB', 'Buffer', ['long']);
    case 'date': return t('DATEONLY', 'string');
    case 'datetime': case 'timestamp': return t('DATE', 'Date');
    case 'time': return t('TIME', 'string');
    case 'year': return t('INTEGER', 'number');
    case 'enum': {
      const values = [...column.columnType.matchAll(/'((?:[^']|'')*)'/g)].map((m) => m[1]!.replace(/''/g, "'"));
      return t('ENUM', values.map((v) => JSON.stringify(v)).join(' | ') || 'string', values);
    }
    case 'point': case 'geometry': case 'linestring': case 'polygon': return t('GEOMETRY', 'object');
    default: return t('STRING', 'string');
  }
}

const TEXTUAL = new Set(['char', 'varchar', 'tinytext', 'text', 'mediumtext', 'longtext', 'enum', 'set']);

/**
 * The column default as Sequelize should know it, so NOT NULL columns with a default validate on create. MariaDB quotes
 * string defaults and writes expressions bare; MySQL writes strings bare and flags expressions DEFAULT_GENERATED.
 */
export function defaultOf(column: ColumnSchema): DefaultSpec | undefined {
  const d = column.defaultValue;
  if (d === null || (d === 'NULL' && column.nullable)) return undefined;
  const quoted = /^'((?:[^']|'')*)'$/s.exec(d);
  if (quoted) return { value: quoted[1]!.replace(/''/g, "'") };
  if (/^-?\d+(\.\d+)?$/.test(d)) return { value: d };
  if (TEXTUAL.has(column.dataType) && !/DEFAULT_GENERATED/i.test(column.extra)) return { value: d };
  return { literal: d };
}

/** A table whose whole purpose is linking two others: two foreign keys, and nothing but them, an id and timestamps. */
function isJunction(table: TableSchema): boolean {
  if (table.foreignKeys.length !== 2 || table.foreignKeys.some((fk) => fk.columns.length !== 1)) return false;
  const keyColumns = new Set(table.foreignKeys.map((fk) => fk.columns[0]!));
  return table.columns.every((c) => keyColumns.has(c.name) || (c.primaryKey && c.autoIncrement) || /^(created|updated)_?at$/i.test(c.name));
}

/** Unique names: a second association under the same name gets the foreign key's name appended. */
function uniqueAs(taken: Set<string>, wanted: string, disambiguator: string): string {
  let name = taken.has(wanted) ? `${wanted}By${pascal(disambiguator)}` : wanted;
  for (let i = 2; taken.has(name); i++) name = `${wanted}${i}`;
  taken.add(name);
  return name;
}

/**
 * Sequelize models and associations read from the live schema: each foreign key is a belongsTo on its table and a
 * hasMany (hasOne when the key is unique) on the referenced one; a junction table adds belongsToMany both ways.
 */
export function modelGraph(database: string, tables: readonly TableSchema[]): ModelGraph {
  const nameOf = new Map<string, string>();
  const usedNames = new Set<string>();
  for (const table of tables) {
    let name = pascal(singular(table.name));
    for (let i = 2; usedNames.has(name); i++) name = `${pascal(singular(table.name))}${i}`;
    usedNames.add(name);
    nameOf.set(table.name, name);
  }
  const models: ModelSpec[] = tables.map((table) => {
    // Views (and the odd table) have no primary key; an "id" column is the one Sequelize would assume anyway.
    const keyless = !table.columns.some((c) => c.primaryKey);
    return {
      name: nameOf.get(table.name)!, table: table.name, view: table.view, junction: isJunction(table),
      attributes: table.columns.map((c) => ({
        name: c.name, type: dataTypeOf(c), ...(defaultOf(c) ? { defaultValue: defaultOf(c)! } : {}), allowNull: c.nullable, primaryKey: c.primaryKey || (keyless && c.name === 'id'), autoIncrement: c.autoIncrement, columnType: c.columnType,
      })),
    };
  });
  const associations: AssociationSpec[] = [];
  const aliases = new Map<string, Set<string>>();
  const taken = (model: string): Set<string> => aliases.get(model) ?? aliases.set(model, new Set(models.find((m) => m.name === model)?.attributes.map((a) => a.name))).get(model)!;
  for (const table of tables) {
    const source = nameOf.get(table.name)!;
    for (const fk of table.foreignKeys) {
      const target = nameOf.get(fk.referencedTable);
      const column = fk.columns[0];
      if (!target || !column || fk.columns.length !== 1) continue;
      const base = camel(column.replace(/_?id$/i, '')) || camel(target);
      associations.push({ kind: 'belongsTo', source, target, as: uniqueAs(taken(source), base, column), foreignKey: column });
      const unique = table.indexes.some((ix) => ix.unique && ix.columns.length === 1 && ix.columns[0] === column);
      const back = unique ? camel(source) : camel(plural(source));
      associations.push({ kind: unique ? 'hasOne' : 'hasMany', source: target, target: source, as: uniqueAs(taken(target), back, column), foreignKey: column });
    }
    if (isJunction(table)) {
      const [left, right] = table.foreignKeys;
      const a = nameOf.get(left!.referencedTable);
      const b = nameOf.get(right!.referencedTable);
      if (!a || !b) continue;
      associations.push({ kind: 'belongsToMany', source: a, target: b, through: source, foreignKey: left!.columns[0]!, otherKey: right!.columns[0]!, as: uniqueAs(taken(a), camel(plural(b)), right!.columns[0]!) });
      associations.push({ kind: 'belongsToMany', source: b, target: a, through: source, foreignKey: right!.columns[0]!, otherKey: left!.columns[0]!, as: uniqueAs(taken(b), camel(plural(a)), left!.columns[0]!) });
    }
  }
  return { database, models, associations };
}
