import './main.css';
import { ORM_OPERATORS, type ModelOutline, type OrmAggregate, type OrmCondition, type OrmInclude, type OrmQuery } from '../../src/drivers/mysql/ormShapes';
import type { OrmRequest, OrmResponses, ToHost, ToOrm } from '../../src/panels/ormBuilder/protocol';
import { Messenger } from '../shared/messenger';
import { el } from '../shared/dom';

const app = document.getElementById('app')!;
const messenger = new Messenger<ToHost, ToOrm, undefined>(onMessage);
function ask<T extends OrmRequest['type']>(request: Extract<OrmRequest, { type: T }>): Promise<OrmResponses[T]> {
  return messenger.request<OrmResponses[T]>((id) => ({ type: 'request', id, request }));
}

const OP_LABELS: Record<(typeof ORM_OPERATORS)[number], string> = {
  eq: '=', ne: '≠', gt: '>', gte: '≥', lt: '<', lte: '≤', in: 'in (a, b, …)', like: 'like (% and _)', between: 'between (a, b)', isNull: 'is null', notNull: 'is not null',
};
let models: readonly ModelOutline[] = [];

const options = (select: HTMLSelectElement, values: readonly string[], labels?: (v: string) => string): HTMLSelectElement => {
  select.replaceChildren(...values.map((v) => el('option', { text: labels ? labels(v) : v, attrs: { value: v } })));
  return select;
};
const button = (text: string, secondary = false): HTMLButtonElement => el('button', { text, className: secondary ? 'secondary' : '', attrs: { type: 'button' } });
const section = (title: string, ...children: (Node | undefined)[]): HTMLElement => el('section', {}, el('h2', { text: title }), ...children);

const modelSelect = el('select', { attrs: { 'aria-label': 'Model' } });
const methodSelect = options(el('select', { attrs: { 'aria-label': 'Method' } }), ['findAll', 'count', 'findAndCountAll']);
const attributes = el('select', { attrs: { multiple: '', size: '6', 'aria-label': 'Attributes (none selected: all)' } });
const includes = el('div', { className: 'includes' });
const combine = options(el('select', { attrs: { 'aria-label': 'Combine conditions with' } }), ['and', 'or'], (v) => (v === 'and' ? 'all of (and)' : 'any of (or)'));
const conditions = el('div', { className: 'rows' });
const addCondition = button('Add condition', true);
const orderAttribute = el('select', { attrs: { 'aria-label': 'Order by' } });
const orderDirection = options(el('select', { attrs: { 'aria-label': 'Direction' } }), ['ASC', 'DESC']);
const limit = el('input', { attrs: { type: 'number', min: '0', placeholder: 'limit', 'aria-label': 'Limit' } });
const offset = el('input', { attrs: { type: 'number', min: '0', placeholder: 'offset', 'aria-label': 'Offset' } });
const groupBy = el('select', { attrs: { multiple: '', size: '4', 'aria-label': 'Group by' } });
const aggregates = el('div', { className: 'rows' });
const addAggregate = button('Add aggregate', true);
const previewButton = button('Show SQL', true);
const runButton = button('Run');
const sqlView = el('pre', { className: 'sql', attrs: { 'aria-label': 'SQL' } });
const status = el('span', { className: 'status', attrs: { role: 'status' } });

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

function conditionRow(): HTMLElement {
  const attribute = options(el('select', { attrs: { 'aria-label': 'Attribute' } }), reachableAttributes());
  const op = options(el('select', { attrs: { 'aria-label': 'Operator' } }), ORM_OPERATORS, (v) => OP_LABELS[v as keyof typeof OP_LABELS]);
  const value = el('input', { attrs: { type: 'text', 'aria-label': 'Value', spellcheck: 'false' } });
  const remove = button('Remove', true);
  const row = el('div', { className: 'row condition' }, attribute, op, value, remove);
  op.addEventListener('change', () => { value.disabled = op.value === 'isNull' || op.value === 'notNull'; });
  remove.addEventListener('click', () => row.remove());
  return row;
}

function aggregateRow(): HTMLElement {
  const fn = options(el('select', { attrs: { 'aria-label': 'Function' } }), ['COUNT', 'SUM', 'AVG', 'MIN', 'MAX']);
  const attribute = options(el('select', { attrs: { 'aria-label': 'Of attribute' } }), ['*', ...(model()?.attributes ?? [])]);
  const as = el('input', { attrs: { type: 'text', placeholder: 'as (name)', 'aria-label': 'Result name', spellcheck: 'false' } });
  const remove = button('Remove', true);
  const row = el('div', { className: 'row aggregate' }, fn, attribute, as, remove);
  remove.addEventListener('click', () => row.remove());
  return row;
}

