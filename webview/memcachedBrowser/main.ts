import '../shared/l10n';
import './main.css';
import * as v from 'valibot';
import type { Init } from '../../src/panels/ipc/protocol';
import { browserProtocol, GroupCounts, ItemDetails, KeyRow, ListingState, ViewFilter, ViewState as HostView } from '../../src/panels/memcachedBrowser/protocol';
import { PanelClient } from '../shared/ipc';
import { vscodeTransport, ViewState } from '../shared/vscodeApi';
import { el, fillRow, iconButton } from '../shared/dom';
import { errorNote, NoteLine } from '../shared/fieldNotes';
import { VirtualList } from '../shared/virtualList';
import { WindowCache } from '../shared/windowCache';
import { countOf, expiresIn, humanDuration } from '../shared/viewFormat';
import { ValuePane } from './valuePane';
import { newItemForm } from './newItem';
import { askedFirst } from '../shared/confirm';
import * as l10n from '@vscode/l10n';

/** What the webview remembers while hidden; the listing and the filter are the host's. */
const viewState = new ViewState(v.object({
  viewId: v.number(),
  selected: v.array(v.number()),
  focused: v.number(),
  position: v.number(),
  open: v.exactOptional(v.object({ key: v.string(), server: v.string(), index: v.number() })),
  draft: v.exactOptional(v.string()),
  formatted: v.boolean(),
}));

const app = document.getElementById('app')!;
const COLUMNS: readonly (readonly [string, string])[] = [
  [l10n.t('Key'), l10n.t('The key')], [l10n.t('Server'), l10n.t('The server that holds it')], [l10n.t('Item size'), l10n.t('Bytes the item takes on the server: key, value and header')],
  [l10n.t('Expires'), l10n.t('When it expires')], [l10n.t('Last access'), l10n.t('When it was last read or written')], [l10n.t('Slab'), l10n.t('The slab class it is stored in')],
];
const NO_PREFIX = '\u0001';
let servers: readonly string[] = [];
let readOnly = false;
let listing: ListingState | undefined;
let view: HostView = { id: 0, count: 0, filter: { text: '' } };
let total = 0;
let opened: { key: string; server: string; index: number } | undefined;
const confirmSlot = el('div', { className: 'confirm-slot' });

const status = el('span', { className: 'status', attrs: { role: 'status' } });
const refresh = iconButton('refresh', l10n.t('Refresh'), { secondary: true });
const cancel = iconButton('debug-stop', l10n.t('Cancel'), { secondary: true });
const create = iconButton('add', l10n.t('New Item'), { secondary: true });
const remove = iconButton('trash', l10n.t('Delete Selected'), { secondary: true });
const search = el('input', { attrs: { type: 'search', placeholder: l10n.t('Filter keys'), 'aria-label': l10n.t('Filter keys (substring, any case)'), spellcheck: 'false' } });
const groupSelect = el('select', { attrs: { 'aria-label': l10n.t('Group by prefix') } });
const notice = new NoteLine('note notice');
const problem = new NoteLine();

const client = new PanelClient(browserProtocol, vscodeTransport(), {
  listing: (state) => showListing(state),
  view: (state) => showView(state),
  groups: (groups) => showGroups(groups),
});

const cache = new WindowCache<KeyRow>({
  fetch: async (viewId, start, count) => (await client.request('window', { view: viewId, start, count })).rows,
  loaded: () => list.refresh(),
  failed: (error) => problem.show(errorNote(error, l10n.t('Rows not shown: '))),
});

const fmtAccess = (unix: number | undefined): string => (unix === undefined || unix <= 0 ? '' : l10n.t('{0} ago', humanDuration(Math.max(0, Date.now() / 1000 - unix))));
const list = new VirtualList({
  rowHeight: 22,
  label: l10n.t('Keys'),
  render(row, index) {
    const item = cache.row(index);
    if (!item) return fillRow(row, ['…', '', '', '', '', '']);
    fillRow(row, [item.key, servers[item.server] ?? '?', item.size.toLocaleString('en-US'), expiresIn(item.expiry, Date.now()), fmtAccess(item.lastAccess), item.slabClass === undefined ? '' : String(item.slabClass)]);
  },
  onActivate: (index) => void openAt(index),
  onSelectionChange: (_selected, focused) => {
    remember();
    update();
    void openAt(focused);
  },
});

