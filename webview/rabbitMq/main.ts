import './main.css';
import type { MessageView, PublishResult, RpcResult } from '../../src/drivers/rabbitmq/shapes';
import type { Focus, LiveState, RabbitRequest, RabbitResponses, Tab, ToHost, ToRabbit } from '../../src/panels/rabbitMq/protocol';
import { Messenger } from '../shared/messenger';
import { el, fillRow } from '../shared/dom';
import { VirtualList } from '../shared/virtualList';
import { PublishForm } from './publishForm';
import { bodyText, messageDetails } from './messageDetails';

const app = document.getElementById('app')!;
const messenger = new Messenger<ToHost, ToRabbit, { tab: Tab }>(onMessage);
function ask<T extends RabbitRequest['type']>(request: Extract<RabbitRequest, { type: T }>): Promise<RabbitResponses[T]> {
  return messenger.request<RabbitResponses[T]>((id) => ({ type: 'request', id, request }));
}
const failed = <T extends object>(r: T | { readonly error: string }): r is { readonly error: string } => 'error' in r && typeof r.error === 'string';

let cap = 10_000;
let readOnly = false;
let items: MessageView[] = [];
let received = 0;
let dropped = 0;

const TABS: readonly [Tab, string][] = [['publish', 'Publish'], ['get', 'Get'], ['consume', 'Consume'], ['tail', 'Tail'], ['rpc', 'RPC']];
const status = el('span', { className: 'status', attrs: { role: 'status', 'aria-live': 'polite' } });
const liveStatus = el('span', { className: 'status' });
const exchanges = el('datalist', { attrs: { id: 'rmq-exchanges' } });
const queues = el('datalist', { attrs: { id: 'rmq-queues' } });
const keys = el('datalist', { attrs: { id: 'rmq-keys' } });
const say = (text: string, isError = false): void => {
  status.textContent = text;
  status.classList.toggle('error-text', isError);
};
const input = (placeholder: string, list?: string, label = placeholder): HTMLInputElement => el('input', { attrs: { type: 'text', placeholder, spellcheck: 'false', 'aria-label': label, ...(list ? { list } : {}) } });
const number = (value: string, min: string, label: string): HTMLInputElement => el('input', { attrs: { type: 'number', value, min, 'aria-label': label } });
const button = (text: string, secondary = false): HTMLButtonElement => el('button', { text, className: secondary ? 'secondary' : '', attrs: { type: 'button' } });
const select = (label: string, options: readonly [string, string][]): HTMLSelectElement => el('select', { attrs: { 'aria-label': label } }, ...options.map(([value, text]) => el('option', { text, attrs: { value } })));
const labelled = (text: string, control: HTMLElement): HTMLElement => el('label', { className: 'inline' }, el('span', { text }), control);

// Publish
const publishForm = new PublishForm(true);
const repeat = number('1', '1', 'Publish this many times');
const mandatory = el('input', { attrs: { type: 'checkbox', checked: '' } });
const publishButton = button('Publish');
// Get
const getQueue = input('queue', 'rmq-queues', 'Queue');
const getCount = number('10', '1', 'How many messages');
const getMode = select('What happens to them', [['requeue', 'Peek: requeue them (marked redelivered)'], ['ack', 'Get and ack: removes them'], ['reject', 'Reject: removes them (dead-lettered if configured)']]);
const getButton = button('Get');
// Consume
const consumeQueue = input('queue', 'rmq-queues', 'Queue');
const prefetch = number('20', '1', 'Prefetch');
const ackMode = select('Acknowledgement', [['manual', 'Manual ack per message'], ['afterReceive', 'Ack as received (removes them)'], ['auto', 'Auto-ack by broker (removes them)']]);
const consumeButton = button('Start consuming');
// Tail
const tailExchange = input('exchange', 'rmq-exchanges', 'Exchange to tail');
const tailPattern = input('routing pattern, e.g. orders.* or #', undefined, 'Routing pattern');
const tailHeaders = input('headers exchange: {"x-match":"all","region":"eu"}', undefined, 'Header arguments');
const tailButton = button('Start tail');
// RPC
const rpcForm = new PublishForm(false);
const replyVia = select('Reply via', [['direct', 'Direct reply-to'], ['queue', 'Exclusive callback queue']]);
const rpcTimeout = number('10', '1', 'Timeout in seconds');
const rpcButton = button('Send request');
// Live controls and message actions
const pauseButton = button('Pause', true);
const stopButton = button('Stop', true);
const ackButton = button('Ack selected');
const requeueButton = button('Requeue selected', true);
const rejectButton = button('Reject selected', true);
const clearButton = button('Clear list', true);
const details = el('div', { className: 'details', attrs: { 'aria-label': 'Message details' } }, el('p', { className: 'help', text: 'Select a message to see its properties, headers and body.' }));

