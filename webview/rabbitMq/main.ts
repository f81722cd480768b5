import '../shared/l10n';
import './main.css';
import * as v from 'valibot';
import type { Init } from '../../src/panels/ipc/protocol';
import { Focus, LimitQuestion, ListName, LISTS, LiveName, LiveState, rabbitProtocol, repeat as repeatSchema, rpcTimeoutSeconds, Tab, TABS } from '../../src/panels/rabbitMq/protocol';
import { PanelClient } from '../shared/ipc';
import { vscodeTransport, ViewState } from '../shared/vscodeApi';
import { button, el } from '../shared/dom';
import { allValid, checked, errorNote, Field, FormField, NoteLine } from '../shared/fieldNotes';
import { countOf } from '../shared/viewFormat';
import { listView, MessageListPane } from './messageList';
import { PublishForm } from './publishForm';
import { ConsumeForm, GetForm, TailForm } from './forms';
import { askedFirst, confirmInPanel } from '../shared/confirm';
import * as l10n from '@vscode/l10n';
import { submitOnEnter } from '../shared/submitOnEnter';
import { TabStrip } from '../shared/tabStrip';

/** What the webview remembers while hidden: the tab, every control's content, each list's selection and scroll. */
const viewState = new ViewState(v.object({
  tab: v.picklist(TABS),
  focusSeq: v.number(),
  controls: v.record(v.string(), v.union([v.string(), v.boolean()])),
  lists: v.record(v.picklist(LISTS), listView),
}));

const app = document.getElementById('app')!;
const TAB_TITLES: Record<Tab, string> = { publish: l10n.t('Publish'), get: l10n.t('Get'), consume: l10n.t('Consume'), tail: l10n.t('Tail'), rpc: l10n.t('RPC') };
let focusSeq = 0;
let readOnly = false;
const live: Record<LiveName, LiveState> = { consume: { running: false, paused: false, what: '', source: '', unacked: 0 }, tail: { running: false, paused: false, what: '', source: '', unacked: 0 } };
const busy = new Set<string>();

const exchanges = el('datalist', { attrs: { id: 'rmq-exchanges' } });
const queues = el('datalist', { attrs: { id: 'rmq-queues' } });
const keys = el('datalist', { attrs: { id: 'rmq-keys' } });
const panelNote = new NoteLine();

// The forms, one per tab, and each tab's own line for what its action did.
const publishForm = new PublishForm('publish', true);
const repeatInput = el('input', { attrs: { type: 'number', value: '1', min: '1' } });
const repeat = new Field(l10n.t('Repeat'), repeatInput, { read: () => checked(repeatSchema, Number(repeatInput.value)) });
const mandatoryBox = el('input', { attrs: { type: 'checkbox', checked: '' } });
const mandatory = new Field(l10n.t('Mandatory (report unroutable)'), mandatoryBox, {
  read: () => ({ ok: true, value: mandatoryBox.checked }),
  advise: (on) => (on ? undefined : { severity: 'warning', text: l10n.t('The broker drops a message no queue is bound for, without a word.') }),
});
const getForm = new GetForm();
const consumeForm = new ConsumeForm();
const tailForm = new TailForm();
const rpcForm = new PublishForm('rpc', false);
const replyViaSelect = el('select', {}, el('option', { text: l10n.t('Direct reply-to'), attrs: { value: 'direct' } }), el('option', { text: l10n.t('Exclusive callback queue'), attrs: { value: 'queue' } }));
const replyVia = new Field<'direct' | 'queue'>(l10n.t('Reply via'), replyViaSelect, { read: () => ({ ok: true, value: replyViaSelect.value === 'queue' ? 'queue' : 'direct' }) });
const timeoutInput = el('input', { attrs: { type: 'number', value: '10', min: '1', max: '3600' } });
const rpcTimeout = new Field(l10n.t('Timeout (s)'), timeoutInput, { read: () => checked(rpcTimeoutSeconds, Number(timeoutInput.value)) });
/** Where the Get and Consume tabs ask before messages go back to a queue that counts each requeue as a delivery. */
const questions = { get: el('div', { className: 'question-slot' }), consume: el('div', { className: 'question-slot' }) };
const notes: Record<Tab, NoteLine> = { publish: new NoteLine(), get: new NoteLine(), consume: new NoteLine(), tail: new NoteLine(), rpc: new NoteLine() };

