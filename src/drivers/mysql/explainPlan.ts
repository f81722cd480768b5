/**
 * A query plan as a tree of steps, built from what the server says of a statement: `EXPLAIN FORMAT=JSON` (MySQL and
 * MariaDB spell it differently), MariaDB's `ANALYZE FORMAT=JSON` (the same with measured `r_` figures) and MySQL 8's
 * `EXPLAIN ANALYZE` (an indented text tree). Every step says why it may be costly, so the UI only has to mark it.
 */

export interface PlanStep {
  /** What the step does: "Table t1", "Nested loop", "Filesort", "Subquery #2", an EXPLAIN ANALYZE line. */
  readonly label: string;
  readonly table?: string;
  /** The access type: ALL, index, range, ref, eq_ref, const, … */
  readonly access?: string;
  readonly key?: string;
  readonly possibleKeys?: readonly string[];
  /** Estimated rows examined per scan. */
  readonly rows?: number;
  /** Estimated percentage of rows left by the condition. */
  readonly filtered?: number;
  /** Measured (ANALYZE): rows per loop, filtered percentage, time in milliseconds, loops. */
  readonly actualRows?: number;
  readonly actualFiltered?: number;
  readonly actualMs?: number;
  readonly loops?: number;
  readonly cost?: number;
  /** Conditions, join buffers, index use: short facts as the server words them. */
  readonly notes: readonly string[];
  /** Why this step is costly (empty when it is not): "Using filesort", "full table scan of ~5,000 rows". */
  readonly costly: readonly string[];
  readonly children: readonly PlanStep[];
}

/** From how many rows a full scan is marked costly. */
export const FULL_SCAN_ROWS = 1000;

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const numberOf = (value: unknown): number | undefined => {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  return Number.isFinite(n) ? n : undefined;
};
const textOf = (value: unknown): string | undefined => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined);
const texts = (value: unknown): string[] => (Array.isArray(value) ? value.map(textOf).filter((t): t is string => t !== undefined) : []);

/** A step's figures while it is being read. */
type Figures = { -readonly [K in Exclude<keyof PlanStep, 'label' | 'notes' | 'costly' | 'children'>]?: PlanStep[K] };

interface Draft {
  label: string;
  fields: Figures;
  notes: string[];
  costly: string[];
  children: PlanStep[];
}

const draft = (label: string): Draft => ({ label, fields: {}, notes: [], costly: [], children: [] });
const finish = (d: Draft): PlanStep => ({ label: d.label, ...d.fields, notes: d.notes, costly: d.costly, children: d.children });

/** Keys whose values are figures of the step itself, never steps below it. */
const OWN_FIELDS = new Set(['table_name', 'access_type', 'key', 'possible_keys', 'rows', 'rows_examined_per_scan', 'rows_produced_per_join', 'filtered',
  'r_rows', 'r_filtered', 'r_total_time_ms', 'r_loops', 'cost_info', 'cost', 'attached_condition', 'select_id', 'used_key_parts', 'key_length', 'ref',
  'message', 'using_index', 'using_filesort', 'using_temporary_table', 'using_join_buffer', 'index_condition', 'sort_key', 'r_used_priority_queue',
  'r_output_rows', 'r_buffer_size', 'r_table_time_ms', 'r_other_time_ms', 'r_engine_stats', 'used_columns', 'join_type', 'buffer_type', 'buffer_size',
  'loops', 'r_index_cond_rows', 'query_cost']);

function flags(d: Draft, node: Json): void {
  if (node['using_filesort'] === true) d.costly.push('Using filesort');
  if (node['using_temporary_table'] === true) d.costly.push('Using temporary');
  const buffer = textOf(node['using_join_buffer']);
  if (buffer) d.notes.push(`Using join buffer (${buffer})`);
  if (node['using_index'] === true) d.notes.push('Using index');
  const condition = textOf(node['attached_condition']);
  if (condition) d.notes.push(`Condition: ${condition}`);
  const indexCondition = textOf(node['index_condition']);
  if (indexCondition) d.notes.push(`Index condition: ${indexCondition}`);
  const message = textOf(node['message']);
  if (message) d.notes.push(message);
  const sortKey = textOf(node['sort_key']);
  if (sortKey) d.notes.push(`Sort key: ${sortKey}`);
}

function measured(d: Draft, node: Json): void {
  const rows = numberOf(node['r_rows']);
  const filtered = numberOf(node['r_filtered']);
  // A block states its total; MariaDB splits a table's time into reading it and evaluating conditions on what it read.
  const parts = [numberOf(node['r_table_time_ms']), numberOf(node['r_other_time_ms'])].filter((n): n is number => n !== undefined);
  const ms = numberOf(node['r_total_time_ms']) ?? (parts.length ? parts.reduce((a, b) => a + b, 0) : undefined);
  const loops = numberOf(node['r_loops']);
  if (rows !== undefined) d.fields.actualRows = rows;
  if (filtered !== undefined) d.fields.actualFiltered = filtered;
  if (ms !== undefined) d.fields.actualMs = ms;
  if (loops !== undefined) d.fields.loops = loops;
}

