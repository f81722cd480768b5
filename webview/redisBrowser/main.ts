import './main.css';
import type { BrowserRequest, BrowserResponses, KeyRow, MemberEdit, ToBrowser, ToHost } from '../../src/panels/redisBrowser/protocol';
import { Messenger } from '../shared/messenger';
import { el, fillRow, shownText } from '../shared/dom';
import { VirtualList } from '../shared/virtualList';
import { PrefixGroups } from '../shared/prefixGroups';
import { KeyTree, TreeLine } from '../shared/keyTree';
import { ValuePane } from './valuePane';

interface State {
  match: string;
  keyType: string;
}

const TYPES = ['', 'string', 'hash', 'list', 'set', 'zset', 'stream'];
const app = document.getElementById('app')!;
let readOnly = false;
let rows: KeyRow[] = [];
let filtered: number[] = [];
let scanning = false;
let paused = false;
/** List: every key (or one prefix group); tree: folders split at the delimiter, with counts. */
let view: 'list' | 'tree' = 'list';
let tree = new KeyTree(':');
let lines: TreeLine[] = [];

const messenger = new Messenger<ToHost, ToBrowser, State>(onMessage);
function ask<T extends BrowserRequest['type']>(request: Extract<BrowserRequest, { type: T }>): Promise<BrowserResponses[T]> {
  return messenger.request<BrowserResponses[T]>((id) => ({ type: 'request', id, request }));
}

const status = el('span', { className: 'status', attrs: { role: 'status' } });
const match = el('input', { attrs: { type: 'search', placeholder: 'MATCH pattern, e.g. user:* (an exact name is looked up directly)', 'aria-label': 'Key pattern', spellcheck: 'false' } });
const typeSelect = el('select', { attrs: { 'aria-label': 'Key type' } }, ...TYPES.map((t) => el('option', { text: t || 'all types', attrs: { value: t } })));
let groups = new PrefixGroups(':', 'Group by prefix', (g, n) => `${g}:* (${n})`);
let groupSelect = groups.select;
const scanButton = el('button', { text: 'Scan', attrs: { type: 'button' } });
const pauseButton = el('button', { className: 'secondary', text: 'Pause', attrs: { type: 'button' } });
const cancelButton = el('button', { className: 'secondary', text: 'Cancel', attrs: { type: 'button' } });
const removeButton = el('button', { className: 'secondary', text: 'Delete Selected', attrs: { type: 'button' } });
const newKeyButton = el('button', { className: 'secondary', text: 'New Key', attrs: { type: 'button' } });
const deleteMatchingButton = el('button', { className: 'secondary', text: 'Delete Matching…', attrs: { type: 'button', title: 'Delete every key matching the MATCH pattern, after a count and a confirmation' } });
const viewSelect = el('select', { attrs: { 'aria-label': 'Show keys as' } }, el('option', { text: 'List', attrs: { value: 'list' } }), el('option', { text: 'Tree', attrs: { value: 'tree' } }));
const progress = el('progress', { attrs: { max: '1', value: '0', 'aria-label': 'Scan progress' } });
const details = el('section', { className: 'details', attrs: { 'aria-label': 'Value' } });