const publishButton = button(l10n.t('Publish'));
const getButton = button(l10n.t('Get messages'));
const consumeButton = button(l10n.t('Start consuming'));
const tailButton = button(l10n.t('Start tail'));
const rpcButton = button(l10n.t('Send request'));
const pauseButtons: Record<LiveName, HTMLButtonElement> = { consume: button(l10n.t('Pause'), { secondary: true }), tail: button(l10n.t('Pause'), { secondary: true }) };
const stopButtons: Record<LiveName, HTMLButtonElement> = { consume: button(l10n.t('Stop'), { secondary: true }), tail: button(l10n.t('Stop'), { secondary: true }) };
const liveStatus: Record<LiveName, HTMLElement> = { consume: el('span', { className: 'status live-status' }), tail: el('span', { className: 'status live-status' }) };
const ackButton = button(l10n.t('Ack selected'), { secondary: true });
const requeueButton = button(l10n.t('Requeue selected'), { secondary: true });
const rejectButton = button(l10n.t('Reject selected'), { secondary: true });
const clearButtons: Record<ListName, HTMLButtonElement> = { get: button(l10n.t('Clear list'), { secondary: true }), consume: button(l10n.t('Clear settled'), { secondary: true }), tail: button(l10n.t('Clear list'), { secondary: true }), rpc: button(l10n.t('Clear list'), { secondary: true }) };

const LIST_LABELS: Record<ListName, string> = { get: l10n.t('Messages got'), consume: l10n.t('Messages consumed'), tail: l10n.t('Messages tailed'), rpc: l10n.t('RPC replies') };
const pane = (list: ListName, toolbar: HTMLElement[]): MessageListPane => new MessageListPane(list, LIST_LABELS[list], toolbar, () => update());
const panes: Record<ListName, MessageListPane> = {
  get: pane('get', [clearButtons.get]),
  consume: pane('consume', [ackButton, requeueButton, rejectButton, clearButtons.consume]),
  tail: pane('tail', [clearButtons.tail]),
  rpc: pane('rpc', [clearButtons.rpc]),
};
let started = false;
let pendingSelect: number | undefined;

const client = new PanelClient(rabbitProtocol, vscodeTransport(), {
  messages: ({ list, items, received }) => {
    panes[list].append(items, received);
    if (list === 'rpc' && pendingSelect !== undefined && items.some((row) => row.message.id === pendingSelect)) {
      panes.rpc.select(pendingSelect);
      pendingSelect = undefined;
    }
    update();
  },
  states: ({ list, ids, state }) => {
    panes[list].mark(ids, state);
    update();
  },
  live: ({ list, live: state, ended }) => {
    live[list] = state;
    if (ended) notes[list].show({ severity: 'warning', text: list === 'consume' ? l10n.t('The consumer stopped: {0}.', ended) : l10n.t('The tail stopped: {0}.', ended) });
    update();
  },
  focus: (focus) => applyFocus(focus),
});

/** Runs a request with its button disabled, and shows what failed: next to the field it concerns, or by the button. */
async function act<T>(name: string, work: () => Promise<T>, blame: (code: string | undefined) => FormField | undefined, onDone: (result: T) => void, prefix: string): Promise<void> {
  busy.add(name);
  update();
  try {
    onDone(await work());
  } catch (error) {
    const note = errorNote(error, prefix);
    const field = blame(note.code);
    if (field) field.report(note);
    notes[tabOfAction(name)].show(field ? { severity: 'error', text: l10n.t('{0}see {1} above.', prefix, field.control.getAttribute('aria-label') ?? l10n.t('the field')) } : note);
  } finally {
    busy.delete(name);
    update();
  }
}
const tabOfAction = (name: string): Tab => TABS.find((t) => name.startsWith(t)) ?? 'publish';
/** Codes that mean the named queue or exchange is at fault: missing, refused to this user, or not acceptable. */
const aboutName = (field: FormField) => (code: string | undefined): FormField | undefined => (code === 'config' || code === 'auth' ? field : undefined);

