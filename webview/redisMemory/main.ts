import '../shared/l10n';
import './main.css';
import * as v from 'valibot';
import { AnalysisState, memoryProtocol, SAMPLE_RATES } from '../../src/panels/redisMemory/protocol';
import type { KeyStat, MemoryReport, PrefixNode, TtlBucket } from '../../src/drivers/redis/memoryShapes';
import type { Init } from '../../src/panels/ipc/protocol';
import { PanelClient } from '../shared/ipc';
import { vscodeTransport, ViewState } from '../shared/vscodeApi';
import { button, el } from '../shared/dom';
import { bytes, count, duration } from '../shared/units';
import { barChart, columns } from './bars';
import { countOf } from '../shared/viewFormat';
import * as l10n from '@vscode/l10n';
import { problemText } from '../shared/problemOf';
import { notOpened } from '../shared/problem';

/** What the webview remembers while hidden: which prefixes are open, and the sample rate picked. */
const viewState = new ViewState(v.object({ expanded: v.array(v.string()), sampleRate: v.picklist(SAMPLE_RATES) }));

const app = document.getElementById('app')!;
let state: AnalysisState = { status: 'idle', seen: 0, total: 0, elapsedMs: 0, sampleRate: 1 };
let expanded = new Set<string>();
let delimiter = ':';

const status = el('span', { className: 'status', attrs: { role: 'status' } });
const problem = el('div', { className: 'error-text', attrs: { role: 'alert' } });
const progress = el('progress', { attrs: { max: '1', value: '0', 'aria-label': l10n.t('Analysis progress') } });
const rate = el('select', { attrs: { 'aria-label': l10n.t('Keys to inspect') } }, ...SAMPLE_RATES.map((r) => el('option', { text: r === 1 ? l10n.t('every key') : l10n.t('a {0}% sample', String(r * 100)), attrs: { value: String(r) } })));
const start = button(l10n.t('Analyze'));
const pause = button(l10n.t('Pause'), { secondary: true });
const cancel = button(l10n.t('Cancel'), { secondary: true });
const exportJson = button(l10n.t('Export JSON'), { secondary: true });
const exportCsv = button(l10n.t('Export CSV'), { secondary: true });
const summary = el('p', { className: 'summary' });
const sections = el('div', { className: 'sections' });

const client = new PanelClient(memoryProtocol, vscodeTransport(), { state: (next) => show(next) });

function remember(): void {
  viewState.write({ expanded: [...expanded], sampleRate: picked() });
}

function picked(): (typeof SAMPLE_RATES)[number] {
  return SAMPLE_RATES.find((r) => String(r) === rate.value) ?? 1;
}

/** Figures of a sample scaled to the keyspace they stand for, marked as estimates. */
function scaled(report: MemoryReport): { keys: (n: number) => string; memory: (n: number) => string } {
  const factor = 1 / report.sampleRate;
  const about = report.sampleRate < 1 ? '≈ ' : '';
  return { keys: (n) => `${about}${countOf(Math.round(n * factor), l10n.t('{0} key'), l10n.t('{0} keys'))}`, memory: (n) => `${about}${bytes(n * factor)}` };
}

/** The TTL histogram's buckets (protocol values) as the panel names them. */
const BUCKET_NAMES: Record<TtlBucket, string> = { 'none': l10n.t('none'), '< 1 h': l10n.t('< 1 h'), '< 1 d': l10n.t('< 1 d'), '< 1 w': l10n.t('< 1 w'), 'longer': l10n.t('longer') };

function ask(run: () => Promise<unknown>): void {
  problem.textContent = '';
  void run().catch((error: unknown) => (problem.textContent = problemText(error)));
}

const browsePrefix = (prefix: string) => () => ask(() => client.request('browse', { kind: 'prefix', prefix }));
const browseKey = (key: KeyStat) => (key.base64 === undefined ? () => ask(() => client.request('browse', { kind: 'key', key: key.text })) : undefined);

