import './main.css';
import type { Cell, ColumnInfo, StatementOutcome } from '../../src/drivers/mysql/resultShapes';
import type { ResultsRequest, ResultsResponses, RowEdit, SetInfo, ToHost, ToResults } from '../../src/panels/sqlResults/protocol';
import { Messenger } from '../shared/messenger';
import { el, shownText } from '../shared/dom';
import { VirtualList } from '../shared/virtualList';
import { RowCache } from './rowCache';

interface ResultTab {
  readonly info: SetInfo;
  rowCount: number;
  readonly seeded: readonly (readonly Cell[])[];
  readonly cache: RowCache;
  readonly edits: Map<number, RowEdit>;
}

const app = document.getElementById('app')!;
const messenger = new Messenger<ToHost, ToResults, undefined>(onMessage);
function ask<T extends ResultsRequest['type']>(request: Extract<ResultsRequest, { type: T }>): Promise<ResultsResponses[T]> {
  return messenger.request<ResultsResponses[T]>((id) => ({ type: 'request', id, request }));
}

/** Column widths by kind: numbers narrow, text wider; long values are cut with an ellipsis and shown whole in the row details. */
const WIDTHS: Record<ColumnInfo['kind'], number> = { number: 100, date: 170, text: 180, json: 220, binary: 150, other: 160 };
let tabs: ResultTab[] = [];
let current: ResultTab | undefined;
let outcomes: StatementOutcome[] = [];
let readOnly = false;
let running = false;

const title = el('h1');
const status = el('span', { className: 'status', attrs: { role: 'status' } });
const cancelButton = el('button', { className: 'secondary', text: 'Cancel query', attrs: { type: 'button' } });
const tabBar = el('div', { className: 'tabs', attrs: { role: 'tablist', 'aria-label': 'Results' } });
const header = el('div', { className: 'columns grid-row', attrs: { 'aria-hidden': 'true' } });
const exportCsv = el('button', { className: 'secondary', text: 'Export CSV…', attrs: { type: 'button' } });
const exportJson = el('button', { className: 'secondary', text: 'Export JSON…', attrs: { type: 'button' } });
const applyButton = el('button', { text: 'Review and apply changes…', attrs: { type: 'button' } });
const deleteButton = el('button', { className: 'secondary', text: 'Delete row', attrs: { type: 'button' } });
const editNote = el('span', { className: 'status' });
const details = el('div', { className: 'details', attrs: { 'aria-label': 'Row details' } });
const messages = el('div', { className: 'messages' });
const gridWrap = el('div', { className: 'grid-wrap' });

const cellText = (cell: Cell | undefined): string => (cell === undefined ? '…' : cell === null ? 'NULL' : cell);

const list = new VirtualList({
  rowHeight: 22,
  label: 'Rows',
  render(row, index) {
    const tab = current;
    if (!tab) return;
    const cells = tab.cache.row(index, tab.seeded);
    const edit = tab.edits.get(index);
    const n = tab.info.columns.length;
    if (row.childElementCount !== n + 1) row.replaceChildren(el('span', { className: 'cell rownum' }), ...tab.info.columns.map((c) => el('span', { className: `cell kind-${c.kind}` })));
    row.classList.add('grid-row');
    row.classList.toggle('edited', edit?.kind === 'update');
    row.classList.toggle('deleted', edit?.kind === 'delete');
    (row.children[0] as HTMLElement).textContent = String(index + 1);
    for (let i = 0; i < n; i++) {
      const value = edit?.kind === 'update' && i in edit.values ? edit.values[i] : cells?.[i];
      const span = row.children[i + 1] as HTMLElement;
      span.textContent = shownText(cellText(value));
      span.classList.toggle('null', value === null);
    }
  },
  onSelectionChange(_selected, focused) {
    showDetails(focused);
  },
});

/** The row-number column is as wide as the largest number it shows (1,000,000 rows need more than 100). */
const numberWidth = (rows: number): number => Math.max(56, String(rows).length * 8 + 16);

function layout(columns: readonly ColumnInfo[], rows: number): void {
  const template = `${numberWidth(rows)}px ${columns.map((c) => `${WIDTHS[c.kind]}px`).join(' ')}`;
  header.style.gridTemplateColumns = template;
  document.documentElement.style.setProperty('--grid-columns', template);
  header.replaceChildren(el('span', { className: 'cell rownum', text: '#' }), ...columns.map((c) => el('span', { className: `cell kind-${c.kind}`, text: c.name, attrs: { title: `${c.name}: ${c.type}${c.table ? ` (${c.table})` : ''}${c.primaryKey ? ', primary key' : ''}` } })));
  gridWrap.style.width = `${numberWidth(rows) + columns.reduce((w, c) => w + WIDTHS[c.kind] + 8, 0) + 20}px`;
}