function doPublish(): void {
  const request = publishForm.read();
  if (!request || !allValid([repeat, mandatory])) return;
  notes.publish.show({ severity: 'info', text: l10n.t('Publishing…') });
  void act('publish', () => client.request('publish', { publish: { ...request, repeat: repeat.value, mandatory: mandatory.value } }), aboutName(publishForm.exchange), (r) => {
    const [published, confirmed, ms] = [String(r.published), String(r.confirmed), String(Math.round(r.ms))];
    if (r.returned) {
      const reason = r.returnReason ? ` (${r.returnReason})` : '';
      publishForm.routingKey.report({ severity: 'warning', text: countOf(r.returned, l10n.t('{0} message returned unroutable{1}: no queue is bound for this routing key.'), l10n.t('{0} messages returned unroutable{1}: no queue is bound for this routing key.'), reason) });
      notes.publish.show({ severity: 'warning', text: l10n.t('Published {0}, confirmed {1} in {2} ms; {3} returned unroutable.', published, confirmed, ms, String(r.returned)) });
    } else notes.publish.show({ severity: 'ok', text: l10n.t('Published {0}, confirmed {1} in {2} ms.', published, confirmed, ms) });
  }, l10n.t('Not published: '));
}

/** The user's answer to the host's delivery-limit question: the limit they accepted, or undefined when they said no. */
async function accepted(tabName: 'get' | 'consume', ask: LimitQuestion): Promise<number | undefined> {
  const yes = await confirmInPanel(questions[tabName], { message: ask.message, detail: ask.detail, action: ask.action });
  return yes ? ask.deliveries : undefined;
}

function doGet(): void {
  if (!allValid(getForm.fields)) return;
  const queue = getForm.queue.value;
  const mode = getForm.mode.value;
  const params = { queue, count: getForm.count.value, mode };
  notes.get.show({ severity: 'info', text: l10n.t('Getting…') });
  void act('get', async () => {
    const first = await client.request('get', params);
    if (!first.ask) return { count: first.count, cancelled: false };
    notes.get.show(undefined);
    const limit = await accepted('get', first.ask);
    if (limit === undefined) return { count: 0, cancelled: true };
    notes.get.show({ severity: 'info', text: l10n.t('Getting…') });
    return { count: (await client.request('get', { ...params, acceptDeliveryLimit: limit })).count, cancelled: false };
  }, aboutName(getForm.queue), ({ count, cancelled }) => {
    if (cancelled) {
      getForm.queue.report({ severity: 'info', text: l10n.t('Not peeked: the queue counts each requeue as a delivery.') });
      notes.get.show(undefined);
      return;
    }
    notes.get.show(count === 0 ? { severity: 'info', text: l10n.t('"{0}" has no ready messages.', queue) }
      : { severity: 'ok', text: mode === 'requeue'
        ? countOf(count, l10n.t('{0} message peeked (back in the queue).'), l10n.t('{0} messages peeked (back in the queue).'))
        : countOf(count, l10n.t('{0} message removed from the queue.'), l10n.t('{0} messages removed from the queue.')) });
  }, l10n.t('Not got: '));
}

function doConsume(): void {
  if (!allValid(consumeForm.fields)) return;
  const queue = consumeForm.queue.value;
  const params = { queue, prefetch: consumeForm.prefetch.value, ackMode: consumeForm.ackMode.value };
  void act('consume', async () => {
    const first = await client.request('consume', params);
    if (!first.ask) return { live: first.live, cancelled: false };
    const limit = await accepted('consume', first.ask);
    if (limit === undefined) return { live: first.live, cancelled: true };
    return { live: (await client.request('consume', { ...params, acceptDeliveryLimit: limit })).live, cancelled: false };
  }, aboutName(consumeForm.queue), (r) => {
    live.consume = r.live;
    if (r.cancelled) consumeForm.queue.report({ severity: 'info', text: l10n.t('Not consuming: the queue counts each requeue as a delivery.') });
    notes.consume.show(r.cancelled ? undefined : { severity: 'ok', text: l10n.t('Consuming from "{0}".', queue) });
  }, l10n.t('Not consuming: '));
}

