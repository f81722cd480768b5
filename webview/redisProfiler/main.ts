import '../shared/l10n';
import './main.css';
import * as v from 'valibot';
import { ProfiledCommand, profilerProtocol, ProfilerSettings, ProfilerState } from '../../src/panels/redisProfiler/protocol';
import type { Init } from '../../src/panels/ipc/protocol';
import { PanelClient } from '../shared/ipc';
import { vscodeTransport, ViewState } from '../shared/vscodeApi';
import { button, el, fillRow } from '../shared/dom';
import { VirtualList } from '../shared/virtualList';
import * as l10n from '@vscode/l10n';
import { submitOnEnter } from '../shared/submitOnEnter';
import { problemText } from '../shared/problemOf';
import { notOpened } from '../shared/problem';
import { newest } from '../shared/newest';

/** What the webview remembers while hidden: the settings typed, and where the list was scrolled to. */
const viewState = new ViewState(v.object({ filter: v.string(), seconds: v.string(), commands: v.string(), rate: v.string(), position: v.number(), following: v.boolean() }));

const app = document.getElementById('app')!;
let cap = 10_000;
let items: ProfiledCommand[] = [];
let state: ProfilerState = { running: false, counts: { seen: 0, kept: 0, dropped: 0 } };

const status = el('span', { className: 'status', attrs: { role: 'status' } });
const problem = el('div', { className: 'error-text', attrs: { role: 'alert' } });
const filter = el('input', { attrs: { type: 'text', placeholder: l10n.t('only commands containing, e.g. user: or HGET'), 'aria-label': l10n.t('Filter'), spellcheck: 'false' } });
const number = (label: string, value: string, max: string): HTMLInputElement => el('input', { attrs: { type: 'number', min: '1', max, step: '1', value, 'aria-label': label } });
const seconds = number(l10n.t('Stop after seconds'), '30', '3600');
const commands = number(l10n.t('Stop after commands'), '10000', '1000000');
const rate = number(l10n.t('Keep at most commands per second'), '1000', '100000');
const start = button(l10n.t('Start'));
const stop = button(l10n.t('Stop'), { secondary: true });
const clear = button(l10n.t('Clear'), { secondary: true });

