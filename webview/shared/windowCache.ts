const BLOCK = 200;
const KEEP_BLOCKS = 100;
/** Rows from a block's edge at which the block beyond it is fetched too, so scrolling on finds its rows here. */
const AHEAD = 50;

export interface WindowCacheOptions<Row> {
  /** Asks the host for rows [start, start + count) of `view`; undefined when the answer belongs to another list. */
  readonly fetch: (view: number, start: number, count: number) => Promise<readonly Row[] | undefined>;
  /** Rows arrived: redraw. */
  readonly loaded: () => void;
  /** Reports a failed fetch of the view shown. */
  readonly failed: (error: unknown) => void;
}

/** One request for a block: its place in the order of requests, and how many rows the list had when it was made. */
interface Ask {
  readonly ticket: number;
  readonly count: number;
}

interface Block<Row> {
  rows: readonly Row[];
  readonly ask: Ask;
}

/**
 * The rows of a list that lives on the host, as a webview draws them: fetched a block at a time when first drawn
 * (and the next one when rows near its edge are drawn), the least recently drawn blocks forgotten beyond a bound, so the webview's memory stays flat however long the
 * list. A new view (another filter, another scan, rows deleted) starts afresh, and answers for a replaced view are
 * dropped. When the host's rows move within a view (a folder of the Redis tree opened, keys arrived above), the
 * rows held go stale: they are still drawn until fresh ones arrive, so the list does not blink.
 * The SQL grids, the Memcached key list and the Redis key browser draw from it.
 */
export class WindowCache<Row> {
  /** Held blocks by number, the least recently drawn first. */
  private readonly blocks = new Map<number, Block<Row>>();
  /** The latest request in flight for each block. */
  private readonly loading = new Map<number, Ask>();
  private view = -1;
  private count = 0;
  private tickets = 0;
  /** The last ticket handed out before the rows moved: answers to it or older ones are stale. */
  private staleUpTo = 0;

  constructor(private readonly options: WindowCacheOptions<Row>) {}

  /** Rows now belong to `view`, which has `count` of them: another view starts afresh; the same one keeps its rows. */
  reset(view: number, count: number): void {
    if (view !== this.view) {
      this.blocks.clear();
      this.loading.clear();
      this.view = view;
    }
    this.count = count;
  }

  /** The host's rows moved: those held are drawn until the ones drawn are fetched again. */
  invalidate(): void {
    this.staleUpTo = this.tickets;
  }

  /**
   * The row to draw at `index`, fresh or stale; undefined when it is not here. Its block is fetched when it is not
   * here or stale, and the list is redrawn when it arrives.
   */
  row(index: number): Row | undefined {
    const number = Math.floor(index / BLOCK);
    const block = this.blocks.get(number);
    if (block) {
      this.blocks.delete(number);
      this.blocks.set(number, block);
    }
    if (!block || !this.current(number, block.ask)) void this.load(number);
    const within = index % BLOCK;
    const beyond = within >= BLOCK - AHEAD ? number + 1 : within < AHEAD ? number - 1 : -1;
    if (beyond >= 0 && !this.blocks.has(beyond)) void this.load(beyond);
    return block?.rows[index % BLOCK];
  }

  /** The row held at `index`, fresh or stale, without fetching anything: what is drawn there now. */
  held(index: number): Row | undefined {
    return this.blocks.get(Math.floor(index / BLOCK))?.rows[index % BLOCK];
  }

  /** The row held at `index` if it is fresh: what the host has there now. */
  fresh(index: number): Row | undefined {
    const number = Math.floor(index / BLOCK);
    const block = this.blocks.get(number);
    return block && this.current(number, block.ask) ? block.rows[index % BLOCK] : undefined;
  }

  /** The row drawn at `index`, fetched if it is not here (End on a million rows lands far from what is held). */
  async get(index: number): Promise<Row | undefined> {
    const here = this.row(index);
    if (here !== undefined) return here;
    const view = this.view;
    const rows = await this.options.fetch(view, index, 1);
    return view === this.view ? rows?.[0] : undefined;
  }

  /** Changes the rows held in place (what the host said about them since). */
  update(change: (row: Row) => Row): void {
    for (const block of this.blocks.values()) block.rows = block.rows.map(change);
  }

  /**
   * Whether an answer to `ask` is what the host has in the block now: asked after the rows last moved, and whole (a
   * block that was short, the last one, has more rows once the list grew).
   */
  private current(number: number, ask: Ask): boolean {
    return ask.ticket > this.staleUpTo && (ask.count >= this.count || (number + 1) * BLOCK <= ask.count);
  }

  private async load(number: number): Promise<void> {
    const pending = this.loading.get(number);
    if ((pending && this.current(number, pending)) || number * BLOCK >= this.count) return;
    const view = this.view;
    const ask: Ask = { ticket: ++this.tickets, count: this.count };
    this.loading.set(number, ask);
    try {
      const rows = await this.options.fetch(view, number * BLOCK, BLOCK);
      // An answer asked before the rows moved is drawn only if nothing fresher is here.
      if (view !== this.view || rows === undefined || (this.blocks.get(number)?.ask.ticket ?? 0) > ask.ticket) return;
      this.blocks.delete(number);
      this.blocks.set(number, { rows, ask });
      for (const oldest of this.blocks.keys()) {
        if (this.blocks.size <= KEEP_BLOCKS) break;
        this.blocks.delete(oldest);
      }
      this.options.loaded();
    } catch (error) {
      if (view === this.view) this.options.failed(error);
    } finally {
      if (this.loading.get(number) === ask) this.loading.delete(number);
    }
  }
}
