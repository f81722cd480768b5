import { el } from './dom';
import { clampOffset, ListShape, rowsInView, scrollScale } from './scrollScale';

export interface VirtualListOptions {
  readonly rowHeight: number;
  /** Fills a row element for the item at `index` (reused rows: set every cell). */
  readonly render: (row: HTMLElement, index: number) => void;
  readonly onActivate?: (index: number) => void;
  readonly onSelectionChange?: (selected: ReadonlySet<number>, focused: number) => void;
  readonly label: string;
  /** The most rows a range or Ctrl+A selects (a list of millions would otherwise hold millions of numbers). */
  readonly maxSelection?: number;
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
  /** Where the view starts, in pixels of the full list (count × rowHeight): scrollTop × scale, kept exact. */
  private offset = 0;
  /** Full-list pixels per pixel of the scroll bar's range (see scrollScale). */
  private scale = 1;
  /** The scrollTop last set here, to tell the user's scrolling from ours. */
  private setScrollTop = 0;
  /** The view's height when the scale was worked out. */
  private view = 0;
  /** A live tail: the view stays at the end as rows are added, until the user scrolls away from it. */
  private following = false;

  constructor(private readonly options: VirtualListOptions) {
    this.spacer = el('div', { className: 'vlist-spacer' });
    this.element = el('div', { className: 'vlist', attrs: { tabindex: '0', role: 'listbox', 'aria-label': options.label, 'aria-multiselectable': 'true' } }, this.spacer);
    this.element.addEventListener('scroll', () => this.onScroll());
    this.element.addEventListener('wheel', (event) => this.onWheel(event), { passive: false });
    this.element.addEventListener('keydown', (event) => this.onKey(event));
    this.element.addEventListener('click', (event) => {
      const index = this.indexAt(event);
      if (index >= 0) this.select(index, event.shiftKey, event.ctrlKey || event.metaKey);
    });
    this.element.addEventListener('dblclick', (event) => {
      const index = this.indexAt(event);
      if (index >= 0) this.options.onActivate?.(index);
    });
    new ResizeObserver(() => this.fit()).observe(this.element);
  }

  /** Sets how many items there are; keeps the scroll position. Selection is cleared when `reset`. */
  setCount(count: number, reset = false): void {
    this.count = count;
    if (reset) {
      this.selected.clear();
      this.focused = -1;
      this.offset = 0;
    }
    this.fit();
  }

  /**
   * Sizes the scrollable area for the count and the view's height, keeping the view where it is — and the focused row
   * in view if it was (a details pane opening under the list must not hide the row it details).
   */
  private fit(): void {
    const rowHeight = this.options.rowHeight;
    const focusedTop = this.focused * rowHeight;
    const focusedShown = this.focused >= 0 && focusedTop >= this.offset && focusedTop + rowHeight <= this.offset + this.view;
    this.view = this.element.clientHeight;
    const { height, scale } = scrollScale(this.shape());
    this.spacer.style.height = `${height}px`;
    this.scale = scale;
    this.scrollTo(this.following ? Infinity : this.offset);
    if (focusedShown && !this.following) this.reveal(this.focused);
  }

  /** Keeps the view at the end as rows are added (a live tail), until the user scrolls up. */
  follow(): void {
    this.following = true;
    this.scrollTo(Infinity);
  }

  get isFollowing(): boolean {
    return this.following;
  }

  /** Where the view starts, in pixels of the full list: what to hand back to `moveTo` after a reload. */
  get position(): number {
    return this.offset;
  }

  moveTo(position: number): void {
    this.following = false;
    this.scrollTo(position);
  }

  /** Moves the view to start at `offset` pixels of the full list. */
  private scrollTo(offset: number): void {
    this.offset = clampOffset(offset, this.shape());
    this.element.scrollTop = this.offset / this.scale;
    this.setScrollTop = this.element.scrollTop;
    this.schedule();
  }

