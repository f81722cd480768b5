import '../shared/l10n';
import './main.css';
import * as l10n from '@vscode/l10n';
import * as v from 'valibot';
import { PendingRow, StreamConsumerRow, StreamGroupRow, streamProtocol } from '../../src/panels/redisStream/protocol';
import { duration as durationIn, DurationUnits } from '../../src/panels/redisStream/duration';
import type { Init } from '../../src/panels/ipc/protocol';
import { PanelClient } from '../shared/ipc';
import { vscodeTransport, ViewState } from '../shared/vscodeApi';
import { button, el } from '../shared/dom';
import { askedFirst } from '../shared/confirm';
import { countOf } from '../shared/viewFormat';
import { problemText } from '../shared/problemOf';
import { notOpened } from '../shared/problem';

/**
 * What the webview remembers while hidden: the group it showed and what was chosen in it (the pending filter, the
 * entries picked, the consumer named to give them to). The server holds the rest: it is read again on return.
 */
const chosenState = v.object({ consumer: v.string(), idle: v.string(), picked: v.array(v.string()), to: v.string() });
type Chosen = v.InferOutput<typeof chosenState>;
const viewState = new ViewState(v.object({ group: v.exactOptional(v.string()), chosen: v.exactOptional(chosenState) }));

const app = document.getElementById('app')!;
const client = new PanelClient(streamProtocol, vscodeTransport(), {});
/** Idle times with the units in the user's language (read once the bundle is loaded: '../shared/l10n' comes first). */
const UNITS: DurationUnits = { ms: l10n.t('{0} ms'), s: l10n.t('{0} s'), min: l10n.t('{0} min'), h: l10n.t('{0} h') };
const duration = (ms: number): string => durationIn(ms, UNITS);

let init: Init<typeof streamProtocol>;
let groups: readonly StreamGroupRow[] = [];
let selected: StreamGroupRow | undefined;
let consumers: readonly StreamConsumerRow[] = [];
let rows: PendingRow[] = [];
const picked = new Set<string>();

const input = (label: string, placeholder = label, type = 'text'): HTMLInputElement => el('input', { attrs: { type, placeholder, 'aria-label': label, spellcheck: 'false' } });
const cells = (...texts: string[]): HTMLElement[] => texts.map((text) => el('td', { text }));
const table = (headers: readonly string[], body: HTMLElement): HTMLTableElement => el('table', {}, el('thead', {}, el('tr', {}, ...headers.map((h) => el('th', { text: h })))), body);

/** Text the user typed, as the bytes the host is sent: UTF-8, in base64. */
function utf8(text: string): { base64: string } {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return { base64: btoa(binary) };
}

/** A consumer named by the user: one of the group's when it reads the same (its exact bytes, binary ones too), else new. */
function consumerNamed(text: string): { base64: string } {
  const known = consumers.find((c) => c.name.text === text);
  return known ? { base64: known.name.base64 } : utf8(text);
}

const status = el('span', { className: 'status', attrs: { role: 'status' } });
const outcome = el('div', { className: 'status', attrs: { role: 'status', 'aria-live': 'polite' } });
const groupsBody = el('tbody');
/** Where each change is asked about first (the host words the question and acts only on its ticket). */
const questions = el('div');
const details = el('section', { className: 'group', attrs: { 'aria-label': l10n.t('Consumer group') } });

/** Says how a write went; told after the panel has read the stream again, so nothing chosen after it is redrawn away. */
function tell(text: string, failed = false): void {
  outcome.className = `status ${failed ? 'error-text' : 'ok-text'}`;
  outcome.textContent = text;
}

/** Says a write failed, in a whole sentence of the caller's with the reason as its {0}. */
const fail = (say: (why: string) => string) => (error: unknown): void => tell(say(problemText(error)), true);

/** Disables a control on a read-only connection, saying why (the driver refuses the change anyway). */
function writes<T extends HTMLButtonElement | HTMLInputElement | HTMLSelectElement>(control: T): T {
  if (init.readOnly) {
    control.disabled = true;
    control.title = l10n.t('This connection is read-only: changes are refused.');
  }
  return control;
}

