import '../shared/l10n';
import './main.css';
import * as l10n from '@vscode/l10n';
import * as v from 'valibot';
import type { Cap, ResultSummary, StatementOutcome } from '../../src/drivers/mysql/resultShapes';
import type { Init } from '../../src/panels/ipc/protocol';
import { resultsProtocol, SetState } from '../../src/panels/sqlResults/protocol';
import { PanelClient } from '../shared/ipc';
import { vscodeTransport, ViewState } from '../shared/vscodeApi';
import { button, el } from '../shared/dom';
import { askedFirst } from '../shared/confirm';
import { DataGrid, editCount, editsOf, GridModel, gridModel, setEdits } from '../shared/dataGrid';
import { countOf } from '../shared/viewFormat';
import { problemText } from '../shared/problemOf';
import { notOpened } from '../shared/problem';

interface ResultTab {
  readonly info: SetState;
  readonly model: GridModel;
}

/** What the webview itself remembers while hidden: which tab of which run, and each tab's scroll and selection. */
const gridView = v.object({ position: v.number(), selection: v.array(v.number()), focused: v.number() });
const viewState = new ViewState(v.object({ run: v.number(), tab: v.nullable(v.number()), grids: v.record(v.string(), gridView) }));

const app = document.getElementById('app')!;
let tabs: ResultTab[] = [];
let current: ResultTab | undefined;
let outcomes: StatementOutcome[] = [];
let run: Init<typeof resultsProtocol>['run'];
let busy = false;
let views: Record<string, v.InferOutput<typeof gridView>> = {};

const title = el('h1');
const status = el('span', { className: 'status', attrs: { role: 'status' } });
const notice = el('div', { className: 'notice', attrs: { role: 'alert' } });
/** Where applying edits is asked about, showing the statements. */
const questions = el('div');
const cancelButton = button(l10n.t('Cancel query'), { secondary: true });
const tabBar = el('div', { className: 'tabs', attrs: { role: 'tablist', 'aria-label': l10n.t('Results') } });
const exportCsv = button(l10n.t('Export CSV…'), { secondary: true });
const exportJson = button(l10n.t('Export JSON…'), { secondary: true });
const applyButton = button(l10n.t('Review and apply changes…'));
const deleteButton = button(l10n.t('Delete row'), { secondary: true });
const editNote = el('span', { className: 'status' });
const messages = el('div', { className: 'messages' });


function showNotice(text: string, error: boolean): void {
  notice.textContent = text;
  notice.className = error ? 'notice error-text' : 'notice status';
}

const grid = new DataGrid({
  label: l10n.t('Rows'),
  onEdits: (model) => {
    const tab = tabs.find((t) => t.model === model);
    if (tab) client.command('stage', { set: tab.info.id, edits: editsOf(model) });
    updateControls();
  },
  onView: () => {
    updateControls();
    remember();
  },
});

const client = new PanelClient(resultsProtocol, vscodeTransport(), {
  start: (state) => {
    run = state;
    tabs = [];
    outcomes = [];
    views = {};
    renderRun();
    showTab(undefined);
    remember();
  },
  set: (state) => addSet(state),
  progress: ({ sets }) => {
    for (const p of sets) {
      const tab = tabs.find((t) => t.info.id === p.id);
      if (tab) grid.setRowCount(tab.model, p.rowCount);
    }
    updateStatus();
  },
  statement: ({ outcome }) => {
    outcomes.push(outcome);
    renderMessages();
    if (outcome.error) showTab(undefined);
  },
  done: (done) => {
    if (run) run = { ...run, done };
    updateStatus();
    if (tabs.length === 0) showTab(undefined);
  },
  edits: ({ set, edits }) => {
    const tab = tabs.find((t) => t.info.id === set);
    if (!tab) return;
    // Applied updates are in the host's rows now: every row, the first ones included, is read from there again.
    const view = current === tab ? grid.view : undefined;
    const fresh: ResultTab = { info: { ...tab.info, firstRows: [], rowCount: tab.model.rowCount, edits }, model: modelOf({ ...tab.info, firstRows: [], rowCount: tab.model.rowCount, edits }) };
    tabs[tabs.indexOf(tab)] = fresh;
    if (view) showTab(fresh, view);
    updateControls();
  },
  busy: (state) => {
    busy = state.busy;
    updateControls();
  },
  notice: (n) => showNotice(n.hint ? `${n.text} ${n.hint}` : n.text, n.error),
});

function remember(): void {
  if (!run) return;
  if (current) views[String(current.info.id)] = grid.view;
  viewState.write({ run: run.run, tab: current?.info.id ?? null, grids: views });
}

