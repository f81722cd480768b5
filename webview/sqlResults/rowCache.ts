import type { Cell } from '../../src/drivers/mysql/resultShapes';

const BLOCK = 500;
const KEEP_BLOCKS = 200;

/**
 * The rows of one result set as the grid sees them: fetched from the extension a block at a time when first drawn,
 * the least recently used blocks forgotten beyond a bound, so memory stays flat however long the result.
 */
export class RowCache {
  private readonly blocks = new Map<number, readonly (readonly Cell[])[]>();
  private readonly loading = new Set<number>();

  constructor(private readonly fetch: (start: number, count: number) => Promise<readonly (readonly Cell[])[]>, private readonly onLoaded: () => void) {}

  /** The row if it is here (`seeded`: the first rows, which came with the result); otherwise undefined, and its block is on its way. */
  row(index: number, seeded: readonly (readonly Cell[])[]): readonly Cell[] | undefined {
    if (index < seeded.length) return seeded[index];
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

  /** Forgets the block holding `index` (its rows changed or grew). */
  invalidate(index: number): void {
    this.blocks.delete(Math.floor(index / BLOCK));
  }

  private async load(block: number): Promise<void> {
    if (this.loading.has(block)) return;
    this.loading.add(block);
    try {
      const rows = await this.fetch(block * BLOCK, BLOCK);
      this.blocks.set(block, rows);
      while (this.blocks.size > KEEP_BLOCKS) this.blocks.delete(this.blocks.keys().next().value!);
      this.onLoaded();
    } finally {
      this.loading.delete(block);
    }
  }
}
