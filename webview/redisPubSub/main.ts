import './main.css';
import type { PubSubItem, PubSubRequest, PubSubResponses, ToHost, ToPubSub } from '../../src/panels/redisPubSub/protocol';
import { Messenger } from '../shared/messenger';
import { el, fillRow } from '../shared/dom';
import { VirtualList } from '../shared/virtualList';

interface State {
  channels: string;
  patterns: string;
  publishChannel: string;
}

const app = document.getElementById('app')!;
let cap = 10_000;
let items: PubSubItem[] = [];
let total = 0;
let droppedHere = 0;

const messenger = new Messenger<ToHost, ToPubSub, State>(onMessage);
function ask<T extends PubSubRequest['type']>(request: Extract<PubSubRequest, { type: T }>): Promise<PubSubResponses[T]> {
  return messenger.request<PubSubResponses[T]>((id) => ({ type: 'request', id, request }));
}

const split = (text: string): string[] => text.split(/[\s,]+/).filter(Boolean);
const status = el('span', { className: 'status', attrs: { role: 'status' } });
const channels = el('input', { attrs: { type: 'text', placeholder: 'channels, e.g. orders notifications', 'aria-label': 'Channels', spellcheck: 'false' } });
const patterns = el('input', { attrs: { type: 'text', placeholder: 'patterns, e.g. events.*', 'aria-label': 'Patterns', spellcheck: 'false' } });
const subscribe = el('button', { text: 'Subscribe', attrs: { type: 'button' } });
const unsubscribe = el('button', { className: 'secondary', text: 'Unsubscribe', attrs: { type: 'button' } });
const clear = el('button', { className: 'secondary', text: 'Clear', attrs: { type: 'button' } });
const publishChannel = el('input', { attrs: { type: 'text', placeholder: 'channel', 'aria-label': 'Channel to publish to', spellcheck: 'false' } });
const publishMessage = el('input', { attrs: { type: 'text', placeholder: 'message', 'aria-label': 'Message to publish', spellcheck: 'false' } });
const publish = el('button', { text: 'Publish', attrs: { type: 'button' } });
const publishStatus = el('span', { className: 'status', attrs: { role: 'status' } });

const list = new VirtualList({
  rowHeight: 22,
  label: 'Messages',
  render(row, index) {
    const item = items[index]!;
    const cells = [new Date(item.at).toISOString().slice(11, 23), item.channel, item.pattern ?? '', item.message];
    fillRow(row, cells);
  },
});

function updateStatus(extra = ''): void {
  status.textContent = `${total.toLocaleString()} received · ${items.length.toLocaleString()} kept (newest ${cap.toLocaleString()})${droppedHere ? ` · ${droppedHere.toLocaleString()} dropped while busy` : ''}${extra ? ` · ${extra}` : ''}`;
}

function onMessage(message: ToPubSub): void {
  if (message.type === 'init') {
    cap = message.cap;
    const saved = messenger.state;
    if (saved) {
      channels.value = saved.channels;
      patterns.value = saved.patterns;
      publishChannel.value = saved.publishChannel;
    }
    render(message.name, message.readOnly);
  } else if (message.type === 'messages') {
    total += message.items.length + message.dropped;
    droppedHere += message.dropped;
    items = items.concat(message.items);
    if (items.length > cap) items = items.slice(items.length - cap);
    const atBottom = list.element.scrollTop + list.element.clientHeight >= list.element.scrollHeight - 30;
    list.setCount(items.length);
    if (atBottom) list.element.scrollTop = list.element.scrollHeight;
    updateStatus();
  }
}

function remember(): void {
  messenger.state = { channels: channels.value, patterns: patterns.value, publishChannel: publishChannel.value };
}

function render(name: string, readOnly: boolean): void {
  subscribe.addEventListener('click', () => {
    remember();
    void ask({ type: 'subscribe', channels: split(channels.value), patterns: split(patterns.value) }).then(({ subscribed, error }) => updateStatus(error ?? (subscribed ? 'subscribed' : '')));
  });
  unsubscribe.addEventListener('click', () => void ask({ type: 'unsubscribe' }).then(() => updateStatus('unsubscribed')));
  clear.addEventListener('click', () => {
    items = [];
    list.setCount(0, true);
    updateStatus();
  });
  publish.disabled = readOnly;
  publish.addEventListener('click', () => {
    remember();
    void ask({ type: 'publish', channel: publishChannel.value, message: publishMessage.value }).then(({ receivers, error }) => {
      publishStatus.textContent = error ?? `delivered to ${receivers ?? 0} subscriber${receivers === 1 ? '' : 's'}`;
    });
  });
  const header = el('div', { className: 'columns', attrs: { 'aria-hidden': 'true' } }, ...['Time', 'Channel', 'Pattern', 'Message'].map((t, i) => el('span', { className: `cell c${i}`, text: t })));
  app.replaceChildren(
    el('header', {}, el('h1', { text: `${name}: pub/sub` }), status),
    el('div', { className: 'toolbar' }, channels, patterns, subscribe, unsubscribe, clear),
    el('div', { className: 'table' }, header, list.element),
    el('div', { className: 'toolbar publish' }, publishChannel, publishMessage, publish, publishStatus),
  );
  updateStatus();
}

messenger.post({ type: 'ready' });