function modelOf(state: SetState): GridModel {
  return gridModel(state.columns, state.rowCount, state.firstRows, state.editable && !run?.readOnly,
    (start, count) => client.request('rows', { set: state.id, start, count }).then((r) => r.rows), () => grid.refresh(),
    (error) => showNotice(l10n.t('Rows could not be read: {0}', problemText(error)), true), state.edits);
}

function addSet(state: SetState): void {
  const known = tabs.find((t) => t.info.id === state.id);
  const model = modelOf(state);
  const tab: ResultTab = { info: state, model };
  if (known) {
    // Told again (it turned out editable): the staged edits the webview holds are newer than the host's copy.
    setEdits(model, editsOf(known.model));
    tabs[tabs.indexOf(known)] = tab;
    if (current === known) showTab(tab, grid.view);
    return;
  }
  tabs.push(tab);
  const button = el('button', { className: 'tab', text: l10n.t('Result {0}', tabs.length), attrs: { type: 'button', role: 'tab' } });
  button.addEventListener('click', () => {
    remember();
    showTab(tabs.find((t) => t.info.id === state.id), views[String(state.id)]);
    remember();
  });
  tabBar.append(button);
  if (tabs.length === 1) showTab(tab);
}

function showTab(tab: ResultTab | undefined, view?: v.InferOutput<typeof gridView>): void {
  current = tab;
  const buttons = [...tabBar.children];
  buttons.forEach((b, i) => b.setAttribute('aria-selected', String(i === 0 ? !tab : tabs[i - 1] === tab)));
  grid.element.hidden = !tab;
  grid.details.hidden = !tab;
  messages.hidden = tab !== undefined;
  grid.show(tab?.model, view);
  updateControls();
}

function updateControls(): void {
  const tab = current;
  const editable = tab !== undefined && tab.model.editable;
  exportCsv.hidden = exportJson.hidden = !tab;
  exportCsv.disabled = exportJson.disabled = busy || !tab?.info.exportable;
  const why = tab && !tab.info.exportable ? l10n.t('These rows did not come from a statement that can run again.') : '';
  exportCsv.title = exportJson.title = why;
  applyButton.hidden = deleteButton.hidden = !editable;
  const n = editCount(tab?.model);
  applyButton.disabled = busy || n === 0;
  // The count as it always read here, without digit grouping: the two forms are chosen as countOf would.
  applyButton.textContent = n === 0 ? l10n.t('Review and apply changes…') : n === 1 ? l10n.t('Review and apply {0} change…', n) : l10n.t('Review and apply {0} changes…', n);
  deleteButton.disabled = busy || grid.selectedCount === 0;
  editNote.textContent = !tab ? '' : editable ? l10n.t('Select a row to edit its values; changes are applied together after you review the statements.')
    : run?.readOnly ? l10n.t('Read-only connection.') : !tab.info.exportable ? l10n.t('These rows were not read by a statement of yours: edit them with SQL or in the table view.')
      : l10n.t('Read-only result: it must come from one table and include its whole primary key to be edited.');
  cancelButton.hidden = !run || run.done !== undefined;
}

function updateStatus(): void {
  if (!run) {
    status.textContent = '';
    return;
  }
  const failed = outcomes.some((o) => o.error);
  if (!run.done) {
    const rows = tabs.reduce((n, t) => n + t.model.rowCount, 0);
    status.textContent = rows ? countOf(rows, l10n.t('Running… {0} row so far'), l10n.t('Running… {0} rows so far'))
      : run.statements === 1 ? l10n.t('Running {0} statement…', run.statements) : l10n.t('Running {0} statements…', run.statements);
  } else {
    const seconds = (run.done.ms / 1000).toFixed(2);
    status.textContent = run.done.cancelled ? l10n.t('Cancelled in {0} s', seconds) : failed ? l10n.t('Stopped at an error in {0} s', seconds) : l10n.t('Done in {0} s', seconds);
  }
  status.classList.toggle('error-text', failed);
  updateControls();
}

function renderRun(): void {
  title.textContent = run?.title ?? '';
  const messagesTab = el('button', { className: 'tab', text: l10n.t('Messages'), attrs: { type: 'button', role: 'tab' } });
  messagesTab.addEventListener('click', () => {
    remember();
    showTab(undefined);
    remember();
  });
  tabBar.replaceChildren(messagesTab);
  showNotice('', false);
  renderMessages();
  updateStatus();
}