async function loadOverview(): Promise<void> {
  const overview = await client.request('overview', {});
  groups = overview.groups;
  // The group count as it always read here (no digit grouping); its two forms picked as countOf picks them.
  const groupCount = groups.length === 1 ? l10n.t('{0} consumer group', groups.length) : l10n.t('{0} consumer groups', groups.length);
  status.textContent = overview.exists ? `${countOf(overview.length, l10n.t('{0} entry'), l10n.t('{0} entries'))} · ${groupCount}` : l10n.t('The key does not exist (yet): create a group with "create the stream" to make it.');
  groupsBody.replaceChildren(...groups.map(groupRow));
  const still = selected && groups.find((g) => g.name.base64 === selected?.name.base64);
  if (still) await openGroup(still);
  else {
    selected = undefined;
    details.replaceChildren();
  }
}

function groupRow(group: StreamGroupRow): HTMLElement {
  const open = button(l10n.t('Open'), { secondary: true, label: l10n.t('Open group {0}', group.name.text) });
  open.addEventListener('click', () => void openGroup(group).catch(fail((why) => l10n.t('Not opened: {0}', why))));
  const destroy = writes(button(l10n.t('Destroy'), { secondary: true, label: l10n.t('Destroy group {0}', group.name.text) }));
  destroy.addEventListener('click', () => void askedFirst(questions, (ticket) => client.request('destroyGroup', { group: { base64: group.name.base64 }, ...ticket })).then((answer) => {
    if (!answer) return;
    return loadOverview().then(() => tell(answer.destroyed ? l10n.t('Destroyed group {0}.', group.name.text) : l10n.t('Group {0} was gone already.', group.name.text)));
  }).catch(fail((why) => l10n.t('Not destroyed: {0}', why))));
  const row = el('tr', { className: selected?.name.base64 === group.name.base64 ? 'selected' : '' },
    ...cells(group.name.text, String(group.consumers), String(group.pending), group.lastDeliveredId, group.entriesRead === undefined ? '' : String(group.entriesRead), group.lag === undefined ? '' : String(group.lag)),
    el('td', {}, el('div', { className: 'actions' }, open, destroy)));
  return row;
}

/** Opens a group; `restore`: what was chosen in it before the panel was hidden. */
async function openGroup(group: StreamGroupRow, restore?: Chosen): Promise<void> {
  selected = group;
  groupsBody.replaceChildren(...groups.map(groupRow));
  consumers = (await client.request('consumers', { group: { base64: group.name.base64 } })).consumers;
  rows = [];
  picked.clear();
  renderGroup(group);
  if (restore) {
    const consumer = consumers.findIndex((c) => c.name.base64 === restore.consumer);
    filterConsumer.value = consumer >= 0 ? String(consumer) : '';
    filterIdle.value = restore.idle;
    toConsumer.value = restore.to;
  }
  await loadPending(group);
  if (restore) {
    for (const id of restore.picked) if (rows.some((row) => row.id === id)) picked.add(id);
    pendingBody.replaceChildren(...rows.map(pendingRow));
  }
  remember();
}

/** Keeps the open group and what is chosen in it for when the panel comes back. */
function remember(): void {
  if (!selected) return;
  viewState.write({ group: selected.name.base64, chosen: { consumer: filteredConsumer()?.name.base64 ?? '', idle: filterIdle.value, picked: [...picked], to: toConsumer.value } });
}

/** The consumer whose pending entries are shown, or undefined for every consumer. */
function filteredConsumer(): StreamConsumerRow | undefined {
  return filterConsumer.value === '' ? undefined : consumers[Number(filterConsumer.value)];
}

let filterConsumer: HTMLSelectElement;
let filterIdle: HTMLInputElement;
let toConsumer: HTMLInputElement;
let pendingBody: HTMLElement;
let more: HTMLButtonElement;
/** The last ID of the pending page shown, when more may follow it. */
let nextAfter: string | undefined;

async function loadPending(group: StreamGroupRow, after?: string): Promise<void> {
  const chosen = filteredConsumer();
  const idle = Number(filterIdle.value);
  const page = await client.request('pending', {
    group: { base64: group.name.base64 },
    ...(after !== undefined ? { after } : {}),
    ...(chosen ? { consumer: { base64: chosen.name.base64 } } : {}),
    ...(filterIdle.value && Number.isFinite(idle) && idle > 0 ? { minIdleMs: Math.round(idle * 1000) } : {}),
  });
  if (after === undefined) {
    rows = [];
    picked.clear();
  }
  rows.push(...page.entries);
  pendingBody.replaceChildren(...rows.map(pendingRow));
  nextAfter = page.next;
  more.hidden = page.next === undefined;
  remember();
}

