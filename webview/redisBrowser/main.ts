import '../shared/l10n';
import './main.css';
import * as l10n from '@vscode/l10n';
import * as v from 'valibot';
import { browserProtocol, Item, KEY_TYPES, keyRef, Line, MAX_ROWS, MAX_WINDOW, ScanState, View } from '../../src/panels/redisBrowser/protocol';
import type { Init } from '../../src/panels/ipc/protocol';
import { PanelClient } from '../shared/ipc';
import { vscodeTransport, ViewState } from '../shared/vscodeApi';
import { el, fillRow } from '../shared/dom';
import { VirtualList } from '../shared/virtualList';
import { WindowCache } from '../shared/windowCache';
import { bytesText, ttlText } from './format';
import { problemOf, showProblem } from '../shared/problem';
import { countOf } from '../shared/viewFormat';
import { KeyDetails, Target } from './keyDetails';
import { askedFirst } from '../shared/confirm';
import { submitOnEnter } from '../shared/submitOnEnter';

const ROW_HEIGHT = 22;
/**
 * What the webview itself keeps while hidden: what was typed in the value pane and not saved (the host keeps the
 * listing, the view, the selection and the open key).
 */
const viewState = new ViewState(v.object({
  draft: v.nullable(v.object({ key: keyRef, inputs: v.record(v.string(), v.string()), value: v.exactOptional(v.object({ text: v.string(), expected: v.string() })) })),
}));
const app = document.getElementById('app')!;

let scan: ScanState;
let view: View = { mode: 'list', group: null };
let lines = 0;
let readOnly = false;
let delimiter = ':';
/** What is selected, by row and folder: lines move as keys arrive and folders open, these do not. */
let selected: Item[] = [];
let focused: Item | null = null;
/** The item drawn on the top line, kept there as lines move above it. */
let top: { item: Item; line: number } | null = null;

const client = new PanelClient(browserProtocol, vscodeTransport(), { state: ({ scan: next, lines: total, groups }) => onState(next, total, groups) });

const status = el('span', { className: 'status', attrs: { role: 'status' } });
const progress = el('progress', { attrs: { max: '1', value: '0', 'aria-label': l10n.t('Scan progress') } });
const problem = el('div', { className: 'problem', attrs: { role: 'alert' } });
/** Where a delete is asked about, above the list (Cancel focused: Enter and Space change nothing). */
const confirmSlot = el('div', { className: 'confirm-slot' });
const match = el('input', { attrs: { type: 'search', placeholder: l10n.t('Pattern, e.g. user:*'), title: l10n.t('SCAN MATCH pattern; a name without * ? [ is looked up directly'), 'aria-label': l10n.t('Key pattern'), spellcheck: 'false' } });
const typeSelect = el('select', { attrs: { 'aria-label': l10n.t('Key type') } }, ...KEY_TYPES.map((t) => el('option', { text: t || l10n.t('all types'), attrs: { value: t } })));
const scanButton = el('button', { text: l10n.t('Scan'), attrs: { type: 'button' } });
const pauseButton = el('button', { className: 'secondary', text: l10n.t('Pause'), attrs: { type: 'button' } });
const cancelButton = el('button', { className: 'secondary', text: l10n.t('Cancel'), attrs: { type: 'button' } });
const viewSelect = el('select', { attrs: { 'aria-label': l10n.t('Show keys as') } }, el('option', { text: l10n.t('List'), attrs: { value: 'list' } }), el('option', { text: l10n.t('Tree'), attrs: { value: 'tree' } }));
const groupSelect = el('select', { attrs: { 'aria-label': l10n.t('Group by prefix') } });
const newKeyButton = el('button', { className: 'secondary', text: l10n.t('New Key'), attrs: { type: 'button' } });
const removeButton = el('button', { className: 'secondary', text: l10n.t('Delete Selected'), attrs: { type: 'button' } });
const deleteMatchingButton = el('button', { className: 'secondary', text: l10n.t('Delete Matching…'), attrs: { type: 'button', title: l10n.t('Delete every key matching the pattern, after a count and a confirmation') } });

const failed = (what: string) => (error: unknown): void => showProblem(problem, what, problemOf(error));
const current = (): number => scan.generation;