/** What a statement read: "1,234 rows", and where a limit stopped the reading. */
function rowsRead(count: number, capped: Cap): string {
  if (capped === 'rows') return countOf(count, l10n.t('{0} row (stopped at the row limit, switchboard.mysql.maxRows)'), l10n.t('{0} rows (stopped at the row limit, switchboard.mysql.maxRows)'));
  if (capped) return countOf(count, l10n.t('{0} row (stopped at the memory limit, switchboard.mysql.maxResultMB)'), l10n.t('{0} rows (stopped at the memory limit, switchboard.mysql.maxResultMB)'));
  return countOf(count, l10n.t('{0} row'), l10n.t('{0} rows'));
}

/**
 * What a statement changed, each fact a phrase of its own: "3 rows affected, 2 changed, insert id 7, 1 warning". The
 * server's counts are shown as it gave them (no digit grouping), the form picked for the count as countOf does.
 */
function changed(r: Extract<ResultSummary, { kind: 'change' }>): string {
  const facts = [r.affectedRows === 1 ? l10n.t('{0} row affected', r.affectedRows) : l10n.t('{0} rows affected', r.affectedRows)];
  if (r.changedRows !== undefined) facts.push(l10n.t('{0} changed', r.changedRows));
  if (r.insertId) facts.push(l10n.t('insert id {0}', r.insertId));
  if (r.warnings) facts.push(r.warnings === 1 ? l10n.t('{0} warning', r.warnings) : l10n.t('{0} warnings', r.warnings));
  return facts.reduce((all, fact) => l10n.t('{0}, {1}', all, fact));
}

function renderMessages(): void {
  if (!run) {
    messages.replaceChildren(el('p', { className: 'help', text: l10n.t('Run a statement from a .sql editor (Ctrl+Enter) to see its results here.') }));
    return;
  }
  messages.replaceChildren(...outcomes.map((o, i) => {
    const lines = o.results.map((r) => (r.kind === 'rows' ? rowsRead(r.rowCount, r.capped) : changed(r)));
    const serverError = o.error ? `${o.error.code ? `${o.error.code}${o.error.errno ? ` (${o.error.errno})` : ''}: ` : ''}${o.error.message}` : '';
    const error = o.error?.line !== undefined ? l10n.t('{0} — editor line {1}', serverError, o.error.line + 1) : serverError;
    return el('div', { className: o.error ? 'message error' : 'message' },
      el('div', { className: 'stmt', text: l10n.t('{0}. line {1}: {2}', i + 1, o.line + 1, o.statement.replace(/\s+/g, ' ').slice(0, 200)) }),
      el('div', { text: [o.cancelled ? l10n.t('cancelled') : '', ...lines, l10n.t('{0} ms', o.ms.toFixed(1))].filter(Boolean).join(' · ') }),
      error ? el('div', { className: 'error-text', text: error }) : undefined);
  }));
}

function render(state: Init<typeof resultsProtocol>): void {
  run = state.run;
  busy = state.busy;
  outcomes = [...state.outcomes];
  tabs = [];
  renderRun();
  for (const set of state.sets) addSet(set);
  const saved = viewState.read();
  if (saved && run && saved.run === run.run) {
    views = saved.grids;
    const tab = tabs.find((t) => t.info.id === saved.tab);
    showTab(tab, tab ? views[String(tab.info.id)] : undefined);
  } else if (!tabs.length) showTab(undefined);
  updateStatus();
}

cancelButton.addEventListener('click', () => {
  cancelButton.disabled = true;
  void client.request('cancel', {}).then(
    () => (cancelButton.disabled = false),
    (error: unknown) => {
      cancelButton.disabled = false;
      showNotice(l10n.t('Not cancelled: {0}', problemText(error)), true);
    },
  );
});
for (const [button, format] of [[exportCsv, 'csv'], [exportJson, 'json']] as const) {
  button.addEventListener('click', () => {
    if (!current) return;
    showNotice('', false);
    client.command('export', { set: current.info.id, format });
  });
}
deleteButton.addEventListener('click', () => grid.deleteSelected());
applyButton.addEventListener('click', () => {
  if (!current) return;
  const id = current.info.id;
  showNotice('', false);
  // The host shows the statements in the panel first and applies exactly those with the question's ticket.
  void askedFirst(questions, (ticket) => client.request('apply', { set: id, ...ticket })).catch((error: unknown) => showNotice(problemText(error), true));
});

cancelButton.hidden = true;
grid.element.hidden = true;
app.replaceChildren(
  el('header', {}, title, status, cancelButton),
  notice,
  questions,
  tabBar,
  el('div', { className: 'toolbar' }, exportCsv, exportJson, deleteButton, applyButton, editNote),
  el('div', { className: 'table' }, grid.element, messages),
  grid.details,
);
renderMessages();
void client.ready().then(render, (error: unknown) => notOpened(app, error));
