import { AsyncLocalStorage } from 'node:async_hooks';
import { col, fn, FindOptions, IncludeOptions, Model, ModelStatic, Op, Order, WhereOptions } from 'sequelize';
import { DriverError } from '../errors';
import { LiveModels, sqlListener } from './liveModels';
import { OrmCondition, OrmInclude, OrmQuery, OrmResult } from './ormShapes';
import { Cell } from './resultShapes';
import { hexOf } from './wireRows';
import { checkOrmQuery } from './ormCheck';
import { nestedTable } from './ormNesting';

/** Statements captured while previewing: set only around a preview, so real runs are untouched. */
const preview = new AsyncLocalStorage<string[]>();
const hooked = new WeakSet<object>();

/**
 * Lets `previewSql` see the exact SQL Sequelize would send: inside a preview, each query records its SQL and returns
 * an empty result instead of reaching the server.
 */
function hookPreview(live: LiveModels): void {
  if (hooked.has(live.sequelize)) return;
  hooked.add(live.sequelize);
  live.sequelize.addHook('beforeQuery', (_options, query) => {
    const captured = preview.getStore();
    if (!captured) return;
    // `run` is private in the typings; replacing it on this one query object is what keeps the preview off the server.
    (query as unknown as { run: (sql: string) => Promise<unknown> }).run = async (sql: string) => {
      captured.push(sql);
      return [];
    };
  });
}

function modelOf(live: LiveModels, name: unknown): ModelStatic<Model> {
  const model = typeof name === 'string' && Object.hasOwn(live.models, name) ? live.models[name] : undefined;
  if (!model) throw new DriverError('config', `There is no model "${name}" in ${live.graph.database}.`, 'Refresh the models: the schema may have changed.');
  return model;
}

/** "alias.attribute" of an include is written $alias.attribute$ in a where clause. */
const whereKey = (attribute: string): string => (attribute.includes('.') ? `$${attribute}$` : attribute);
const list = (value: string): string[] => value.split(',').map((v) => v.trim()).filter((v) => v !== '');

function condition(c: OrmCondition): WhereOptions {
  const key = whereKey(c.attribute);
  switch (c.op) {
    case 'eq': return { [key]: { [Op.eq]: c.value } };
    case 'ne': return { [key]: { [Op.ne]: c.value } };
    case 'gt': return { [key]: { [Op.gt]: c.value } };
    case 'gte': return { [key]: { [Op.gte]: c.value } };
    case 'lt': return { [key]: { [Op.lt]: c.value } };
    case 'lte': return { [key]: { [Op.lte]: c.value } };
    case 'like': return { [key]: { [Op.like]: c.value } };
    case 'in': return { [key]: { [Op.in]: list(c.value) } };
    case 'between': {
      const range = list(c.value);
      if (range.length !== 2) throw new DriverError('config', `"between" on ${c.attribute} needs two values separated by a comma, e.g. 10,20.`);
      return { [key]: { [Op.between]: range as [string, string] } };
    }
    case 'isNull': return { [key]: { [Op.is]: null } };
    case 'notNull': return { [key]: { [Op.not]: null } };
  }
}

function includeOf(model: ModelStatic<Model>, include: OrmInclude): IncludeOptions {
  const association = model.associations[include.as];
  if (!association) throw new DriverError('config', `${model.name} has no association "${include.as}"; its associations: ${Object.keys(model.associations).join(', ') || 'none'}.`);
  return {
    association: include.as,
    ...(include.attributes?.length ? { attributes: [...include.attributes] } : {}),
    ...(include.required !== undefined ? { required: include.required } : {}),
    ...(include.include?.length ? { include: include.include.map((i) => includeOf(association.target, i)) } : {}),
  };
}

