import type { RedisSession } from '../../drivers/redis';
import { displayBytes, keyBytes, keyRef } from '../../drivers/redis/keys';
import type { KeyRef } from '../../drivers/redis/shapes';
import { KeyIndex, ROOT } from '../keyWindow/keyIndex';
import type { WireError } from '../ipc/protocol';
import { KEY_TYPES, type Item, type KeyMeta, type Line, type ScanState, type View, type ViewMemory } from './protocol';
import { PauseGate } from '../../core/pauseGate';

/** Type, TTL and memory remembered for this many keys (the ones looked at lately). */
const META_CACHE = 20_000;
/** Prefix groups offered, the biggest first. */
const GROUPS = 500;
/** How often the webview hears how the scan goes. */
const NOTIFY_MS = 200;

export interface ModelEvents {
  /** The scan moved on or ended; `groups` when the prefix groups may have changed. */
  changed(state: ScanState, lines: number, groups: boolean): void;
  /** A failure as the panel shows it, worded in the user's language by the VS Code layer. */
  errorOf(error: unknown): WireError;
}

/**
 * What a Redis key browser holds on the extension host, without VS Code: the scan and its state, every key it found
 * (KeyIndex), how the view shows them (flat list, one prefix group, or the tree) and what it showed, so that a
 * webview that was hidden and reloaded shows the same. Lines are handed out a window at a time.
 */
export class BrowserModel {
  private index: KeyIndex;
  private state: ScanState;
  private view: View = { mode: 'list', group: null };
  private readonly meta = new Map<number, KeyMeta>();
  private controller: AbortController | undefined;
  private readonly gate = new PauseGate();
  private memory: ViewMemory | undefined;
  private timer: NodeJS.Timeout | undefined;
  private groupsChanged = false;

  constructor(private readonly db: number, readonly delimiter: string, private readonly events: ModelEvents) {
    this.index = new KeyIndex(delimiter);
    this.state = { generation: 0, phase: 'done', match: '', keyType: '', scanned: 0, total: 0, keys: 0, elapsedMs: 0, capped: false };
  }

  get scan(): ScanState {
    return { ...this.state, keys: this.index.present, capped: this.index.tree.capped };
  }

  get generation(): number {
    return this.state.generation;
  }

  get currentView(): View {
    return this.view;
  }

  /** The keys held now (for figures and tests). */
  get keys(): KeyIndex {
    return this.index;
  }

  /**
   * Starts a scan, dropping the keys of the one before. Resolves once the session is there and the scan runs;
   * rejects (and the state says why) when it cannot start. The scan's own end or failure comes through `changed`.
   */
  async start(session: () => Promise<RedisSession>, match: string, keyType: string): Promise<ScanState> {
    this.stop();
    const generation = this.state.generation + 1;
    this.index = new KeyIndex(this.delimiter);
    this.meta.clear();
    this.view = { mode: this.view.mode, group: null };
    // Rows of the old scan mean nothing in the new one; an open value stays open, by its name.
    const open = this.memory?.open;
    // The filter is the new scan's: one typed and not run before it is superseded, not put back over it.
    if (this.memory) this.memory = { ...this.memory, selected: [], focused: null, top: null, topOffset: 0, open: open ? { key: open.key, row: null } : null, match, keyType: KEY_TYPES.find((t) => t === keyType) ?? '' };
    this.state = { generation, phase: 'starting', match, keyType, scanned: 0, total: 0, keys: 0, elapsedMs: 0, capped: false };
    const controller = (this.controller = new AbortController());
    const started = Date.now();
    const current = (): boolean => this.state.generation === generation;
    let client: RedisSession;
    try {
      client = await session();
    } catch (error) {
      if (current()) this.end({ phase: 'failed', error: this.events.errorOf(error), elapsedMs: Date.now() - started });
      throw error;
    }
    if (!current()) return this.scan;
    this.state = { ...this.state, phase: this.gate.paused ? 'paused' : 'scanning' };
    void client
      .scan(this.db, {
        match,
        ...(keyType ? { type: keyType } : {}),
        signal: controller.signal,
        gate: this.gate.wait,
        onKeys: (keys) => {
          if (!current()) return;
          this.index.add(keys);
          this.groupsChanged = true;
          this.soon();
        },
        onProgress: (progress) => {
          if (!current()) return;
          this.state = { ...this.state, scanned: progress.scanned, total: progress.total, elapsedMs: Date.now() - started };
          this.soon();
        },
      })
      .then(
        () => current() && this.end({ phase: controller.signal.aborted ? 'cancelled' : 'done', elapsedMs: Date.now() - started }),
        (error: unknown) => current() && this.end({ phase: 'failed', error: this.events.errorOf(error), elapsedMs: Date.now() - started }),
      );
    return this.scan;
  }