function pendingRow(entry: PendingRow): HTMLElement {
  const box = el('input', { attrs: { type: 'checkbox', 'aria-label': l10n.t('Select {0}', entry.id) } });
  box.checked = picked.has(entry.id);
  box.addEventListener('change', () => {
    if (box.checked) picked.add(entry.id);
    else picked.delete(entry.id);
    remember();
  });
  return el('tr', {}, el('td', {}, box), ...cells(entry.id, entry.consumer.text, duration(entry.idleMs), String(entry.deliveries)));
}

/** The selected entries, in the order shown, with the shortest idle time among them as shown. */
function selection(): { ids: string[]; minIdleMs: number } | undefined {
  const chosen = rows.filter((row) => picked.has(row.id));
  if (chosen.length === 0) {
    tell(l10n.t('Select pending entries first.'), true);
    return undefined;
  }
  return { ids: chosen.map((row) => row.id), minIdleMs: Math.min(...chosen.map((row) => row.idleMs)) };
}

function renderGroup(group: StreamGroupRow): void {
  const target = { base64: group.name.base64 };
  const consumersBody = el('tbody', {}, ...consumers.map((c) => el('tr', {}, ...cells(c.name.text, String(c.pending), duration(c.idleMs), c.inactiveMs === undefined ? '' : c.inactiveMs < 0 ? l10n.t('never read') : duration(c.inactiveMs)))));
  filterConsumer = el('select', { attrs: { 'aria-label': l10n.t('Pending entries of') } }, el('option', { text: l10n.t('every consumer'), attrs: { value: '' } }), ...consumers.map((c, i) => el('option', { text: c.name.text, attrs: { value: String(i) } })));
  filterIdle = input(l10n.t('Idle for at least (seconds)'), l10n.t('idle ≥ seconds'), 'number');
  const show = button(l10n.t('Show'), { secondary: true, label: l10n.t('Show pending entries') });
  show.addEventListener('click', () => void loadPending(group).catch(fail((why) => l10n.t('Not loaded: {0}', why))));
  pendingBody = el('tbody');
  more = button(l10n.t('Load more'), { secondary: true, label: l10n.t('Load more pending entries') });
  more.hidden = true;
  more.addEventListener('click', () => nextAfter !== undefined && void loadPending(group, nextAfter).catch(fail((why) => l10n.t('Not loaded: {0}', why))));
  const all = el('input', { attrs: { type: 'checkbox', 'aria-label': l10n.t('Select all shown') } });
  all.addEventListener('change', () => {
    for (const row of rows) (all.checked ? picked.add(row.id) : picked.delete(row.id));
    pendingBody.replaceChildren(...rows.map(pendingRow));
    remember();
  });
  const names = el('datalist', { attrs: { id: 'consumer-names' } }, ...consumers.map((c) => el('option', { attrs: { value: c.name.text } })));
  const to = (toConsumer = writes(input(l10n.t('Consumer to give entries to'), l10n.t('to consumer'))));
  to.setAttribute('list', 'consumer-names');
  to.addEventListener('input', remember);
  const ack = writes(button(l10n.t('Acknowledge selected'), { secondary: true }));
  ack.addEventListener('click', () => {
    const chosen = selection();
    if (!chosen) return;
    void askedFirst(questions, (ticket) => client.request('ack', { group: target, ids: chosen.ids, ...ticket })).then((answer) => {
      if (!answer) return;
      const { acked } = answer;
      return loadOverview().then(() => tell(acked === chosen.ids.length ? l10n.t('Acknowledged {0} of {1}.', acked, chosen.ids.length) : l10n.t('Acknowledged {0} of {1} (the others were no longer pending).', acked ?? 0, chosen.ids.length)));
    }).catch(fail((why) => l10n.t('Not acknowledged: {0}', why)));
  });
  const claim = writes(button(l10n.t('Claim selected'), { secondary: true }));
  claim.addEventListener('click', () => {
    const chosen = selection();
    if (!chosen) return;
    if (!to.value) return tell(l10n.t('Name the consumer to give the entries to.'), true);
    void askedFirst(questions, (ticket) => client.request('claim', { group: target, consumer: consumerNamed(to.value), minIdleMs: chosen.minIdleMs, ids: chosen.ids, ...ticket })).then((answer) => {
      if (!answer) return;
      const { claimed, left } = answer;
      return loadOverview().then(() => tell(!left?.length ? l10n.t('Claimed {0} for {1}.', claimed?.length ?? 0, to.value)
        : left.length === 1 ? l10n.t('Claimed {0} for {1}; {2} stayed where it was (read again, claimed or acknowledged meanwhile): {3}.', claimed?.length ?? 0, to.value, left.length, left.slice(0, 5).join(', '))
          : l10n.t('Claimed {0} for {1}; {2} stayed where they were (read again, claimed or acknowledged meanwhile): {3}.', claimed?.length ?? 0, to.value, left.length, left.slice(0, 5).join(', '))));
    }).catch(fail((why) => l10n.t('Not claimed: {0}', why)));
  });
  const autoIdle = writes(input(l10n.t('Idle for at least (seconds) to claim'), l10n.t('idle ≥ s'), 'number'));
  const autoCount = writes(input(l10n.t('How many at most'), l10n.t('at most'), 'number'));
  autoCount.value = '100';
  const autoClaim = writes(button(l10n.t('Claim idle entries'), { secondary: true }));
  autoClaim.addEventListener('click', () => {
    if (!to.value) return tell(l10n.t('Name the consumer to give the entries to.'), true);
    const idle = Number(autoIdle.value || '0');
    const count = Number(autoCount.value);
    if (!Number.isFinite(idle) || idle < 0 || !Number.isInteger(count) || count < 1 || count > 10_000) return tell(l10n.t('Give an idle time in seconds from 0 and a count from 1 to 10,000.'), true);
    void askedFirst(questions, (ticket) => client.request('autoClaim', { group: target, consumer: consumerNamed(to.value), minIdleMs: Math.round(idle * 1000), count, ...ticket })).then((answer) => {
      if (!answer) return;
      const { claimed, deleted } = answer;
      return loadOverview().then(() => tell(!deleted?.length ? l10n.t('Claimed {0} for {1}.', claimed?.length ?? 0, to.value)
        : deleted.length === 1 ? l10n.t('Claimed {0} for {1}; {2} pending entry whose data was deleted left the pending list.', claimed?.length ?? 0, to.value, deleted.length)
          : l10n.t('Claimed {0} for {1}; {2} pending entries whose data was deleted left the pending list.', claimed?.length ?? 0, to.value, deleted.length)));
    }).catch(fail((why) => l10n.t('Not claimed: {0}', why)));
  });
  details.replaceChildren(
    el('h2', { text: l10n.t('Group {0}', group.name.text) }),
    el('p', { className: 'help', text: l10n.t('{0} pending · last delivered {1}', group.pending.toLocaleString(), group.lastDeliveredId) }),
    table([l10n.t('Consumer'), l10n.t('Pending'), l10n.t('Idle'), l10n.t('Inactive')], consumersBody),
    el('h3', { text: l10n.t('Pending entries') }),
    el('div', { className: 'toolbar' }, filterConsumer, filterIdle, show),
    el('table', {}, el('thead', {}, el('tr', {}, el('th', {}, all), ...[l10n.t('ID'), l10n.t('Consumer'), l10n.t('Idle'), l10n.t('Deliveries')].map((h) => el('th', { text: h })))), pendingBody),
    more,
    el('div', { className: 'actions' }, el('span', { className: 'help', text: l10n.t('Selected entries:') }), ack, to, names, claim),
    el('div', { className: 'actions' }, el('span', { className: 'help', text: l10n.t('Or any idle ones, for the consumer named above:') }), autoIdle, el('span', { className: 'help', text: l10n.t('at most') }), autoCount, autoClaim),
  );
}