function showTab(tab: ResultTab | undefined): void {
  current = tab;
  for (const [i, b] of [...tabBar.children].entries()) b.setAttribute('aria-selected', String(tab ? tabs[i] === tab : i === tabs.length));
  const showing = tab !== undefined;
  gridWrap.hidden = !showing;
  messages.hidden = showing;
  details.replaceChildren();
  if (!tab) return;
  layout(tab.info.columns, tab.rowCount);
  list.setCount(tab.rowCount, true);
  exportCsv.disabled = exportJson.disabled = false;
  const editable = tab.info.editable && !readOnly;
  applyButton.hidden = deleteButton.hidden = !editable;
  editNote.textContent = editable ? 'Select a row to edit its values; changes are applied together after you review the statements.' : readOnly ? 'Read-only connection.' : 'Read-only result: it must come from one table and include its whole primary key to be edited.';
  updateEdits();
}

function updateEdits(): void {
  const n = current?.edits.size ?? 0;
  applyButton.disabled = n === 0;
  applyButton.textContent = n ? `Review and apply ${n} change${n === 1 ? '' : 's'}…` : 'Review and apply changes…';
}

function showDetails(index: number): void {
  const tab = current;
  const cells = tab?.cache.row(index, tab.seeded);
  if (!tab || !cells) return details.replaceChildren();
  const editable = tab.info.editable && !readOnly;
  const edit = tab.edits.get(index);
  const fields = tab.info.columns.map((c, i) => {
    const value = edit?.kind === 'update' && i in edit.values ? edit.values[i]! : cells[i] ?? null;
    const input = el('textarea', { attrs: { rows: '1', spellcheck: 'false', 'aria-label': c.name, ...(editable && !c.primaryKey ? {} : { readonly: '' }) } });
    input.value = value ?? '';
    const isNull = el('input', { attrs: { type: 'checkbox', 'aria-label': `${c.name} is NULL`, ...(editable && !c.primaryKey ? {} : { disabled: '' }) } });
    isNull.checked = value === null;
    const stage = (): void => {
      const values = { ...(edit?.kind === 'update' ? edit.values : {}), [i]: isNull.checked ? null : input.value };
      tab.edits.set(index, { kind: 'update', row: index, values });
      list.refresh();
      updateEdits();
    };
    input.addEventListener('change', () => { isNull.checked = false; stage(); });
    isNull.addEventListener('change', stage);
    return el('div', { className: 'field' }, el('span', { className: 'field-name', text: `${c.name}`, attrs: { title: c.type } }), input, el('label', { className: 'inline' }, isNull, el('span', { text: 'NULL' })));
  });
  details.replaceChildren(el('h2', { text: `Row ${index + 1}` }), ...fields);
}

function renderMessages(): void {
  messages.replaceChildren(...outcomes.map((o, i) => {
    const lines = o.results.map((r) => (r.kind === 'rows'
      ? `${r.rowCount.toLocaleString()} row${r.rowCount === 1 ? '' : 's'}${r.capped ? ` (stopped at the ${r.capped === 'rows' ? 'row limit, switchboard.mysql.maxRows' : 'memory limit, switchboard.mysql.maxResultMB'})` : ''}`
      : `${r.affectedRows} row${r.affectedRows === 1 ? '' : 's'} affected${r.changedRows !== undefined ? `, ${r.changedRows} changed` : ''}${r.insertId ? `, insert id ${r.insertId}` : ''}${r.warnings ? `, ${r.warnings} warnings` : ''}`));
    const error = o.error ? `${o.error.code ? `${o.error.code}${o.error.errno ? ` (${o.error.errno})` : ''}: ` : ''}${o.error.message}${o.error.line !== undefined ? ` — editor line ${o.error.line + 1}` : ''}` : '';
    return el('div', { className: o.error ? 'message error' : 'message' },
      el('div', { className: 'stmt', text: `${i + 1}. line ${o.line + 1}: ${o.statement.replace(/\s+/g, ' ').slice(0, 200)}` }),
      el('div', { text: [o.cancelled ? 'cancelled' : '', ...lines, `${o.ms.toFixed(1)} ms`].filter(Boolean).join(' · ') }),
      error ? el('div', { className: 'error-text', text: error }) : undefined);
  }));
}