function findOptions(model: ModelStatic<Model>, query: OrmQuery): FindOptions {
  const conditions = query.where.map(condition);
  const aggregates = (query.aggregates ?? []).map((a): [ReturnType<typeof fn>, string] => [fn(a.fn, a.attribute === '*' ? col('*') : col(a.attribute)), a.as || `${a.fn.toLowerCase()}_${a.attribute}`]);
  const attributes = query.attributes?.length || aggregates.length ? [...(query.attributes ?? []), ...aggregates] : undefined;
  return {
    ...(conditions.length ? { where: { [query.combine === 'or' ? Op.or : Op.and]: conditions } } : {}),
    ...(attributes ? { attributes } : {}),
    ...(query.include?.length ? { include: query.include.map((i) => includeOf(model, i)) } : {}),
    ...(query.order?.length ? { order: query.order.map((o) => (o.attribute.includes('.') ? [...o.attribute.split('.'), o.direction] : [o.attribute, o.direction])) as Order } : {}),
    ...(query.limit !== undefined ? { limit: query.limit } : {}),
    ...(query.offset !== undefined ? { offset: query.offset } : {}),
    ...(query.group?.length ? { group: [...query.group] } : {}),
  };
}

/** Whether an include, at any depth, holds many instances per instance (hasMany, belongsToMany). */
function includesMany(live: LiveModels, model: string, includes: readonly OrmInclude[]): boolean {
  return includes.some((include) => {
    const association = live.graph.associations.find((a) => a.source === model && a.as === include.as);
    return association !== undefined && (association.kind === 'hasMany' || association.kind === 'belongsToMany' || includesMany(live, association.target, include.include ?? []));
  });
}

/**
 * Runs the query. With a to-many include the instances come back whole, one per model instance with their
 * associations nested in it (Sequelize then selects the primary keys it needs to put them together); otherwise as
 * the rows the server sent, a to-one include's attributes as "alias.attribute".
 */
async function execute(live: LiveModels, query: OrmQuery): Promise<{ count?: number; records: unknown[] }> {
  const model = modelOf(live, query.model);
  checkOrmQuery(model, query);
  const options = findOptions(model, query);
  if (query.method === 'count') {
    const counted: unknown = await model.count({ ...options, distinct: true });
    return { count: Array.isArray(counted) ? counted.length : Number(counted), records: [] };
  }
  const whole = includesMany(live, query.model, query.include ?? []);
  const read = (rows: readonly Model[]): unknown[] => rows.map((r) => (whole ? r.get({ plain: true }) : r));
  if (query.method === 'findAndCountAll') {
    const { count, rows } = await model.findAndCountAll({ ...options, raw: !whole, nest: false, distinct: true });
    return { count: Array.isArray(count) ? count.length : count, records: read(rows) };
  }
  return { records: read(await model.findAll({ ...options, raw: !whole, nest: false })) };
}

/** A value Sequelize returned, as the grid shows it: bytes as hex (cut after 256), dates in ISO form, objects as JSON. */
function cellOf(value: unknown): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (Buffer.isBuffer(value)) return hexOf(value, 0, value.length, 256);
  if (value instanceof Date) return value.toISOString();
  return JSON.stringify(value);
}

/** The SQL Sequelize will send for a query, without running it. */
export async function previewSql(live: LiveModels, query: OrmQuery): Promise<string[]> {
  hookPreview(live);
  const captured: string[] = [];
  await preview.run(captured, () => execute(live, query)).catch((error: unknown) => {
    // Sequelize may trip over the empty results a preview returns, after it has built the SQL; that SQL is the answer.
    if (captured.length === 0) throw error;
  });
  return captured;
}

/** Runs a builder query: one row per model instance, to-many associations nested (ormNesting.ts), with the SQL that ran. */
export async function runOrmQuery(live: LiveModels, query: OrmQuery): Promise<OrmResult> {
  const started = performance.now();
  const ranSql: string[] = [];
  const { count, records } = await sqlListener.run((sql) => ranSql.push(sql), () => execute(live, query));
  const table = nestedTable(records, { model: query.model, includes: query.include ?? [] }, live.graph.associations, cellOf);
  return { sql: ranSql, ...(count === undefined ? {} : { count }), ...table, ms: performance.now() - started };
}