const fmtTtl = (ms: number): string => (ms < 0 ? '' : ms < 1000 ? `${ms} ms` : ms < 86_400_000 ? `${Math.round(ms / 1000)} s` : `${(ms / 86_400_000).toFixed(1)} d`);
const fmtBytes = (n: number | undefined): string => (n === undefined ? '' : n < 1024 ? `${n} B` : n < 1048576 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1048576).toFixed(1)} MiB`);

/** The key row a line of the list stands for (none for a folder line of the tree). */
function rowAt(index: number): number | undefined {
  if (view === 'list') return filtered[index];
  const line = lines[index];
  return line && 'row' in line ? line.row : undefined;
}

const list = new VirtualList({
  rowHeight: 22,
  label: 'Keys',
  render(row, index) {
    const line = view === 'tree' ? lines[index] : undefined;
    let cells: string[];
    if (line && 'group' in line) {
      const group = tree.label(line.group);
      cells = [`${'\u2003'.repeat(line.depth)}${group.expanded ? '▾' : '▸'} ${group.name}`, 'folder', `${group.count.toLocaleString()} keys`, ''];
      row.title = `${group.name}* — ${group.count} keys (Enter to ${group.expanded ? 'collapse' : 'expand'})`;
    } else {
      const item = rows[rowAt(index)!]!;
      if (!item.type || item.memory === undefined) wantMetadata();
      const name = line ? `${'\u2003'.repeat(line.depth)}${tree.leaf(item.text)}` : item.text;
      cells = [name, item.type || '…', item.type ? fmtTtl(item.ttl) : '', fmtBytes(item.memory)];
      row.title = item.base64 !== undefined ? `${item.text} (binary key)` : item.text;
    }
    fillRow(row, cells);
  },
  onActivate: (index) => {
    const line = view === 'tree' ? lines[index] : undefined;
    if (line && 'group' in line) {
      tree.toggle(line.group);
      relayout();
      return;
    }
    const at = rowAt(index);
    if (at !== undefined) void open(rows[at]!);
  },
  onSelectionChange: (_s, focused) => {
    const at = rowAt(focused);
    if (at !== undefined) void open(rows[at]!);
  },
});

/** Redraws the tree's lines (folders opened or closed, keys added); throttled while a scan streams keys in. */
let relayoutTimer = 0;
function relayout(): void {
  clearTimeout(relayoutTimer);
  relayoutTimer = 0;
  lines = tree.lines();
  list.setCount(lines.length);
  list.refresh();
}
function relayoutSoon(): void {
  if (!relayoutTimer) relayoutTimer = window.setTimeout(relayout, 400);
}

/** Type, TTL and memory are fetched for the rows in view only, one pipeline per visible page. */
let metadataTimer = 0;
let metadataBusy = false;
function wantMetadata(): void {
  if (!metadataTimer) metadataTimer = window.setTimeout(fetchMetadata, 60);
}
async function fetchMetadata(): Promise<void> {
  metadataTimer = 0;
  if (metadataBusy) return wantMetadata();
  const [first, last] = list.visibleRange();
  const indices: number[] = [];
  for (let i = first; i < last; i++) {
    const at = rowAt(i);
    if (at !== undefined && (!rows[at]!.type || rows[at]!.memory === undefined)) indices.push(at);
  }
  if (indices.length === 0) return;
  metadataBusy = true;
  const generation = rows;
  try {
    const { rows: fetched } = await ask({ type: 'metadata', keys: indices.map((i) => rows[i]!) });
    if (generation !== rows || !fetched) return;
    fetched.forEach((row, n) => (rows[indices[n]!] = { ...row, memory: row.memory ?? 0 }));
    list.refresh();
  } finally {
    metadataBusy = false;
  }
}

function refilter(): void {
  groupSelect.hidden = view === 'tree';
  if (view === 'tree') {
    lines = tree.lines();
    list.setCount(lines.length, true);
    return updateStatus();
  }
  const group = groupSelect.value;
  filtered = [];
  for (let i = 0; i < rows.length; i++) if (!group || groups.of(rows[i]!.text) === group) filtered.push(i);
  list.setCount(filtered.length, true);
  updateStatus();
}

let scanned = 0;
let total = 0;
function updateStatus(extra = ''): void {
  const shown = view === 'tree' || filtered.length === rows.length ? `${rows.length.toLocaleString()} keys` : `${filtered.length.toLocaleString()} of ${rows.length.toLocaleString()} keys`;
  const where = scanning ? ` · scanned ~${scanned.toLocaleString()} of ${total.toLocaleString()}${paused ? ' (paused)' : ''}` : '';
  status.textContent = `${shown}${where}${extra ? ` · ${extra}` : ''}`;
  pauseButton.textContent = paused ? 'Resume' : 'Pause';
  pauseButton.disabled = !scanning;
  cancelButton.disabled = !scanning;
  removeButton.disabled = readOnly;
  newKeyButton.disabled = readOnly;
  deleteMatchingButton.disabled = readOnly || scanning || !/[*?[]/.test(match.value);
  progress.value = total ? Math.min(1, scanned / total) : 0;
  progress.hidden = !scanning;
}

function onMessage(message: ToBrowser): void {
  if (message.type === 'init') {
    readOnly = message.readOnly;
    const delimiter = message.delimiter;
    groups = new PrefixGroups(delimiter, `Group by prefix (${delimiter})`, (g, n) => `${g}${delimiter}* (${n})`);
    groupSelect = groups.select;
    tree = new KeyTree(delimiter);
    const saved = messenger.state;
    if (saved) {
      match.value = saved.match;
      typeSelect.value = saved.keyType;
    }
    render(`${message.name} · db${message.db}${readOnly ? ' (read-only)' : ''}`);
    void startScan();
  } else if (message.type === 'keys') {
    const group = groupSelect.value;
    for (const row of message.rows) {
      const index = rows.push(row) - 1;
      const g = groups.add(row.text, () => rows.length);
      tree.add(row.text, index);
      if (!group || g === group) filtered.push(index);
    }
    if (view === 'tree') relayoutSoon();
    else list.setCount(filtered.length);
    updateStatus();
  } else if (message.type === 'progress') {
    scanned = message.scanned;
    total = message.total;
    paused = message.paused;
    updateStatus();
  } else if (message.type === 'scanDone') {
    scanning = false;
    paused = false;
    groups.render(rows.length);
    if (view === 'tree') relayout();
    updateStatus(message.error ? `failed: ${message.error}` : `${message.cancelled ? 'cancelled after' : 'done in'} ${(message.elapsedMs / 1000).toFixed(1)} s`);
  }
}

async function startScan(): Promise<void> {
  rows = [];
  filtered = [];
  lines = [];
  groups.clear();
  tree.clear();
  scanned = 0;
  total = 0;
  list.setCount(0, true);
  scanning = true;
  paused = false;
  messenger.state = { match: match.value, keyType: typeSelect.value };
  updateStatus();
  await ask({ type: 'scan', match: match.value.trim(), keyType: typeSelect.value });
}

async function open(row: KeyRow): Promise<void> {
  details.replaceChildren(el('p', { className: 'help', text: `Reading ${row.text}…` }));
  const { page, error } = await ask({ type: 'value', key: row });
  if (!page) return void details.replaceChildren(el('p', { className: 'error-text', text: error ?? 'No value.' }));
  const message = el('div', { className: 'status', attrs: { role: 'status' } });
  const body = el('div', { className: 'value-body' });
  const actions = el('div', { className: 'actions' });
  if (!readOnly && page.type !== 'none') {
    const newName = el('input', { attrs: { type: 'text', 'aria-label': 'New name', placeholder: 'new name', spellcheck: 'false' } });
    const rename = el('button', { className: 'secondary', text: 'Rename', attrs: { type: 'button' } });
    rename.addEventListener('click', () => {
      if (!newName.value) return;
      void ask({ type: 'rename', key: row, to: newName.value }).then(({ renamed, cancelled, error: e }) => {
        if (!cancelled) message.textContent = e ?? (renamed ? `Renamed to ${newName.value}. Scan again to refresh the list.` : 'Not renamed.');
      });
    });
    const ttl = el('input', { attrs: { type: 'number', min: '-1', 'aria-label': 'TTL in seconds (-1 removes it)', placeholder: 'TTL s (-1 none)' } });
    const setTtl = el('button', { className: 'secondary', text: 'Set TTL', attrs: { type: 'button' } });
    setTtl.addEventListener('click', () => {
      void ask({ type: 'expire', key: row, seconds: Number(ttl.value || -1) }).then(({ done, error: e }) => (message.textContent = e ?? (done ? 'TTL updated.' : 'Nothing changed.')));
    });
    const remove = el('button', { className: 'secondary', text: 'Delete', attrs: { type: 'button' } });
    remove.addEventListener('click', () => {
      void ask({ type: 'delete', keys: [row] }).then(({ deleted, cancelled, error: e }) => {
        if (!cancelled) message.textContent = e ?? (deleted ? 'Deleted.' : 'It was already gone.');
      });
    });
    actions.append(newName, rename, ttl, setTtl, remove);
  }
  const pane = new ValuePane(ask, readOnly, row, message);
  details.replaceChildren(el('h2', { className: 'key-name', text: row.text, attrs: { title: shownText(row.text) } }), el('p', { className: 'help', text: `${page.type}${row.ttl >= 0 ? ` · expires in ${fmtTtl(row.ttl)}` : ' · no TTL'}${row.memory !== undefined ? ` · ${fmtBytes(row.memory)} in memory` : ''}` }), body, pane.addForm(page.type) ?? el('span'), actions, message);
  pane.show(page, body);
}

function newKeyForm(): void {
  const name = el('input', { attrs: { type: 'text', placeholder: 'key name', 'aria-label': 'Key name', spellcheck: 'false' } });
  const type = el('select', { attrs: { 'aria-label': 'Type' } }, ...TYPES.slice(1).map((t) => el('option', { text: t, attrs: { value: t } })));
  const a = el('input', { attrs: { type: 'text', placeholder: 'value', 'aria-label': 'First value', spellcheck: 'false' } });
  const b = el('input', { attrs: { type: 'text', placeholder: '', 'aria-label': 'Second value', spellcheck: 'false' } });
  const relabel = (): void => {
    const [pa, pb] = ({ string: ['value', ''], hash: ['field', 'value'], list: ['first item', ''], set: ['first member', ''], zset: ['member', 'score'], stream: ['field', 'value'] } as Record<string, [string, string]>)[type.value]!;
    a.placeholder = pa;
    b.placeholder = pb;
    b.hidden = !pb;
  };
  type.addEventListener('change', relabel);
  relabel();
  const message = el('div', { className: 'status', attrs: { role: 'status' } });
  const create = el('button', { text: 'Create', attrs: { type: 'button' } });
  create.addEventListener('click', () => {
    const t = type.value;
    const first: MemberEdit =
      t === 'hash' ? { type: 'hash', op: 'set', field: a.value, value: b.value }
      : t === 'list' ? { type: 'list', op: 'push', value: a.value }
      : t === 'set' ? { type: 'set', op: 'add', member: a.value }
      : t === 'zset' ? { type: 'zset', op: 'add', member: a.value, score: Number(b.value) }
      : t === 'stream' ? { type: 'stream', op: 'add', fields: [[a.value, b.value]] }
      : { type: 'string', value: a.value };
    void ask({ type: 'create', key: name.value, first }).then(({ created, error }) => {
      message.className = `status ${created ? 'ok-text' : 'error-text'}`;
      message.textContent = error ?? `Created ${name.value}. Scan again to see it in the list.`;
    });
  });
  details.replaceChildren(el('h2', { text: 'New key' }), el('div', { className: 'actions' }, name, type, a, b, create), message);
  name.focus();
}

function render(title: string): void {
  newKeyButton.addEventListener('click', newKeyForm);
  match.addEventListener('input', () => updateStatus());
  deleteMatchingButton.addEventListener('click', () => {
    void ask({ type: 'deleteMatching', pattern: match.value.trim() }).then(({ deleted, cancelled, error }) => updateStatus(error ?? `${cancelled ? 'stopped after deleting' : 'deleted'} ${deleted ?? 0} matching keys`));
  });
  scanButton.addEventListener('click', () => void startScan());
  match.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') void startScan();
  });
  pauseButton.addEventListener('click', () => {
    void ask({ type: paused ? 'resume' : 'pause' }).then((r) => {
      paused = 'paused' in r ? r.paused : paused;
      updateStatus();
    });
  });
  cancelButton.addEventListener('click', () => void ask({ type: 'cancel' }));
  groupSelect.addEventListener('change', refilter);
  viewSelect.addEventListener('change', () => {
    view = viewSelect.value === 'tree' ? 'tree' : 'list';
    refilter();
  });
  removeButton.addEventListener('click', () => {
    const keys = list.selection().map(rowAt).filter((at): at is number => at !== undefined).map((at) => rows[at]!);
    if (keys.length) void ask({ type: 'delete', keys }).then(({ deleted, cancelled, error }) => !cancelled && updateStatus(error ?? `deleted ${deleted ?? 0}`));
  });
  const header = el('div', { className: 'columns', attrs: { 'aria-hidden': 'true' } }, ...['Key', 'Type', 'TTL', 'Memory'].map((t, i) => el('span', { className: `cell c${i}`, text: t })));
  app.replaceChildren(
    el('header', {}, el('h1', { text: title }), status, progress),
    el('div', { className: 'toolbar' }, match, typeSelect, scanButton, pauseButton, cancelButton, viewSelect, groupSelect, newKeyButton, removeButton, deleteMatchingButton),
    el('div', { className: 'table' }, header, list.element),
    details,
  );
  updateStatus();
}

messenger.post({ type: 'ready' });
