/**
 * The rows of a result or of a table as a virtualized grid, with the edits staged in it: column widths by kind, NULL
 * shown apart from the empty string, one row's values in an editing pane below. Rows come from the host a block at a
 * time (WindowCache); staged edits are reported to the page, which hands them to the host to keep and, after a review
 * there, to apply. New rows are drawn after the last row read.
 */
import type { Cell, ColumnInfo } from '../../src/drivers/mysql/resultShapes';
import type { RowEdit } from '../../src/panels/sqlResults/protocol';
import { button, el, shownText } from './dom';
import { VirtualList } from './virtualList';
import { WindowCache } from './windowCache';
import { boxed } from '../../src/drivers/lineBreaks';
import * as l10n from '@vscode/l10n';

type Rows = readonly (readonly Cell[])[];

/** What one grid shows: a result set or a page of a table. */
export interface GridModel {
  readonly columns: readonly ColumnInfo[];
  rowCount: number;
  readonly seeded: Rows;
  /** The rows after the seeded ones, a block at a time. */
  readonly cache: WindowCache<readonly Cell[]>;
  /** Changes to rows read, by row index. */
  readonly changes: Map<number, { kind: 'update'; values: Map<number, Cell> } | { kind: 'delete' }>;
  /** New rows, each with the columns given a value (the others take the column's default). */
  readonly inserts: Map<number, Cell>[];
  readonly editable: boolean;
}

export interface GridOptions {
  readonly label: string;
  /** The staged edits changed (the host keeps them). */
  onEdits(model: GridModel): void;
  /** The scroll position or the selection changed (the page remembers them). */
  onView(): void;
  /** A column header was clicked (sorting, where the page offers it). */
  onHeader?(column: number): void;
  /** The text after a header's name (a sort arrow). */
  headerMark?(column: number): string;
  /** A button beside a value in the editing pane that opens what it refers to (a foreign key). */
  link?: { readonly label: (column: number) => string | undefined; open(column: number, value: Cell): void };
}

/** Column widths by kind: numbers narrow, text wider; long values are cut with an ellipsis and shown whole in the row pane. */
const WIDTHS: Record<ColumnInfo['kind'], number> = { number: 100, date: 170, text: 180, json: 220, binary: 150, other: 160 };
const numberWidth = (rows: number): number => Math.max(56, String(rows).length * 8 + 16);
/** A column's name, type, table and key, for its header's tooltip. */
function columnTip(c: ColumnInfo): string {
  const typed = c.table ? l10n.t('{0}: {1} ({2})', c.name, c.type, c.table) : l10n.t('{0}: {1}', c.name, c.type);
  return c.primaryKey ? l10n.t('{0}, primary key', typed) : typed;
}

const cellText = (cell: Cell | undefined): string => (cell === undefined ? '…' : cell === null ? 'NULL' : cell);

export function gridModel(columns: readonly ColumnInfo[], rowCount: number, seeded: Rows, editable: boolean, fetch: (start: number, count: number) => Promise<Rows>, onLoaded: () => void, onError: (error: unknown) => void, edits: readonly RowEdit[] = []): GridModel {
  const cache = new WindowCache<readonly Cell[]>({ fetch: (_view, start, count) => fetch(start, count), loaded: onLoaded, failed: onError });
  cache.reset(0, rowCount);
  const model: GridModel = { columns, rowCount, seeded, cache, changes: new Map(), inserts: [], editable };
  setEdits(model, edits);
  return model;
}

/** A row read: the first ones came with the result, the rest from the cache (undefined while its block is on its way). */
const cachedRow = (model: GridModel, index: number): readonly Cell[] | undefined => (index < model.seeded.length ? model.seeded[index] : model.cache.row(index));

/** Puts edits as the host holds them into a model. */
export function setEdits(model: GridModel, edits: readonly RowEdit[]): void {
  model.changes.clear();
  model.inserts.length = 0;
  for (const edit of edits) {
    if (edit.kind === 'delete') model.changes.set(edit.row, { kind: 'delete' });
    else if (edit.kind === 'update') model.changes.set(edit.row, { kind: 'update', values: new Map(edit.values.map((v) => [v.column, v.value])) });
    else model.inserts.push(new Map(edit.values.map((v) => [v.column, v.value])));
  }
}

/** A model's staged edits as the host is given them. */
export function editsOf(model: GridModel): RowEdit[] {
  const out: RowEdit[] = [];
  for (const [row, change] of model.changes) {
    if (change.kind === 'delete') out.push({ kind: 'delete', row });
    else if (change.values.size) out.push({ kind: 'update', row, values: [...change.values].map(([column, value]) => ({ column, value })) });
  }
  for (const values of model.inserts) if (values.size) out.push({ kind: 'insert', values: [...values].map(([column, value]) => ({ column, value })) });
  return out;
}

