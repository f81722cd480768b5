/**
 * The shape of the panels that list what a server is doing and read it again on demand or every 2 s (MySQL
 * processes, Redis clients, the slow log): a header with the read time, a toolbar, the place where questions are
 * asked, what the last action did, what went wrong, and a virtual table whose chosen row keeps its identity across
 * refreshes. Each panel gives its columns, its words and its actions.
 */
import * as v from 'valibot';
import * as l10n from '@vscode/l10n';
import './l10n';
import { button, el, fillRow } from './dom';
import { VirtualList } from './virtualList';
import { ViewState } from './vscodeApi';
import './serverList.css';
import { problemText } from './problemOf';

export interface ServerListOptions<Row> {
  /** The table's column titles; a row's cells come in the same order. */
  readonly columns: readonly string[];
  /** The table's accessible name, e.g. "Clients". */
  readonly label: string;
  readonly cells: (row: Row) => readonly string[];
  readonly tooltip?: (row: Row) => string;
  /** What a row is known by across reads (its id, not its place), kept while the panel is hidden. */
  readonly key: (row: Row) => string;
  /** Filtering by text: the box's words and the text a row is matched against. */
  readonly filter?: { readonly placeholder: string; readonly label: string; readonly text: (row: Row) => string };
  /** Whether it refreshes every 2 s when first opened; no toggle when undefined. */
  readonly auto?: boolean;
  /** The status line's words for the rows shown of all those read, e.g. "3 of 12 clients". */
  readonly counted: (shown: number, total: number) => string;
  /** The toolbar's controls after Refresh (and the auto toggle). */
  readonly actions: readonly HTMLElement[];
  readonly refresh: () => Promise<unknown>;
  /** Called when the chosen row changes or goes. */
  readonly onFocus?: () => void;
}

/** What the webview remembers while hidden: the filter, whether it refreshes by itself, the row chosen, the scroll. */
const viewState = new ViewState(v.object({ filter: v.string(), auto: v.boolean(), chosen: v.exactOptional(v.string()), position: v.exactOptional(v.number()) }));


export class ServerList<Row> {
  /** Where the panel asks before a change (webview/shared/confirm.ts). */
  readonly questions = el('div');
  /** What the last action did: kept apart from the status line, which every refresh rewrites. */
  readonly notice = el('div', { className: 'notice', attrs: { role: 'status' } });
  private readonly status = el('span', { className: 'status', attrs: { role: 'status' } });
  private readonly problem = el('div', { className: 'error-text', attrs: { role: 'alert' } });
  private readonly filter: HTMLInputElement | undefined;
  private readonly auto: HTMLInputElement | undefined;
  private readonly list: VirtualList;
  private rows: readonly Row[] = [];
  private shown: readonly Row[] = [];
  private readAt = 0;
  private chosen: Row | undefined;
  /** Text after the count in the status line (the slow log's threshold, say). */
  private facts = '';
  /** The row chosen and the scroll before the panel was hidden, put back on the first read that has it. */
  private restore: { readonly chosen?: string; readonly position?: number } | undefined;
  private rememberTimer = 0;

  constructor(private readonly options: ServerListOptions<Row>) {
    const saved = viewState.read();
    this.restore = saved;
    this.list = new VirtualList({
      rowHeight: 22,
      label: options.label,
      render: (element, index) => {
        const row = this.shown[index]!;
        fillRow(element, options.cells(row));
        if (options.tooltip) element.title = options.tooltip(row);
      },
      onSelectionChange: (_selected, index) => {
        this.chosen = this.shown[index];
        this.remember();
        options.onFocus?.();
      },
    });
    this.list.element.addEventListener('scroll', () => {
      if (!this.rememberTimer) this.rememberTimer = window.setTimeout(() => this.remember(), 150);
    });
    if (options.filter) {
      this.filter = el('input', { attrs: { type: 'search', placeholder: options.filter.placeholder, 'aria-label': options.filter.label, spellcheck: 'false' } });
      this.filter.value = saved?.filter ?? '';
      this.filter.addEventListener('input', () => {
        this.remember();
        this.apply();
      });
    }
    if (options.auto !== undefined) {
      this.auto = el('input', { attrs: { type: 'checkbox', 'aria-label': l10n.t('Refresh every 2 seconds') } });
      this.auto.checked = saved?.auto ?? options.auto;
      this.auto.addEventListener('change', () => this.remember());
      setInterval(() => this.auto?.checked && !document.hidden && this.run(options.refresh), 2000);
    }
  }

  /** The row chosen, as last read. */
  get focused(): Row | undefined {
    return this.chosen;
  }

  /** The panel's content under its title, to put in the document. */
  element(title: string): HTMLElement[] {
    const refresh = button(l10n.t('Refresh'), { secondary: true });
    refresh.addEventListener('click', () => this.run(this.options.refresh));
    const header = el('div', { className: 'columns', attrs: { 'aria-hidden': 'true' } }, ...this.options.columns.map((t, i) => el('span', { className: `cell c${i}`, text: t })));
    return [
      el('header', {}, el('h1', { text: title }), this.status),
      el('div', { className: 'toolbar' }, this.filter, refresh, this.auto ? el('label', {}, this.auto, el('span', { text: l10n.t('every 2 s') })) : undefined, ...this.options.actions),
      this.questions,
      this.notice,
      this.problem,
      el('div', { className: 'table' }, header, this.list.element),
    ];
  }

  /** Shows a new read of the server: its rows, when it was read (0: not yet), what failed, what else to say. */
  show(rows: readonly Row[], readAt: number, error: string | undefined, facts = ''): void {
    this.rows = rows;
    this.readAt = readAt;
    this.facts = facts;
    this.problem.textContent = error ?? '';
    this.apply();
  }

  /** Runs an action of the panel, showing its failure where errors show. */
  run(action: () => Promise<unknown>): void {
    this.problem.textContent = '';
    void action().catch((error: unknown) => this.fail(problemText(error)));
  }

  fail(message: string): void {
    this.problem.textContent = message;
  }

  private apply(): void {
    const needle = this.filter?.value.toLowerCase() ?? '';
    const text = this.options.filter?.text;
    this.shown = needle && text ? this.rows.filter((row) => text(row).toLowerCase().includes(needle)) : this.rows;
    // The list is read again every few seconds: the chosen row stays chosen by its identity, not its place.
    const chosen = this.chosen === undefined ? this.restore?.chosen : this.options.key(this.chosen);
    this.chosen = chosen === undefined ? undefined : this.shown.find((row) => this.options.key(row) === chosen);
    this.list.setCount(this.shown.length);
    if (this.restore && this.readAt) {
      // The first read after the panel came back: the row chosen before is chosen again, the list scrolled as it was.
      const at = this.chosen ? this.shown.indexOf(this.chosen) : -1;
      if (at >= 0) this.list.restoreSelection([at], at);
      if (this.restore.position !== undefined) this.list.moveTo(this.restore.position);
      this.restore = undefined;
    }
    this.list.refresh();
    this.status.textContent = this.readAt
      ? [this.options.counted(this.shown.length, this.rows.length), this.facts, l10n.t('read at {0}', new Date(this.readAt).toLocaleTimeString())].filter(Boolean).join(' · ')
      : l10n.t('Reading…');
    this.options.onFocus?.();
  }

  private remember(): void {
    window.clearTimeout(this.rememberTimer);
    this.rememberTimer = 0;
    viewState.write({ filter: this.filter?.value ?? '', auto: this.auto?.checked ?? false, ...(this.chosen ? { chosen: this.options.key(this.chosen) } : {}), position: this.list.position });
  }
}