/** An argument as redis-cli would show it: quoted when it is empty or holds spaces or quotes. */
const shownArg = (arg: string): string => (arg === '' || /[\s"']/.test(arg) ? `"${arg.replace(/["\\]/g, '\\$&')}"` : arg);

const list = new VirtualList({
  rowHeight: 22,
  label: l10n.t('Commands'),
  render(row, index) {
    const item = items[index]!;
    fillRow(row, [new Date(item.at).toISOString().slice(11, 23), item.client, String(item.db), item.command, item.args.map(shownArg).join(' ')]);
    const where = item.server ? l10n.t('{0} on db{1} ({2})', item.client, String(item.db), item.server) : l10n.t('{0} on db{1}', item.client, String(item.db));
    row.title = `${item.command} ${item.args.map(shownArg).join(' ')}\n${where}`;
  },
});

const client = new PanelClient(profilerProtocol, vscodeTransport(), {
  commands: (batch) => append(batch.items),
  state: (next) => {
    state = next;
    updateStatus();
  },
});

function append(added: readonly ProfiledCommand[]): void {
  items = newest(items, added, cap);
  list.setCount(items.length);
  updateStatus();
}

function updateStatus(): void {
  const { seen, kept, dropped } = state.counts;
  const counts = [
    l10n.t('{0} seen', seen.toLocaleString()),
    l10n.t('{0} kept', kept.toLocaleString()),
    dropped ? l10n.t('{0} dropped by the rate cap', dropped.toLocaleString()) : '',
    l10n.t('{0} shown (the newest {1})', items.length.toLocaleString(), cap.toLocaleString()),
  ].filter((part) => part !== '').join(' · ');
  const left = state.endsAt ? Math.max(0, Math.ceil((state.endsAt - Date.now()) / 1000)) : 0;
  status.textContent = state.running
    ? l10n.t('Watching: {0} · stops by itself in {1} s or after {2} commands', counts, String(left), (state.settings?.commands ?? 0).toLocaleString())
    : `${state.stopped ?? l10n.t('Not running.')} ${counts}`;
  start.disabled = state.running;
  stop.disabled = !state.running;
}

function remember(): void {
  viewState.write({ filter: filter.value, seconds: seconds.value, commands: commands.value, rate: rate.value, position: list.position, following: list.isFollowing });
}

function settings(): ProfilerSettings | undefined {
  const whole = (input: HTMLInputElement, max: number): number | undefined => {
    const value = Number(input.value);
    const ok = Number.isInteger(value) && value >= 1 && value <= max;
    input.setAttribute('aria-invalid', String(!ok));
    return ok ? value : undefined;
  };
  const [s, c, r] = [whole(seconds, 3600), whole(commands, 1_000_000), whole(rate, 100_000)];
  if (s === undefined || c === undefined || r === undefined) {
    problem.textContent = l10n.t('Give whole numbers: seconds 1–3,600, commands 1–1,000,000, commands per second 1–100,000.');
    return undefined;
  }
  return { filter: filter.value, seconds: s, commands: c, rate: r };
}

function doStart(): void {
  problem.textContent = '';
  const wanted = settings();
  if (!wanted) return;
  start.disabled = true;
  void client.request('start', wanted).then(() => list.follow(), (error: unknown) => {
    problem.textContent = l10n.t('Not started: {0}', problemText(error));
    updateStatus();
  });
}

function render(init: Init<typeof profilerProtocol>): void {
  cap = init.cap;
  state = init.state;
  const saved = viewState.read();
  filter.value = saved?.filter ?? init.state.settings?.filter ?? '';
  seconds.value = saved?.seconds ?? String(init.state.settings?.seconds ?? 30);
  commands.value = saved?.commands ?? String(init.state.settings?.commands ?? 10_000);
  rate.value = saved?.rate ?? String(init.state.settings?.rate ?? 1000);
  start.addEventListener('click', doStart);
  submitOnEnter(filter, doStart, () => !state.running);
  stop.addEventListener('click', () => void client.request('stop', {}).catch((error: unknown) => (problem.textContent = problemText(error))));
  clear.addEventListener('click', () => {
    client.command('clear', {});
    items = [];
    list.setCount(0, true);
    updateStatus();
  });
  for (const input of [filter, seconds, commands, rate]) input.addEventListener('input', remember);
  list.element.addEventListener('scroll', remember);
  const label = (text: string, input: HTMLElement): HTMLElement => el('label', {}, el('span', { text }), input);
  const header = el('div', { className: 'columns', attrs: { 'aria-hidden': 'true' } }, ...[l10n.t('Time'), l10n.t('Client'), 'DB', l10n.t('Command'), l10n.t('Arguments')].map((t, i) => el('span', { className: `cell c${i}`, text: t })));
  app.replaceChildren(
    el('header', {}, el('h1', { text: l10n.t('{0}: profiler', init.name) }), status),
    el('p', { className: 'help cost', text: init.cluster
      ? l10n.t('MONITOR makes the server send every command it runs (on every master) to this panel, which can cost a busy server a large share of its throughput: it stops by itself after the seconds or commands below. Arguments are shown as clients sent them, values included.')
      : l10n.t('MONITOR makes the server send every command it runs to this panel, which can cost a busy server a large share of its throughput: it stops by itself after the seconds or commands below. Arguments are shown as clients sent them, values included.') }),
    el('div', { className: 'toolbar' }, filter, label(l10n.t('stop after s'), seconds), label(l10n.t('or commands'), commands), label(l10n.t('keep ≤ per s'), rate), start, stop, clear),
    problem,
    el('div', { className: 'table' }, header, list.element),
  );
  append(init.items);
  if (saved && !saved.following) list.moveTo(saved.position);
  else list.follow();
  setInterval(() => state.running && updateStatus(), 1000);
}

void client.ready().then(render, (error: unknown) => notOpened(app, error));