const pane: ValuePane = new ValuePane({
  save: async (item, text) => client.request('save', { target: target(item), cas: item.cas, flags: item.flags, text }),
  counter: async (item, op) => (await client.request('counter', { target: target(item), op, delta: '1' })).item,
  touch: async (item, ttl) => (await client.request('touch', { target: target(item), ttl })).item,
  // The host words the question from the item it reads, and deletes only with that question's ticket.
  delete: async (item): Promise<{ deleted: number; cancelled: boolean }> => {
    const answer = await askedFirst(pane.element, (ticket) => client.request('deleteItem', { ...target(item), ...ticket }));
    return answer ?? { deleted: 0, cancelled: true };
  },
  decode: async (item, choice) => (await client.request('decoded', { target: target(item), choice })).decoded,
  saveDecoded: async (item, choice, text, expected) => (await client.request('saveDecoded', { target: target(item), cas: item.cas, choice, text, expected })).result,
  reread: async (item) => (await client.request('get', target(item))).item,
  edited: () => remember(),
});

function target(item: ItemDetails): { key: string; server: string; index?: number } {
  return opened && opened.key === item.key && opened.server === item.server ? { ...opened } : { key: item.key, server: item.server };
}

async function openAt(index: number): Promise<void> {
  const row = index >= 0 ? await cache.get(index) : undefined;
  if (!row) return;
  await open({ key: row.key, server: servers[row.server] ?? '', index: row.index });
}

async function open(which: { key: string; server: string; index: number }, draft?: string, formatted?: boolean): Promise<void> {
  opened = which;
  pane.loading(which.key);
  try {
    const { item } = await client.request('get', which);
    if (opened !== which) return;
    if (!item) pane.gone(which.key, 'sinceListing');
    else pane.show(item, { ...(draft !== undefined ? { draft } : {}), ...(formatted !== undefined ? { formatted } : {}) });
  } catch (error) {
    if (opened === which) pane.failed(error);
  }
  remember();
}

/** Selects the open item's row again in a new view (another filter, a new listing), if it is in it. */
async function reselectOpened(): Promise<void> {
  const which = opened;
  if (!which) return;
  try {
    const { view: id, position } = await client.request('locate', which);
    if (id !== view.id || which !== opened || position < 0) return;
    list.restoreSelection([position], position, true);
    remember();
    update();
  } catch {
    // Only a convenience: the row stays unselected.
  }
}

function showListing(state: ListingState): void {
  const finished = listing?.running === true && !state.running;
  listing = state;
  if (finished) void reselectOpened();
  total = state.keys;
  const lines: string[] = [];
  const partial = state.servers.filter((s) => s.method === 'cachedump').map((s) => s.server);
  const short = state.servers.filter((s) => !s.capped && s.serverItems !== undefined && s.serverItems > s.listed);
  if (state.cancelled) lines.push(l10n.t('Listing cancelled: the list is partial.'));
  if (partial.length) lines.push(l10n.t('{0}: listed with stats cachedump, which may leave keys out (lru_crawler is unavailable there).', partial.join(', ')));
  if (state.servers.some((s) => s.capped)) lines.push(l10n.t('Stopped at the listing cap (switchboard.memcached.listCap).'));
  for (const s of short) lines.push(countOf(s.serverItems ?? 0, l10n.t('{1} counts {0} item, but {2} were listed.'), l10n.t('{1} counts {0} items, but {2} were listed.'), s.server, s.listed.toLocaleString('en-US')));
  if (short.length) lines.push(l10n.t('Memcached leaves out of a listing the items it is moving between its LRU segments at that moment (keys read just before), and counts expired or flushed items until it reclaims them; items may also have arrived meanwhile.'));
  if (state.error) notice.show({ severity: 'error', text: l10n.t('Listing failed: {0}', state.error.message), ...(state.error.code ? { code: state.error.code } : {}), ...(state.error.hint ? { hint: state.error.hint } : {}) });
  else notice.show(lines.length ? { severity: 'warning', text: lines.join(' ') } : undefined);
  update();
}

