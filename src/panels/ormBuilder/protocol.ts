/** The ORM query builder's channel: the webview describes a query; the host shows the SQL Sequelize builds and runs it. */
import * as v from 'valibot';
import { ORM_OPERATORS, type OrmTable } from '../../drivers/mysql/ormShapes';
import { list, NONE, protocol, request } from '../ipc/protocol';

/** Names as the form offers them (attributes, aliases, models): the driver checks each against the live models. */
const name = v.pipe(v.string(), v.maxLength(512));
const names = v.pipe(list(name), v.maxLength(1024));
const count = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(Number.MAX_SAFE_INTEGER));

const condition = v.object({ attribute: name, op: v.picklist(ORM_OPERATORS), value: v.pipe(v.string(), v.maxLength(1024 * 1024)) });
const aggregate = v.object({ fn: v.picklist(['COUNT', 'SUM', 'AVG', 'MIN', 'MAX']), attribute: name, as: name });
interface Include {
  readonly as: string;
  readonly attributes?: readonly string[];
  readonly required?: boolean;
  readonly include?: readonly Include[];
}
const include: v.GenericSchema<Include> = v.object({
  as: name, attributes: v.exactOptional(names), required: v.exactOptional(v.boolean()),
  include: v.exactOptional(v.pipe(list(v.lazy(() => include)), v.maxLength(64))),
});

export const ormQuery = v.object({
  model: name,
  method: v.picklist(['findAll', 'count', 'findAndCountAll']),
  attributes: v.exactOptional(names),
  combine: v.picklist(['and', 'or']),
  where: v.pipe(list(condition), v.maxLength(256)),
  order: v.exactOptional(v.pipe(list(v.object({ attribute: name, direction: v.picklist(['ASC', 'DESC']) })), v.maxLength(64))),
  limit: v.exactOptional(count),
  offset: v.exactOptional(count),
  include: v.exactOptional(v.pipe(list(include), v.maxLength(64))),
  group: v.exactOptional(names),
  aggregates: v.exactOptional(v.pipe(list(aggregate), v.maxLength(64))),
});

const outline = v.object({
  name: v.string(), table: v.string(), attributes: list(v.string()),
  associations: list(v.object({ as: v.string(), kind: v.string(), target: v.string() })),
});

/** Results as the builder shows them: a row per model instance, to-many associations as tables nested in a cell. */
/** The most instances the builder shows of one result (a limit in the query shows fewer). */
export const MAX_SHOWN = 1000;
const ormTable: v.GenericSchema<OrmTable> = v.object({
  columns: list(v.string()),
  rows: list(list(v.nullable(v.string()))),
  nested: list(v.object({ row: v.number(), column: v.number(), model: v.string(), table: v.lazy(() => ormTable) })),
});

/** What a run found: `rows` instances, of which `table` holds the first MAX_SHOWN. */
const ran = v.object({ sql: list(v.string()), rows: v.number(), count: v.exactOptional(v.number()), table: ormTable });

export const ormProtocol = protocol({
  init: v.object({ title: v.string(), models: list(outline), model: v.exactOptional(v.string()), readOnly: v.boolean(), last: v.exactOptional(ran) }),
  requests: {
    preview: request(v.object({ query: ormQuery }), v.object({ sql: list(v.string()) })),
    /** Opens the EXPLAIN panel on the SELECT the query sends for its rows (nothing runs but EXPLAIN). */
    explain: request(v.object({ query: ormQuery }), NONE),
    // Running waits for the server, which the query timeout bounds.
    run: request(v.object({ query: ormQuery }), ran, 60 * 60_000),
  },
  commands: {},
  notifications: {},
});