function doTail(): void {
  if (!allValid(tailForm.fields)) return;
  const exchange = tailForm.exchange.value;
  const headers = tailForm.headers.value;
  void act('tail', () => client.request('tail', { exchange, pattern: tailForm.pattern.value, ...(headers ? { headers } : {}) }), aboutName(tailForm.exchange), (r) => {
    live.tail = r.live;
    notes.tail.show({ severity: 'ok', text: l10n.t('Tailing "{0}".', exchange) });
  }, l10n.t('Not tailing: '));
}

function doRpc(): void {
  const request = rpcForm.read();
  if (!request || !allValid([replyVia, rpcTimeout])) return;
  notes.rpc.show({ severity: 'info', text: l10n.t('Waiting for the reply…') });
  void act('rpc', () => client.request('rpc', { publish: request, replyVia: replyVia.value, timeoutSeconds: rpcTimeout.value }), aboutName(rpcForm.exchange), (r) => {
    pendingSelect = r.reply.id;
    notes.rpc.show({ severity: 'ok', text: l10n.t('Reply {0} after {1} ms.', r.correlationId, r.ms.toFixed(1)) });
  }, l10n.t('No reply: '));
}

function liveAction(list: LiveName, what: 'pause' | 'resume' | 'stop'): void {
  void act(`${list}-${what}`, () => client.request(what, { list }), () => undefined, (r) => {
    live[list] = r.live;
    if (what === 'stop') notes[list].show({ severity: 'info', text: list === 'consume' ? l10n.t('Stopped; unsettled messages went back to the queue.') : l10n.t('Tail stopped.') });
  }, '');
}

function settle(how: 'ack' | 'requeue' | 'reject'): void {
  const ids = panes.consume.selection.filter((row) => row.state === 'unacked').map((row) => row.message.id);
  // A reject is asked about by the host, which counts the held messages and rejects them only with its ticket.
  void act('consume-settle', () => askedFirst(questions.consume, (ticket) => client.request('settle', { ids, how, ...ticket })), () => undefined, (r) => {
    if (!r) return;
    live.consume = r.live;
    panes.consume.mark(r.settled, r.state);
    notes.consume.show({ severity: 'ok', text: settledText(how, r.settled.length, ids.length) });
  }, l10n.t('Not settled: '));
}

/** What Ack, Requeue or Reject did to the selected messages. */
function settledText(how: 'ack' | 'requeue' | 'reject', settled: number, asked: number): string {
  const [done, of] = [String(settled), String(asked)];
  const all = settled >= asked;
  if (how === 'ack') return all ? l10n.t('Acked {0} of {1}.', done, of) : l10n.t('Acked {0} of {1} (the others were settled already).', done, of);
  if (how === 'requeue') return all ? l10n.t('Requeued {0} of {1}.', done, of) : l10n.t('Requeued {0} of {1} (the others were settled already).', done, of);
  return all ? l10n.t('Rejected {0} of {1}.', done, of) : l10n.t('Rejected {0} of {1} (the others were settled already).', done, of);
}

