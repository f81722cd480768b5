import { AsyncLocalStorage } from 'node:async_hooks';
import type { Duplex } from 'node:stream';
import * as mysql2 from 'mysql2';
import type { TypeCast } from 'mysql2/typings/mysql/lib/parsers/typeCast';
import { DataTypes, literal, Model, ModelStatic, Options, Sequelize } from 'sequelize';
import { DataTypeSpec, ModelGraph } from './modelSpec';
import { MySqlTls, sslOption } from './tls';

export interface SequelizeTarget {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly database: string;
  /** TLS, when the profile uses it. */
  readonly tls?: MySqlTls;
  readonly readOnly: boolean;
  /** Through SSH: a new stream to the server for each connection, dialled instead of host:port. */
  readonly stream?: () => Duplex;
  /**
   * Through SSH, for a thread that cannot be handed a stream (the scratchpad's worker): the tunnel's private Unix
   * socket, dialled instead of host:port.
   */
  readonly socketPath?: string;
}

export interface LiveModels {
  readonly sequelize: Sequelize;
  readonly models: Readonly<Record<string, ModelStatic<Model>>>;
  readonly graph: ModelGraph;
}

/** Who hears the SQL Sequelize sends, for the duration of one call (a builder query, a scratchpad run). */
export const sqlListener = new AsyncLocalStorage<(sql: string) => void>();

declare module 'sequelize' {
  // Read by Sequelize's MySQL connection manager (it then sends no SET time_zone); missing from its typings.
  interface Options {
    readonly keepDefaultTimezone?: boolean;
  }
}

/** Temporal columns as mysql2 names them: read as the text the server sent, as the SQL grid shows them. */
const TEMPORAL = new Set(['DATE', 'NEWDATE', 'DATETIME', 'DATETIME2', 'TIMESTAMP', 'TIMESTAMP2', 'TIME', 'TIME2', 'YEAR']);

/**
 * Replaces Sequelize's own type casting, which turns DATETIME and TIMESTAMP into a JavaScript Date in its `timezone`
 * (inventing a UTC offset the column does not have, dropping microseconds and failing on zero dates). Everything else
 * is read as mysql2 reads it with the options below: big numbers, DECIMAL and JSON as text, binary as bytes.
 */
const serverText: TypeCast = (field, next) => (TEMPORAL.has(field.type) ? field.string() : next());

type Factory = (...args: (string | number)[]) => unknown;

function dataType(type: DataTypeSpec): unknown {
  const base = (DataTypes as unknown as Record<string, Factory & Record<string, unknown>>)[type.key]!;
  const made = type.args.length ? base(...type.args) : base;
  return type.unsigned && typeof made === 'object' && made !== null && 'UNSIGNED' in made ? (made as Record<string, unknown>)['UNSIGNED'] : made;
}

/**
 * A Sequelize instance on its own connection pool (one connection: a scratchpad transaction then covers everything
 * its snippet runs), with a model per table and the associations of the graph. Read-only connections set every
 * session read-only on the server as well. `onConnection` sees each new connection once it is set up, before Sequelize
 * sends anything on it.
 */
export function liveModels(target: SequelizeTarget, graph: ModelGraph, onConnection?: (connection: mysql2.Connection) => Promise<void>): LiveModels {
  const options: Options = {
    dialect: 'mysql',
    dialectModule: mysql2,
    host: target.host,
    port: target.port,
    logging: (sql: string) => sqlListener.getStore()?.(sql.replace(/^Executing \((?:default|[\w-]+)\): /, '')),
    pool: { max: 1, min: 0, idle: 60_000 },
    // The server's session time zone, as the SQL grid's connections have it (Sequelize would set +00:00).
    keepDefaultTimezone: true,
    dialectOptions: { supportBigNumbers: true, bigNumberStrings: true, dateStrings: true, jsonStrings: true, typeCast: serverText, charset: 'utf8mb4', ...sslOption(target.tls), ...(target.stream ? { stream: target.stream } : {}), ...(target.socketPath ? { socketPath: target.socketPath } : {}) },
    define: { timestamps: false, freezeTableName: true },
    hooks: {
      afterConnect: async (connection: unknown) => {
        const session = (connection as mysql2.Connection).promise();
        // Sequelize writes values into its SQL with backslash escapes: a session that reads backslashes as plain
        // characters would let a value end its string early. Its identifiers are backticked, which no mode changes.
        await session.query("SET SESSION sql_mode = REPLACE(@@SESSION.sql_mode, 'NO_BACKSLASH_ESCAPES', '')");
        if (target.readOnly) await session.query('SET SESSION TRANSACTION READ ONLY');
        await onConnection?.(connection as mysql2.Connection);
      },
    },
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
