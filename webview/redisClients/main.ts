import './main.css';
import * as v from 'valibot';
import { ClientRow, clientsProtocol, ClientsState } from '../../src/panels/redisClients/protocol';
import type { Init } from '../../src/panels/ipc/protocol';
import { PanelClient } from '../shared/ipc';
import { vscodeTransport, ViewState } from '../shared/vscodeApi';
import { el, fillRow } from '../shared/dom';
import { VirtualList } from '../shared/virtualList';
import { duration } from '../shared/units';

/** What the webview remembers while hidden: the filter, and whether it refreshes by itself. */
const viewState = new ViewState(v.object({ filter: v.string(), auto: v.boolean() }));

const app = document.getElementById('app')!;
const reason = (error: unknown): string => (error instanceof Error ? error.message : String(error));
let state: ClientsState = { clients: [], readAt: 0 };
let shown: ClientRow[] = [];
let readOnly = false;
let focused: ClientRow | undefined;

const status = el('span', { className: 'status', attrs: { role: 'status' } });
const problem = el('div', { className: 'error-text', attrs: { role: 'alert' } });
const filter = el('input', { attrs: { type: 'search', placeholder: 'filter by address, name, command, user', 'aria-label': 'Filter clients', spellcheck: 'false' } });
const refresh = el('button', { className: 'secondary', text: 'Refresh', attrs: { type: 'button' } });
const auto = el('input', { attrs: { type: 'checkbox', 'aria-label': 'Refresh every 2 seconds' } });
const kill = el('button', { className: 'secondary', text: 'Kill Client…', attrs: { type: 'button' } });

const list = new VirtualList({
  rowHeight: 22,
  label: 'Clients',
  render(row, index) {
    const c = shown[index]!;
    fillRow(row, [c.id, c.addr, c.name, String(c.db), duration(c.ageSeconds * 1000), duration(c.idleSeconds * 1000), c.cmd, c.flags, `${c.user}${c.own ? ' (this Switchboard)' : ''}`]);
    row.title = `${c.addr}${c.name ? ` "${c.name}"` : ''} on ${c.server}`;
  },
  onSelectionChange: (_selected, index) => {
    focused = shown[index];
    updateButtons();
  },
});

function updateButtons(): void {
  kill.disabled = readOnly || !focused;
  kill.textContent = focused ? `Kill Client ${focused.id}…` : 'Kill Client…';
}

function apply(): void {
  const needle = filter.value.toLowerCase();
  shown = state.clients.filter((c) => !needle || `${c.addr} ${c.name} ${c.cmd} ${c.user} ${c.flags}`.toLowerCase().includes(needle));
  if (focused && !shown.some((c) => c.id === focused!.id && c.server === focused!.server)) focused = undefined;
  list.setCount(shown.length);
  list.refresh();
  status.textContent = state.readAt ? `${shown.length === state.clients.length ? '' : `${shown.length.toLocaleString()} of `}${state.clients.length.toLocaleString()} clients · read at ${new Date(state.readAt).toLocaleTimeString()}` : 'Reading…';
  problem.textContent = state.error ?? '';
  updateButtons();
}

function ask(run: () => Promise<unknown>): void {
  problem.textContent = '';
  void run().catch((error: unknown) => (problem.textContent = reason(error)));
}

const client = new PanelClient(clientsProtocol, vscodeTransport(), {
  state: (next) => {
    state = next;
    apply();
  },
});

function remember(): void {
  viewState.write({ filter: filter.value, auto: auto.checked });
}

function render(init: Init<typeof clientsProtocol>): void {
  readOnly = init.readOnly;
  if (readOnly) kill.title = 'This connection is read-only: killing clients is refused.';
  const saved = viewState.read();
  filter.value = saved?.filter ?? '';
  auto.checked = saved?.auto ?? false;
  filter.addEventListener('input', () => {
    remember();
    apply();
  });
  auto.addEventListener('change', remember);
  refresh.addEventListener('click', () => ask(() => client.request('refresh', {})));
  kill.addEventListener('click', () => {
    const target = focused;
    if (target) ask(() => client.request('kill', { id: target.id, server: target.server }));
  });
  setInterval(() => auto.checked && !document.hidden && ask(() => client.request('refresh', {})), 2000);
  const header = el('div', { className: 'columns', attrs: { 'aria-hidden': 'true' } }, ...['ID', 'Address', 'Name', 'DB', 'Age', 'Idle', 'Command', 'Flags', 'User'].map((t, i) => el('span', { className: `cell c${i}`, text: t })));
  app.replaceChildren(
    el('header', {}, el('h1', { text: `${init.name}: clients` }), status),
    el('div', { className: 'toolbar' }, filter, refresh, el('label', {}, auto, el('span', { text: 'every 2 s' })), kill),
    problem,
    el('div', { className: 'table' }, header, list.element),
  );
  state = init.state;
  apply();
}

void client.ready().then(render, (error: unknown) => app.replaceChildren(el('p', { className: 'error-text', attrs: { role: 'alert' }, text: `The panel could not be opened: ${reason(error)}` })));
