import './main.css';
import * as l10n from '@vscode/l10n';
import { slowLogProtocol, SlowLogState } from '../../src/panels/redisSlowLog/protocol';
import type { Init } from '../../src/panels/ipc/protocol';
import { PanelClient } from '../shared/ipc';
import { vscodeTransport } from '../shared/vscodeApi';
import { button, el } from '../shared/dom';
import { duration } from '../shared/units';
import { askedFirst, Ticket } from '../shared/confirm';
import type { Question } from '../../src/panels/ipc/question';
import { ServerList } from '../shared/serverList';
import { notOpened } from '../shared/problem';

type Entry = SlowLogState['entries'][number];

const app = document.getElementById('app')!;

const reset = button(l10n.t('Reset Slow Log…'), { secondary: true });
const threshold = el('input', { attrs: { type: 'number', min: '-1', step: '1', 'aria-label': l10n.t('Log commands slower than (microseconds)') } });
const setThreshold = button(l10n.t('Set Threshold…'), { secondary: true });

const micros = (n: number): string => (n < 1000 ? l10n.t('{0} µs', n) : duration(n / 1000));

const client = new PanelClient(slowLogProtocol, vscodeTransport(), { state: show });

const list = new ServerList<Entry>({
  columns: [l10n.t('Started'), l10n.t('Took'), l10n.t('Command'), l10n.t('Client')],
  label: l10n.t('Slow commands'),
  cells: (entry) => [new Date(entry.at).toISOString().slice(0, 19).replace('T', ' '), micros(entry.micros), entry.args.join(' '), `${entry.client}${entry.clientName ? ` (${entry.clientName})` : ''}`],
  tooltip: (entry) => `${entry.args.join(' ')}\n${l10n.t('#{0} on {1}: {2}', entry.id, entry.server, micros(entry.micros))}`,
  key: (row) => `${row.server} ${row.id}`,
  counted: (_shown, total) => l10n.t('{0} entries', total),
  actions: [reset, el('label', {}, el('span', { text: l10n.t('log slower than (µs)') }), threshold), setThreshold],
  refresh: () => client.request('refresh', {}),
});

function show(state: SlowLogState): void {
  const limit = state.thresholdMicros === undefined ? l10n.t('threshold unknown (CONFIG refused)') : state.thresholdMicros < 0 ? l10n.t('logging is off') : l10n.t('logs commands slower than {0}', micros(state.thresholdMicros));
  const kept = state.maxLen ? l10n.t('keeps the newest {0}', state.maxLen.toLocaleString()) : '';
  list.show(state.entries, state.readAt, state.error, [limit, kept].filter(Boolean).join(' · '));
  if (state.thresholdMicros !== undefined && document.activeElement !== threshold) threshold.value = String(state.thresholdMicros);
}

/** Asks the host's question in the panel; with the user's yes, the host changes what it asked about. */
async function change(send: (ticket: Ticket) => Promise<{ changed: boolean; ask?: Question }>, done: string): Promise<void> {
  list.notice.textContent = '';
  const answer = await askedFirst(list.questions, send);
  if (answer?.changed) list.notice.textContent = done;
}

function render(init: Init<typeof slowLogProtocol>): void {
  const refusal = l10n.t('This connection is read-only: changing the slow log is refused.');
  for (const control of [reset, setThreshold, threshold]) {
    control.disabled = init.readOnly;
    if (init.readOnly) control.title = refusal;
  }
  reset.addEventListener('click', () => list.run(() => change((ticket) => client.request('reset', ticket), l10n.t('The slow log was reset.'))));
  setThreshold.addEventListener('click', () => {
    const value = Number(threshold.value);
    if (threshold.value.trim() === '' || !Number.isInteger(value) || value < -1) {
      threshold.setAttribute('aria-invalid', 'true');
      list.fail(l10n.t('Give a whole number of microseconds: -1 turns logging off, 0 logs every command.'));
      return;
    }
    threshold.setAttribute('aria-invalid', 'false');
    list.run(() => change((ticket) => client.request('setThreshold', { micros: value, ...ticket }), l10n.t('The threshold was changed.')));
  });
  app.replaceChildren(...list.element(init.cluster ? l10n.t('{0}: slow log (every master)', init.name) : l10n.t('{0}: slow log', init.name)));
  show(init.state);
}

void client.ready().then(render, (error: unknown) => notOpened(app, error));
