/** The ORM query builder's request and answer. Plain data, shared with the webview. */

export const ORM_OPERATORS = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'like', 'between', 'isNull', 'notNull'] as const;
export type OrmOperator = (typeof ORM_OPERATORS)[number];

export interface OrmCondition {
  /** An attribute of the model, or "alias.attribute" of an included association. */
  readonly attribute: string;
  readonly op: OrmOperator;
  /** For `in`, values separated by commas; for `between`, two values separated by a comma. */
  readonly value: string;
}

export interface OrmInclude {
  readonly as: string;
  readonly attributes?: readonly string[];
  readonly required?: boolean;
  readonly include?: readonly OrmInclude[];
}

export interface OrmAggregate {
  readonly fn: 'COUNT' | 'SUM' | 'AVG' | 'MIN' | 'MAX';
  readonly attribute: string;
  readonly as: string;
}

export interface OrmQuery {
  readonly model: string;
  readonly method: 'findAll' | 'count' | 'findAndCountAll';
  readonly attributes?: readonly string[];
  readonly combine: 'and' | 'or';
  readonly where: readonly OrmCondition[];
  readonly order?: readonly { readonly attribute: string; readonly direction: 'ASC' | 'DESC' }[];
  readonly limit?: number;
  readonly offset?: number;
  readonly include?: readonly OrmInclude[];
  readonly group?: readonly string[];
  readonly aggregates?: readonly OrmAggregate[];
}

/**
 * One row per model instance. An included belongsTo or hasOne association's attributes appear as "alias.attribute"
 * columns; a hasMany or belongsToMany one is a column whose cell says how many there are ("2 orders"), with those
 * instances as a table of their own in `nested`.
 */
export interface OrmTable {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly (string | null)[])[];
  readonly nested: readonly OrmNested[];
}

/** The instances of a to-many association of one row, shown in the cell at `row`, `column`. */
export interface OrmNested {
  readonly row: number;
  readonly column: number;
  /** The model they are instances of. */
  readonly model: string;
  readonly table: OrmTable;
}

export interface OrmResult extends OrmTable {
  readonly sql: readonly string[];
  readonly count?: number;
  readonly ms: number;
}

/** What the builder offers: models, their attributes and where each association leads. */
export interface ModelOutline {
  readonly name: string;
  readonly table: string;
  readonly attributes: readonly string[];
  readonly associations: readonly { readonly as: string; readonly kind: string; readonly target: string }[];
}