function fullScan(d: Draft, access: string | undefined, rows: number | undefined, table: string): void {
  if (rows === undefined || rows < FULL_SCAN_ROWS) return;
  if (access === 'ALL') d.costly.push(`full table scan of ~${rows.toLocaleString('en-US')} rows of ${table}`);
  else if (access === 'index') d.costly.push(`full index scan of ~${rows.toLocaleString('en-US')} rows of ${table}`);
}

function tableStep(node: Json): PlanStep {
  const table = textOf(node['table_name']) ?? '?';
  const d = draft(`Table ${table}`);
  const access = textOf(node['access_type']);
  const key = textOf(node['key']);
  const possibleKeys = texts(node['possible_keys']);
  const rows = numberOf(node['rows_examined_per_scan']) ?? numberOf(node['rows']);
  const filtered = numberOf(node['filtered']);
  const cost = isObject(node['cost_info']) ? numberOf(node['cost_info']['read_cost']) : numberOf(node['cost']);
  d.fields = { table, ...(access ? { access } : {}), ...(key ? { key } : {}), ...(possibleKeys.length ? { possibleKeys } : {}),
    ...(rows !== undefined ? { rows } : {}), ...(filtered !== undefined ? { filtered } : {}), ...(cost !== undefined ? { cost } : {}) };
  const ref = texts(node['ref']);
  if (ref.length) d.notes.push(`ref: ${ref.join(', ')}`);
  flags(d, node);
  measured(d, node);
  fullScan(d, access, rows, table);
  d.children.push(...stepsIn(node));
  return finish(d);
}

/** A step that wraps others: sorting, grouping, a temporary table, a union, a join buffer. */
function wrapper(label: string, node: Json, costly: string[] = []): PlanStep {
  const d = draft(label);
  d.costly.push(...costly);
  flags(d, node);
  measured(d, node);
  d.children.push(...stepsIn(node));
  return finish(d);
}

function queryBlock(node: Json): PlanStep {
  const id = textOf(node['select_id']);
  const d = draft(id ? `Query block #${id}` : 'Query block');
  const cost = isObject(node['cost_info']) ? numberOf(node['cost_info']['query_cost']) : numberOf(node['cost']);
  if (cost !== undefined) d.fields.cost = cost;
  flags(d, node);
  measured(d, node);
  d.children.push(...stepsIn(node));
  return finish(d);
}

/** The steps a key of a plan object holds, or undefined when the key is not a step of its own (then it is looked into). */
function stepsOf(key: string, value: unknown): PlanStep[] | undefined {
  if (!isObject(value)) return undefined;
  switch (key) {
    case 'query_block': return [queryBlock(value)];
    case 'table': return [tableStep(value)];
    case 'ordering_operation': return [wrapper('Order', value)];
    case 'grouping_operation': return [wrapper('Group', value)];
    case 'duplicates_removal': return [wrapper('Remove duplicates', value)];
    case 'windowing': return [wrapper('Window functions', value)];
    case 'filesort': return [wrapper('Filesort', value, ['Using filesort'])];
    case 'temporary_table': return [wrapper('Temporary table', value, ['Using temporary'])];
    case 'union_result': return [wrapper(`Union result${textOf(value['table_name']) ? ` ${textOf(value['table_name'])}` : ''}`, value)];
    case 'block-nl-join': return [wrapper(`Block nested loop join (${textOf(value['join_type']) ?? 'BNL'}${textOf(value['buffer_size']) ? `, buffer ${textOf(value['buffer_size'])}` : ''})`, value)];
    case 'materialized': case 'materialized_from_subquery': return [wrapper('Materialized subquery', value)];
    default: return undefined;
  }
}

/** The steps below a plan object, in the server's order; wrappers the tree does not name are looked through. */
function stepsIn(node: Json): PlanStep[] {
  const steps: PlanStep[] = [];
  for (const [key, value] of Object.entries(node)) {
    if (OWN_FIELDS.has(key)) continue;
    const own = stepsOf(key, value);
    if (own) steps.push(...own);
    else if (key === 'nested_loop' && Array.isArray(value)) steps.push(wrapperOfList(value.length > 1 ? 'Nested loop' : undefined, value));
    else if (Array.isArray(value)) steps.push(...value.flatMap((item) => (isObject(item) ? stepsIn(item) : [])));
    else if (isObject(value)) steps.push(...(subquery(key, value) ?? stepsIn(value)));
  }
  return steps;
}

function wrapperOfList(label: string | undefined, items: readonly unknown[]): PlanStep {
  const children = items.flatMap((item) => (isObject(item) ? stepsIn(item) : []));
  if (label === undefined && children.length === 1 && children[0]) return children[0];
  return { label: label ?? 'Steps', notes: [], costly: [], children };
}