/** Each list drawn (a scan's keys, the tree, a group) is a view of the window, numbered here. */
let windowView = 0;
const window_ = new WindowCache<Line>({
  fetch: async (_view, start, count) => {
    const generation = current();
    const answer = await client.request('window', { generation, start, count: Math.min(count, MAX_WINDOW) });
    return answer.generation === current() ? answer.items : undefined;
  },
  loaded: () => {
    list.refresh();
    wantMetadata();
    if (rememberWhenLoaded) remember();
  },
  failed: failed(l10n.t('The keys could not be read')),
});

const indent = (depth: number): string => '\u2003'.repeat(depth);
const list = new VirtualList({
  rowHeight: ROW_HEIGHT,
  label: l10n.t('Keys'),
  maxSelection: MAX_ROWS,
  render(row, index) {
    const line = window_.row(index);
    row.classList.toggle('folder', line?.kind === 'folder');
    row.classList.toggle('gone', line?.kind === 'key' && line.gone);
    if (!line) {
      fillRow(row, ['…', '', '', '']);
      row.title = '';
    } else if (line.kind === 'folder') {
      const keys = countOf(line.count, l10n.t('{0} key'), l10n.t('{0} keys'));
      fillRow(row, [`${indent(line.depth)}${line.expanded ? '▾' : '▸'} ${line.name}`, keys]);
      row.title = line.expanded ? l10n.t('{0}* — {1} (Enter to collapse)', line.name, keys) : l10n.t('{0}* — {1} (Enter to expand)', line.name, keys);
    } else {
      const meta = line.meta;
      fillRow(row, [`${indent(line.depth)}${line.name}`, line.gone ? l10n.t('deleted') : (meta?.type ?? '…'), line.gone || !meta ? '' : ttlText(meta.ttl), line.gone ? '' : bytesText(meta?.memory)]);
      const name = line.key.base64 !== undefined ? l10n.t('{0} (binary key)', line.key.text) : line.key.text;
      row.title = line.gone ? l10n.t('{0} (deleted)', name) : name;
    }
  },
  onActivate: (index) => void activate(index),
  onSelectionChange: (indices, at) => void selectionChanged([...indices], at),
});

/** The value pane, made once the panel knows whether the connection is read-only. */
let details: KeyDetails | undefined;

async function activate(index: number): Promise<void> {
  const line = await window_.get(index);
  if (line?.kind === 'folder') {
    const answer = await client.request('toggle', { generation: current(), folder: line.folder, expanded: !line.expanded }).catch(failed(l10n.t('The folder could not be opened')));
    if (answer) moved(answer.lines);
  } else if (line) {
    void details?.open({ key: line.key, row: line.row });
  }
}

/** Bumped on each selection change: one that has to fetch its lines must not win over a later one that did not. */
let selecting = 0;
async function selectionChanged(indices: number[], at: number): Promise<void> {
  const generation = current();
  const mine = ++selecting;
  const items = await itemsAt(indices);
  if (generation !== current() || mine !== selecting) return;
  selected = items;
  const line = at >= 0 ? await window_.get(at) : undefined;
  if (mine !== selecting) return;
  focused = line ? itemOf(line) : null;
  removeButton.disabled = readOnly || !selected.some((i) => i.kind === 'key');
  if (line?.kind === 'key') void details?.open({ key: line.key, row: line.row });
  remember();
}

const itemOf = (line: Line): Item => (line.kind === 'key' ? { kind: 'key', row: line.row } : { kind: 'folder', folder: line.folder });

/** The items on the given lines as drawn, fetching the lines not here (a range selected past what is held). */
async function itemsAt(indices: readonly number[]): Promise<Item[]> {
  const out: Item[] = [];
  const missing = indices.filter((i) => !window_.held(i));
  const fetched = new Map<number, Line>();
  for (let i = 0; i < missing.length;) {
    const start = missing[i]!;
    const answer = await client.request('window', { generation: current(), start, count: MAX_WINDOW });
    answer.items.forEach((line, n) => fetched.set(start + n, line));
    while (i < missing.length && missing[i]! < start + MAX_WINDOW) i++;
  }
  for (const index of indices) {
    const line = window_.held(index) ?? fetched.get(index);
    if (line) out.push(itemOf(line));
  }
  return out;
}

/** The host's lines moved (a folder opened, keys arrived in the tree): redraw, keeping the selection and the top. */
function moved(total: number): void {
  lines = total;
  window_.reset(windowView, total);
  window_.invalidate();
  list.setCount(total);
  list.refresh();
  void relocate();
}