/** Every control enabled exactly when it can act. */
function update(): void {
  const canWrite = !readOnly;
  publishButton.disabled = !canWrite || busy.has('publish');
  rpcButton.disabled = !canWrite || busy.has('rpc');
  getButton.disabled = busy.has('get');
  consumeButton.disabled = busy.has('consume') || live.consume.running;
  tailButton.disabled = !canWrite || busy.has('tail') || live.tail.running;
  for (const list of ['consume', 'tail'] as const) {
    const state = live[list];
    const changing = [...busy].some((b) => b.startsWith(`${list}-`));
    pauseButtons[list].textContent = state.paused ? l10n.t('Resume') : l10n.t('Pause');
    pauseButtons[list].disabled = !state.running || changing;
    stopButtons[list].disabled = !state.running || changing;
    liveStatus[list].textContent = !state.running ? l10n.t('stopped') : state.paused ? l10n.t('paused: {0}', state.what) : l10n.t('live: {0}', state.what);
  }
  const waiting = live.consume.running && !busy.has('consume-settle') && panes.consume.selection.some((row) => row.state === 'unacked');
  ackButton.disabled = !waiting || !canWrite;
  rejectButton.disabled = !waiting || !canWrite;
  requeueButton.disabled = !waiting;
  for (const list of LISTS) clearButtons[list].disabled = list === 'consume' ? panes.consume.length === panes.consume.count('unacked') : panes[list].length === 0;
  remember();
}

const controlsById = new Map<string, HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>();
function remember(): void {
  if (!started) return;
  const controls: Record<string, string | boolean> = {};
  for (const [id, control] of controlsById) controls[id] = control instanceof HTMLInputElement && control.type === 'checkbox' ? control.checked : control.value;
  const lists = { get: panes.get.view, consume: panes.consume.view, tail: panes.tail.view, rpc: panes.rpc.view };
  viewState.write({ tab: tabs.current, focusSeq, controls, lists });
}

function applyFocus(focus: Focus): void {
  focusSeq = focus.seq;
  const set = (fields: readonly FormField[], value: string | undefined): void => {
    if (value === undefined) return;
    for (const field of fields) {
      field.control.value = value;
      field.refresh();
    }
  };
  set([getForm.queue, consumeForm.queue], focus.queue);
  set([publishForm.exchange, tailForm.exchange, rpcForm.exchange], focus.exchange);
  set([publishForm.routingKey, rpcForm.routingKey], focus.routingKey);
  tabs.show(focus.tab);
  void suggestKeys(focus.exchange ?? '');
}

async function suggestKeys(exchange: string): Promise<void> {
  try {
    const { keys: found } = await client.request('routingKeys', { exchange });
    keys.replaceChildren(...found.map((k) => el('option', { attrs: { value: k } })));
  } catch (error) {
    panelNote.show({ ...errorNote(error, l10n.t('Routing keys are not suggested: ')), severity: 'warning' });
  }
}

const actions = (primary: HTMLButtonElement, tabName: Tab, ...rest: HTMLElement[]): HTMLElement => el('div', { className: 'actions' }, primary, ...rest, notes[tabName].element);
const form = (...fields: FormField[]): HTMLElement => el('div', { className: 'grid' }, ...fields.map((f) => f.element));
const paneOf: Record<Tab, HTMLElement> = {
  publish: el('div', {}, publishForm.element, form(repeat, mandatory), actions(publishButton, 'publish')),
  get: el('div', {}, form(...getForm.fields), questions.get, actions(getButton, 'get')),
  consume: el('div', {}, form(...consumeForm.fields), questions.consume, actions(consumeButton, 'consume', pauseButtons.consume, stopButtons.consume, liveStatus.consume)),
  tail: el('div', {}, form(...tailForm.fields), actions(tailButton, 'tail', pauseButtons.tail, stopButtons.tail, liveStatus.tail)),
  rpc: el('div', {}, rpcForm.element, form(replyVia, rpcTimeout), actions(rpcButton, 'rpc')),
};
const tabs = new TabStrip(TABS, TAB_TITLES, paneOf, l10n.t('What to do'), () => remember());