export const editCount = (model: GridModel | undefined): number => (model ? editsOf(model).length : 0);

export class DataGrid {
  readonly element: HTMLElement;
  /** The pane below the grid with the focused row's values. */
  readonly details: HTMLElement;
  private readonly header: HTMLElement;
  private readonly list: VirtualList;
  private model: GridModel | undefined;

  constructor(private readonly options: GridOptions) {
    this.header = el('div', { className: 'columns grid-row', attrs: { role: 'row' } });
    this.details = el('div', { className: 'details', attrs: { 'aria-label': l10n.t('Row details') } });
    this.list = new VirtualList({
      rowHeight: 22,
      label: options.label,
      render: (row, index) => this.render(row, index),
      onSelectionChange: (_selected, focused) => {
        this.showDetails(focused);
        options.onView();
      },
    });
    this.list.element.addEventListener('scroll', () => options.onView());
    this.element = el('div', { className: 'grid-wrap' }, this.header, this.list.element);
  }

  get current(): GridModel | undefined {
    return this.model;
  }

  /** Shows a model, at a remembered position and selection if there is one. */
  show(model: GridModel | undefined, view?: { position: number; selection: readonly number[]; focused: number }): void {
    this.model = model;
    this.details.replaceChildren();
    if (!model) return;
    this.layout();
    this.list.setCount(this.rows(model), true);
    if (view) {
      this.list.moveTo(view.position);
      this.list.restoreSelection(view.selection, view.focused);
      this.showDetails(view.focused);
    }
  }

  /** The rows read so far grew (a run still streaming) or were read again. */
  setRowCount(model: GridModel, count: number): void {
    if (count === model.rowCount) return;
    model.cache.reset(0, count);
    const widened = numberWidth(count) !== numberWidth(model.rowCount);
    model.rowCount = count;
    if (model !== this.model) return;
    if (widened) this.layout();
    this.list.setCount(this.rows(model));
  }

  get view(): { position: number; selection: number[]; focused: number } {
    return { position: this.list.position, selection: this.list.selection(), focused: this.list.focusedIndex };
  }

  get listElement(): HTMLElement {
    return this.list.element;
  }

  refresh(): void {
    if (this.model) this.list.setCount(this.rows(this.model));
    this.list.refresh();
    this.showDetails(this.list.focusedIndex);
  }

  /** Stages the selected rows' deletion (new rows among them are dropped instead). */
  deleteSelected(): void {
    const model = this.model;
    if (!model?.editable) return;
    const dropped = new Set<number>();
    for (const index of this.list.selection()) {
      if (index < model.rowCount) model.changes.set(index, { kind: 'delete' });
      else dropped.add(index - model.rowCount);
    }
    const kept = model.inserts.filter((_, i) => !dropped.has(i));
    model.inserts.splice(0, model.inserts.length, ...kept);
    this.edited(model);
  }

  /** Adds a new row at the end and opens it for editing. */
  insertRow(): void {
    const model = this.model;
    if (!model?.editable) return;
    model.inserts.push(new Map());
    this.list.setCount(this.rows(model));
    const index = model.rowCount + model.inserts.length - 1;
    this.list.restoreSelection([index], index);
    this.list.moveTo(index * 22);
    this.showDetails(index);
  }

  /** How many rows are selected. */
  get selectedCount(): number {
    return this.list.selection().length;
  }

  private rows(model: GridModel): number {
    return model.rowCount + model.inserts.length;
  }

  private edited(model: GridModel): void {
    this.refresh();
    this.options.onEdits(model);
  }

  private layout(): void {
    const model = this.model!;
    const columns = model.columns;
    const template = `${numberWidth(model.rowCount)}px ${columns.map((c) => `${WIDTHS[c.kind]}px`).join(' ')}`;
    this.header.style.gridTemplateColumns = template;
    this.element.style.setProperty('--grid-columns', template);
    this.header.replaceChildren(el('span', { className: 'cell rownum', text: '#' }), ...columns.map((c, i) => {
      const text = `${c.name}${this.options.headerMark?.(i) ?? ''}`;
      const tip = columnTip(c);
      if (!this.options.onHeader) return el('span', { className: `cell kind-${c.kind}`, text, attrs: { title: tip, role: 'columnheader' } });
      const button = el('button', { className: `cell header-button kind-${c.kind}`, text, attrs: { type: 'button', title: l10n.t('{0}. Click to sort.', tip), role: 'columnheader' } });
      button.addEventListener('click', () => this.options.onHeader?.(i));
      return button;
    }));
    this.element.style.width = `${numberWidth(model.rowCount) + columns.reduce((w, c) => w + WIDTHS[c.kind] + 8, 0) + 20}px`;
  }

