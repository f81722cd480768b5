import '../shared/l10n';
import './main.css';
import * as v from 'valibot';
import type { Init } from '../../src/panels/ipc/protocol';
import { PageState, tableProtocol } from '../../src/panels/tableData/protocol';
import { PanelClient } from '../shared/ipc';
import { vscodeTransport, ViewState } from '../shared/vscodeApi';
import { button, el } from '../shared/dom';
import { askedFirst } from '../shared/confirm';
import { DataGrid, editCount, editsOf, GridModel, gridModel, setEdits } from '../shared/dataGrid';
import { countOf } from '../shared/viewFormat';
import * as l10n from '@vscode/l10n';
import { submitOnEnter } from '../shared/submitOnEnter';
import { problemText } from '../shared/problemOf';
import { notOpened } from '../shared/problem';

/** What the webview remembers while hidden: the filter being typed, and where the page was scrolled and selected. */
const viewState = new ViewState(v.object({ page: v.number(), filter: v.string(), position: v.number(), selection: v.array(v.number()), focused: v.number() }));

const app = document.getElementById('app')!;
let state: Init<typeof tableProtocol> | undefined;
let page: PageState | undefined;
let model: GridModel | undefined;
let query: Init<typeof tableProtocol>['query'] = { filter: '' };
let busy = false;


const title = el('h1');
const status = el('span', { className: 'status', attrs: { role: 'status' } });
const cancel = button(l10n.t('Cancel'), { secondary: true });
const notice = el('div', { className: 'notice', attrs: { role: 'alert' } });
/** Where applying edits is asked about, showing the statements. */
const questions = el('div');
const match = el('div', { className: 'match' });
const filter = el('input', { attrs: { type: 'text', placeholder: l10n.t("WHERE …   e.g. status = 'open' AND total > 100"), 'aria-label': l10n.t('Filter (a WHERE condition)'), spellcheck: 'false' } });
const applyFilter = button(l10n.t('Filter'));
const clearFilter = button(l10n.t('Clear'), { secondary: true });
const first = button(l10n.t('« First'), { secondary: true });
const previous = button(l10n.t('‹ Previous'), { secondary: true });
const next = button(l10n.t('Next ›'), { secondary: true });
const last = button(l10n.t('Last »'), { secondary: true });
const addRow = button(l10n.t('Add row'), { secondary: true });
const deleteRow = button(l10n.t('Delete row'), { secondary: true });
const applyEdits = button(l10n.t('Review and apply changes…'));
const editNote = el('span', { className: 'status' });
const sql = el('code', { className: 'sql' });

const grid = new DataGrid({
  label: l10n.t('Rows'),
  onEdits: (changed) => {
    if (page && changed === model) client.command('stage', { page: page.id, edits: editsOf(changed) });
    updateControls();
  },
  onView: () => {
    updateControls();
    remember();
  },
  onHeader: (column) => {
    const name = page?.columns[column]?.name;
    const current = query.sort?.column === name ? query.sort?.direction : undefined;
    // Each click: ascending, descending, then back to the key's order.
    if (current === 'DESC') client.command('sort', { direction: 'ASC' });
    else client.command('sort', { column, direction: current === 'ASC' ? 'DESC' : 'ASC' });
  },
  headerMark: (column) => (query.sort && page?.columns[column]?.name === query.sort.column ? (query.sort.direction === 'ASC' ? ' ▲' : ' ▼') : ''),
  link: {
    label: (column) => state?.links.find((l) => l.column === column)?.label,
    open: (column) => {
      const row = grid.view.focused;
      if (page && row >= 0 && row < page.rowCount) client.command('follow', { page: page.id, row, column });
    },
  },
});

const client = new PanelClient(tableProtocol, vscodeTransport(), {
  query: (q) => {
    query = q;
    // The filter the rows were read with; what the user is typing meanwhile stays.
    if (document.activeElement !== filter) filter.value = q.filter;
    renderQuery();
    remember();
  },
  page: (p) => showPage(p),
  busy: (b) => {
    busy = b.busy;
    status.textContent = b.busy ? (b.what ? `${b.what}…` : l10n.t('Working…')) : describePage();
    updateControls();
  },
  notice: (n) => showNotice(n.hint ? `${n.text} ${n.hint}` : n.text, n.error),
  edits: ({ page: id, edits }) => {
    if (!model || page?.id !== id) return;
    setEdits(model, edits);
    grid.refresh();
    updateControls();
  },
});

function showNotice(text: string, error: boolean): void {
  notice.textContent = text;
  notice.className = error ? 'notice error-text' : 'notice status';
}

function remember(): void {
  if (page) viewState.write({ page: page.id, filter: filter.value, ...grid.view });
}

function describePage(): string {
  if (!page) return '';
  const range = page.rowCount === 0 ? l10n.t('no rows') : page.from === undefined ? countOf(page.rowCount, l10n.t('{0} row'), l10n.t('{0} rows')) : rowRange(page.from, page.rowCount);
  return [range, page.keyset ? l10n.t('paged by key') : l10n.t('paged by row number'), page.atEnd ? l10n.t('the last page') : ''].filter((part) => part !== '').join(' · ');
}

