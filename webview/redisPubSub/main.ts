import '../shared/l10n';
import './main.css';
import * as v from 'valibot';
import { PubSubItem, pubSubProtocol } from '../../src/panels/redisPubSub/protocol';
import type { Init } from '../../src/panels/ipc/protocol';
import { PanelClient } from '../shared/ipc';
import { vscodeTransport, ViewState } from '../shared/vscodeApi';
import { button, el, fillRow } from '../shared/dom';
import { VirtualList } from '../shared/virtualList';
import { countOf } from '../shared/viewFormat';
import * as l10n from '@vscode/l10n';
import { submitOnEnter } from '../shared/submitOnEnter';
import { problemText } from '../shared/problemOf';
import { notOpened } from '../shared/problem';
import { newest } from '../shared/newest';

/** What the webview remembers while hidden: what was typed, and where the list was scrolled to. */
const viewState = new ViewState(v.object({ channels: v.string(), patterns: v.string(), publishChannel: v.string(), publishMessage: v.string(), position: v.number(), following: v.boolean() }));

const app = document.getElementById('app')!;
let cap = 10_000;
let items: PubSubItem[] = [];
let received = 0;
let subscribedTo = '';

const split = (text: string): string[] => text.split(/[\s,]+/).filter(Boolean);
const status = el('span', { className: 'status', attrs: { role: 'status' } });
const problem = el('div', { className: 'error-text', attrs: { role: 'alert' } });
const channels = el('input', { attrs: { type: 'text', placeholder: l10n.t('channels, e.g. orders notifications'), 'aria-label': l10n.t('Channels'), spellcheck: 'false' } });
const patterns = el('input', { attrs: { type: 'text', placeholder: l10n.t('patterns, e.g. events.*'), 'aria-label': l10n.t('Patterns'), spellcheck: 'false' } });
const subscribe = button(l10n.t('Subscribe'));
const unsubscribe = button(l10n.t('Unsubscribe'), { secondary: true });
const clear = button(l10n.t('Clear'), { secondary: true });
const publishChannel = el('input', { attrs: { type: 'text', placeholder: l10n.t('channel'), 'aria-label': l10n.t('Channel to publish to'), spellcheck: 'false' } });
const publishMessage = el('input', { attrs: { type: 'text', placeholder: l10n.t('message'), 'aria-label': l10n.t('Message to publish'), spellcheck: 'false' } });
const publish = button(l10n.t('Publish'));
const publishStatus = el('span', { className: 'status', attrs: { role: 'status' } });

const list = new VirtualList({
  rowHeight: 22,
  label: l10n.t('Messages'),
  render(row, index) {
    const item = items[index]!;
    fillRow(row, [new Date(item.at).toISOString().slice(11, 23), item.channel, item.pattern ?? '', item.message]);
  },
});

const client = new PanelClient(pubSubProtocol, vscodeTransport(), { messages: (batch) => append(batch.items, batch.received) });

function append(added: readonly PubSubItem[], total: number): void {
  received = total;
  items = newest(items, added, cap);
  list.setCount(items.length);
  updateStatus();
}

function updateStatus(): void {
  const kept = l10n.t('{0} received · {1} kept (the newest {2})', received.toLocaleString(), items.length.toLocaleString(), cap.toLocaleString());
  status.textContent = subscribedTo ? l10n.t('{0} · subscribed to {1}', kept, subscribedTo) : l10n.t('{0} · not subscribed', kept);
  subscribe.disabled = false;
  unsubscribe.disabled = !subscribedTo;
}

function remember(): void {
  viewState.write({ channels: channels.value, patterns: patterns.value, publishChannel: publishChannel.value, publishMessage: publishMessage.value, position: list.position, following: list.isFollowing });
}

function describe(subscription: { channels: readonly string[]; patterns: readonly string[] }): string {
  return [...subscription.channels, ...subscription.patterns.map((p) => l10n.t('{0} (pattern)', p))].join(', ');
}

function doSubscribe(): void {
  const wanted = { channels: split(channels.value), patterns: split(patterns.value) };
  problem.textContent = '';
  if (!wanted.channels.length && !wanted.patterns.length) {
    problem.textContent = l10n.t('Name at least one channel or pattern to subscribe to.');
    channels.focus();
    return;
  }
  subscribe.disabled = true;
  void client.request('subscribe', wanted).then(
    () => {
      subscribedTo = describe(wanted);
      updateStatus();
    },
    (error: unknown) => {
      problem.textContent = l10n.t('Not subscribed: {0}', problemText(error));
      updateStatus();
    },
  );
}

function doPublish(): void {
  publishStatus.textContent = '';
  if (!publishChannel.value) {
    publishStatus.textContent = l10n.t('Name the channel to publish to.');
    publishChannel.focus();
    return;
  }
  publish.disabled = true;
  void client.request('publish', { channel: publishChannel.value, message: publishMessage.value }).then(
    ({ receivers }) => {
      publish.disabled = false;
      publishStatus.className = 'status';
      publishStatus.textContent = countOf(receivers, l10n.t('delivered to {0} subscriber'), l10n.t('delivered to {0} subscribers'));
    },
    (error: unknown) => {
      publish.disabled = false;
      publishStatus.className = 'status error-text';
      publishStatus.textContent = l10n.t('Not published: {0}', problemText(error));
    },
  );
}

function render(state: Init<typeof pubSubProtocol>): void {
  cap = state.cap;
  subscribedTo = state.subscribed ? describe(state.subscribed) : '';
  const saved = viewState.read();
  channels.value = saved?.channels ?? state.subscribed?.channels.join(' ') ?? '';
  patterns.value = saved?.patterns ?? state.subscribed?.patterns.join(' ') ?? '';
  publishChannel.value = saved?.publishChannel ?? '';
  publishMessage.value = saved?.publishMessage ?? '';
  subscribe.addEventListener('click', doSubscribe);
  for (const input of [channels, patterns]) submitOnEnter(input, doSubscribe);
  unsubscribe.addEventListener('click', () => {
    void client.request('unsubscribe', {}).then(() => {
      subscribedTo = '';
      updateStatus();
    }, (error: unknown) => (problem.textContent = problemText(error)));
  });
  clear.addEventListener('click', () => {
    client.command('clear', {});
    items = [];
    list.setCount(0, true);
    updateStatus();
  });
  publish.disabled = state.readOnly;
  if (state.readOnly) publish.title = l10n.t('This connection is read-only: publishing is refused.');
  publish.addEventListener('click', doPublish);
  for (const input of [publishChannel, publishMessage]) submitOnEnter(input, doPublish, () => !state.readOnly);
  for (const input of [channels, patterns, publishChannel, publishMessage]) input.addEventListener('input', remember);
  list.element.addEventListener('scroll', remember);
  const header = el('div', { className: 'columns', attrs: { 'aria-hidden': 'true' } }, ...[l10n.t('Time'), l10n.t('Channel'), l10n.t('Pattern'), l10n.t('Message')].map((t, i) => el('span', { className: `cell c${i}`, text: t })));
  app.replaceChildren(
    el('header', {}, el('h1', { text: l10n.t('{0}: pub/sub', state.name) }), status),
    el('div', { className: 'toolbar' }, channels, patterns, subscribe, unsubscribe, clear),
    problem,
    el('div', { className: 'table' }, header, list.element),
    el('div', { className: 'toolbar publish' }, publishChannel, publishMessage, publish, publishStatus),
  );
  append(state.items, state.received);
  if (saved && !saved.following) list.moveTo(saved.position);
  else list.follow();
}

void client.ready().then(render, (error: unknown) => notOpened(app, error));
