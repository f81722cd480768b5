const BLOCK = 200;
const KEEP_BLOCKS = 100;

/**
 * The rows of a list that lives on the host, as a webview draws them: fetched a block at a time when first drawn,
 * the least recently used blocks forgotten beyond a bound, so the webview's memory stays flat however long the
 * list. A new view (another filter, rows deleted) starts afresh; answers for a replaced view are dropped.
 * The SQL grids (a result set, a table page: one view each) and the Memcached key list draw from it.
 */
export class WindowCache<Row> {
  private readonly blocks = new Map<number, readonly Row[]>();
  private readonly loading = new Set<number>();
  private view = -1;
  private count = 0;

  constructor(
    private readonly fetch: (view: number, start: number, count: number) => Promise<readonly Row[]>,
    private readonly onLoaded: () => void,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Rows now belong to `view`, which has `count` of them. */
  reset(view: number, count: number): void {
    if (view !== this.view) {
      this.blocks.clear();
      this.loading.clear();
      this.view = view;
    } else if (count !== this.count) {
      // The last block was short: it has more rows now.
      this.blocks.delete(Math.floor(this.count / BLOCK));
    }
    this.count = count;
  }

  get viewId(): number {
    return this.view;
  }

  /** The row if it is here; otherwise undefined, and its block is on its way (the list is redrawn when it arrives). */
  row(index: number): Row | undefined {
    const block = Math.floor(index / BLOCK);
    const rows = this.blocks.get(block);
    if (rows) {
      this.blocks.delete(block);
      this.blocks.set(block, rows);
      return rows[index % BLOCK];
    }
    void this.load(block);
    return undefined;
  }

  /** The row, fetched if need be. */
  async get(index: number): Promise<Row | undefined> {
    const here = this.row(index);
    if (here !== undefined) return here;
    const view = this.view;
    const [row] = await this.fetch(view, index, 1);
    return view === this.view ? row : undefined;
  }

  private async load(block: number): Promise<void> {
    if (this.loading.has(block) || block * BLOCK >= this.count) return;
    const view = this.view;
    this.loading.add(block);
    try {
      const rows = await this.fetch(view, block * BLOCK, BLOCK);
      if (view !== this.view) return;
      this.blocks.set(block, rows);
      while (this.blocks.size > KEEP_BLOCKS) this.blocks.delete(this.blocks.keys().next().value!);
      this.onLoaded();
    } catch (error) {
      if (view === this.view) this.onError(error);
    } finally {
      if (view === this.view) this.loading.delete(block);
    }
  }
}