  private onScroll(): void {
    // The view was resized, and the browser moved the scroll bar to fit: the rows in view stay, at the new scale.
    if (this.element.clientHeight !== this.view) return this.fit();
    // The user moved the scroll bar (our own scrolling reads back as what was set).
    if (Math.abs(this.element.scrollTop - this.setScrollTop) >= 1) {
      this.offset = this.element.scrollTop * this.scale;
      this.setScrollTop = this.element.scrollTop;
      this.following = this.following && this.offset >= clampOffset(Infinity, this.shape()) - this.options.rowHeight;
    }
    this.schedule();
  }

  /** On a scaled list the wheel moves by rows' pixels, not the scroll bar's (which would skip rows). */
  private onWheel(event: WheelEvent): void {
    if (this.scale === 1 || Math.abs(event.deltaY) <= Math.abs(event.deltaX)) return;
    event.preventDefault();
    const unit = event.deltaMode === WheelEvent.DOM_DELTA_LINE ? this.options.rowHeight : event.deltaMode === WheelEvent.DOM_DELTA_PAGE ? this.element.clientHeight : 1;
    this.scrollTo(this.offset + event.deltaY * unit);
    if (event.deltaY < 0) this.following = false;
  }

  /** Redraws the rows in view (their data changed). */
  refresh(): void {
    this.schedule();
  }

  /** The index range currently drawn, [first, last). */
  visibleRange(): [number, number] {
    return rowsInView(this.offset, this.shape());
  }

  /** The list as it is now: its rows, and the view's height as the browser has it. */
  private shape(): ListShape {
    return { rows: this.count, rowHeight: this.options.rowHeight, view: this.element.clientHeight };
  }

  /**
   * Selects `indices` with `focused` focused, as a restored view had them (rows past the end are dropped); scrolls the
   * focused row into view if asked. Selection listeners are not told: the caller shows what it restored.
   */
  restoreSelection(indices: readonly number[], focused: number, reveal = false): void {
    this.selected.clear();
    for (const index of indices) if (index >= 0 && index < this.count) this.selected.add(index);
    this.focused = focused >= 0 && focused < this.count ? focused : -1;
    this.anchor = this.focused;
    if (reveal && this.focused >= 0) this.reveal(this.focused);
    this.schedule();
  }

  selection(): number[] {
    return [...this.selected].sort((a, b) => a - b);
  }

  /** The row the keyboard is on (-1: none). */
  get focusedIndex(): number {
    return this.focused;
  }

  private indexAt(event: MouseEvent): number {
    const target = (event.target as HTMLElement).closest<HTMLElement>('.vlist-row');
    return target ? Number(target.dataset['index']) : -1;
  }

  private select(index: number, extend: boolean, toggle: boolean): void {
    if (extend && this.anchor >= 0) {
      this.selected.clear();
      const limit = this.options.maxSelection ?? Infinity;
      const step = index >= this.anchor ? 1 : -1;
      for (let i = this.anchor; this.selected.size < limit; i += step) {
        this.selected.add(i);
        if (i === index) break;
      }
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
    if (top < this.offset) this.scrollTo(top);
    else if (top + this.options.rowHeight > this.offset + view) this.scrollTo(top + this.options.rowHeight - view);
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
      for (let i = 0; i < Math.min(this.count, this.options.maxSelection ?? Infinity); i++) this.selected.add(i);
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
    const first = Math.max(0, Math.floor(this.offset / height) - 5);
    const visible = Math.ceil(this.element.clientHeight / height) + 10;
    const last = Math.min(this.count, first + visible);
    const shift = this.element.scrollTop - this.offset;
    while (this.pool.length < last - first) {
      const row = el('div', { className: 'vlist-row', attrs: { role: 'option' } });
      this.pool.push(row);
      this.element.append(row);
    }
    this.pool.forEach((row, slot) => {
      const index = first + slot;
      // A row not needed now leaves the document (not just the view): nothing, a test's locator included, can hold
      // on to it as if it still showed an item.
      if (index >= last) {
        row.remove();
        return;
      }
      if (!row.isConnected) this.element.append(row);
      // Placed relative to the view, so no row is ever far down the scrollable area.
      row.style.transform = `translateY(${index * height + shift}px)`;
      row.dataset['index'] = String(index);
      row.setAttribute('aria-selected', String(this.selected.has(index)));
      row.classList.toggle('focused', index === this.focused);
      this.options.render(row, index);
    });
  }
}