const panes: Record<Tab, HTMLElement> = {
  publish: el('div', {}, publishForm.element, el('div', { className: 'actions' }, labelled('Repeat', repeat), labelled('Mandatory (report unroutable)', mandatory), publishButton)),
  get: el('div', {}, el('div', { className: 'toolbar' }, getQueue, labelled('Count', getCount), getMode, getButton),
    el('p', { className: 'help', text: 'Peek hands the messages back to the queue. Get and Reject remove them: they are gone from the queue afterwards.' })),
  consume: el('div', {}, el('div', { className: 'toolbar' }, consumeQueue, labelled('Prefetch', prefetch), ackMode, consumeButton),
    el('p', { className: 'help', text: 'Manual: messages wait for Ack, Requeue or Reject below; the broker sends at most Prefetch of them until some are settled. Stopping hands every unsettled message back to the queue.' })),
  tail: el('div', {}, el('div', { className: 'toolbar' }, tailExchange, tailPattern, tailHeaders, tailButton),
    el('p', { className: 'help', text: 'A temporary queue of its own (exclusive, auto-delete) receives a copy of what the exchange routes to the pattern; existing queues are not touched. * matches one word, # any number.' })),
  rpc: el('div', {}, rpcForm.element, el('div', { className: 'actions' }, replyVia, labelled('Timeout (s)', rpcTimeout), rpcButton)),
};
const tabButtons = TABS.map(([tab, text]) => el('button', { text, className: 'tab', attrs: { type: 'button', role: 'tab', id: `tab-${tab}`, 'aria-controls': `pane-${tab}`, 'data-tab': tab } }));

function showTab(tab: Tab): void {
  for (const b of tabButtons) {
    const on = b.dataset['tab'] === tab;
    b.setAttribute('aria-selected', String(on));
    b.tabIndex = on ? 0 : -1;
  }
  for (const [name, pane] of Object.entries(panes)) pane.hidden = name !== tab;
  messenger.state = { tab };
}

const list = new VirtualList({
  rowHeight: 22,
  label: 'Messages',
  render(row, index) {
    const m = items[index]!;
    const cells = [String(m.id), new Date(m.receivedAt).toISOString().slice(11, 23), m.exchange || '(default)', m.routingKey, m.redelivered ? 'yes' : '', String(m.size), bodyText(m).replace(/\s+/g, ' ').slice(0, 300)];
    fillRow(row, cells);
  },
  onSelectionChange(_selected, focused) {
    const m = items[focused];
    if (m) details.replaceChildren(messageDetails(m));
  },
});

function showLive(live: LiveState): void {
  liveStatus.textContent = live.running ? `${live.paused ? 'paused' : 'live'}: ${live.what ?? ''}${live.unacked ? ` · ${live.unacked} unacked` : ''}` : '';
  pauseButton.textContent = live.paused ? 'Resume' : 'Pause';
  pauseButton.disabled = !live.running;
  stopButton.disabled = !live.running;
}

function addMessages(more: readonly MessageView[], lost = 0): void {
  received += more.length + lost;
  dropped += lost;
  items = items.concat(more);
  if (items.length > cap) items = items.slice(items.length - cap);
  const atBottom = list.element.scrollTop + list.element.clientHeight >= list.element.scrollHeight - 30;
  list.setCount(items.length);
  if (atBottom) list.element.scrollTop = list.element.scrollHeight;
  counts.textContent = `${received.toLocaleString()} received · ${items.length.toLocaleString()} shown (newest ${cap.toLocaleString()})${dropped ? ` · ${dropped.toLocaleString()} not shown while busy` : ''}`;
}
const counts = el('span', { className: 'status' });