/** The prefix tree as bars: a level at a time, opened by the ▸ beside each prefix. */
function prefixRows(node: PrefixNode, depth: number, report: MemoryReport, out: HTMLElement[]): void {
  const { keys, memory } = scaled(report);
  const max = Math.max(1, ...node.children.map((c) => c.memory));
  for (const child of node.children) {
    const open = expanded.has(child.prefix) && !child.other;
    const toggle = el('button', { className: 'toggle', text: child.children.length && !child.other ? (open ? '▾' : '▸') : '', attrs: { type: 'button', 'aria-label': open ? l10n.t('Collapse {0}', child.prefix) : l10n.t('Expand {0}', child.prefix), 'aria-expanded': String(open), 'data-focus': `toggle:${child.prefix}` } });
    toggle.disabled = !child.children.length || child.other === true;
    toggle.addEventListener('click', () => {
      if (open) expanded.delete(child.prefix);
      else expanded.add(child.prefix);
      remember();
      render();
    });
    const label = child.other ? l10n.t('{0}(other)', child.prefix) : child.prefix;
    const title = child.other
      ? l10n.t('Prefixes below {0} folded together to keep the tree within {1} nodes: their keys and memory are counted here. Browse {2}*', child.prefix || l10n.t('the top'), count(report.maxNodes), child.prefix)
      : l10n.t('Browse {0}*', child.prefix);
    const name = el('button', { className: 'link', text: label, attrs: { type: 'button', title, 'data-focus': `browse:${label}` } });
    name.addEventListener('click', browsePrefix(child.prefix));
    const fill = el('span', { className: 'fill' });
    fill.style.width = `${(100 * child.memory) / max}%`;
    const share = report.memory ? `${((100 * child.memory) / report.memory).toFixed(1)}%` : '';
    const row = el('div', { className: `bar-row prefix${child.other ? ' other' : ''}`, attrs: { role: 'treeitem', 'aria-level': String(depth + 1), 'aria-expanded': String(open) } },
      el('span', { className: 'name' }, toggle, name), el('span', { className: 'track', attrs: { 'aria-hidden': 'true' } }, fill),
      el('span', { className: 'figure', text: `${memory(child.memory)} · ${keys(child.keys)} · ${share}` }));
    row.style.setProperty('--depth', String(depth));
    out.push(row);
    if (open) prefixRows(child, depth + 1, report, out);
  }
}

function topTable(caption: string, keys: readonly KeyStat[], report: MemoryReport): HTMLElement {
  const rows = keys.map((key) => {
    const open = browseKey(key);
    const name = open
      ? el('button', { className: 'link', text: key.text, attrs: { type: 'button', title: l10n.t('Open {0} in the key browser', key.text), 'data-focus': `key:${caption}:${key.text}` } })
      : el('span', { text: key.text, attrs: { title: l10n.t('{0} (binary name)', key.text) } });
    if (open) name.addEventListener('click', open);
    return el('tr', {}, el('td', { className: 'key' }, name), el('td', { text: key.type }), el('td', { className: 'num', text: bytes(key.memory) }), el('td', { className: 'num', text: count(key.length) }), el('td', { className: 'num', text: key.ttl < 0 ? l10n.t('none') : duration(key.ttl) }));
  });
  return el('section', { className: 'top' }, el('h2', { text: report.sampleRate < 1 ? l10n.t('{0} (of the sample)', caption) : caption }),
    el('table', { attrs: { 'aria-label': caption } },
      el('thead', {}, el('tr', {}, ...[l10n.t('Key'), l10n.t('Type'), l10n.t('Memory'), l10n.t('Length'), 'TTL'].map((h) => el('th', { text: h })))),
      el('tbody', {}, ...rows)));
}

