import { FolderTree, ROOT, TreeLine } from './folderTree';
import { KeyCursor, PackedKeys } from './packedKeys';
import { RowSet } from './rowSet';

export { ROOT };
export type { TreeLine };

/** Rows a filter pass looks at before it lets other work run. */
const PASS_CHUNK = 250_000;

/** The keys of one folder below the root (or the root's own keys, without a prefix), as the flat list shows them. */
interface GroupFilter {
  readonly group: number;
  readonly rows: RowSet;
  /** Rows looked at so far; the rest are looked at by the pass, or as they arrive once it has caught up. */
  upTo: number;
}

/**
 * Every key a scan found, kept on the extension host for a panel that draws only the lines in view: the keys packed
 * (PackedKeys), their folder tree with counts (FolderTree), and the flat list, whole or one prefix group of it. The
 * webview asks for windows of lines; nothing here is proportional to what it draws but the windows themselves.
 */
export class KeyIndex {
  readonly tree: FolderTree;
  private readonly keys = new PackedKeys();
  /** Rows whose key was deleted from this panel: still drawn (marked), no longer counted. */
  private readonly gone = new Set<number>();
  private filter: GroupFilter | undefined;
  private scratch: Buffer = Buffer.allocUnsafe(256);

  constructor(delimiter: string) {
    this.tree = new FolderTree(Buffer.from(delimiter, 'utf8'));
  }

  /** Rows held (deleted ones included). */
  get length(): number {
    return this.keys.length;
  }

  /** Keys held and not deleted. */
  get present(): number {
    return this.keys.length - this.gone.size;
  }

  /** Bytes of key data held outside the JavaScript heap. */
  get bytes(): number {
    return this.keys.bytes;
  }

  /** Adds keys as they arrive (their bytes are copied). */
  add(batch: readonly Buffer[]): void {
    const filter = this.filter;
    for (const key of batch) {
      const { folder, leafStart } = this.tree.place(key);
      const row = this.keys.append(folder, key, leafStart);
      this.tree.addKey(folder, row);
      if (filter && filter.upTo === row) {
        if (this.tree.top(folder) === filter.group) filter.rows.push(row);
        filter.upTo++;
      }
    }
  }

  /** The group the flat list is narrowed to: a folder right below the root, ROOT for keys without one, or none. */
  get group(): number | undefined {
    return this.filter?.group;
  }

  /**
   * Narrows the flat list to one group (or shows all, for undefined). The keys already held are looked at in chunks,
   * letting other work run between them; it resolves once they all have been. A later call supersedes it.
   */
  async narrow(group: number | undefined): Promise<void> {
    if (group === undefined || (group !== ROOT && !this.tree.exists(group))) {
      this.filter = undefined;
      return;
    }
    const filter: GroupFilter = { group, rows: new RowSet(), upTo: 0 };
    this.filter = filter;
    while (filter.upTo < this.keys.length && this.filter === filter) {
      const cursor = this.keys.cursor(filter.upTo);
      const stop = Math.min(this.keys.length, filter.upTo + PASS_CHUNK);
      for (; filter.upTo < stop; filter.upTo++) {
        if (this.tree.top(cursor.skip()) === group) filter.rows.push(filter.upTo);
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /** Lines of the flat list (all keys, or the group's). */
  get listLength(): number {
    return this.filter ? this.filter.rows.length : this.keys.length;
  }

  /** The rows on lines [start, start + count) of the flat list. */
  listRows(start: number, count: number): number[] {
    const rows: number[] = [];
    if (this.filter) {
      this.filter.rows.forEachFrom(start, (row) => rows.push(row) < count);
    } else {
      for (let row = Math.max(0, start); row < Math.min(this.keys.length, start + count); row++) rows.push(row);
    }
    return rows;
  }

  /** The line of the flat list a row is on, or -1 when the group leaves it out. */
  listLineOf(row: number): number {
    if (row < 0 || row >= this.keys.length) return -1;
    return this.filter ? this.filter.rows.rank(row) : row;
  }

  /** The tree's lines [start, start + count) as drawn now. */
  treeLines(start: number, count: number): TreeLine[] {
    return this.tree.window(start, count);
  }

  /** The line of the tree a row is on, or -1 when a folder above it is collapsed. */
  treeLineOf(row: number): number {
    if (row < 0 || row >= this.keys.length) return -1;
    return this.tree.lineOfKey(this.keys.cursor(row).skip(), row);
  }

  /** Each row's folder and full key name, read in one pass where rows follow each other. */
  read(rows: readonly number[]): { row: number; folder: number; key: Buffer; leaf: Buffer }[] {
    const out: { row: number; folder: number; key: Buffer; leaf: Buffer }[] = [];
    let cursor: KeyCursor | undefined;
    for (const row of rows) {
      if (row < 0 || row >= this.keys.length) continue;
      if (!cursor || cursor.currentRow !== row) cursor = this.keys.cursor(row);
      const { folder, leaf, buffer } = cursor.next(this.scratch);
      this.scratch = buffer;
      const copy = Buffer.from(leaf);
      out.push({ row, folder, key: this.tree.keyName(folder, copy), leaf: copy });
    }
    return out;
  }

  isGone(row: number): boolean {
    return this.gone.has(row);
  }

  /** Marks a row's key as deleted: it stays on its line, marked, and is no longer counted. */
  markGone(row: number): void {
    if (row < 0 || row >= this.keys.length || this.gone.has(row)) return;
    this.gone.add(row);
    this.tree.uncount(this.keys.cursor(row).skip());
  }
}