/** "rows 1–100", with the table's estimated size when the rows are not filtered. */
function rowRange(from: number, count: number): string {
  const [start, end] = [(from + 1).toLocaleString('en-US'), (from + count).toLocaleString('en-US')];
  const estimate = query.filter || query.match ? undefined : state?.estimatedRows;
  return estimate === undefined ? l10n.t('rows {0}–{1}', start, end) : l10n.t('rows {0}–{1} of about {2}', start, end, estimate.toLocaleString('en-US'));
}

function showPage(next: PageState, view?: { position: number; selection: number[]; focused: number }): void {
  page = next;
  model = gridModel(next.columns, next.rowCount, next.firstRows, next.editable, (start, count) => client.request('rows', { page: next.id, start, count }).then((r) => r.rows),
    () => grid.refresh(), (error) => showNotice(l10n.t('Rows could not be read: {0}', problemText(error)), true), next.edits);
  grid.show(model, view);
  sql.textContent = next.sql;
  status.textContent = busy ? status.textContent : describePage();
  updateControls();
  remember();
}

function renderQuery(): void {
  match.replaceChildren();
  if (query.match) {
    const clear = button(l10n.t('Show all rows'), { secondary: true });
    clear.addEventListener('click', () => client.command('clearMatch', {}));
    match.append(el('span', { text: l10n.t('Only the row a foreign key refers to: {0}', query.match) }), clear);
  }
  match.hidden = !query.match;
  grid.refresh();
}

function updateControls(): void {
  const editable = page?.editable === true && !busy;
  cancel.hidden = !busy;
  for (const b of [applyFilter, clearFilter, first]) b.disabled = busy;
  first.disabled = busy || !page || page.atStart;
  previous.disabled = busy || !page || page.atStart;
  next.disabled = busy || !page || page.atEnd;
  last.disabled = busy || !page || page.atEnd || !page.keyset;
  last.title = page && !page.keyset ? l10n.t('Without a primary key to page by, the last page is reached page by page.') : '';
  addRow.hidden = deleteRow.hidden = applyEdits.hidden = !page?.editable;
  addRow.disabled = !editable;
  deleteRow.disabled = !editable || grid.selectedCount === 0;
  const n = editCount(model);
  applyEdits.disabled = !editable || n === 0;
  applyEdits.textContent = n ? countOf(n, l10n.t('Review and apply {0} change…'), l10n.t('Review and apply {0} changes…')) : l10n.t('Review and apply changes…');
  editNote.textContent = page?.editable ? l10n.t('Edit a row below the grid; changes are applied together after you review the statements.') : state?.readOnlyReason ?? '';
}

function render(init: Init<typeof tableProtocol>): void {
  state = init;
  query = init.query;
  busy = init.busy;
  title.textContent = init.title;
  const saved = viewState.read();
  filter.value = saved?.filter ?? init.query.filter;
  renderQuery();
  if (init.page) showPage(init.page, saved && saved.page === init.page.id ? saved : undefined);
  if (init.notice) showNotice(init.notice.hint ? `${init.notice.text} ${init.notice.hint}` : init.notice.text, init.notice.error);
  status.textContent = busy ? l10n.t('Working…') : describePage();
  updateControls();
}

const run = (): void => {
  showNotice('', false);
  client.command('filter', { filter: filter.value });
};
applyFilter.addEventListener('click', run);
submitOnEnter(filter, run, () => !busy);
filter.addEventListener('input', remember);
clearFilter.addEventListener('click', () => {
  filter.value = '';
  run();
});
for (const [b, to] of [[first, 'first'], [previous, 'previous'], [next, 'next'], [last, 'last']] as const) b.addEventListener('click', () => client.command('go', { to }));
cancel.addEventListener('click', () => client.command('cancel', {}));
addRow.addEventListener('click', () => grid.insertRow());
deleteRow.addEventListener('click', () => grid.deleteSelected());
applyEdits.addEventListener('click', () => {
  if (!page) return;
  const id = page.id;
  showNotice('', false);
  // The host shows the statements in the panel first and applies exactly those with the question's ticket.
  void askedFirst(questions, (ticket) => client.request('apply', { page: id, ...ticket })).catch((error: unknown) => showNotice(problemText(error), true));
});

app.replaceChildren(
  el('header', {}, title, status, cancel),
  match,
  el('div', { className: 'toolbar' }, filter, applyFilter, clearFilter),
  el('div', { className: 'toolbar' }, first, previous, next, last, el('span', { className: 'spacer' }), addRow, deleteRow, applyEdits, editNote),
  notice,
  questions,
  el('div', { className: 'table' }, grid.element),
  grid.details,
  el('details', { className: 'read-with' }, el('summary', { text: l10n.t('The statement that read this page') }), sql),
);
updateControls();
void client.ready().then(render, (error: unknown) => notOpened(app, error, (why) => l10n.t('The table could not be opened: {0}', why)));
