import { el } from './dom';

export interface VirtualListOptions {
  readonly rowHeight: number;
  /** Fills a row element for the item at `index` (reused rows: set every cell). */
  readonly render: (row: HTMLElement, index: number) => void;
  readonly onActivate?: (index: number) => void;
  readonly onSelectionChange?: (selected: ReadonlySet<number>, focused: number) => void;
  readonly label: string;
}

/**
 * A list that renders only the rows in view, so a million of them scroll smoothly. Keyboard: arrows, Page Up/Down,
 * Home/End, Enter to activate, Shift/Ctrl to select several.
 */
export class VirtualList {
  readonly element: HTMLElement;
  private readonly spacer: HTMLElement;
  private readonly pool: HTMLElement[] = [];
  private count = 0;
  private focused = -1;
  private readonly selected = new Set<number>();
  private anchor = -1;
  private frame = 0;

  constructor(private readonly options: VirtualListOptions) {
    this.spacer = el('div', { className: 'vlist-spacer' });
    this.element = el('div', { className: 'vlist', attrs: { tabindex: '0', role: 'listbox', 'aria-label': options.label, 'aria-multiselectable': 'true' } }, this.spacer);
    this.element.addEventListener('scroll', () => this.schedule());
    this.element.addEventListener('keydown', (event) => this.onKey(event));
    this.element.addEventListener('click', (event) => {
      const index = this.indexAt(event);
      if (index >= 0) this.select(index, event.shiftKey, event.ctrlKey || event.metaKey);
    });
    this.element.addEventListener('dblclick', (event) => {
      const index = this.indexAt(event);
      if (index >= 0) this.options.onActivate?.(index);
    });
    new ResizeObserver(() => this.schedule()).observe(this.element);
  }

  /** Sets how many items there are; keeps the scroll position. Selection is cleared when `reset`. */
  setCount(count: number, reset = false): void {
    this.count = count;
    if (reset) {
      this.selected.clear();
      this.focused = -1;
      this.element.scrollTop = 0;
    }
    this.spacer.style.height = `${count * this.options.rowHeight}px`;
    this.schedule();
  }

  /** Redraws the rows in view (their data changed). */
  refresh(): void {
    this.schedule();
  }

  /** The index range currently drawn, [first, last). */
  visibleRange(): [number, number] {
    const height = this.options.rowHeight;
    const first = Math.max(0, Math.floor(this.element.scrollTop / height));
    return [first, Math.min(this.count, first + Math.ceil(this.element.clientHeight / height) + 1)];
  }

  selection(): number[] {
    return [...this.selected].sort((a, b) => a - b);
  }

  private indexAt(event: MouseEvent): number {
    const target = (event.target as HTMLElement).closest<HTMLElement>('.vlist-row');
    return target ? Number(target.dataset['index']) : -1;
  }

  private select(index: number, extend: boolean, toggle: boolean): void {
    if (extend && this.anchor >= 0) {
      this.selected.clear();
      for (let i = Math.min(this.anchor, index); i <= Math.max(this.anchor, index); i++) this.selected.add(i);
    } else if (toggle) {
      if (this.selected.has(index)) this.selected.delete(index);
      else this.selected.add(index);
      this.anchor = index;
    } else {
      this.selected.clear();
      this.selected.add(index);
      this.anchor = index;
    }
    this.focused = index;
    this.reveal(index);
    this.options.onSelectionChange?.(this.selected, index);
    this.schedule();
  }

  private reveal(index: number): void {
    const top = index * this.options.rowHeight;
    const view = this.element.clientHeight;
    if (top < this.element.scrollTop) this.element.scrollTop = top;
    else if (top + this.options.rowHeight > this.element.scrollTop + view) this.element.scrollTop = top + this.options.rowHeight - view;
  }

  private onKey(event: KeyboardEvent): void {
    if (this.count === 0) return;
    const page = Math.max(1, Math.floor(this.element.clientHeight / this.options.rowHeight) - 1);
    const moves: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page, Home: -Infinity, End: Infinity };
    const move = moves[event.key];
    if (move !== undefined) {
      event.preventDefault();
      const next = Math.max(0, Math.min(this.count - 1, (this.focused < 0 ? 0 : this.focused) + (Number.isFinite(move) ? move : move > 0 ? this.count : -this.count)));
      this.select(next, event.shiftKey, false);
    } else if (event.key === 'Enter' && this.focused >= 0) {
      event.preventDefault();
      this.options.onActivate?.(this.focused);
    } else if ((event.key === 'a' || event.key === 'A') && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      for (let i = 0; i < this.count; i++) this.selected.add(i);
      this.options.onSelectionChange?.(this.selected, this.focused);
      this.schedule();
    }
  }

  private schedule(): void {
    if (!this.frame) this.frame = requestAnimationFrame(() => this.draw());
  }

  private draw(): void {
    this.frame = 0;
    const height = this.options.rowHeight;
    const first = Math.max(0, Math.floor(this.element.scrollTop / height) - 5);
    const visible = Math.ceil(this.element.clientHeight / height) + 10;
    const last = Math.min(this.count, first + visible);
    while (this.pool.length < last - first) {
      const row = el('div', { className: 'vlist-row', attrs: { role: 'option' } });
      this.pool.push(row);
      this.element.append(row);
    }
    this.pool.forEach((row, slot) => {
      const index = first + slot;
      if (index >= last) {
        row.style.display = 'none';
        return;
      }
      row.style.display = '';
      row.style.transform = `translateY(${index * height}px)`;
      row.dataset['index'] = String(index);
      row.setAttribute('aria-selected', String(this.selected.has(index)));
      row.classList.toggle('focused', index === this.focused);
      this.options.render(row, index);
    });
  }
}
