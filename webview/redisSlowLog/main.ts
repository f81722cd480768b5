import './main.css';
import { slowLogProtocol, SlowLogState } from '../../src/panels/redisSlowLog/protocol';
import type { Init } from '../../src/panels/ipc/protocol';
import { PanelClient } from '../shared/ipc';
import { vscodeTransport } from '../shared/vscodeApi';
import { el, fillRow } from '../shared/dom';
import { VirtualList } from '../shared/virtualList';
import { duration } from '../shared/units';

const app = document.getElementById('app')!;
const reason = (error: unknown): string => (error instanceof Error ? error.message : String(error));
let state: SlowLogState = { entries: [], readAt: 0 };

const status = el('span', { className: 'status', attrs: { role: 'status' } });
const problem = el('div', { className: 'error-text', attrs: { role: 'alert' } });
const refresh = el('button', { className: 'secondary', text: 'Refresh', attrs: { type: 'button' } });
const reset = el('button', { className: 'secondary', text: 'Reset Slow Log…', attrs: { type: 'button' } });
const threshold = el('input', { attrs: { type: 'number', min: '-1', step: '1', 'aria-label': 'Log commands slower than (microseconds)' } });
const setThreshold = el('button', { className: 'secondary', text: 'Set Threshold…', attrs: { type: 'button' } });

const micros = (n: number): string => (n < 1000 ? `${n} µs` : duration(n / 1000));

const list = new VirtualList({
  rowHeight: 22,
  label: 'Slow commands',
  render(row, index) {
    const entry = state.entries[index]!;
    fillRow(row, [new Date(entry.at).toISOString().slice(0, 19).replace('T', ' '), micros(entry.micros), entry.args.join(' '), `${entry.client}${entry.clientName ? ` (${entry.clientName})` : ''}`]);
    row.title = `${entry.args.join(' ')}\n#${entry.id} on ${entry.server}: ${micros(entry.micros)}`;
  },
});

function show(next: SlowLogState): void {
  state = next;
  list.setCount(state.entries.length);
  list.refresh();
  const limit = state.thresholdMicros === undefined ? 'threshold unknown (CONFIG refused)' : state.thresholdMicros < 0 ? 'logging is off' : `logs commands slower than ${micros(state.thresholdMicros)}`;
  status.textContent = state.readAt ? `${state.entries.length.toLocaleString()} entries · ${limit}${state.maxLen ? ` · keeps the newest ${state.maxLen.toLocaleString()}` : ''} · read at ${new Date(state.readAt).toLocaleTimeString()}` : 'Reading…';
  if (state.thresholdMicros !== undefined && document.activeElement !== threshold) threshold.value = String(state.thresholdMicros);
  problem.textContent = state.error ?? '';
}

function ask(run: () => Promise<unknown>): void {
  problem.textContent = '';
  void run().catch((error: unknown) => (problem.textContent = reason(error)));
}

const client = new PanelClient(slowLogProtocol, vscodeTransport(), { state: show });

function render(init: Init<typeof slowLogProtocol>): void {
  const refusal = 'This connection is read-only: changing the slow log is refused.';
  for (const button of [reset, setThreshold]) {
    button.disabled = init.readOnly;
    if (init.readOnly) button.title = refusal;
  }
  threshold.disabled = init.readOnly;
  refresh.addEventListener('click', () => ask(() => client.request('refresh', {})));
  reset.addEventListener('click', () => ask(() => client.request('reset', {})));
  setThreshold.addEventListener('click', () => {
    const value = Number(threshold.value);
    if (!Number.isInteger(value) || value < -1) {
      threshold.setAttribute('aria-invalid', 'true');
      problem.textContent = 'Give a whole number of microseconds: -1 turns logging off, 0 logs every command.';
      return;
    }
    threshold.setAttribute('aria-invalid', 'false');
    ask(() => client.request('setThreshold', { micros: value }));
  });
  const header = el('div', { className: 'columns', attrs: { 'aria-hidden': 'true' } }, ...['Started', 'Took', 'Command', 'Client'].map((t, i) => el('span', { className: `cell c${i}`, text: t })));
  app.replaceChildren(
    el('header', {}, el('h1', { text: `${init.name}: slow log${init.cluster ? ' (every master)' : ''}` }), status),
    el('div', { className: 'toolbar' }, refresh, reset, el('label', {}, el('span', { text: 'log slower than (µs)' }), threshold), setThreshold),
    problem,
    el('div', { className: 'table' }, header, list.element),
  );
  show(init.state);
}

void client.ready().then(render, (error: unknown) => app.replaceChildren(el('p', { className: 'error-text', attrs: { role: 'alert' }, text: `The panel could not be opened: ${reason(error)}` })));