  pause(): ScanState {
    if (this.state.phase === 'scanning' || this.state.phase === 'starting') {
      this.gate.pause();
      this.state = { ...this.state, phase: 'paused' };
    }
    return this.scan;
  }

  resume(): ScanState {
    this.gate.resume();
    if (this.state.phase === 'paused') this.state = { ...this.state, phase: 'scanning' };
    return this.scan;
  }

  cancel(): ScanState {
    if (this.running) {
      this.controller?.abort();
      this.gate.resume();
      this.state = { ...this.state, phase: 'cancelling' };
    }
    return this.scan;
  }

  private get running(): boolean {
    return ['starting', 'scanning', 'paused', 'cancelling'].includes(this.state.phase);
  }

  /** Stops the scan for good (a new scan, or the panel closed). */
  stop(): void {
    this.controller?.abort();
    this.controller = undefined;
    this.gate.resume();
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private end(change: Partial<ScanState>): void {
    this.state = { ...this.state, ...change };
    this.controller = undefined;
    this.gate.resume();
    clearTimeout(this.timer);
    this.timer = undefined;
    this.notify();
  }

  /** Tells the webview at most every NOTIFY_MS, however fast keys arrive. */
  private soon(): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.notify();
    }, NOTIFY_MS);
  }

  private notify(): void {
    const groups = this.groupsChanged;
    this.groupsChanged = false;
    this.events.changed(this.scan, this.lineCount, groups);
  }

  get lineCount(): number {
    return this.view.mode === 'tree' ? this.index.tree.lineCount : this.index.listLength;
  }

  /** Shows the list (all keys or one prefix group) or the tree. */
  async show(view: View): Promise<number> {
    const group = view.mode === 'list' && view.group !== null && (view.group === ROOT || this.index.tree.exists(view.group)) ? view.group : null;
    this.view = { mode: view.mode, group };
    await this.index.narrow(group ?? undefined);
    return this.lineCount;
  }

  groups(): { folder: number; name: string; count: number }[] {
    const tree = this.index.tree;
    const top = tree.topFolders(GROUPS).map((folder) => ({ folder, name: `${displayBytes(tree.name(folder)).text}${this.delimiter}`, count: tree.count(folder) }));
    const loose = tree.directCount(ROOT);
    return loose ? [...top, { folder: ROOT, name: '', count: loose }].sort((a, b) => b.count - a.count).slice(0, GROUPS) : top;
  }

  /** Lines [start, start + count) of the view, with what is known of each key. */
  window(start: number, count: number): Line[] {
    if (this.view.mode === 'list') return this.keyLines(this.index.listRows(start, count).map((row) => ({ row, folder: -1, depth: 0 })), false);
    const tree = this.index.tree;
    const lines = this.index.treeLines(start, count);
    const keys = this.keyLines(lines.flatMap((l) => (l.kind === 'key' ? [{ row: l.row, folder: l.folder, depth: l.depth }] : [])), true);
    let next = 0;
    return lines.map((l) => {
      if (l.kind === 'key') return keys[next++]!;
      return { kind: 'folder', folder: l.folder, depth: l.depth, name: `${displayBytes(tree.name(l.folder)).text}${this.delimiter}`, count: tree.count(l.folder), expanded: tree.isExpanded(l.folder) };
    });
  }

  private keyLines(rows: readonly { row: number; folder: number; depth: number }[], leaves: boolean): Line[] {
    return this.index.read(rows.map((r) => r.row)).map(({ row, key, leaf }, i) => {
      const meta = this.meta.get(row);
      return { kind: 'key', row, depth: rows[i]!.depth, key: keyRef(key), name: displayBytes(leaves ? leaf : key).text, gone: this.index.isGone(row), ...(meta ? { meta } : {}) };
    });
  }

  /** Expands or collapses a folder of the tree; resolves the tree's line count. */
  toggle(folder: number, expanded: boolean): number {
    return this.index.tree.setExpanded(folder, expanded);
  }

  /** Where items are drawn now in the view (-1: not drawn). */
  locate(items: readonly Item[]): number[] {
    return items.map((item) => {
      if (item.kind === 'folder') return this.view.mode === 'tree' ? this.index.tree.lineOfFolder(item.folder) : -1;
      return this.view.mode === 'tree' ? this.index.treeLineOf(item.row) : this.index.listLineOf(item.row);
    });
  }

  /** Type, TTL and memory of the keys on the given rows, from the server; remembered for the lines they are on. */
  async metadata(session: RedisSession, rows: readonly number[]): Promise<{ row: number; meta: KeyMeta }[]> {
    const generation = this.generation;
    const read = this.index.read(rows);
    const found = await session.metadata(this.db, read.map((r) => keyRef(r.key)));
    if (generation !== this.generation) return [];
    return read.map(({ row }, i) => {
      const { type, ttl, memory } = found[i]!;
      const meta = { type, ttl, ...(memory !== undefined ? { memory } : {}) };
      this.learn(row, meta);
      return { row, meta };
    });
  }

  /** What the server said of the key on `row` (after a read or a write): a key that is gone is marked so. */
  learn(row: number, meta: KeyMeta): void {
    if (this.meta.size >= META_CACHE) this.meta.delete(this.meta.keys().next().value ?? -1);
    this.meta.delete(row);
    this.meta.set(row, meta);
    if (meta.type === 'none') this.index.markGone(row);
  }

  /** The row's key, if `row` is a row of this scan holding exactly that key. */
  rowOf(key: KeyRef, row: number | null): number | undefined {
    if (row === null) return undefined;
    const [held] = this.index.read([row]);
    return held && held.key.equals(keyBytes(key)) ? row : undefined;
  }

  /** The keys on the given rows, exactly. */
  keysOf(rows: readonly number[]): { row: number; key: KeyRef }[] {
    return this.index.read(rows).map(({ row, key }) => ({ row, key: keyRef(key) }));
  }

  markGone(row: number): void {
    this.index.markGone(row);
    this.meta.set(row, { type: 'none', ttl: -2 });
  }

  /** A key made or renamed from the panel joins the list (as the scan would find it); resolves its row. */
  added(key: KeyRef): number {
    this.index.add([keyBytes(key)]);
    return this.index.length - 1;
  }

  remember(memory: ViewMemory): void {
    this.memory = memory;
  }

  /** What the view showed, with lines where its items are now; none before the view said anything. */
  restored(): { memory: ViewMemory; selected: number[]; focused: number; top: number } | null {
    const memory = this.memory;
    if (!memory) return null;
    const [focused = -1, top = -1, ...selected] = this.locate([memory.focused, memory.top, ...memory.selected].map((item) => item ?? { kind: 'folder', folder: ROOT }));
    return { memory, selected: selected.filter((line) => line >= 0), focused, top };
  }
}
