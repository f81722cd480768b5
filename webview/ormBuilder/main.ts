import '../shared/l10n';
import './main.css';
import * as l10n from '@vscode/l10n';
import { ORM_OPERATORS, type ModelOutline, type OrmAggregate, type OrmCondition, type OrmInclude, type OrmQuery } from '../../src/drivers/mysql/ormShapes';
import * as v from 'valibot';
import { ormProtocol, ormQuery } from '../../src/panels/ormBuilder/protocol';
import type { Init } from '../../src/panels/ipc/protocol';
import { PanelClient } from '../shared/ipc';
import { vscodeTransport, ViewState } from '../shared/vscodeApi';
import { button, el } from '../shared/dom';
import { resultTable } from './results';
import { countOf } from '../shared/viewFormat';
import { problemText } from '../shared/problemOf';
import { notOpened } from '../shared/problem';

const app = document.getElementById('app')!;
const client = new PanelClient(ormProtocol, vscodeTransport(), {});
/** What the webview remembers while hidden: the query as the form holds it, and the SQL and status last shown. */
const viewState = new ViewState(v.object({ query: ormQuery, sql: v.string(), sqlIsError: v.boolean(), status: v.string() }));

const OP_LABELS: Record<(typeof ORM_OPERATORS)[number], string> = {
  eq: '=', ne: '≠', gt: '>', gte: '≥', lt: '<', lte: '≤', in: 'in (a, b, …)', like: l10n.t('like (% and _)'), between: 'between (a, b)', isNull: 'is null', notNull: 'is not null',
};
let models: readonly ModelOutline[] = [];

const options = (select: HTMLSelectElement, values: readonly string[], labels?: (v: string) => string): HTMLSelectElement => {
  select.replaceChildren(...values.map((v) => el('option', { text: labels ? labels(v) : v, attrs: { value: v } })));
  return select;
};
const section = (title: string, ...children: (Node | undefined)[]): HTMLElement => el('section', {}, el('h2', { text: title }), ...children);

const modelSelect = el('select', { attrs: { 'aria-label': l10n.t('Model') } });
const methodSelect = options(el('select', { attrs: { 'aria-label': l10n.t('Method') } }), ['findAll', 'count', 'findAndCountAll']);
const attributes = el('select', { attrs: { multiple: '', size: '6', 'aria-label': l10n.t('Attributes (none selected: all)') } });
const includes = el('div', { className: 'includes' });
const combine = options(el('select', { attrs: { 'aria-label': l10n.t('Combine conditions with') } }), ['and', 'or'], (v) => (v === 'and' ? l10n.t('all of (and)') : l10n.t('any of (or)')));
const conditions = el('div', { className: 'rows' });
const addCondition = button(l10n.t('Add condition'), { secondary: true });
const orderAttribute = el('select', { attrs: { 'aria-label': l10n.t('Order by') } });
const orderDirection = options(el('select', { attrs: { 'aria-label': l10n.t('Direction') } }), ['ASC', 'DESC']);
const limit = el('input', { attrs: { type: 'number', min: '0', placeholder: l10n.t('limit'), 'aria-label': l10n.t('Limit') } });
const offset = el('input', { attrs: { type: 'number', min: '0', placeholder: l10n.t('offset'), 'aria-label': l10n.t('Offset') } });
const groupBy = el('select', { attrs: { multiple: '', size: '4', 'aria-label': l10n.t('Group by') } });
const aggregates = el('div', { className: 'rows' });
const addAggregate = button(l10n.t('Add aggregate'), { secondary: true });
const previewButton = button(l10n.t('Show SQL'), { secondary: true });
const runButton = button(l10n.t('Run'));
const explainButton = button(l10n.t('Explain…'), { secondary: true });
const sqlView = el('pre', { className: 'sql', attrs: { 'aria-label': 'SQL' } });
const status = el('span', { className: 'status', attrs: { role: 'status' } });
/** Says why the results cannot be edited here: the connection is read-only, or ORM results simply are not editable. */
const resultsNote = el('p', { className: 'help results-note' });
const results = el('div', { className: 'results' });
let readOnly = false;

type Ran = Init<typeof ormProtocol>['last'];
function showResults(ran: Ran): void {
  if (!ran || (ran.count !== undefined && ran.table.columns.length === 0)) {
    results.replaceChildren();
    resultsNote.textContent = '';
    return;
  }
  const shown = ran.table.rows.length;
  const why = readOnly ? l10n.t('Read-only connection.') : l10n.t('ORM results are not editable here: edit rows in the table view or with SQL.');
  resultsNote.textContent = shown < ran.rows ? `${why} ${l10n.t('The first {0} of {1} instances are shown.', shown.toLocaleString('en-US'), ran.rows.toLocaleString('en-US'))}` : why;
  results.replaceChildren(resultTable(ran.table, l10n.t('Results')));
}

