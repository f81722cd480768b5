import './main.css';
import * as v from 'valibot';
import type { StatementOutcome } from '../../src/drivers/mysql/resultShapes';
import type { Init } from '../../src/panels/ipc/protocol';
import { resultsProtocol, SetState } from '../../src/panels/sqlResults/protocol';
import { PanelClient, RequestError } from '../shared/ipc';
import { vscodeTransport, ViewState } from '../shared/vscodeApi';
import { el } from '../shared/dom';
import { askedFirst } from '../shared/confirm';
import { DataGrid, editCount, editsOf, GridModel, gridModel, setEdits } from '../shared/dataGrid';

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
const cancelButton = el('button', { className: 'secondary', text: 'Cancel query', attrs: { type: 'button' } });
const tabBar = el('div', { className: 'tabs', attrs: { role: 'tablist', 'aria-label': 'Results' } });
const exportCsv = el('button', { className: 'secondary', text: 'Export CSV…', attrs: { type: 'button' } });
const exportJson = el('button', { className: 'secondary', text: 'Export JSON…', attrs: { type: 'button' } });
const applyButton = el('button', { text: 'Review and apply changes…', attrs: { type: 'button' } });
const deleteButton = el('button', { className: 'secondary', text: 'Delete row', attrs: { type: 'button' } });
const editNote = el('span', { className: 'status' });
const messages = el('div', { className: 'messages' });

const reason = (error: unknown): string => (error instanceof RequestError && error.hint ? `${error.message} ${error.hint}` : error instanceof Error ? error.message : String(error));

function showNotice(text: string, error: boolean): void {
  notice.textContent = text;
  notice.className = error ? 'notice error-text' : 'notice status';
}

const grid = new DataGrid({
  label: 'Rows',
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
    (error) => showNotice(`Rows could not be read: ${reason(error)}`, true), state.edits);
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
  const button = el('button', { className: 'tab', text: `Result ${tabs.length}`, attrs: { type: 'button', role: 'tab' } });
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
  const why = tab && !tab.info.exportable ? 'These rows did not come from a statement that can run again.' : '';
  exportCsv.title = exportJson.title = why;
  applyButton.hidden = deleteButton.hidden = !editable;
  const n = editCount(tab?.model);
  applyButton.disabled = busy || n === 0;
  applyButton.textContent = n ? `Review and apply ${n} change${n === 1 ? '' : 's'}…` : 'Review and apply changes…';
  deleteButton.disabled = busy || grid.selectedCount === 0;
  editNote.textContent = !tab ? '' : editable ? 'Select a row to edit its values; changes are applied together after you review the statements.'
    : run?.readOnly ? 'Read-only connection.' : !tab.info.exportable ? 'These rows were not read by a statement of yours: edit them with SQL or in the table view.'
      : 'Read-only result: it must come from one table and include its whole primary key to be edited.';
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
    status.textContent = rows ? `Running… ${rows.toLocaleString()} rows so far` : `Running ${run.statements} statement${run.statements === 1 ? '' : 's'}…`;
  } else {
    status.textContent = `${run.done.cancelled ? 'Cancelled' : failed ? 'Stopped at an error' : 'Done'} in ${(run.done.ms / 1000).toFixed(2)} s`;
  }
  status.classList.toggle('error-text', failed);
  updateControls();
}

function renderRun(): void {
  title.textContent = run?.title ?? '';
  const messagesTab = el('button', { className: 'tab', text: 'Messages', attrs: { type: 'button', role: 'tab' } });
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

function renderMessages(): void {
  if (!run) {
    messages.replaceChildren(el('p', { className: 'help', text: 'Run a statement from a .sql editor (Ctrl+Enter) to see its results here.' }));
    return;
  }
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
      showNotice(`Not cancelled: ${reason(error)}`, true);
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
  void askedFirst(questions, (ticket) => client.request('apply', { set: id, ...ticket })).catch((error: unknown) => showNotice(reason(error), true));
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
void client.ready().then(render, (error: unknown) => app.replaceChildren(el('p', { className: 'error-text', attrs: { role: 'alert' }, text: `The panel could not be opened: ${reason(error)}` })));
