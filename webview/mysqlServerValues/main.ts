import './main.css';
import * as v from 'valibot';
import * as l10n from '@vscode/l10n';
import '../shared/l10n';
import { serverValuesProtocol, ServerValuesState } from '../../src/panels/mysqlServerValues/protocol';
import type { Init } from '../../src/panels/ipc/protocol';
import { PanelClient } from '../shared/ipc';
import { vscodeTransport, ViewState } from '../shared/vscodeApi';
import { button, el, fillRow } from '../shared/dom';
import { VirtualList } from '../shared/virtualList';
import { problemText } from '../shared/problemOf';
import { notOpened } from '../shared/problem';

/** What the webview remembers while hidden: the filter. */
const viewState = new ViewState(v.object({ filter: v.string() }));

const app = document.getElementById('app')!;
let state: ServerValuesState = { values: [], readAt: 0 };
let shown: (readonly [string, string])[] = [];

const status = el('span', { className: 'status', attrs: { role: 'status' } });
const problem = el('div', { className: 'error-text', attrs: { role: 'alert' } });
const filter = el('input', { attrs: { type: 'search', placeholder: l10n.t('filter by name or value'), 'aria-label': l10n.t('Filter'), spellcheck: 'false' } });
const refresh = button(l10n.t('Refresh'), { secondary: true });

const list = new VirtualList({
  rowHeight: 22,
  label: l10n.t('Values'),
  render(row, index) {
    const [name, value] = shown[index]!;
    fillRow(row, [name, value]);
    row.title = `${name} = ${value}`;
  },
});

function apply(): void {
  const needle = filter.value.toLowerCase();
  shown = state.values.filter(([name, value]) => !needle || name.toLowerCase().includes(needle) || value.toLowerCase().includes(needle));
  list.setCount(shown.length);
  list.refresh();
  status.textContent = state.readAt
    ? `${shown.length === state.values.length ? l10n.t('{0} values', state.values.length) : l10n.t('{0} of {1} values', shown.length, state.values.length)} · ${l10n.t('read at {0}', new Date(state.readAt).toLocaleTimeString())}`
    : l10n.t('Reading…');
  problem.textContent = state.error ?? '';
}

const client = new PanelClient(serverValuesProtocol, vscodeTransport(), {
  state: (next) => {
    state = next;
    apply();
  },
});

function render(init: Init<typeof serverValuesProtocol>): void {
  filter.value = viewState.read()?.filter ?? '';
  filter.addEventListener('input', () => {
    viewState.write({ filter: filter.value });
    apply();
  });
  refresh.addEventListener('click', () => {
    problem.textContent = '';
    void client.request('refresh', {}).catch((error: unknown) => (problem.textContent = problemText(error)));
  });
  const header = el('div', { className: 'columns', attrs: { 'aria-hidden': 'true' } }, el('span', { className: 'cell c0', text: l10n.t('Name') }), el('span', { className: 'cell c1', text: l10n.t('Value') }));
  const title = init.kind === 'status' ? l10n.t('{0}: status', init.name) : l10n.t('{0}: variables', init.name);
  app.replaceChildren(
    el('header', {}, el('h1', { text: title }), status),
    el('div', { className: 'toolbar' }, filter, refresh, el('span', { className: 'help', text: init.kind === 'status' ? 'SHOW GLOBAL STATUS' : 'SHOW GLOBAL VARIABLES' })),
    problem,
    el('div', { className: 'table' }, header, list.element),
  );
  state = init.state;
  apply();
}

void client.ready().then(render, (error: unknown) => notOpened(app, error));