/** Puts the selection and the top line back where their items are drawn now. */
async function relocate(): Promise<void> {
  if (view.mode !== 'tree' || (!selected.length && !focused && !top)) return;
  const generation = current();
  const asked = [top?.item ?? { kind: 'folder', folder: 0 }, focused ?? { kind: 'folder', folder: 0 }, ...selected] satisfies Item[];
  const found = await client.request('locate', { generation, items: asked }).catch(() => undefined);
  if (!found || generation !== current()) return;
  const [topLine = -1, focusedLine = -1, ...lines_] = found;
  if (top && topLine >= 0 && topLine !== top.line) {
    list.moveTo(topLine * ROW_HEIGHT + (list.position - top.line * ROW_HEIGHT));
    top = { item: top.item, line: topLine };
  }
  list.restoreSelection(lines_.filter((l) => l >= 0), focusedLine);
}

/** Type, TTL and memory are read for the keys in view only, one pipeline per view. */
let metadataTimer = 0;
let metadataBusy = false;
function wantMetadata(): void {
  if (!metadataTimer) metadataTimer = window.setTimeout(() => void fetchMetadata(), 60);
}
async function fetchMetadata(): Promise<void> {
  metadataTimer = 0;
  if (metadataBusy) return wantMetadata();
  const [first, last] = list.visibleRange();
  const rows: number[] = [];
  for (let i = first; i < last; i++) {
    const line = window_.held(i);
    if (line?.kind === 'key' && !line.meta && !line.gone) rows.push(line.row);
  }
  if (!rows.length) return;
  metadataBusy = true;
  try {
    const found = new Map((await client.request('metadata', { generation: current(), rows })).map((r) => [r.row, r.meta]));
    window_.update((line) => {
      const meta = line.kind === 'key' ? found.get(line.row) : undefined;
      return meta && line.kind === 'key' ? { ...line, meta, gone: line.gone || meta.type === 'none' } : line;
    });
    list.refresh();
  } catch (error) {
    failed(l10n.t('Type, TTL and memory could not be read'))(error);
  } finally {
    metadataBusy = false;
  }
}

function onState(next: ScanState, total: number, groups?: Init<typeof browserProtocol>['groups']): void {
  const fresh = next.generation !== scan.generation;
  scan = next;
  if (groups) showGroups(groups);
  if (fresh) {
    // A scan the host started (another panel asked for a pattern) shows its filter too.
    match.value = next.match;
    typeSelect.value = next.keyType;
    lines = total;
    window_.reset(++windowView, total);
    list.setCount(total, true);
    selected = [];
    focused = null;
    top = null;
    list.refresh();
    // The filter typed before is superseded by the scan's: the host must not put it back when the panel returns.
    remember();
  } else if (view.mode === 'tree' || total < lines) {
    moved(total);
  } else if (total !== lines) {
    lines = total;
    window_.reset(windowView, total);
    list.setCount(total);
    list.refresh();
  }
  updateStatus();
}

function showGroups(groups: Init<typeof browserProtocol>['groups']): void {
  const chosen = view.group;
  const all = scan.keys;
  groupSelect.replaceChildren(
    el('option', { text: l10n.t('All ({0})', all.toLocaleString()), attrs: { value: '' } }),
    ...groups.map((g) => el('option', { text: g.folder === 0 ? l10n.t('(no prefix) ({0})', g.count.toLocaleString()) : `${g.name}* (${g.count.toLocaleString()})`, attrs: { value: String(g.folder) } })),
  );
  groupSelect.value = chosen === null ? '' : String(chosen);
}

const RUNNING = new Set<ScanState['phase']>(['starting', 'scanning', 'paused', 'cancelling']);

