import './main.css';
import type { BrowserRequest, BrowserResponses, ItemDetails, KeyRow, ToBrowser, ToHost } from '../../src/panels/memcachedBrowser/protocol';
import { Messenger } from '../shared/messenger';
import { el, fillRow, shownText } from '../shared/dom';
import { VirtualList } from '../shared/virtualList';
import { PrefixGroups } from '../shared/prefixGroups';

interface State {
  search: string;
  prefix: string;
}

const app = document.getElementById('app')!;
let servers: readonly string[] = [];
let readOnly = false;
const rows: KeyRow[] = [];
let filtered: number[] = [];
let listing = false;

const messenger = new Messenger<ToHost, ToBrowser, State>(onMessage);
function ask<T extends BrowserRequest['type']>(request: Extract<BrowserRequest, { type: T }>): Promise<BrowserResponses[T]> {
  return messenger.request<BrowserResponses[T]>((id) => ({ type: 'request', id, request }));
}

const status = el('span', { className: 'status', attrs: { role: 'status' } });
const refresh = el('button', { text: 'Refresh', attrs: { type: 'button', title: 'List the keys again' } });
const cancel = el('button', { className: 'secondary', text: 'Cancel', attrs: { type: 'button' } });
const create = el('button', { className: 'secondary', text: 'New Item', attrs: { type: 'button' } });
const remove = el('button', { className: 'secondary', text: 'Delete Selected', attrs: { type: 'button' } });
const search = el('input', { attrs: { type: 'search', placeholder: 'Filter keys (substring)', 'aria-label': 'Filter keys', spellcheck: 'false' } });
const groups = new PrefixGroups(':', 'Group by prefix', (p, n) => `${p} (${n})`);
const prefixSelect = groups.select;
const notice = el('div', { className: 'notice', attrs: { role: 'note' } });
const details = el('section', { className: 'details', attrs: { 'aria-label': 'Value' } });

const fmtTime = (unix: number | undefined): string => (unix === undefined || unix <= 0 ? '' : new Date(unix * 1000).toISOString().replace('T', ' ').slice(0, 19));
const fmtExpiry = (unix: number): string => (unix < 0 ? 'never' : fmtTime(unix));

const list = new VirtualList({
  rowHeight: 22,
  label: 'Keys',
  render(row, index) {
    const item = rows[filtered[index]!]!;
    const cells = [item.key, servers[item.server] ?? '?', String(item.size), fmtExpiry(item.expiry), fmtTime(item.lastAccess), item.slabClass === undefined ? '' : String(item.slabClass)];
    fillRow(row, cells);
  },
  onActivate: (index) => void open(rows[filtered[index]!]!),
  onSelectionChange: (_selected, focused) => {
    const item = rows[filtered[focused]!];
    if (item) void open(item);
  },
});

function matches(row: KeyRow, text: string, prefix: string): boolean {
  return (!text || row.key.toLowerCase().includes(text)) && (!prefix || groups.of(row.key) === prefix);
}

function refilter(): void {
  const text = search.value.trim().toLowerCase();
  const prefix = prefixSelect.value;
  filtered = [];
  for (let i = 0; i < rows.length; i++) if (matches(rows[i]!, text, prefix)) filtered.push(i);
  list.setCount(filtered.length, true);
  messenger.state = { search: search.value, prefix };
  updateStatus();
}

function updateStatus(extra = ''): void {
  const shown = filtered.length === rows.length ? `${rows.length.toLocaleString()} keys` : `${filtered.length.toLocaleString()} of ${rows.length.toLocaleString()} keys`;
  status.textContent = `${shown}${listing ? ' · listing…' : ''}${extra ? ` · ${extra}` : ''}`;
  cancel.disabled = !listing;
  remove.disabled = readOnly;
  create.disabled = readOnly;
}