/** MariaDB wraps a subquery's block in an expression cache: kept as a note of the subquery. */
function subquery(key: string, value: Json): PlanStep[] | undefined {
  if (key !== 'expression_cache') return undefined;
  const d = draft('Expression cache');
  const state = textOf(value['state']) ?? textOf(value['r_hit_ratio']);
  if (state) d.notes.push(`cache: ${state}`);
  d.children.push(...stepsIn(value));
  return [finish(d)];
}

/** The plan of `EXPLAIN FORMAT=JSON` or MariaDB's `ANALYZE FORMAT=JSON` output (the text of its one cell). */
export function planFromJson(text: string): PlanStep {
  const parsed: unknown = JSON.parse(text);
  if (!isObject(parsed)) throw new Error('the server\'s EXPLAIN output is not a JSON object');
  const steps = stepsIn(parsed);
  return steps.length === 1 && steps[0] ? steps[0] : { label: 'Plan', notes: [], costly: [], children: steps };
}

/** `(cost=1.2 rows=3)` and `(actual time=0.01..0.5 rows=3 loops=1)` of an EXPLAIN ANALYZE line. */
const FIGURES = /\((cost=[^)]*|actual [^)]*)\)/g;

function analyzeLine(text: string): Draft {
  const label = text.replace(FIGURES, '').replace(/\s+$/, '');
  const d = draft(label);
  for (const [, figures = ''] of text.matchAll(FIGURES)) {
    const values = new Map([...figures.matchAll(/([a-z_ ]+)=(\d+(?:\.\d+)?(?:e[+-]?\d+)?)(?:\.\.(\d+(?:\.\d+)?(?:e[+-]?\d+)?))?/g)].map((m) => [m[1]!.trim(), m[3] ?? m[2] ?? '']));
    if (figures.startsWith('cost=')) {
      const cost = numberOf(values.get('cost'));
      const rows = numberOf(values.get('rows'));
      if (cost !== undefined) d.fields.cost = cost;
      if (rows !== undefined) d.fields.rows = rows;
    } else {
      const ms = numberOf(values.get('actual time'));
      const rows = numberOf(values.get('rows'));
      const loops = numberOf(values.get('loops'));
      if (ms !== undefined) d.fields.actualMs = ms;
      if (rows !== undefined) d.fields.actualRows = rows;
      if (loops !== undefined) d.fields.loops = loops;
    }
  }
  const scan = /^Table scan on (\S+)/.exec(label);
  if (scan?.[1]) {
    d.fields.table = scan[1];
    d.fields.access = 'ALL';
    fullScan(d, 'ALL', d.fields.actualRows ?? d.fields.rows, scan[1]);
  }
  const indexScan = /^(?:Covering )?[Ii]ndex scan on (\S+) using (\S+)/.exec(label);
  if (indexScan?.[1] && indexScan[2]) {
    d.fields.table = indexScan[1];
    d.fields.access = 'index';
    d.fields.key = indexScan[2];
    fullScan(d, 'index', d.fields.actualRows ?? d.fields.rows, indexScan[1]);
  }
  const lookup = /^(?:Single-row )?(?:Covering )?[Ii]ndex (?:lookup|range scan) on (\S+) using (\S+)/.exec(label);
  if (lookup?.[1] && lookup[2]) {
    d.fields.table = lookup[1];
    d.fields.key = lookup[2];
  }
  if (/^Sort\b/.test(label)) d.costly.push('Using filesort');
  if (/^(Materialize|Temporary table)\b/.test(label)) d.costly.push('Using temporary');
  return d;
}

/** The plan of MySQL 8's `EXPLAIN ANALYZE` (FORMAT=TREE): lines starting `-> `, indented by depth. */
export function planFromTree(text: string): PlanStep {
  // Lines come top-down, so a step's children arrive after it: drafts are finished once every line is read.
  interface Open { readonly depth: number; readonly draft: Draft; readonly below: Open[] }
  const root: Open = { depth: -1, draft: draft('Plan'), below: [] };
  const path: Open[] = [root];
  for (const line of text.split('\n')) {
    const match = /^(\s*)-> (.*)$/.exec(line);
    if (!match) continue;
    const depth = match[1]?.length ?? 0;
    while (path.length > 1 && (path.at(-1)?.depth ?? -1) >= depth) path.pop();
    const step: Open = { depth, draft: analyzeLine(match[2] ?? ''), below: [] };
    path.at(-1)?.below.push(step);
    path.push(step);
  }
  const build = (open: Open): PlanStep => finish({ ...open.draft, children: open.below.map(build) });
  const built = build(root);
  return built.children.length === 1 && built.children[0] ? built.children[0] : built;
}

/** Every step of a plan, depth first. */
export function planSteps(plan: PlanStep): PlanStep[] {
  return [plan, ...plan.children.flatMap(planSteps)];
}