function selectedIds(): number[] {
  return list.selection().map((i) => items[i]?.id).filter((id): id is number => id !== undefined);
}

function applyFocus(focus: Focus): void {
  if (focus.queue !== undefined) [getQueue, consumeQueue].forEach((i) => (i.value = focus.queue ?? ''));
  if (focus.exchange !== undefined) [publishForm.exchange, tailExchange, rpcForm.exchange].forEach((i) => (i.value = focus.exchange ?? ''));
  if (focus.routingKey !== undefined) [publishForm.routingKey, rpcForm.routingKey].forEach((i) => (i.value = focus.routingKey ?? ''));
  showTab(focus.tab);
  void suggestKeys(focus.exchange ?? '');
}

async function suggestKeys(exchange: string): Promise<void> {
  const reply = await ask({ type: 'routingKeys', exchange });
  keys.replaceChildren(...(reply.keys ?? []).map((k) => el('option', { attrs: { value: k } })));
}

function publishedText(r: PublishResult): string {
  const unroutable = r.returned ? ` · ${r.returned} returned unroutable (${r.returnReason ?? ''})` : '';
  return `Published ${r.published}, confirmed ${r.confirmed} in ${Math.round(r.ms)} ms${unroutable}`;
}

function wire(): void {
  tabButtons.forEach((b, i) => {
    b.addEventListener('click', () => showTab(b.dataset['tab'] as Tab));
    b.addEventListener('keydown', (event) => {
      const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
      if (!step) return;
      const next = tabButtons[(i + step + tabButtons.length) % tabButtons.length]!;
      next.focus();
      showTab(next.dataset['tab'] as Tab);
    });
  });
  for (const form of [publishForm, rpcForm]) form.exchange.addEventListener('change', () => void suggestKeys(form.exchange.value.trim()));
  publishButton.addEventListener('click', async () => {
    const request = publishForm.read();
    if (typeof request === 'string') return say(request, true);
    say('Publishing…');
    const r = await ask({ type: 'publish', publish: { ...request, repeat: Number(repeat.value) || 1, mandatory: mandatory.checked } });
    if (failed(r)) say(r.error, true);
    else say(publishedText(r), r.returned > 0);
  });
  getButton.addEventListener('click', async () => {
    say('Getting…');
    const r = await ask({ type: 'get', queue: getQueue.value.trim(), count: Number(getCount.value) || 1, mode: getMode.value as 'requeue' | 'ack' | 'reject' });
    if (r.error) return say(r.error, true);
    addMessages(r.messages ?? []);
    const n = r.messages?.length ?? 0;
    say(n === 0 ? `"${getQueue.value}" has no ready messages.` : `${n} message${n === 1 ? '' : 's'} ${getMode.value === 'requeue' ? 'peeked (back in the queue)' : 'removed from the queue'}.`);
  });
  consumeButton.addEventListener('click', async () => {
    const r = await ask({ type: 'consume', queue: consumeQueue.value.trim(), prefetch: Number(prefetch.value) || 1, ackMode: ackMode.value as 'manual' });
    if (r.error) return say(r.error, true);
    if (r.live) showLive(r.live);
    say(`Consuming from "${consumeQueue.value}".`);
  });
  tailButton.addEventListener('click', async () => {
    const r = await ask({ type: 'tail', exchange: tailExchange.value.trim(), pattern: tailPattern.value, headers: tailHeaders.value });
    if (r.error) return say(r.error, true);
    if (r.live) showLive(r.live);
    say(`Tailing "${tailExchange.value}".`);
  });
  pauseButton.addEventListener('click', async () => {
    const r = await ask({ type: pauseButton.textContent === 'Pause' ? 'pause' : 'resume' });
    if (r.live) showLive(r.live);
  });
  stopButton.addEventListener('click', async () => {
    const r = await ask({ type: 'stop' });
    if (r.live) showLive(r.live);
    say('Stopped; unsettled messages went back to the queue.');
  });
  const settle = (how: 'ack' | 'requeue' | 'reject') => async () => {
    const ids = selectedIds();
    if (ids.length === 0) return say('Select messages first (Shift or Ctrl for several).', true);
    const r = await ask({ type: 'settle', ids, how });
    if (r.error) return say(r.error, true);
    if (r.live) showLive(r.live);
    say(`${how === 'ack' ? 'Acked' : how === 'requeue' ? 'Requeued' : 'Rejected'} ${r.settled ?? 0} of ${ids.length} (the others were already settled).`);
  };
  ackButton.addEventListener('click', settle('ack'));
  requeueButton.addEventListener('click', settle('requeue'));
  rejectButton.addEventListener('click', settle('reject'));
  clearButton.addEventListener('click', () => {
    items = [];
    list.setCount(0, true);
    addMessages([]);
  });
  rpcButton.addEventListener('click', async () => {
    const request = rpcForm.read();
    if (typeof request === 'string') return say(request, true);
    say('Waiting for the reply…');
    const r: RpcResult | { error: string } = await ask({ type: 'rpc', publish: request, replyVia: replyVia.value as 'direct', timeoutMs: (Number(rpcTimeout.value) || 10) * 1000 });
    if (failed(r)) return say(r.error, true);
    addMessages([r.reply]);
    list.element.focus();
    details.replaceChildren(messageDetails(r.reply));
    say(`Reply ${r.correlationId} after ${r.ms.toFixed(1)} ms.`);
  });
}