function ranText(ran: NonNullable<Ran>): string {
  const name = modelSelect.value;
  const rows = name ? countOf(ran.rows, l10n.t('{0} row, one per {1} instance.'), l10n.t('{0} rows, one per {1} instance.'), name)
    : countOf(ran.rows, l10n.t('{0} row, one per model instance.'), l10n.t('{0} rows, one per model instance.'));
  return ran.count !== undefined ? `${l10n.t('count {0}', ran.count)} · ${rows}` : rows;
}

const model = (): ModelOutline | undefined => models.find((m) => m.name === modelSelect.value);
const modelNamed = (name: string): ModelOutline | undefined => models.find((m) => m.name === name);

/** Attributes of the model and of every checked include, the latter as "alias.attribute". */
function reachableAttributes(): string[] {
  const m = model();
  if (!m) return [];
  const out = [...m.attributes];
  for (const box of includes.querySelectorAll<HTMLInputElement>('input.include:checked')) {
    const target = modelNamed(box.dataset['target'] ?? '');
    for (const a of target?.attributes ?? []) out.push(`${box.dataset['path']}.${a}`);
  }
  return out;
}

function conditionRow(initial?: OrmCondition): HTMLElement {
  const attribute = options(el('select', { className: 'attribute', attrs: { 'aria-label': l10n.t('Attribute') } }), reachableAttributes());
  const op = options(el('select', { attrs: { 'aria-label': l10n.t('Operator') } }), ORM_OPERATORS, (o) => OP_LABELS[o as keyof typeof OP_LABELS]);
  const value = el('input', { attrs: { type: 'text', 'aria-label': l10n.t('Value'), spellcheck: 'false' } });
  const remove = button(l10n.t('Remove'), { secondary: true });
  const row = el('div', { className: 'row condition' }, attribute, op, value, remove);
  const noValue = (): void => { value.disabled = op.value === 'isNull' || op.value === 'notNull'; };
  op.addEventListener('change', noValue);
  remove.addEventListener('click', () => {
    row.remove();
    remember();
  });
  if (initial) {
    attribute.value = initial.attribute;
    op.value = initial.op;
    value.value = initial.value;
    noValue();
  }
  return row;
}

function aggregateRow(initial?: OrmAggregate): HTMLElement {
  const fn = options(el('select', { attrs: { 'aria-label': l10n.t('Function') } }), ['COUNT', 'SUM', 'AVG', 'MIN', 'MAX']);
  const attribute = options(el('select', { attrs: { 'aria-label': l10n.t('Of attribute') } }), ['*', ...(model()?.attributes ?? [])]);
  const as = el('input', { attrs: { type: 'text', placeholder: l10n.t('as (name)'), 'aria-label': l10n.t('Result name'), spellcheck: 'false' } });
  const remove = button(l10n.t('Remove'), { secondary: true });
  const row = el('div', { className: 'row aggregate' }, fn, attribute, as, remove);
  remove.addEventListener('click', () => {
    row.remove();
    remember();
  });
  if (initial) {
    fn.value = initial.fn;
    attribute.value = initial.attribute;
    as.value = initial.as;
  }
  return row;
}

/** Checkboxes for a model's associations; a checked one opens the associations of its target, one level deeper. */
function includeTree(outline: ModelOutline, path: string, depth: number): HTMLElement {
  return el('ul', {}, ...outline.associations.map((a) => {
    const fullPath = path ? `${path}.${a.as}` : a.as;
    const box = el('input', { className: 'include', attrs: { type: 'checkbox', 'data-path': fullPath, 'data-target': a.target, 'aria-label': l10n.t('Include {0}', fullPath) } });
    const required = el('input', { className: 'required', attrs: { type: 'checkbox', 'aria-label': l10n.t('{0} required (inner join)', fullPath) } });
    const nested = el('div');
    box.addEventListener('change', () => {
      const target = modelNamed(a.target);
      nested.replaceChildren(...(box.checked && target && depth < 2 ? [includeTree(target, fullPath, depth + 1)] : []));
      refreshAttributeLists();
    });
    return el('li', {}, el('label', { className: 'inline' }, box, el('span', { text: `${a.as}` }), el('span', { className: 'help', text: ` ${a.kind} ${a.target}` })),
      el('label', { className: 'inline required-label' }, required, el('span', { text: l10n.t('required') })), nested);
  }));
}