  private render(row: HTMLElement, index: number): void {
    const model = this.model;
    if (!model) return;
    const n = model.columns.length;
    const inserted = index >= model.rowCount ? model.inserts[index - model.rowCount] : undefined;
    const cells = inserted ? undefined : cachedRow(model, index);
    const change = model.changes.get(index);
    if (row.childElementCount !== n + 1) row.replaceChildren(el('span', { className: 'cell rownum' }), ...model.columns.map((c) => el('span', { className: `cell kind-${c.kind}` })));
    row.classList.add('grid-row');
    row.classList.toggle('edited', change?.kind === 'update');
    row.classList.toggle('deleted', change?.kind === 'delete');
    row.classList.toggle('inserted', inserted !== undefined);
    (row.children[0] as HTMLElement).textContent = inserted ? '+' : String(index + 1);
    for (let i = 0; i < n; i++) {
      const value = inserted ? (inserted.has(i) ? inserted.get(i) : 'DEFAULT') : change?.kind === 'update' && change.values.has(i) ? change.values.get(i) : cells?.[i];
      const span = row.children[i + 1] as HTMLElement;
      span.textContent = shownText(cellText(value));
      span.classList.toggle('null', value === null || (inserted !== undefined && !inserted.has(i)));
    }
  }

  private showDetails(index: number): void {
    const model = this.model;
    if (!model || index < 0) return this.details.replaceChildren();
    const inserted = index >= model.rowCount ? model.inserts[index - model.rowCount] : undefined;
    const cells = inserted ? [] : cachedRow(model, index);
    if (!inserted && !cells) return this.details.replaceChildren(el('p', { className: 'help', text: l10n.t('Row {0} is loading…', String(index + 1)) }));
    const change = model.changes.get(index);
    const fields = model.columns.map((c, i) => {
      const staged = inserted ? inserted : change?.kind === 'update' ? change.values : undefined;
      const value = staged?.has(i) ? staged.get(i)! : inserted ? '' : cells?.[i] ?? null;
      // Key columns identify the row: they are set on a new row, never changed on one that was read.
      const box = boxed(value ?? '');
      const writable = model.editable && change?.kind !== 'delete' && (inserted !== undefined || !c.primaryKey) && box.editable;
      const input = el('textarea', { attrs: { rows: '1', spellcheck: 'false', 'aria-label': c.name, ...(writable ? {} : { readonly: '' }), ...(inserted && !inserted.has(i) ? { placeholder: 'DEFAULT' } : {}),
        ...(box.mixed ? { title: l10n.t('mixed line breaks (CRLF, LF, CR): shown, not edited here, so that none changes') } : {}) } });
      input.value = value ?? '';
      const isNull = el('input', { attrs: { type: 'checkbox', 'aria-label': l10n.t('{0} is NULL', c.name), ...(writable ? {} : { disabled: '' }) } });
      isNull.checked = value === null;
      const stage = (): void => {
        const next: Cell = isNull.checked ? null : box.typed(input.value);
        if (inserted) inserted.set(i, next);
        else {
          const values = change?.kind === 'update' ? change.values : new Map<number, Cell>();
          values.set(i, next);
          model.changes.set(index, { kind: 'update', values });
        }
        this.edited(model);
      };
      input.addEventListener('change', () => {
        isNull.checked = false;
        stage();
      });
      isNull.addEventListener('change', stage);
      const linkLabel = !inserted && value !== null ? this.options.link?.label(i) : undefined;
      const link = linkLabel ? button(linkLabel, { secondary: true }) : undefined;
      link?.addEventListener('click', () => this.options.link?.open(i, cells?.[i] ?? null));
      return el('div', { className: 'field' }, el('span', { className: 'field-name', text: c.name, attrs: { title: c.type } }), input,
        el('span', { className: 'inline' }, el('label', { className: 'inline' }, isNull, el('span', { text: 'NULL' })), link));
    });
    const revert = button(inserted ? l10n.t('Remove new row') : l10n.t('Revert row'), { secondary: true });
    revert.disabled = !inserted && !change;
    revert.hidden = !model.editable;
    revert.addEventListener('click', () => {
      if (inserted) model.inserts.splice(index - model.rowCount, 1);
      else model.changes.delete(index);
      this.edited(model);
    });
    const title = inserted ? l10n.t('New row') : change?.kind === 'delete' ? l10n.t('Row {0} (to be deleted)', String(index + 1)) : l10n.t('Row {0}', String(index + 1));
    this.details.replaceChildren(el('div', { className: 'toolbar' }, el('h2', { text: title }), revert), ...fields);
  }
}
