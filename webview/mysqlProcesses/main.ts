import './main.css';
import * as v from 'valibot';
import * as l10n from '@vscode/l10n';
import '../shared/l10n';
import { ProcessItem, processesProtocol, ProcessesState } from '../../src/panels/mysqlProcesses/protocol';
import type { Init } from '../../src/panels/ipc/protocol';
import { PanelClient } from '../shared/ipc';
import { vscodeTransport, ViewState } from '../shared/vscodeApi';
import { el, fillRow } from '../shared/dom';
import { VirtualList } from '../shared/virtualList';
import { duration } from '../shared/units';
import { askedFirst } from '../shared/confirm';

/** What the webview remembers while hidden: the filter, and whether it refreshes by itself. */
const viewState = new ViewState(v.object({ filter: v.string(), auto: v.boolean() }));

const app = document.getElementById('app')!;
const reason = (error: unknown): string => (error instanceof Error ? error.message : String(error));
let state: ProcessesState = { processes: [], readAt: 0 };
let shown: ProcessItem[] = [];
let readOnly = false;
let name = '';
let focused: ProcessItem | undefined;

const status = el('span', { className: 'status', attrs: { role: 'status' } });
const problem = el('div', { className: 'error-text', attrs: { role: 'alert' } });
const questions = el('div');
/** What the last kill did: kept apart from the status line, which every refresh rewrites. */
const notice = el('div', { className: 'notice', attrs: { role: 'status' } });
const filter = el('input', { attrs: { type: 'search', placeholder: l10n.t('filter by user, host, database, command, state, statement'), 'aria-label': l10n.t('Filter processes'), spellcheck: 'false' } });
const refresh = el('button', { className: 'secondary', text: l10n.t('Refresh'), attrs: { type: 'button' } });
const auto = el('input', { attrs: { type: 'checkbox', 'aria-label': l10n.t('Refresh every 2 seconds') } });
const killQuery = el('button', { className: 'secondary', text: l10n.t('Kill Query…'), attrs: { type: 'button' } });
const killConnection = el('button', { className: 'secondary', text: l10n.t('Kill Connection…'), attrs: { type: 'button' } });

const list = new VirtualList({
  rowHeight: 22,
  label: l10n.t('Processes'),
  render(row, index) {
    const p = shown[index]!;
    fillRow(row, [String(p.id), p.user, p.host, p.db ?? '', p.command, duration(p.timeSeconds * 1000), p.state ?? '', `${p.own ? `${l10n.t('(this Switchboard)')} ` : ''}${p.info ?? ''}`]);
    row.title = p.info ?? '';
  },
  onSelectionChange: (_selected, index) => {
    focused = shown[index];
    updateButtons();
  },
});

function updateButtons(): void {
  killQuery.disabled = readOnly || !focused;
  killConnection.disabled = readOnly || !focused;
}

function apply(): void {
  const needle = filter.value.toLowerCase();
  shown = state.processes.filter((p) => !needle || `${p.id} ${p.user} ${p.host} ${p.db ?? ''} ${p.command} ${p.state ?? ''} ${p.info ?? ''}`.toLowerCase().includes(needle));
  // The list is read again every few seconds: the chosen connection stays chosen by its id, not its place.
  if (focused) focused = shown.find((p) => p.id === focused!.id);
  list.setCount(shown.length);
  list.refresh();
  status.textContent = state.readAt
    ? `${shown.length === state.processes.length ? l10n.t('{0} connections', state.processes.length) : l10n.t('{0} of {1} connections', shown.length, state.processes.length)} · ${l10n.t('read at {0}', new Date(state.readAt).toLocaleTimeString())}`
    : l10n.t('Reading…');
  problem.textContent = state.error ?? '';
  updateButtons();
}

function ask(run: () => Promise<unknown>): void {
  problem.textContent = '';
  void run().catch((error: unknown) => (problem.textContent = reason(error)));
}

const client = new PanelClient(processesProtocol, vscodeTransport(), {
  state: (next) => {
    state = next;
    apply();
  },
});

async function kill(what: 'query' | 'connection'): Promise<unknown> {
  const target = focused;
  if (!target) return undefined;
  notice.textContent = '';
  // The host words the question from the process it listed, and kills only with that question's ticket.
  const answer = await askedFirst(questions, (confirmed) => client.request('kill', { id: target.id, what, ...(confirmed !== undefined ? { confirmed } : {}) }));
  if (!answer) return undefined;
  notice.textContent = answer.killed ? l10n.t('Connection {0}: killed.', target.id) : l10n.t('Connection {0} had already gone.', target.id);
  return answer.killed;
}

function remember(): void {
  viewState.write({ filter: filter.value, auto: auto.checked });
}

function render(init: Init<typeof processesProtocol>): void {
  readOnly = init.readOnly;
  name = init.name;
  if (readOnly) {
    const refusal = l10n.t('This connection is read-only: killing queries and connections is refused.');
    killQuery.title = refusal;
    killConnection.title = refusal;
  }
  const saved = viewState.read();
  filter.value = saved?.filter ?? '';
  auto.checked = saved?.auto ?? true;
  filter.addEventListener('input', () => {
    remember();
    apply();
  });
  auto.addEventListener('change', remember);
  refresh.addEventListener('click', () => ask(() => client.request('refresh', {})));
  killQuery.addEventListener('click', () => ask(() => kill('query')));
  killConnection.addEventListener('click', () => ask(() => kill('connection')));
  setInterval(() => auto.checked && !document.hidden && ask(() => client.request('refresh', {})), 2000);
  const titles = [l10n.t('ID'), l10n.t('User'), l10n.t('Host'), l10n.t('Database'), l10n.t('Command'), l10n.t('Time'), l10n.t('State'), l10n.t('Statement')];
  const header = el('div', { className: 'columns', attrs: { 'aria-hidden': 'true' } }, ...titles.map((t, i) => el('span', { className: `cell c${i}`, text: t })));
  app.replaceChildren(
    el('header', {}, el('h1', { text: l10n.t('{0}: processes', init.name) }), status),
    el('div', { className: 'toolbar' }, filter, refresh, el('label', {}, auto, el('span', { text: l10n.t('every 2 s') })), killQuery, killConnection),
    questions,
    notice,
    problem,
    el('div', { className: 'table' }, header, list.element),
  );
  state = init.state;
  apply();
}

void client.ready().then(render, (error: unknown) => app.replaceChildren(el('p', { className: 'error-text', attrs: { role: 'alert' }, text: l10n.t('The panel could not be opened: {0}', reason(error)) })));