function updateStatus(): void {
  const running = RUNNING.has(scan.phase);
  const scanned = scan.scanned.toLocaleString();
  const where = !running ? '' : scan.phase === 'paused' ? l10n.t('scanned ~{0} of {1} (paused)', scanned, scan.total.toLocaleString()) : l10n.t('scanned ~{0} of {1}', scanned, scan.total.toLocaleString());
  const seconds = l10n.t('{0} s', (scan.elapsedMs / 1000).toFixed(1));
  const outcome = scan.phase === 'done' ? l10n.t('done in {0}', seconds) : scan.phase === 'cancelled' ? l10n.t('cancelled after {0}', seconds) : scan.phase === 'failed' ? l10n.t('scan failed') : scan.phase === 'cancelling' ? l10n.t('cancelling') : '';
  const shown = view.mode === 'list' && view.group !== null ? countOf(scan.keys, l10n.t('{1} of {0} key'), l10n.t('{1} of {0} keys'), lines.toLocaleString()) : countOf(scan.keys, l10n.t('{0} key'), l10n.t('{0} keys'));
  status.textContent = [shown, where, outcome, scan.capped ? l10n.t('the tree stopped making folders at 200,000') : ''].filter(Boolean).join(' · ');
  // Only controls that can still act are enabled: a scan that failed or ended cannot be paused or cancelled.
  pauseButton.textContent = scan.phase === 'paused' ? l10n.t('Resume') : l10n.t('Pause');
  pauseButton.disabled = scan.phase !== 'scanning' && scan.phase !== 'paused';
  cancelButton.disabled = !['starting', 'scanning', 'paused'].includes(scan.phase);
  newKeyButton.disabled = readOnly;
  removeButton.disabled = readOnly || !selected.some((i) => i.kind === 'key');
  deleteMatchingButton.disabled = readOnly || running || !/[*?[]/.test(match.value);
  groupSelect.hidden = view.mode === 'tree';
  progress.value = scan.total ? Math.min(1, scan.scanned / scan.total) : 0;
  progress.hidden = !running;
  if (scan.error) showProblem(problem, l10n.t('The scan failed'), scan.error);
  else if (problem.dataset['from'] === 'scan') problem.replaceChildren();
  problem.dataset['from'] = scan.error ? 'scan' : '';
}

async function startScan(): Promise<void> {
  problem.replaceChildren();
  scanButton.disabled = true;
  try {
    onState(await client.request('scan', { match: match.value.trim(), keyType: KEY_TYPES.find((t) => t === typeSelect.value) ?? '' }), 0);
  } catch (error) {
    // The state that comes with the failure says so too; until it does, say it here.
    failed(l10n.t('The scan could not start'))(error);
    scan = { ...scan, phase: 'failed' };
    updateStatus();
  } finally {
    scanButton.disabled = false;
  }
}

async function show(next: View): Promise<void> {
  view = next;
  try {
    const answer = await client.request('show', next);
    showGroups(answer.groups);
    selected = [];
    focused = null;
    top = null;
    lines = answer.lines;
    window_.reset(++windowView, lines);
    list.setCount(lines, true);
    list.refresh();
  } catch (error) {
    failed(l10n.t('The view could not be shown'))(error);
  }
  updateStatus();
  remember();
}

/**
 * Tells the host what the view shows, for when it comes back after being hidden (at most a few times a second). The
 * top line is told by the item drawn on it, read from fresh lines only: while lines are being fetched after they
 * moved, what is held may be the item that was there before, so the top is told again once they are here.
 */
let rememberTimer = 0;
let rememberWhenLoaded = false;
function remember(): void {
  if (!rememberTimer) rememberTimer = window.setTimeout(() => {
    rememberTimer = 0;
    const [first] = list.visibleRange();
    const line = lines > 0 ? window_.fresh(first) : undefined;
    // Until they are, the top item is the one last known (moves of the lines keep it where it is drawn).
    rememberWhenLoaded = lines > 0 && !line;
    if (line) top = { item: itemOf(line), line: first };
    else if (lines === 0) top = null;
    const open: Target | null = details?.shown ?? null;
    client.command('remember', {
      selected,
      focused,
      top: top?.item ?? null,
      topOffset: top ? Math.max(0, Math.min(1000, list.position - top.line * ROW_HEIGHT)) : 0,
      open: open ? { key: open.key, row: open.row } : null,
      match: match.value,
      keyType: KEY_TYPES.find((t) => t === typeSelect.value) ?? '',
    });
  }, 150);
}

/** Deletes the selected keys once the user said yes to the host's question naming them. */
async function deleteSelected(): Promise<void> {
  const rows = selected.flatMap((item) => (item.kind === 'key' ? [item.row] : []));
  if (readOnly || rows.length === 0) return;
  const generation = current();
  try {
    const done = await askedFirst(confirmSlot, (ticket) => client.request('deleteRows', { generation, rows, ...ticket }));
    if (!done) return;
    status.textContent = `${status.textContent ?? ''} · ${countOf(done.deleted, l10n.t('deleted {0} key'), l10n.t('deleted {0} keys'))}`;
    window_.invalidate();
    list.refresh();
  } catch (error) {
    failed(l10n.t('Not deleted'))(error);
  }
}

async function deleteMatching(): Promise<void> {
  const pattern = match.value.trim();
  try {
    const done = await askedFirst(confirmSlot, (ticket) => client.request('deleteMatching', { pattern, ...ticket }));
    // What is left is what the server holds: scan for it again.
    if (done && !done.cancelled) void startScan();
  } catch (error) {
    failed(l10n.t('Not deleted'))(error);
  }
}

function render(init: Init<typeof browserProtocol>): void {
  readOnly = init.readOnly;
  delimiter = init.delimiter;
  scan = init.scan;
  view = init.view;
  lines = init.lines;
  window_.reset(++windowView, lines);
  const restored = init.restored;
  match.value = restored?.memory.match ?? scan.match;
  typeSelect.value = restored?.memory.keyType ?? scan.keyType;
  viewSelect.value = view.mode;
  groupSelect.setAttribute('aria-label', l10n.t('Group by prefix ({0})', delimiter));
  showGroups(init.groups);
  scanButton.addEventListener('click', () => void startScan());
  submitOnEnter(match, () => void startScan());
  match.addEventListener('input', () => {
    updateStatus();
    remember();
  });
  typeSelect.addEventListener('change', remember);
  pauseButton.addEventListener('click', () => void client.request(scan.phase === 'paused' ? 'resume' : 'pause', {}).then((next) => onState(next, lines), failed(l10n.t('The scan could not be paused'))));
  cancelButton.addEventListener('click', () => {
    cancelButton.disabled = true;
    void client.request('cancel', {}).then((next) => onState(next, lines), failed(l10n.t('The scan could not be cancelled')));
  });
  viewSelect.addEventListener('change', () => void show({ mode: viewSelect.value === 'tree' ? 'tree' : 'list', group: null }));
  groupSelect.addEventListener('change', () => void show({ mode: 'list', group: groupSelect.value === '' ? null : Number(groupSelect.value) }));
  const pane = (details = new KeyDetails(client, readOnly, {
    opened: () => remember(),
    written: () => {
      window_.invalidate();
      list.refresh();
    },
    drafted: (draft) => viewState.write({ draft }),
  }));
  newKeyButton.addEventListener('click', () => pane.newKeyForm());
  removeButton.addEventListener('click', () => void deleteSelected());
  list.element.addEventListener('keydown', (event) => {
    if (event.key !== 'Delete' || event.ctrlKey || event.altKey || event.metaKey) return;
    event.preventDefault();
    void deleteSelected();
  });
  deleteMatchingButton.addEventListener('click', () => void deleteMatching());
  list.element.addEventListener('scroll', remember);
  const header = el('div', { className: 'columns', attrs: { 'aria-hidden': 'true' } }, ...[l10n.t('Key'), l10n.t('Type'), l10n.t('TTL'), l10n.t('Memory')].map((t, i) => el('span', { className: `cell c${i}`, text: t })));
  app.replaceChildren(
    el('header', {}, el('h1', { text: readOnly ? l10n.t('{0} (read-only)', `${init.name} · db${init.db}`) : `${init.name} · db${init.db}` }), status, progress),
    el('div', { className: 'toolbar', attrs: { role: 'toolbar', 'aria-label': l10n.t('Scan') } }, match, typeSelect, scanButton, pauseButton, cancelButton),
    el('div', { className: 'toolbar', attrs: { role: 'toolbar', 'aria-label': l10n.t('Keys') } }, viewSelect, groupSelect, el('span', { className: 'spacer' }), newKeyButton, removeButton, deleteMatchingButton),
    problem,
    confirmSlot,
    el('div', { className: 'table' }, header, list.element),
    pane.element,
  );
  list.setCount(lines, true);
  if (restored) {
    selected = [...restored.memory.selected];
    focused = restored.memory.focused;
    list.restoreSelection(restored.selected, restored.focused);
    if (restored.top >= 0 && restored.memory.top) {
      top = { item: restored.memory.top, line: restored.top };
      list.moveTo(restored.top * ROW_HEIGHT + restored.memory.topOffset);
    }
    const draft = viewState.read()?.draft ?? undefined;
    if (restored.memory.open) void pane.open(restored.memory.open, undefined, draft);
  }
  list.refresh();
  updateStatus();
}

void client.ready().then(render, (error: unknown) => app.replaceChildren(el('p', { className: 'error-text', attrs: { role: 'alert' }, text: l10n.t('The panel could not be opened: {0}', problemOf(error).message) })));
