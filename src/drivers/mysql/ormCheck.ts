import type { Model, ModelStatic } from 'sequelize';
import { DriverError } from '../errors';
import { ORM_OPERATORS } from './ormShapes';

/**
 * Checks an ORM builder query before Sequelize turns it into SQL, whatever sent it: a webview is not trusted to send
 * only what its controls offer. Every model, attribute and association is looked up on the live models (read from the
 * schema), the aggregate function is one of an allow-list (Sequelize writes a function name into SQL as given), and
 * every other field has the type and range the builder sends.
 */

const AGGREGATES: ReadonlySet<string> = new Set(['COUNT', 'SUM', 'AVG', 'MIN', 'MAX']);
const METHODS: ReadonlySet<string> = new Set(['findAll', 'count', 'findAndCountAll']);
const OPERATORS: ReadonlySet<string> = new Set(ORM_OPERATORS);
const DIRECTIONS: ReadonlySet<string> = new Set(['ASC', 'DESC']);
/** A result column name the builder lets the user type: letters, digits, underscores and spaces. */
const ALIAS = /^[\p{L}\p{N}_ ]{0,64}$/u;

function refuse(what: string): never {
  throw new DriverError('config', `The ORM query was refused: ${what}.`, 'Use the models, attributes and functions the builder offers.');
}

function text(value: unknown, what: string): string {
  if (typeof value !== 'string') refuse(`${what} is not text`);
  return value;
}

function list(value: unknown, what: string): readonly unknown[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) refuse(`${what} is not a list`);
  return value;
}

function attribute(model: ModelStatic<Model>, name: unknown, what: string): void {
  const attr = text(name, what);
  if (!Object.hasOwn(model.getAttributes(), attr)) refuse(`${model.name} has no attribute ${JSON.stringify(attr)} (${what})`);
}

/** "attribute", or "alias.attribute" / "alias.alias.attribute" through the model's associations. */
function path(model: ModelStatic<Model>, dotted: unknown, what: string): void {
  const parts = text(dotted, what).split('.');
  let at = model;
  for (const alias of parts.slice(0, -1)) {
    if (!Object.hasOwn(at.associations, alias)) refuse(`${at.name} has no association ${JSON.stringify(alias)} (${what})`);
    at = at.associations[alias]!.target;
  }
  attribute(at, parts.at(-1), what);
}

/** A field of something that should be an object: undefined when it has no such field. */
function field(value: unknown, key: string, what: string): unknown {
  if (typeof value !== 'object' || value === null) refuse(`${what} is not an object`);
  return key in value ? Object.getOwnPropertyDescriptor(value, key)?.value as unknown : undefined;
}

function include(model: ModelStatic<Model>, inc: unknown): void {
  const as = text(field(inc, 'as', 'an include'), 'an include');
  if (!Object.hasOwn(model.associations, as)) refuse(`${model.name} has no association ${JSON.stringify(as)}`);
  const target = model.associations[as]!.target;
  for (const a of list(field(inc, 'attributes', as), `the attributes of ${as}`)) attribute(target, a, `included in ${as}`);
  const required = field(inc, 'required', as);
  if (required !== undefined && typeof required !== 'boolean') refuse(`"required" of ${as} is not true or false`);
  for (const nested of list(field(inc, 'include', as), `the includes of ${as}`)) include(target, nested);
}

function count(value: unknown, what: string): void {
  if (value !== undefined && (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0)) refuse(`${what} is not a whole number of zero or more`);
}

/** Throws a DriverError naming the first part of `query` that is not something the builder could have sent. */
export function checkOrmQuery(model: ModelStatic<Model>, query: unknown): void {
  const method = text(field(query, 'method', 'the query'), 'the method');
  if (!METHODS.has(method)) refuse(`${JSON.stringify(method)} is not a query method`);
  const combine = field(query, 'combine', 'the query');
  if (combine !== 'and' && combine !== 'or') refuse('conditions are combined with "and" or "or" only');
  for (const a of list(field(query, 'attributes', 'the query'), 'the attributes')) attribute(model, a, 'selected');
  for (const c of list(field(query, 'where', 'the query'), 'the conditions')) {
    path(model, field(c, 'attribute', 'a condition'), 'a condition');
    const op = text(field(c, 'op', 'a condition'), 'an operator');
    if (!OPERATORS.has(op)) refuse(`${JSON.stringify(op)} is not an operator`);
    text(field(c, 'value', 'a condition'), 'a condition value');
  }
  for (const o of list(field(query, 'order', 'the query'), 'the order')) {
    path(model, field(o, 'attribute', 'an order entry'), 'the order');
    if (!DIRECTIONS.has(text(field(o, 'direction', 'an order entry'), 'an order direction'))) refuse('an order direction is ASC or DESC');
  }
  count(field(query, 'limit', 'the query'), 'the limit');
  count(field(query, 'offset', 'the query'), 'the offset');
  for (const inc of list(field(query, 'include', 'the query'), 'the includes')) include(model, inc);
  for (const g of list(field(query, 'group', 'the query'), 'the grouping')) path(model, g, 'the grouping');
  for (const a of list(field(query, 'aggregates', 'the query'), 'the aggregates')) {
    const fn = text(field(a, 'fn', 'an aggregate'), 'an aggregate function');
    if (!AGGREGATES.has(fn)) refuse(`${JSON.stringify(fn)} is not one of the aggregate functions ${[...AGGREGATES].join(', ')}`);
    const of = field(a, 'attribute', 'an aggregate');
    if (of === '*') {
      if (fn !== 'COUNT') refuse(`${fn}(*) is not an aggregate`);
    } else {
      path(model, of, `the ${fn} aggregate`);
    }
    const as = text(field(a, 'as', 'an aggregate'), 'an aggregate name');
    if (!ALIAS.test(as)) refuse(`the aggregate name ${JSON.stringify(as)} may hold only letters, digits, underscores and spaces`);
  }
}