function addTabButton(label: string, onClick: () => void): void {
  const button = el('button', { className: 'tab', text: label, attrs: { type: 'button', role: 'tab' } });
  button.addEventListener('click', onClick);
  tabBar.insertBefore(button, tabBar.lastElementChild);
}

function onMessage(message: ToResults): void {
  if (message.type === 'start') {
    readOnly = message.readOnly;
    running = true;
    tabs = [];
    outcomes = [];
    title.textContent = message.title;
    tabBar.replaceChildren(el('button', { className: 'tab', text: 'Messages', attrs: { type: 'button', role: 'tab' } }));
    tabBar.lastElementChild!.addEventListener('click', () => showTab(undefined));
    cancelButton.hidden = false;
    status.textContent = `Running ${message.statements} statement${message.statements === 1 ? '' : 's'}…`;
    renderMessages();
    showTab(undefined);
  } else if (message.type === 'set') {
    const id = message.set.id;
    const tab: ResultTab = {
      info: message.set, rowCount: message.firstRows.length, seeded: message.firstRows, edits: new Map(),
      cache: new RowCache(async (start, count) => (await ask({ type: 'rows', set: id, start, count })).rows ?? [], () => list.refresh()),
    };
    tabs.push(tab);
    addTabButton(`Result ${tabs.length}`, () => showTab(tab));
    if (tabs.length === 1) showTab(tab);
  } else if (message.type === 'progress') {
    for (const p of message.sets) {
      const tab = tabs.find((t) => t.info.id === p.id);
      if (!tab || p.rowCount === tab.rowCount) continue;
      tab.cache.invalidate(tab.rowCount);
      const widened = numberWidth(p.rowCount) !== numberWidth(tab.rowCount);
      tab.rowCount = p.rowCount;
      if (tab !== current) continue;
      if (widened) layout(tab.info.columns, tab.rowCount);
      list.setCount(tab.rowCount);
    }
    const rows = tabs.reduce((n, t) => n + t.rowCount, 0);
    if (running) status.textContent = `Running… ${rows.toLocaleString()} rows so far`;
  } else if (message.type === 'statement') {
    outcomes.push(message.outcome);
    renderMessages();
    if (message.outcome.error) showTab(undefined);
  } else if (message.type === 'done') {
    running = false;
    cancelButton.hidden = true;
    const failed = outcomes.some((o) => o.error);
    status.textContent = `${message.cancelled ? 'Cancelled' : failed ? 'Stopped at an error' : 'Done'} in ${(message.ms / 1000).toFixed(2)} s`;
    status.classList.toggle('error-text', failed);
    if (tabs.length === 0) showTab(undefined);
  }
}

cancelButton.addEventListener('click', () => void ask({ type: 'cancel' }));
for (const [button, format] of [[exportCsv, 'csv'], [exportJson, 'json']] as const) {
  button.addEventListener('click', async () => {
    if (!current) return;
    const r = await ask({ type: 'export', set: current.info.id, format });
    if (r.error) status.textContent = r.error;
    else if (r.file) status.textContent = `Exported ${r.rows?.toLocaleString()} rows to ${r.file}`;
  });
}
deleteButton.addEventListener('click', () => {
  if (!current) return;
  for (const index of list.selection()) current.edits.set(index, { kind: 'delete', row: index });
  list.refresh();
  updateEdits();
});
applyButton.addEventListener('click', async () => {
  const tab = current;
  if (!tab) return;
  const r = await ask({ type: 'reviewEdits', set: tab.info.id, edits: [...tab.edits.values()] });
  if (r.error) {
    status.textContent = r.error;
    status.classList.add('error-text');
  } else if (r.applied) {
    tab.edits.clear();
    list.refresh();
    updateEdits();
    status.textContent = `Applied ${r.applied} change${r.applied === 1 ? '' : 's'} in one transaction. Run the query again to see deleted rows go.`;
  }
});

gridWrap.append(header, list.element);
app.replaceChildren(
  el('header', {}, title, status, cancelButton),
  tabBar,
  el('div', { className: 'toolbar' }, exportCsv, exportJson, deleteButton, applyButton, editNote),
  el('div', { className: 'table' }, gridWrap, messages),
  details,
);
messages.append(el('p', { className: 'help', text: 'Run a statement from a .sql editor (Ctrl+Enter) to see its results here.' }));
cancelButton.hidden = true;
messenger.post({ type: 'ready' });