/** Checkboxes for a model's associations; a checked one opens the associations of its target, one level deeper. */
function includeTree(outline: ModelOutline, path: string, depth: number): HTMLElement {
  return el('ul', {}, ...outline.associations.map((a) => {
    const fullPath = path ? `${path}.${a.as}` : a.as;
    const box = el('input', { className: 'include', attrs: { type: 'checkbox', 'data-path': fullPath, 'data-target': a.target, 'aria-label': `Include ${fullPath}` } });
    const required = el('input', { className: 'required', attrs: { type: 'checkbox', 'aria-label': `${fullPath} required (inner join)` } });
    const nested = el('div');
    box.addEventListener('change', () => {
      const target = modelNamed(a.target);
      nested.replaceChildren(...(box.checked && target && depth < 2 ? [includeTree(target, fullPath, depth + 1)] : []));
      refreshAttributeLists();
    });
    return el('li', {}, el('label', { className: 'inline' }, box, el('span', { text: `${a.as}` }), el('span', { className: 'help', text: ` ${a.kind} ${a.target}` })),
      el('label', { className: 'inline required-label' }, required, el('span', { text: 'required' })), nested);
  }));
}

function refreshAttributeLists(): void {
  const reachable = reachableAttributes();
  const current = orderAttribute.value;
  options(orderAttribute, ['', ...reachable], (v) => v || '(no order)');
  orderAttribute.value = reachable.includes(current) ? current : '';
  for (const select of conditions.querySelectorAll<HTMLSelectElement>('select[aria-label="Attribute"]')) {
    const value = select.value;
    options(select, reachable);
    if (reachable.includes(value)) select.value = value;
  }
}

function selectModel(): void {
  const m = model();
  options(attributes, m?.attributes ?? []);
  options(groupBy, m?.attributes ?? []);
  includes.replaceChildren(m && m.associations.length ? includeTree(m, '', 1) : el('p', { className: 'help', text: 'No associations.' }));
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

function onMessage(message: ToOrm): void {
  if (message.type !== 'init') return;
  models = message.models;
  options(modelSelect, models.map((m) => m.name), (v) => `${v} (${modelNamed(v)?.table ?? ''})`);
  if (message.model) modelSelect.value = message.model;
  app.replaceChildren(
    el('header', {}, el('h1', { text: `ORM query · ${message.title}` }), status),
    el('div', { className: 'toolbar' }, el('label', { className: 'inline' }, el('span', { text: 'Model' }), modelSelect), el('label', { className: 'inline' }, el('span', { text: 'Method' }), methodSelect)),
    el('div', { className: 'columns-2' },
      section('Attributes', attributes, el('p', { className: 'help', text: 'None selected: all of them. Ctrl or Shift to pick several.' })),
      section('Include associations', includes)),
    section('Where', el('div', { className: 'toolbar' }, combine, addCondition), conditions),
    el('div', { className: 'columns-2' },
      section('Order, limit, offset', el('div', { className: 'toolbar' }, orderAttribute, orderDirection, limit, offset)),
      section('Group with aggregates', groupBy, el('div', { className: 'toolbar' }, addAggregate), aggregates)),
    el('div', { className: 'actions' }, previewButton, runButton),
    section('SQL Sequelize sends', sqlView),
  );
  selectModel();
}

modelSelect.addEventListener('change', selectModel);
addCondition.addEventListener('click', () => conditions.append(conditionRow()));
addAggregate.addEventListener('click', () => aggregates.append(aggregateRow()));
previewButton.addEventListener('click', async () => {
  const r = await ask({ type: 'preview', query: readQuery() });
  sqlView.textContent = r.error ?? (r.sql ?? []).join(';\n\n');
  sqlView.classList.toggle('error-text', r.error !== undefined);
  status.textContent = r.error ? 'The query is not valid yet.' : 'Not run yet: this is what Run sends.';
});
runButton.addEventListener('click', async () => {
  status.textContent = 'Running…';
  const r = await ask({ type: 'run', query: readQuery() });
  sqlView.textContent = r.error ?? (r.sql ?? []).join(';\n\n');
  sqlView.classList.toggle('error-text', r.error !== undefined);
  status.textContent = r.error ? 'Failed.' : `${r.count !== undefined ? `count ${r.count} · ` : ''}${r.rows ?? 0} rows in the results grid.`;
});

messenger.post({ type: 'ready' });