function render(title: string, hasApi: boolean): void {
  const writeControls = [publishButton, rpcButton, ackButton, rejectButton];
  if (readOnly) {
    writeControls.forEach((b) => { b.disabled = true; b.title = 'Read-only connection'; });
    getMode.querySelectorAll('option').forEach((o) => { if (o.value !== 'requeue') o.disabled = true; });
    ackMode.querySelectorAll('option').forEach((o) => { if (o.value !== 'manual') o.disabled = true; });
  }
  const header = el('div', { className: 'columns', attrs: { 'aria-hidden': 'true' } }, ...['#', 'Time', 'Exchange', 'Routing key', 'Redelivered', 'Bytes', 'Body'].map((t, i) => el('span', { className: `cell c${i}`, text: t })));
  app.replaceChildren(
    exchanges, queues, keys,
    el('header', {}, el('h1', { text: title }), readOnly ? el('span', { className: 'badge', text: 'read-only' }) : undefined, status),
    ...(hasApi ? [] : [el('p', { className: 'help', text: 'No management API URL: queue and exchange names are not suggested, but any named queue or exchange works.' })]),
    el('div', { className: 'tabs', attrs: { role: 'tablist', 'aria-label': 'What to do' } }, ...tabButtons),
    ...TABS.map(([tab]) => { const pane = panes[tab]; pane.id = `pane-${tab}`; pane.setAttribute('role', 'tabpanel'); pane.setAttribute('aria-labelledby', `tab-${tab}`); return pane; }),
    el('div', { className: 'toolbar live' }, pauseButton, stopButton, ackButton, requeueButton, rejectButton, clearButton, liveStatus, counts),
    el('div', { className: 'table' }, header, list.element),
    details,
  );
  showLive({ running: false, paused: false, unacked: 0 });
  wire();
  void ask({ type: 'names' }).then((r) => {
    exchanges.replaceChildren(...(r.exchanges ?? []).map((e) => el('option', { attrs: { value: e.name }, text: e.type })));
    queues.replaceChildren(...(r.queues ?? []).map((q) => el('option', { attrs: { value: q } })));
  });
}

function onMessage(message: ToRabbit): void {
  if (message.type === 'init') {
    cap = message.cap;
    readOnly = message.readOnly;
    render(message.title, message.hasApi);
    applyFocus(message.focus.tab === 'publish' && messenger.state ? { ...message.focus, tab: messenger.state.tab } : message.focus);
  } else if (message.type === 'focus') {
    applyFocus(message.focus);
  } else if (message.type === 'messages') {
    addMessages(message.items, message.dropped);
    showLive(message.live);
  } else if (message.type === 'ended') {
    showLive(message.live);
    say(`The consumer stopped: ${message.reason}.`, true);
  }
}

messenger.post({ type: 'ready' });