function render(): void {
  const focused = document.activeElement instanceof HTMLElement ? document.activeElement.dataset['focus'] : undefined;
  const report = state.report;
  const running = state.status === 'running' || state.status === 'paused';
  const elapsed = duration(state.elapsedMs);
  const words: Record<AnalysisState['status'], string> = {
    idle: l10n.t('Not analyzed yet'),
    running: countOf(state.total, l10n.t('Analyzing: {1} of {0} key · {2}'), l10n.t('Analyzing: {1} of {0} keys · {2}'), count(state.seen), elapsed),
    paused: countOf(state.total, l10n.t('Paused at {1} of {0} key'), l10n.t('Paused at {1} of {0} keys'), count(state.seen)),
    done: countOf(state.seen, l10n.t('Done: {0} key in {1}'), l10n.t('Done: {0} keys in {1}'), elapsed),
    cancelled: countOf(state.total, l10n.t('Cancelled after {1} of {0} key'), l10n.t('Cancelled after {1} of {0} keys'), count(state.seen)),
    failed: l10n.t('Failed'),
  };
  status.textContent = words[state.status];
  if (state.error) problem.textContent = state.error;
  progress.value = state.total ? Math.min(1, state.seen / state.total) : state.status === 'done' ? 1 : 0;
  progress.hidden = !running;
  start.textContent = state.status === 'idle' ? l10n.t('Analyze') : l10n.t('Analyze again');
  pause.textContent = state.status === 'paused' ? l10n.t('Resume') : l10n.t('Pause');
  pause.disabled = !running;
  cancel.disabled = !running;
  exportJson.disabled = exportCsv.disabled = !report;
  if (!report) {
    summary.textContent = '';
    sections.replaceChildren();
    return;
  }
  const { keys, memory } = scaled(report);
  const inspected = report.sampleRate < 1
    ? l10n.t('{0} in {1} (estimated from {2} sampled)', memory(report.memory), keys(report.inspected), count(report.inspected))
    : l10n.t('{0} in {1}', memory(report.memory), keys(report.inspected));
  summary.textContent = report.folded ? l10n.t('{0} · {1} small prefixes folded into "(other)" to keep the tree within {2} nodes', inspected, count(report.folded), count(report.maxNodes)) : inspected;
  const prefixLines: HTMLElement[] = [];
  prefixRows(report.prefixes, 0, report, prefixLines);
  const unprefixed = report.prefixes.keys - report.prefixes.children.reduce((n, c) => n + c.keys, 0);
  sections.replaceChildren(
    el('section', { className: 'prefixes' }, el('h2', { text: l10n.t('Memory by prefix (split at "{0}")', delimiter) }),
      prefixLines.length ? el('div', { className: 'bars', attrs: { role: 'tree', 'aria-label': l10n.t('Memory by prefix') } }, ...prefixLines) : el('p', { className: 'help', text: l10n.t('No key has the delimiter in its name.') }),
      unprefixed > 0 ? el('p', { className: 'help', text: l10n.t('{0} with no "{1}" in the name.', keys(unprefixed), delimiter) }) : undefined),
    el('div', { className: 'pair' },
      el('section', {}, el('h2', { text: l10n.t('Memory by type') }), barChart(l10n.t('Memory by type'), report.byType.map((t) => ({ label: t.type, value: t.memory, text: `${memory(t.memory)} · ${keys(t.keys)}` })), '--vscode-charts-purple')),
      el('section', {}, el('h2', { text: l10n.t('Keys by time to live') }), columns(l10n.t('Keys by time to live'), report.ttl.map((t) => ({ label: BUCKET_NAMES[t.bucket], value: t.keys, text: keys(t.keys), title: l10n.t('{0}: {1}, {2}', BUCKET_NAMES[t.bucket], keys(t.keys), memory(t.memory)) })), '--vscode-charts-green'))),
    topTable(l10n.t('Biggest keys by memory'), report.topByMemory, report),
    topTable(l10n.t('Keys without a TTL taking the most memory'), report.topWithoutTtl, report),
    topTable(l10n.t('Longest keys (elements, or bytes of a string)'), report.topByLength, report),
  );
  if (focused) sections.querySelector<HTMLElement>(`[data-focus="${CSS.escape(focused)}"]`)?.focus();
}

function show(next: AnalysisState): void {
  state = next;
  render();
}

function setUp(init: Init<typeof memoryProtocol>): void {
  delimiter = init.delimiter;
  const saved = viewState.read();
  expanded = new Set(saved?.expanded ?? []);
  rate.value = String(saved?.sampleRate ?? init.state.sampleRate);
  rate.addEventListener('change', remember);
  start.addEventListener('click', () => ask(() => client.request('start', { sampleRate: picked() })));
  pause.addEventListener('click', () => ask(() => client.request(state.status === 'paused' ? 'resume' : 'pause', {})));
  cancel.addEventListener('click', () => ask(() => client.request('cancel', {})));
  const exporter = (format: 'json' | 'csv') => () => ask(async () => {
    const { path } = await client.request('export', { format });
    if (path) status.textContent = l10n.t('Saved to {0}', path);
  });
  exportJson.addEventListener('click', exporter('json'));
  exportCsv.addEventListener('click', exporter('csv'));
  app.replaceChildren(
    el('header', {}, el('h1', { text: l10n.t('{0} · db{1} memory', init.name, String(init.db)) }), status, progress),
    el('p', { className: 'help', text: init.cluster
      ? l10n.t('One pass over the keyspace of every master: SCAN, and per batch one short read-only script (TYPE, PTTL, MEMORY USAGE and the length of each key). It adds load to the server while it runs; on a busy server, inspect a sample. Memory of nested values is MEMORY USAGE\'s estimate from 5 sampled elements.')
      : l10n.t('One pass over the keyspace: SCAN, and per batch one short read-only script (TYPE, PTTL, MEMORY USAGE and the length of each key). It adds load to the server while it runs; on a busy server, inspect a sample. Memory of nested values is MEMORY USAGE\'s estimate from 5 sampled elements.') }),
    el('div', { className: 'toolbar' }, rate, start, pause, cancel, exportJson, exportCsv),
    problem,
    summary,
    sections,
  );
  show(init.state);
}

void client.ready().then(setUp, (error: unknown) => notOpened(app, error));
