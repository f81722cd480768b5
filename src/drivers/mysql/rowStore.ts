import { Cell } from './resultShapes';

const CELL = '\u0000';
const NULL = '\u0001';
const ROW = '\u0002';
const RESERVED = /[\u0000-\u0002]/;
const CHUNK_ROWS = 512;

function pack(row: readonly Cell[]): string {
  return row.map((c) => (c === null ? NULL : c)).join(CELL);
}

function unpack(row: string): Cell[] {
  return row.split(CELL).map((c) => (c === NULL ? null : c));
}

/**
 * The rows of a result held for the grid. Every 512 rows are packed into one string (cells joined by NUL, rows by
 * \u0002, SQL NULL as \u0001), so a large result is a few hundred long-lived strings rather than an array and a string
 * per cell: the garbage collector has far less to move and the extension host's pauses stay short. The few rows whose
 * text holds those control characters are kept aside as they are. Rows are unpacked only when the grid asks for them.
 */
export class RowStore {
  private readonly chunks: string[] = [];
  private pending: string[] = [];
  private readonly aside = new Map<number, Cell[]>();
  private count = 0;

  get length(): number {
    return this.count;
  }

  add(row: Cell[]): void {
    if (row.some((c) => c !== null && RESERVED.test(c))) {
      this.aside.set(this.count, row);
      this.pending.push('');
    } else {
      this.pending.push(pack(row));
    }
    this.count++;
    if (this.pending.length === CHUNK_ROWS) {
      this.chunks.push(this.pending.join(ROW));
      this.pending = [];
    }
  }

  /** Rows [start, end), unpacked. */
  slice(start: number, end: number): Cell[][] {
    const out: Cell[][] = [];
    const last = Math.min(end, this.count);
    for (let chunk = Math.floor(start / CHUNK_ROWS); chunk * CHUNK_ROWS < last; chunk++) {
      const rows = chunk < this.chunks.length ? this.chunks[chunk]!.split(ROW) : this.pending;
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
