import { AsyncLocalStorage } from 'node:async_hooks';
import * as mysql2 from 'mysql2';
import { DataTypes, literal, Model, ModelStatic, Options, Sequelize } from 'sequelize';
import { DataTypeSpec, ModelGraph } from './modelSpec';

export interface SequelizeTarget {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly database: string;
  readonly ssl: boolean;
  readonly readOnly: boolean;
}

export interface LiveModels {
  readonly sequelize: Sequelize;
  readonly models: Readonly<Record<string, ModelStatic<Model>>>;
  readonly graph: ModelGraph;
}

/** Who hears the SQL Sequelize sends, for the duration of one call (a builder query, a scratchpad run). */
export const sqlListener = new AsyncLocalStorage<(sql: string) => void>();

type Factory = (...args: (string | number)[]) => unknown;

function dataType(type: DataTypeSpec): unknown {
  const base = (DataTypes as unknown as Record<string, Factory & Record<string, unknown>>)[type.key]!;
  const made = type.args.length ? base(...type.args) : base;
  return type.unsigned && typeof made === 'object' && made !== null && 'UNSIGNED' in made ? (made as Record<string, unknown>)['UNSIGNED'] : made;
}

/**
 * A Sequelize instance on its own connection pool (one connection: a scratchpad transaction then covers everything
 * its snippet runs), with a model per table and the associations of the graph. Read-only connections set every
 * session read-only on the server as well.
 */
export function liveModels(target: SequelizeTarget, graph: ModelGraph): LiveModels {
  const options: Options = {
    dialect: 'mysql',
    dialectModule: mysql2,
    host: target.host,
    port: target.port,
    logging: (sql: string) => sqlListener.getStore()?.(sql.replace(/^Executing \((?:default|[\w-]+)\): /, '')),
    pool: { max: 1, min: 0, idle: 60_000 },
    dialectOptions: { supportBigNumbers: true, bigNumberStrings: true, dateStrings: true, charset: 'utf8mb4', ...(target.ssl ? { ssl: { rejectUnauthorized: true } } : {}) },
    define: { timestamps: false, freezeTableName: true },
    hooks: target.readOnly ? { afterConnect: async (connection: unknown) => { await (connection as mysql2.Connection).promise().query('SET SESSION TRANSACTION READ ONLY'); } } : {},
  };
  const sequelize = new Sequelize(target.database, target.user, target.password, options);
  const models: Record<string, ModelStatic<Model>> = {};
  for (const spec of graph.models) {
    const attributes = Object.fromEntries(spec.attributes.map((a) => [a.name, {
      type: dataType(a.type) as ReturnType<typeof DataTypes.STRING>, allowNull: a.allowNull, primaryKey: a.primaryKey, autoIncrement: a.autoIncrement,
      ...(a.defaultValue ? { defaultValue: 'literal' in a.defaultValue ? literal(a.defaultValue.literal) : a.defaultValue.value } : {}),
    }]));
    const model = sequelize.define(spec.name, attributes, { tableName: spec.table });
    // Without a primary key Sequelize would invent an "id" column the table does not have.
    if (!spec.attributes.some((a) => a.primaryKey)) model.removeAttribute('id');
    models[spec.name] = model;
  }
  for (const a of graph.associations) {
    const source = models[a.source];
    const to = models[a.target];
    if (!source || !to) continue;
    if (a.kind === 'belongsTo') source.belongsTo(to, { as: a.as, foreignKey: a.foreignKey });
    else if (a.kind === 'hasMany') source.hasMany(to, { as: a.as, foreignKey: a.foreignKey });
    else if (a.kind === 'hasOne') source.hasOne(to, { as: a.as, foreignKey: a.foreignKey });
    else if (a.through && models[a.through]) source.belongsToMany(to, { as: a.as, through: models[a.through]!, foreignKey: a.foreignKey, otherKey: a.otherKey ?? '' });
  }
  return { sequelize, models, graph };
}
