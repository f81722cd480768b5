import { Cell, ColumnKind } from './resultShapes';

const CELL = '\u0000';
const NULL = '\u0001';
const ROW = '\u0002';
const RESERVED = /[\u0000-\u0002]/;
const CHUNK_ROWS = 512;
/** Kinds whose text the driver writes itself (digits, dates, 0x hex): they never hold the separators. */
const PLAIN_KINDS: ReadonlySet<ColumnKind> = new Set(['number', 'date', 'binary']);

function unpack(row: string): Cell[] {
  return row.split(CELL).map((c) => (c === NULL ? null : c));
}

/**
 * The rows of a result held for the grid. Every 512 rows are appended into one string (cells separated by NUL, rows
 * by \u0002, SQL NULL as \u0001), so a large result is a few hundred long-lived strings rather than an array and a
 * string per cell: the garbage collector has far less to move and the extension host's pauses stay short (appending
 * measured faster than joining arrays, and faster than keeping the rows as arrays). The few rows whose text holds
 * those control characters are kept aside as they are; only text and JSON columns are looked at for them. Rows are
 * unpacked only when the grid asks for them.
 */
export class RowStore {
  private readonly chunks: string[] = [];
  private pending = '';
  private pendingRows = 0;
  private readonly aside = new Map<number, Cell[]>();
  private count = 0;
  /** Per column: may its text hold the separators? Without column kinds, every column may. */
  private readonly free: readonly boolean[];

  constructor(kinds: readonly ColumnKind[] = []) {
    this.free = kinds.map((kind) => !PLAIN_KINDS.has(kind));
  }

  get length(): number {
    return this.count;
  }

  add(row: Cell[]): void {
    let text = '';
    for (let i = 0; i < row.length; i++) {
      const cell = row[i] ?? null;
      if (cell !== null && this.free[i] !== false && RESERVED.test(cell)) {
        this.aside.set(this.count, row);
        text = '';
        break;
      }
      text += (i ? CELL : '') + (cell === null ? NULL : cell);
    }
    this.pending += (this.pendingRows ? ROW : '') + text;
    this.count++;
    if (++this.pendingRows === CHUNK_ROWS) {
      // Reading a character makes V8 flatten the string, letting go of the pieces it was appended from.
      this.pending.charCodeAt(0);
      this.chunks.push(this.pending);
      this.pending = '';
      this.pendingRows = 0;
    }
  }

  /** Rows [start, end), unpacked. */
  slice(start: number, end: number): Cell[][] {
    const out: Cell[][] = [];
    const last = Math.min(end, this.count);
    for (let chunk = Math.floor(start / CHUNK_ROWS); chunk * CHUNK_ROWS < last; chunk++) {
      const rows = (chunk < this.chunks.length ? this.chunks[chunk]! : this.pending).split(ROW);
      for (let i = Math.max(start, chunk * CHUNK_ROWS); i < Math.min(last, (chunk + 1) * CHUNK_ROWS); i++) {
        out.push(this.aside.get(i) ?? unpack(rows[i - chunk * CHUNK_ROWS]!));
      }
    }
    return out;
  }

  /** Replaces one row (after an edit was applied). */
  set(index: number, row: Cell[]): void {
    if (index < this.count) this.aside.set(index, row);
  }
}