function showView(state: HostView): void {
  const replaced = state.id !== view.id;
  view = state;
  cache.reset(state.id, state.count);
  list.setCount(state.count, replaced);
  if (replaced) list.refresh();
  update();
}

function showGroups(counts: GroupCounts): void {
  const current = groupSelect.value;
  const shorten = (name: string): string => (name.length > 40 ? `${name.slice(0, 24)}…${name.slice(-12)}` : name);
  const option = (value: string, text: string, title?: string): HTMLOptionElement => el('option', { text, attrs: { value, ...(title ? { title } : {}) } });
  groupSelect.replaceChildren(
    option('', l10n.t('All keys ({0})', total.toLocaleString('en-US'))),
    ...counts.groups.map((g) => option(`g:${g.name}`, `${shorten(g.name)} (${g.count.toLocaleString('en-US')})`, g.name)),
    ...(counts.ungrouped ? [option(NO_PREFIX, l10n.t('No prefix ({0})', counts.ungrouped.toLocaleString('en-US')))] : []),
  );
  const stillThere = [...groupSelect.options].some((o) => o.value === current);
  if (!stillThere && current) groupSelect.append(option(current, current === NO_PREFIX ? l10n.t('No prefix ({0})', '0') : `${shorten(current.slice(2))} (0)`));
  groupSelect.value = current;
}

function currentFilter(): ViewFilter {
  const chosen = groupSelect.value;
  const text = search.value.trim();
  return chosen === '' ? { text } : { text, group: chosen === NO_PREFIX ? null : chosen.slice(2) };
}

function groupValue(filter: ViewFilter): string {
  return filter.group === undefined ? '' : filter.group === null ? NO_PREFIX : `g:${filter.group}`;
}

async function applyFilter(): Promise<void> {
  try {
    showView(await client.request('filter', currentFilter()));
    problem.show(undefined);
    void reselectOpened();
  } catch (error) {
    problem.show(errorNote(error, l10n.t('Not filtered: ')));
  }
  remember();
}

function update(): void {
  const running = listing?.running ?? false;
  const of = view.count === total && !view.filter.text && view.filter.group === undefined
    ? countOf(total, l10n.t('{0} key'), l10n.t('{0} keys'))
    : countOf(total, l10n.t('{1} of {0} key'), l10n.t('{1} of {0} keys'), view.count.toLocaleString('en-US'));
  const done = listing && !running && !listing.error ? l10n.t('done in {0} s', (listing.elapsedMs / 1000).toFixed(1)) : '';
  status.textContent = [of, running ? l10n.t('listing…') : done].filter((part) => part !== '').join(' · ');
  cancel.disabled = !running;
  create.disabled = readOnly;
  remove.disabled = readOnly || list.selection().length === 0;
}

function remember(): void {
  const [focused = -1] = list.selection().slice(-1);
  viewState.write({
    viewId: view.id, selected: list.selection().slice(0, 10_000), focused, position: list.position,
    ...(opened ? { open: opened } : {}), ...(pane.draft !== undefined ? { draft: pane.draft } : {}), formatted: pane.showsFormatted,
  });
}

/** The selection as ranges of positions, [start, end), however many keys it holds. */
function ranges(selected: readonly number[]): [number, number][] {
  const out: [number, number][] = [];
  for (const i of selected) {
    const last = out.at(-1);
    if (last && last[1] === i) last[1] = i + 1;
    else out.push([i, i + 1]);
  }
  return out;
}

/** What a delete did: how many keys it deleted (of how many asked, when Cancel stopped it) and how many were gone. */
function deletedText(deleted: number, removed: number, asked?: number): string {
  const gone = (removed - deleted).toLocaleString('en-US');
  const done = deleted.toLocaleString('en-US');
  if (asked !== undefined) {
    return removed > deleted
      ? countOf(asked, l10n.t('Deleted {1} of {0} key before Cancel; {2} were already gone.'), l10n.t('Deleted {1} of {0} keys before Cancel; {2} were already gone.'), done, gone)
      : countOf(asked, l10n.t('Deleted {1} of {0} key before Cancel.'), l10n.t('Deleted {1} of {0} keys before Cancel.'), done);
  }
  return removed > deleted
    ? countOf(deleted, l10n.t('Deleted {0} key; {1} were already gone.'), l10n.t('Deleted {0} keys; {1} were already gone.'), gone)
    : countOf(deleted, l10n.t('Deleted {0} key.'), l10n.t('Deleted {0} keys.'));
}