function refreshAttributeLists(): void {
  const reachable = reachableAttributes();
  const current = orderAttribute.value;
  options(orderAttribute, ['', ...reachable], (v) => v || l10n.t('(no order)'));
  orderAttribute.value = reachable.includes(current) ? current : '';
  for (const select of conditions.querySelectorAll<HTMLSelectElement>('select.attribute')) {
    const value = select.value;
    options(select, reachable);
    if (reachable.includes(value)) select.value = value;
  }
}

function selectModel(): void {
  const m = model();
  options(attributes, m?.attributes ?? []);
  options(groupBy, m?.attributes ?? []);
  includes.replaceChildren(m && m.associations.length ? includeTree(m, '', 1) : el('p', { className: 'help', text: l10n.t('No associations.') }));
  conditions.replaceChildren();
  aggregates.replaceChildren();
  refreshAttributeLists();
  sqlView.textContent = '';
}

function readIncludes(container: Element): OrmInclude[] {
  const list = container.querySelector(':scope > ul');
  if (!list) return [];
  return [...list.children].flatMap((li) => {
    const box = li.querySelector<HTMLInputElement>(':scope > label > input.include');
    if (!box?.checked) return [];
    const as = (box.dataset['path'] ?? '').split('.').at(-1)!;
    const required = li.querySelector<HTMLInputElement>(':scope > label > input.required')?.checked ?? false;
    const nested = readIncludes(li.querySelector(':scope > div')!);
    return [{ as, required, ...(nested.length ? { include: nested } : {}) }];
  });
}

function readQuery(): OrmQuery {
  const selected = (select: HTMLSelectElement): string[] => [...select.selectedOptions].map((o) => o.value);
  const where: OrmCondition[] = [...conditions.querySelectorAll('.condition')].map((row) => {
    const [attribute, op] = row.querySelectorAll('select');
    return { attribute: attribute!.value, op: op!.value as OrmCondition['op'], value: row.querySelector('input')!.value };
  });
  const aggs: OrmAggregate[] = [...aggregates.querySelectorAll('.aggregate')].map((row) => {
    const [fn, attribute] = row.querySelectorAll('select');
    return { fn: fn!.value as OrmAggregate['fn'], attribute: attribute!.value, as: row.querySelector('input')!.value.trim() };
  });
  const include = readIncludes(includes);
  return {
    model: modelSelect.value, method: methodSelect.value as OrmQuery['method'], combine: combine.value as 'and' | 'or', where,
    ...(selected(attributes).length ? { attributes: selected(attributes) } : {}),
    ...(include.length ? { include } : {}),
    ...(orderAttribute.value ? { order: [{ attribute: orderAttribute.value, direction: orderDirection.value as 'ASC' | 'DESC' }] } : {}),
    ...(limit.value ? { limit: Number(limit.value) } : {}),
    ...(offset.value ? { offset: Number(offset.value) } : {}),
    ...(selected(groupBy).length ? { group: selected(groupBy) } : {}),
    ...(aggs.length ? { aggregates: aggs } : {}),
  };
}

/** Puts a remembered query back into the form: model first, then the includes it opens, then what refers to them. */
function fill(query: OrmQuery): void {
  if (!modelNamed(query.model)) return;
  modelSelect.value = query.model;
  selectModel();
  methodSelect.value = query.method;
  for (const o of attributes.options) o.selected = query.attributes?.includes(o.value) ?? false;
  const check = (container: Element, wanted: readonly OrmInclude[] | undefined): void => {
    const list = container.querySelector(':scope > ul');
    for (const li of list ? [...list.children] : []) {
      const box = li.querySelector<HTMLInputElement>(':scope > label > input.include');
      const found = wanted?.find((w) => w.as === (box?.dataset['path'] ?? '').split('.').at(-1));
      if (!box || !found) continue;
      box.checked = true;
      box.dispatchEvent(new Event('change'));
      const required = li.querySelector<HTMLInputElement>(':scope > label > input.required');
      if (required) required.checked = found.required ?? false;
      check(li.querySelector(':scope > div')!, found.include);
    }
  };
  check(includes, query.include);
  combine.value = query.combine;
  conditions.replaceChildren(...query.where.map((c) => conditionRow(c)));
  const order = query.order?.[0];
  orderAttribute.value = order?.attribute ?? '';
  orderDirection.value = order?.direction ?? 'ASC';
  limit.value = query.limit === undefined ? '' : String(query.limit);
  offset.value = query.offset === undefined ? '' : String(query.offset);
  for (const o of groupBy.options) o.selected = query.group?.includes(o.value) ?? false;
  aggregates.replaceChildren(...(query.aggregates ?? []).map((a) => aggregateRow(a)));
}

