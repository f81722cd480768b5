import { Cell } from './resultShapes';
import { CellFormat, decodeRow, encodeRow, shortenRow, TEXT_FORMAT } from './wireRows';

const ARENA_BYTES = 1 << 20;

/** Rows copied one after another into one buffer; `starts` holds where each begins, `used` where the last ends. */
interface Arena {
  readonly bytes: Buffer;
  readonly first: number;
  starts: Uint32Array;
  rows: number;
  used: number;
}

/**
 * The rows of a result held for the grid, as the bytes the server sent (see wireRows.ts): rows are copied into 1 MiB
 * buffers outside the JavaScript heap, so a million rows are a few hundred buffers rather than millions of strings,
 * the garbage collector has almost nothing to do, and the extension host stays responsive. Binary values longer than
 * the preview are cut as they arrive. Rows are cut into cells only when the grid asks for them.
 */
export class RowStore {
  private readonly arenas: Arena[] = [];
  private readonly edited = new Map<number, Cell[]>();
  private readonly hasBinary: boolean;
  private count = 0;
  private held = 0;

  /** `formats`: how each column reads (see `ofText` for rows given as text cells); binary cells are cut after `previewBytes`. */
  constructor(private readonly formats: readonly CellFormat[], private readonly previewBytes = 256) {
    this.hasBinary = formats.some((f) => f.binary);
  }

  /** A store for rows given as text cells (ORM results, scratchpad values). */
  static ofText(columns: number): RowStore {
    return new RowStore(Array.from({ length: columns }, () => TEXT_FORMAT));
  }

  get length(): number {
    return this.count;
  }

  /** Bytes of row data held. */
  get bytes(): number {
    return this.held;
  }

  /** Appends a row received from the server: bytes [start, end) of `bytes`, copied. */
  addWire(bytes: Buffer, start: number, end: number): void {
    const shortened = this.hasBinary ? shortenRow(bytes, start, end, this.formats, this.previewBytes) : undefined;
    if (shortened) this.copy(shortened, 0, shortened.length);
    else this.copy(bytes, start, end);
  }

  /** Appends a row of text cells. */
  add(row: readonly Cell[]): void {
    const bytes = encodeRow(row);
    this.copy(bytes, 0, bytes.length);
  }

  private copy(bytes: Buffer, start: number, end: number): void {
    const length = end - start;
    let arena = this.arenas.at(-1);
    if (!arena || arena.used + length > arena.bytes.length) {
      arena = { bytes: Buffer.allocUnsafe(Math.max(ARENA_BYTES, length)), first: this.count, starts: new Uint32Array(4096), rows: 0, used: 0 };
      this.arenas.push(arena);
    }
    if (arena.rows === arena.starts.length) {
      const grown = new Uint32Array(arena.starts.length * 2);
      grown.set(arena.starts);
      arena.starts = grown;
    }
    bytes.copy(arena.bytes, arena.used, start, end);
    arena.starts[arena.rows++] = arena.used;
    arena.used += length;
    this.held += length;
    this.count++;
  }

  /** Rows [start, end), as cells. */
  slice(start: number, end: number): Cell[][] {
    const out: Cell[][] = [];
    const last = Math.min(end, this.count);
    for (let a = this.arenaOf(start); a < this.arenas.length && start < last; a++) {
      const arena = this.arenas[a]!;
      for (; start < Math.min(last, arena.first + arena.rows); start++) {
        const i = start - arena.first;
        const rowEnd = i + 1 < arena.rows ? arena.starts[i + 1]! : arena.used;
        out.push(this.edited.get(start) ?? decodeRow(arena.bytes, arena.starts[i]!, rowEnd, this.formats, this.previewBytes));
      }
    }
    return out;
  }

  /** Replaces one row (after an edit was applied). */
  set(index: number, row: Cell[]): void {
    if (index < this.count) this.edited.set(index, row);
  }

  /** The arena holding row `index`, by binary search. */
  private arenaOf(index: number): number {
    let low = 0;
    let high = this.arenas.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      const arena = this.arenas[mid]!;
      if (index >= arena.first + arena.rows) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}