function onMessage(message: ToBrowser): void {
  if (message.type === 'init') {
    servers = message.servers;
    readOnly = message.readOnly;
    const saved = messenger.state;
    if (saved) search.value = saved.search;
    render(message.name);
    void startListing();
  } else if (message.type === 'keys') {
    const text = search.value.trim().toLowerCase();
    const prefix = prefixSelect.value;
    for (const row of message.rows) {
      const index = rows.push(row) - 1;
      groups.add(row.key, () => rows.length);
      if (matches(row, text, prefix)) filtered.push(index);
    }
    list.setCount(filtered.length);
    updateStatus();
  } else if (message.type === 'listDone') {
    listing = false;
    groups.render(rows.length);
    const partial = message.servers.filter((s) => s.method === 'cachedump').map((s) => s.server);
    const capped = message.servers.some((s) => s.capped);
    const lines = [
      message.error ? `Listing failed: ${message.error}` : '',
      message.cancelled ? 'Listing cancelled: the list is partial.' : '',
      partial.length ? `${partial.join(', ')}: listed with stats cachedump, which may leave keys out (lru_crawler is unavailable there).` : '',
      capped ? 'Stopped at the listing cap (switchboard.memcached.listCap).' : '',
    ].filter(Boolean);
    notice.textContent = lines.join(' ');
    notice.hidden = lines.length === 0;
    updateStatus(`${(message.elapsedMs / 1000).toFixed(1)} s`);
  }
}

async function startListing(): Promise<void> {
  rows.length = 0;
  filtered = [];
  groups.clear();
  list.setCount(0, true);
  notice.hidden = true;
  listing = true;
  updateStatus();
  await ask({ type: 'list' });
}

function field(label: string, value: string): HTMLElement {
  return el('div', { className: 'field' }, el('span', { className: 'label', text: label }), el('span', { className: 'value', text: value }));
}

async function open(row: KeyRow, flash?: { text: string; ok: boolean }): Promise<void> {
  const server = servers[row.server] ?? '';
  details.replaceChildren(el('p', { className: 'help', text: `Reading ${row.key}…` }));
  const { item, error } = await ask({ type: 'get', key: row.key, server });
  if (error) return void details.replaceChildren(el('p', { className: 'error-text', text: error }));
  if (!item) return void details.replaceChildren(el('p', { className: 'help', text: `${row.key} is gone: it expired, was evicted or deleted since the listing.` }));
  showItem(item, flash);
}

function showItem(item: ItemDetails, flash?: { text: string; ok: boolean }): void {
  const message = el('div', { className: `status ${flash ? (flash.ok ? 'ok-text' : 'error-text') : ''}`, text: flash?.text ?? '', attrs: { role: 'status' } });
  const value = el('textarea', { attrs: { 'aria-label': 'Value', spellcheck: 'false' } });
  value.value = item.display;
  value.readOnly = readOnly || !item.editable;
  const actions = el('div', { className: 'actions' });
  const button = (text: string, onClick: () => Promise<void>, secondary = true): HTMLButtonElement => {
    const b = el('button', { className: secondary ? 'secondary' : '', text, attrs: { type: 'button' } });
    b.addEventListener('click', () => void onClick());
    actions.append(b);
    return b;
  };
  if (!readOnly && item.editable) {
    button('Save', async () => {
      let text = value.value;
      if (item.format === 'json') {
        // JSON is shown indented and stored compact again; what does not parse is not stored.
        try {
          text = JSON.stringify(JSON.parse(text));
        } catch (error) {
          message.className = 'status error-text';
          message.textContent = `Not saved: this value was JSON and the text is no longer valid JSON (${error instanceof Error ? error.message : String(error)}).`;
          return;
        }
      }
      const { result, error } = await ask({ type: 'save', key: item.key, server: item.server, cas: item.cas, flags: item.flags, text });
      if (result === 'saved') return open({ key: item.key, server: servers.indexOf(item.server), size: 0, expiry: -1 }, { text: 'Saved (cas matched).', ok: true });
      message.className = 'status error-text';
      message.textContent = error ?? (result === 'conflict' ? 'Not saved: someone changed this value since you opened it. Reopen it to see their version.' : 'Not saved: the key was deleted meanwhile.');
    }, false);
  }
  if (!readOnly && item.format === 'integer') {
    for (const op of ['incr', 'decr'] as const) {
      button(op === 'incr' ? '+1' : '−1', async () => {
        const { value: next, error } = await ask({ type: 'counter', key: item.key, server: item.server, op, delta: '1' });
        if (next !== undefined) value.value = next;
        message.textContent = error ?? '';
      });
    }
  }
  if (!readOnly) {
    const ttl = el('input', { attrs: { type: 'number', min: '0', placeholder: 'TTL s', 'aria-label': 'New TTL in seconds' } });
    actions.append(ttl);
    button('Touch', async () => {
      const { touched, error } = await ask({ type: 'touch', key: item.key, server: item.server, ttl: Number(ttl.value || 0) });
      message.textContent = error ?? (touched ? `Expiry set to ${ttl.value || 0} s from now (0 = never).` : 'The key is gone.');
    });
    button('Delete', async () => {
      const { deleted, cancelled, error } = await ask({ type: 'delete', items: [{ key: item.key, server: item.server }] });
      if (cancelled) return;
      message.textContent = error ?? (deleted ? 'Deleted.' : 'It was already gone.');
    });
  }
  details.replaceChildren(
    el('h2', { className: 'key-name', text: item.key, attrs: { title: shownText(item.key) } }),
    el('div', { className: 'fields' },
      field('Server', item.server),
      item.mappedServer !== item.server ? field('Mapped server', `${item.mappedServer} (this key was placed by another mapping)`) : undefined,
      field('Flags', String(item.flags)),
      field('Size', `${item.size} bytes`),
      field('CAS', item.cas),
      field('Read as', item.note)),
    value,
    actions,
    message,
  );
}

