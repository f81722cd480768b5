import * as l10n from '@vscode/l10n';
import { browserProtocol, Item, Line, MAX_ROWS, MAX_WINDOW, ViewMemory } from '../../src/panels/redisBrowser/protocol';
import type { Init } from '../../src/panels/ipc/protocol';
import type { PanelClient } from '../shared/ipc';
import { el } from '../shared/dom';
import { VirtualList } from '../shared/virtualList';
import { WindowCache } from '../shared/windowCache';
import type { Target } from './keyDetails';
import { drawLine } from './keyRow';
import { KeyMetadata } from './metadata';
import type { Failed } from './toolbar';

const ROW_HEIGHT = 22;

/** What the list tells the panel, and asks of it. */
export interface KeyListEvents {
  /** The scan the lines are of now: answers for an older one are dropped. */
  generation(): number;
  /** Whether the keys are drawn as a tree, the one view whose lines move under what is selected. */
  isTree(): boolean;
  /** A key was selected or activated: show it. */
  open(target: Target): void;
  /** What is selected changed (Delete Selected acts on keys only). */
  selectionChanged(): void;
  /** What the host keeps of the view changed: tell it. */
  changed(): void;
  /** The Delete key was pressed in the list. */
  deleteSelected(): void;
  readonly failed: Failed;
}

/** What the view showed before the panel was hidden, with the lines where its items are drawn now. */
type Restored = NonNullable<Init<typeof browserProtocol>['restored']>;

const itemOf = (line: Line): Item => (line.kind === 'key' ? { kind: 'key', row: line.row } : { kind: 'folder', folder: line.folder });

/**
 * The keys as a list or a tree: the host's lines drawn a window at a time, and what is selected in them, held by
 * item (row and folder) so that it stays on its keys as lines move.
 */
export class KeyList {
  /** The column headings and the list under them. */
  readonly element: HTMLElement;
  private readonly cache: WindowCache<Line>;
  private readonly list: VirtualList;
  private readonly metadata: KeyMetadata;
  private count = 0;
  /** Each list drawn (a scan's keys, the tree, a group) is a view of the window, numbered here. */
  private windowView = 0;
  /** What is selected, by row and folder: lines move as keys arrive and folders open, these do not. */
  private selected: Item[] = [];
  private focused: Item | null = null;
  /** The item drawn on the top line, kept there as lines move above it. */
  private top: { item: Item; line: number } | null = null;
  /** The top line told to the host was not fresh: it is told again once the lines are here. */
  private rememberWhenLoaded = false;
  /** Bumped on each selection change: one that has to fetch its lines must not win over a later one that did not. */
  private selecting = 0;

  constructor(private readonly client: PanelClient<typeof browserProtocol>, private readonly events: KeyListEvents) {
    this.cache = new WindowCache<Line>({
      fetch: async (_view, start, count) => {
        const generation = events.generation();
        const answer = await client.request('window', { generation, start, count: Math.min(count, MAX_WINDOW) });
        return answer.generation === events.generation() ? answer.items : undefined;
      },
      loaded: () => {
        this.list.refresh();
        this.metadata.want();
        if (this.rememberWhenLoaded) events.changed();
      },
      failed: events.failed(l10n.t('The keys could not be read')),
    });
    this.list = new VirtualList({
      rowHeight: ROW_HEIGHT,
      label: l10n.t('Keys'),
      maxSelection: MAX_ROWS,
      render: (row, index) => drawLine(row, this.cache.row(index)),
      onActivate: (index) => void this.activate(index),
      onSelectionChange: (indices, at) => void this.selectionChanged([...indices], at),
    });
    this.metadata = new KeyMetadata(client, this.cache, this.list, () => events.generation(), events.failed);
    this.list.element.addEventListener('keydown', (event) => {
      if (event.key !== 'Delete' || event.ctrlKey || event.altKey || event.metaKey) return;
      event.preventDefault();
      events.deleteSelected();
    });
    this.list.element.addEventListener('scroll', () => events.changed());
    const header = el('div', { className: 'columns', attrs: { 'aria-hidden': 'true' } }, ...[l10n.t('Key'), l10n.t('Type'), l10n.t('TTL'), l10n.t('Memory')].map((t, i) => el('span', { className: `cell c${i}`, text: t })));
    this.element = el('div', { className: 'table' }, header, this.list.element);
  }

  /** How many lines the view has. */
  get lines(): number {
    return this.count;
  }

  get keysSelected(): boolean {
    return this.selected.some((i) => i.kind === 'key');
  }

  /** The scan's rows of the selected keys (folders left out). */
  get selectedRows(): number[] {
    return this.selected.flatMap((item) => (item.kind === 'key' ? [item.row] : []));
  }

  /** The lines the panel opened with, and what was selected and on the top line before it was hidden. */
  start(total: number, restored: Restored | null): void {
    this.count = total;
    this.cache.reset(++this.windowView, total);
    this.list.setCount(total, true);
    if (restored) {
      this.selected = [...restored.memory.selected];
      this.focused = restored.memory.focused;
      this.list.restoreSelection(restored.selected, restored.focused);
      if (restored.top >= 0 && restored.memory.top) {
        this.top = { item: restored.memory.top, line: restored.top };
        this.list.moveTo(restored.top * ROW_HEIGHT + restored.memory.topOffset);
      }
    }
    this.list.refresh();
  }