function wire(): void {
  for (const f of [publishForm, rpcForm]) f.exchange.control.addEventListener('change', () => void suggestKeys(f.exchange.control.value.trim()));
  publishButton.addEventListener('click', doPublish);
  getButton.addEventListener('click', doGet);
  consumeButton.addEventListener('click', doConsume);
  tailButton.addEventListener('click', doTail);
  rpcButton.addEventListener('click', doRpc);
  submitOnEnter(paneOf.publish, doPublish, () => !publishButton.disabled);
  submitOnEnter(paneOf.get, doGet, () => !getButton.disabled);
  submitOnEnter(paneOf.consume, doConsume, () => !consumeButton.disabled);
  submitOnEnter(paneOf.tail, doTail, () => !tailButton.disabled);
  submitOnEnter(paneOf.rpc, doRpc, () => !rpcButton.disabled);
  for (const list of ['consume', 'tail'] as const) {
    pauseButtons[list].addEventListener('click', () => liveAction(list, live[list].paused ? 'resume' : 'pause'));
    stopButtons[list].addEventListener('click', () => liveAction(list, 'stop'));
  }
  ackButton.addEventListener('click', () => settle('ack'));
  requeueButton.addEventListener('click', () => settle('requeue'));
  rejectButton.addEventListener('click', () => settle('reject'));
  for (const list of LISTS) {
    clearButtons[list].addEventListener('click', () => {
      client.command('clear', { list });
      panes[list].clear(list === 'consume' ? (row) => row.state === 'unacked' : undefined);
      update();
    });
  }
  app.addEventListener('input', () => remember());
  app.addEventListener('change', () => remember());
}

function render(state: Init<typeof rabbitProtocol>): void {
  readOnly = state.readOnly;
  live.consume = state.live.consume;
  live.tail = state.live.tail;
  for (const list of LISTS) paneOf[list].append(panes[list].element);
  app.replaceChildren(
    exchanges, queues, keys,
    el('header', {}, el('h1', { text: state.title }), readOnly ? el('span', { className: 'badge', text: l10n.t('read-only') }) : undefined),
    panelNote.element,
    ...(state.hasApi ? [] : [el('p', { className: 'help', text: l10n.t('No management API URL: queue and exchange names are not suggested, but any named queue or exchange works. Nor can Switchboard read a queue\'s delivery limit: on a quorum queue with one, each peek and each requeue counts as a delivery, and past the limit the broker drops or dead-letters the message (see its x-delivery-count header).') })]),
    tabs.element,
    ...TABS.map((t) => paneOf[t]),
  );
  app.querySelectorAll<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>('input, select, textarea').forEach((control, i) => {
    control.id ||= `control-${i}`;
    controlsById.set(control.id, control);
  });
  if (readOnly) {
    for (const b of [publishButton, rpcButton, ackButton, rejectButton, tailButton]) b.title = l10n.t('Read-only connection');
    getForm.mode.control.querySelectorAll('option').forEach((o) => (o.disabled = o.value !== 'requeue'));
    consumeForm.ackMode.control.querySelectorAll('option').forEach((o) => (o.disabled = o.value !== 'manual'));
  }
  const saved = viewState.read();
  if (saved) {
    for (const [id, value] of Object.entries(saved.controls)) {
      const control = controlsById.get(id);
      if (!control) continue;
      if (control instanceof HTMLInputElement && control.type === 'checkbox') control.checked = value === true;
      else if (typeof value === 'string') control.value = value;
    }
    for (const field of [...getForm.fields, ...consumeForm.fields, ...tailForm.fields, repeat, mandatory, replyVia, rpcTimeout]) field.refresh();
  }
  for (const list of LISTS) panes[list].load(state.lists[list].items, state.lists[list].received, state.cap, saved?.lists[list]);
  wire();
  started = true;
  if (saved && saved.focusSeq >= state.focus.seq) {
    focusSeq = saved.focusSeq;
    tabs.show(saved.tab);
  } else applyFocus(state.focus);
  update();
  void client.request('names', {}).then(
    (r) => {
      exchanges.replaceChildren(...r.exchanges.map((e) => el('option', { attrs: { value: e.name }, text: e.type })));
      queues.replaceChildren(...r.queues.map((q) => el('option', { attrs: { value: q } })));
    },
    (error: unknown) => panelNote.show(errorNote(error, l10n.t('Queue and exchange names are not suggested: '))),
  );
}

void client.ready().then(render, (error: unknown) => {
  const line = new NoteLine();
  line.show(errorNote(error, l10n.t('The panel could not be opened: ')));
  app.replaceChildren(line.element);
});
