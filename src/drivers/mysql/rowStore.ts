import { Cell } from './resultShapes';
import { CellFormat, decodeRow, encodeRow, shortenRow, TEXT_FORMAT } from './wireRows';
import { PackedRecords } from '../packedRecords';

/**
 * The rows of a result held for the grid, as the bytes the server sent (see wireRows.ts): rows are packed records,
 * copied into 1 MiB buffers outside the JavaScript heap, so a million rows are a few hundred buffers rather than millions of strings,
 * the garbage collector has almost nothing to do, and the extension host stays responsive. Binary values longer than
 * the preview are cut as they arrive. Rows are cut into cells only when the grid asks for them.
 */
export class RowStore {
  private readonly rows = new PackedRecords();
  private readonly edited = new Map<number, Cell[]>();
  private readonly hasBinary: boolean;

  /** `formats`: how each column reads (see `ofText` for rows given as text cells); binary cells are cut after `previewBytes`. */
  constructor(private readonly formats: readonly CellFormat[], private readonly previewBytes = 256) {
    this.hasBinary = formats.some((f) => f.binary);
  }

  /** A store for rows given as text cells (ORM results, scratchpad values). */
  static ofText(columns: number): RowStore {
    return new RowStore(Array.from({ length: columns }, () => TEXT_FORMAT));
  }

  get length(): number {
    return this.rows.length;
  }

  /** Bytes of row data held. */
  get bytes(): number {
    return this.rows.bytes;
  }

  /** Appends a row received from the server: bytes [start, end) of `bytes`, copied. */
  addWire(bytes: Buffer, start: number, end: number): void {
    const shortened = this.hasBinary ? shortenRow(bytes, start, end, this.formats, this.previewBytes) : undefined;
    if (shortened) this.rows.appendBytes(shortened, 0, shortened.length);
    else this.rows.appendBytes(bytes, start, end);
  }

  /** Appends a row of text cells. */
  add(row: readonly Cell[]): void {
    const bytes = encodeRow(row);
    this.rows.appendBytes(bytes, 0, bytes.length);
  }

  /** Rows [start, end), as cells. */
  slice(start: number, end: number): Cell[][] {
    const out: Cell[][] = [];
    const last = Math.min(end, this.rows.length);
    const arenas = this.rows.arenas;
    for (let a = this.rows.arenaOf(start); a < arenas.length && start < last; a++) {
      const arena = arenas[a]!;
      for (; start < Math.min(last, arena.last); start++) {
        out.push(this.edited.get(start) ?? decodeRow(arena.bytes, arena.start(start), arena.end(start), this.formats, this.previewBytes));
      }
    }
    return out;
  }

  /** Replaces one row (after an edit was applied). */
  set(index: number, row: Cell[]): void {
    if (index < this.rows.length) this.edited.set(index, row);
  }
}