  /** Another list (a new scan, the tree, a group): drawn from its first line, nothing selected. */
  replace(total: number): void {
    this.count = total;
    this.cache.reset(++this.windowView, total);
    this.list.setCount(total, true);
    this.selected = [];
    this.focused = null;
    this.top = null;
    this.list.refresh();
  }

  /** Keys arrived after the lines held: the same lines, more of them. */
  grew(total: number): void {
    this.count = total;
    this.cache.reset(this.windowView, total);
    this.list.setCount(total);
    this.list.refresh();
  }

  /** The host's lines moved (a folder opened, keys arrived in the tree): redraw, keeping the selection and the top. */
  moved(total: number): void {
    this.count = total;
    this.cache.reset(this.windowView, total);
    this.cache.invalidate();
    this.list.setCount(total);
    this.list.refresh();
    void this.relocate();
  }

  /** What the lines show of keys may have changed (a write, a delete): read the lines drawn again. */
  redraw(): void {
    this.cache.invalidate();
    this.list.refresh();
  }

  /**
   * What the host keeps of the view for when it comes back after being hidden. The top line is told by the item
   * drawn on it, read from fresh lines only: while lines are being fetched after they moved, what is held may be the
   * item that was there before, so the top is told again once they are here.
   */
  memory(): Pick<ViewMemory, 'selected' | 'focused' | 'top' | 'topOffset'> {
    const [first] = this.list.visibleRange();
    const line = this.count > 0 ? this.cache.fresh(first) : undefined;
    // Until they are, the top item is the one last known (moves of the lines keep it where it is drawn).
    this.rememberWhenLoaded = this.count > 0 && !line;
    if (line) this.top = { item: itemOf(line), line: first };
    else if (this.count === 0) this.top = null;
    return {
      selected: this.selected,
      focused: this.focused,
      top: this.top?.item ?? null,
      topOffset: this.top ? Math.max(0, Math.min(1000, this.list.position - this.top.line * ROW_HEIGHT)) : 0,
    };
  }

  private async activate(index: number): Promise<void> {
    const line = await this.cache.get(index);
    if (line?.kind === 'folder') {
      const answer = await this.client.request('toggle', { generation: this.events.generation(), folder: line.folder, expanded: !line.expanded }).catch(this.events.failed(l10n.t('The folder could not be opened')));
      if (answer) this.moved(answer.lines);
    } else if (line) {
      this.events.open({ key: line.key, row: line.row });
    }
  }

  private async selectionChanged(indices: number[], at: number): Promise<void> {
    const generation = this.events.generation();
    const mine = ++this.selecting;
    const items = await this.itemsAt(indices);
    if (generation !== this.events.generation() || mine !== this.selecting) return;
    this.selected = items;
    const line = at >= 0 ? await this.cache.get(at) : undefined;
    if (mine !== this.selecting) return;
    this.focused = line ? itemOf(line) : null;
    this.events.selectionChanged();
    if (line?.kind === 'key') this.events.open({ key: line.key, row: line.row });
    this.events.changed();
  }

  /** The items on the given lines as drawn, fetching the lines not here (a range selected past what is held). */
  private async itemsAt(indices: readonly number[]): Promise<Item[]> {
    const out: Item[] = [];
    const missing = indices.filter((i) => !this.cache.held(i));
    const fetched = new Map<number, Line>();
    for (let i = 0; i < missing.length;) {
      const start = missing[i]!;
      const answer = await this.client.request('window', { generation: this.events.generation(), start, count: MAX_WINDOW });
      answer.items.forEach((line, n) => fetched.set(start + n, line));
      while (i < missing.length && missing[i]! < start + MAX_WINDOW) i++;
    }
    for (const index of indices) {
      const line = this.cache.held(index) ?? fetched.get(index);
      if (line) out.push(itemOf(line));
    }
    return out;
  }

  /** Puts the selection and the top line back where their items are drawn now. */
  private async relocate(): Promise<void> {
    if (!this.events.isTree() || (!this.selected.length && !this.focused && !this.top)) return;
    const generation = this.events.generation();
    const asked = [this.top?.item ?? { kind: 'folder', folder: 0 }, this.focused ?? { kind: 'folder', folder: 0 }, ...this.selected] satisfies Item[];
    const found = await this.client.request('locate', { generation, items: asked }).catch(() => undefined);
    if (!found || generation !== this.events.generation()) return;
    const [topLine = -1, focusedLine = -1, ...lines] = found;
    if (this.top && topLine >= 0 && topLine !== this.top.line) {
      this.list.moveTo(topLine * ROW_HEIGHT + (this.list.position - this.top.line * ROW_HEIGHT));
      this.top = { item: this.top.item, line: topLine };
    }
    this.list.restoreSelection(lines.filter((l) => l >= 0), focusedLine);
  }
}