function newItemForm(): void {
  const key = el('input', { attrs: { type: 'text', 'aria-label': 'Key', placeholder: 'key', spellcheck: 'false' } });
  const value = el('textarea', { attrs: { 'aria-label': 'Value', placeholder: 'value' } });
  const flags = el('input', { attrs: { type: 'number', min: '0', value: '0', 'aria-label': 'Flags' } });
  const ttl = el('input', { attrs: { type: 'number', min: '0', value: '0', 'aria-label': 'TTL in seconds (0 = never)' } });
  const mode = el('select', { attrs: { 'aria-label': 'Mode' } }, el('option', { text: 'set (create or overwrite)', attrs: { value: 'set' } }), el('option', { text: 'add (only if absent)', attrs: { value: 'add' } }));
  const message = el('div', { className: 'status', attrs: { role: 'status' } });
  const save = el('button', { text: 'Store', attrs: { type: 'button' } });
  save.addEventListener('click', () => {
    void ask({ type: 'create', key: key.value, text: value.value, flags: Number(flags.value || 0), ttl: Number(ttl.value || 0), mode: mode.value === 'add' ? 'add' : 'set' }).then(({ stored, server, error }) => {
      message.className = `status ${stored ? 'ok-text' : 'error-text'}`;
      message.textContent = error ?? (stored ? `Stored on ${server ?? '?'}.` : 'Not stored: the key exists (add).');
    });
  });
  details.replaceChildren(el('h2', { text: 'New item' }), key, value, el('div', { className: 'actions' }, el('label', { text: 'Flags ' }, flags), el('label', { text: 'TTL ' }, ttl), mode, save), message);
  key.focus();
}

function render(name: string): void {
  refresh.addEventListener('click', () => void startListing());
  cancel.addEventListener('click', () => void ask({ type: 'cancelList' }));
  create.addEventListener('click', newItemForm);
  remove.addEventListener('click', () => {
    const items = list.selection().map((i) => rows[filtered[i]!]!).map((r) => ({ key: r.key, server: servers[r.server] ?? '' }));
    if (items.length === 0) return;
    void ask({ type: 'delete', items }).then(({ deleted, cancelled, error }) => {
      if (!cancelled) updateStatus(error ?? `deleted ${deleted ?? 0}`);
    });
  });
  let timer = 0;
  search.addEventListener('input', () => {
    clearTimeout(timer);
    timer = window.setTimeout(refilter, 150);
  });
  prefixSelect.addEventListener('change', refilter);
  const header = el('div', { className: 'columns', attrs: { 'aria-hidden': 'true' } }, ...['Key', 'Server', 'Size', 'Expires', 'Last access', 'Slab'].map((t, i) => el('span', { className: `cell c${i}`, text: t })));
  app.replaceChildren(
    el('header', {}, el('h1', { text: `${name}${readOnly ? ' (read-only)' : ''}` }), status),
    el('div', { className: 'toolbar' }, search, prefixSelect, refresh, cancel, create, remove),
    notice,
    el('div', { className: 'table' }, header, list.element),
    details,
  );
  notice.hidden = true;
  updateStatus();
}

messenger.post({ type: 'ready' });