function remember(): void {
  if (!models.length) return;
  viewState.write({ query: readQuery(), sql: sqlView.textContent ?? '', sqlIsError: sqlView.classList.contains('error-text'), status: status.textContent ?? '' });
}

function showSql(text: string, error: boolean, statusText: string): void {
  sqlView.textContent = text;
  sqlView.classList.toggle('error-text', error);
  status.textContent = statusText;
  remember();
}

function render(state: Init<typeof ormProtocol>): void {
  models = state.models;
  readOnly = state.readOnly;
  options(modelSelect, models.map((m) => m.name), (name) => `${name} (${modelNamed(name)?.table ?? ''})`);
  if (state.model && modelNamed(state.model)) modelSelect.value = state.model;
  app.replaceChildren(
    el('header', {}, el('h1', { text: l10n.t('ORM query · {0}', state.title) }), status),
    el('div', { className: 'toolbar' }, el('label', { className: 'inline' }, el('span', { text: l10n.t('Model') }), modelSelect), el('label', { className: 'inline' }, el('span', { text: l10n.t('Method') }), methodSelect)),
    el('div', { className: 'columns-2' },
      section(l10n.t('Attributes'), attributes, el('p', { className: 'help', text: l10n.t('None selected: all of them. Ctrl or Shift to pick several.') })),
      section(l10n.t('Include associations'), includes)),
    section(l10n.t('Where'), el('div', { className: 'toolbar' }, combine, addCondition), conditions),
    el('div', { className: 'columns-2' },
      section(l10n.t('Order, limit, offset'), el('div', { className: 'toolbar' }, orderAttribute, orderDirection, limit, offset)),
      section(l10n.t('Group with aggregates'), groupBy, el('div', { className: 'toolbar' }, addAggregate), aggregates)),
    el('div', { className: 'actions' }, previewButton, explainButton, runButton),
    section(l10n.t('SQL Sequelize sends'), sqlView),
    section(l10n.t('Results'), resultsNote, results),
  );
  selectModel();
  const saved = viewState.read();
  if (saved) {
    fill(saved.query);
    showSql(saved.sql, saved.sqlIsError, saved.status);
  }
  showResults(state.last);
  if (models.length === 0) {
    status.textContent = l10n.t('This database has no tables to build a query on.');
    previewButton.disabled = runButton.disabled = explainButton.disabled = addCondition.disabled = addAggregate.disabled = true;
  }
}

/** Runs a request with both buttons waiting, so a second click cannot overtake the first. */
async function busy<T>(work: () => Promise<T>): Promise<T> {
  previewButton.disabled = runButton.disabled = explainButton.disabled = true;
  try {
    return await work();
  } finally {
    previewButton.disabled = runButton.disabled = explainButton.disabled = false;
  }
}

modelSelect.addEventListener('change', () => {
  selectModel();
  remember();
});
addCondition.addEventListener('click', () => conditions.append(conditionRow()));
addAggregate.addEventListener('click', () => aggregates.append(aggregateRow()));
app.addEventListener('change', remember);
app.addEventListener('input', remember);
previewButton.addEventListener('click', () => void busy(async () => {
  try {
    const r = await client.request('preview', { query: readQuery() });
    showSql(r.sql.join(';\n\n'), false, l10n.t('Not run yet: this is what Run sends.'));
  } catch (error) {
    showSql(problemText(error), true, l10n.t('The query is not valid yet.'));
  }
}));
explainButton.title = l10n.t('The plan of the SELECT this query sends, in a panel of its own; nothing runs but EXPLAIN.');
explainButton.addEventListener('click', () => void busy(async () => {
  try {
    await client.request('explain', { query: readQuery() });
  } catch (error) {
    showSql(problemText(error), true, l10n.t('Not explained.'));
  }
}));
runButton.addEventListener('click', () => void busy(async () => {
  status.textContent = l10n.t('Running…');
  try {
    const r = await client.request('run', { query: readQuery() });
    showSql(r.sql.join(';\n\n'), false, ranText(r));
    showResults(r);
  } catch (error) {
    showSql(problemText(error), true, l10n.t('Failed.'));
  }
}));

void client.ready().then(render, (error: unknown) => notOpened(app, error, (why) => l10n.t('The builder could not be opened: {0}', why)));