async function deleteSelected(): Promise<void> {
  const selected = list.selection();
  if (selected.length === 0 || readOnly) return;
  remove.disabled = true;
  try {
    const which = { view: view.id, ranges: ranges(selected) };
    // The host names and counts the keys in its question, and deletes exactly those with the question's ticket.
    const answer = await askedFirst(confirmSlot, (ticket) => client.request('delete', { ...which, ...ticket }));
    if (!answer) return;
    const { deleted, asked, removed, cancelled } = answer;
    if (removed === 0) problem.show(undefined);
    else if (cancelled) problem.show({ severity: 'warning', text: deletedText(deleted, removed, asked) });
    else problem.show({ severity: 'ok', text: deletedText(deleted, removed) });
    // The open item may have been among them: show what the server holds now.
    if (opened) void open(opened);
  } catch (error) {
    problem.show(errorNote(error, l10n.t('Not deleted: ')));
  } finally {
    update();
  }
}

function render(state: Init<typeof browserProtocol>): void {
  servers = state.servers;
  readOnly = state.readOnly;
  pane.readOnly = readOnly;
  total = state.listing.keys;
  search.value = state.view.filter.text;
  showGroups(state.groups);
  groupSelect.value = groupValue(state.view.filter);
  refresh.addEventListener('click', () => client.command('list', {}));
  cancel.addEventListener('click', () => client.command('cancelList', {}));
  create.addEventListener('click', () => {
    opened = undefined;
    pane.element.replaceChildren(newItemForm((item) => client.request('create', item)));
    pane.element.querySelector('input')?.focus();
  });
  remove.addEventListener('click', () => void deleteSelected());
  list.element.addEventListener('keydown', (event) => {
    if (event.key === 'Delete') {
      event.preventDefault();
      void deleteSelected();
    }
  });
  let timer = 0;
  search.addEventListener('input', () => {
    clearTimeout(timer);
    timer = window.setTimeout(() => void applyFilter(), 150);
  });
  search.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter') return;
    clearTimeout(timer);
    void applyFilter();
  });
  groupSelect.addEventListener('change', () => void applyFilter());
  list.element.addEventListener('scroll', () => remember());
  const header = el('div', { className: 'columns', attrs: { 'aria-hidden': 'true' } }, ...COLUMNS.map(([t, title], i) => el('span', { className: `cell c${i}`, text: t, attrs: { title } })));
  app.replaceChildren(
    el('header', {}, el('h1', { text: readOnly ? l10n.t('{0} (read-only)', state.name) : state.name }), status),
    el('div', { className: 'toolbar' }, search, groupSelect, el('span', { className: 'buttons' }, refresh, cancel, create, remove)),
    notice.element,
    problem.element,
    confirmSlot,
    el('div', { className: 'table' }, header, list.element),
    pane.element,
  );
  const saved = viewState.read();
  view = { id: -1, count: 0, filter: state.view.filter };
  showView(state.view);
  showListing(state.listing);
  if (saved && saved.viewId === state.view.id) {
    list.restoreSelection(saved.selected, saved.focused);
    list.moveTo(saved.position);
  }
  if (saved?.open) {
    // A listing made since moved every key: the open one is found again by name, once it has been read again. A
    // listing can leave out a key read just before (Memcached skips items moving between its LRU segments); the
    // read puts it back in the listing, so looking for it before the read's reply could miss it.
    const reopened = open(saved.open, saved.draft, saved.formatted);
    if (saved.viewId !== state.view.id) void reopened.then(reselectOpened);
  }
  update();
}

void client.ready().then(render, (error: unknown) => {
  const line = new NoteLine();
  line.show(errorNote(error, l10n.t('The panel could not be opened: ')));
  app.replaceChildren(line.element);
});