function createForm(): HTMLElement {
  const name = writes(input(l10n.t('New group name'), l10n.t('new group')));
  const start = writes(el('select', { attrs: { 'aria-label': l10n.t('The group starts') } },
    el('option', { text: l10n.t('at the end ($): new entries only'), attrs: { value: '$' } }),
    el('option', { text: l10n.t('at the beginning (0): every entry'), attrs: { value: '0' } }),
    el('option', { text: l10n.t('after the entry ID…'), attrs: { value: 'id' } })));
  const id = writes(input(l10n.t('Start after entry ID'), l10n.t('entry ID, e.g. 1700000000000-0')));
  id.hidden = true;
  start.addEventListener('change', () => (id.hidden = start.value !== 'id'));
  const mkstream = writes(el('input', { attrs: { type: 'checkbox', 'aria-label': l10n.t('Create the stream if it does not exist (MKSTREAM)') } }));
  const create = writes(button(l10n.t('Create group')));
  create.addEventListener('click', () => {
    if (!name.value) return tell(l10n.t('Name the new group.'), true);
    void askedFirst(questions, (ticket) => client.request('createGroup', { group: name.value, start: start.value === 'id' ? id.value : start.value, mkstream: mkstream.checked, ...ticket })).then((answer) => {
      if (!answer) return;
      tell(l10n.t('Created group {0}.', name.value));
      name.value = '';
      return loadOverview();
    }).catch(fail((why) => l10n.t('Not created: {0}', why)));
  });
  return el('div', { className: 'actions' }, name, start, id, el('label', { className: 'inline' }, mkstream, document.createTextNode(` ${l10n.t('create the stream (MKSTREAM)')}`)), create);
}

/** What a trim removed ("Trimmed 3 entries."), and how many were counted when others removed some meanwhile. */
function trimmed(removed: number, counted: number | undefined): string {
  if (counted === undefined) return removed === 1 ? l10n.t('Trimmed {0} entry.', removed) : l10n.t('Trimmed {0} entries.', removed);
  return removed === 1 ? l10n.t('Trimmed {0} entry ({1} were counted; others removed some meanwhile).', removed, counted)
    : l10n.t('Trimmed {0} entries ({1} were counted; others removed some meanwhile).', removed, counted);
}

function trimForm(): HTMLElement {
  const kind = writes(el('select', { attrs: { 'aria-label': l10n.t('Trim by') } },
    el('option', { text: l10n.t('keep the newest (MAXLEN)'), attrs: { value: 'maxlen' } }),
    el('option', { text: l10n.t('keep from entry ID (MINID)'), attrs: { value: 'minid' } })));
  const value = writes(input(l10n.t('Trim to'), l10n.t('entries to keep, or an entry ID')));
  const trim = writes(button(l10n.t('Trim…'), { secondary: true, label: l10n.t('Trim the stream') }));
  trim.addEventListener('click', () => {
    const count = Number(value.value);
    if (kind.value === 'maxlen' && (!value.value || !Number.isInteger(count) || count < 0)) return tell(l10n.t('MAXLEN keeps a whole number of entries from 0.'), true);
    const rule = kind.value === 'maxlen' ? { kind: 'maxlen' as const, count } : { kind: 'minid' as const, id: value.value };
    void askedFirst(questions, (ticket) => client.request('trim', { rule, ...ticket })).then((answer) => {
      if (!answer || answer.cancelled) return;
      const { removed, planned } = answer;
      return loadOverview().then(() => tell(removed === 0 && planned === 0 ? l10n.t('Nothing to trim: no entry is outside what is kept.') : trimmed(removed ?? 0, removed === planned ? undefined : planned ?? 0)));
    }).catch(fail((why) => l10n.t('Not trimmed: {0}', why)));
  });
  return el('div', { className: 'actions' }, kind, value, trim);
}

async function start(state: Init<typeof streamProtocol>): Promise<void> {
  init = state;
  const refresh = button(l10n.t('Refresh'), { secondary: true, label: l10n.t('Refresh the groups') });
  refresh.addEventListener('click', () => void loadOverview().catch(fail((why) => l10n.t('Not refreshed: {0}', why))));
  app.replaceChildren(
    el('header', {}, el('h1', { text: `${state.name} db${state.db}: ${state.key}` }), status, refresh),
    outcome,
    questions,
    el('h3', { text: l10n.t('Consumer groups') }),
    table([l10n.t('Group'), l10n.t('Consumers'), l10n.t('Pending'), l10n.t('Last delivered'), l10n.t('Read'), l10n.t('Lag'), ''], groupsBody),
    createForm(),
    el('h3', { text: l10n.t('Trim') }),
    trimForm(),
    details,
  );
  const saved = viewState.read();
  await loadOverview();
  const again = saved?.group === undefined ? undefined : groups.find((g) => g.name.base64 === saved.group);
  if (again && !selected) await openGroup(again, saved?.chosen);
}

void client.ready().then(start).catch((error: unknown) => notOpened(app, error));
