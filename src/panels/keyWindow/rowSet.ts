import { f64, grown } from '../../drivers/typedArrays';

/**
 * An increasing list of row numbers (the keys of one folder, the rows a filter keeps), packed: each entry is the gap
 * to the one before as a variable-length number, and a stretch of consecutive rows is one "run" token however long.
 * A folder holding every key of a database is then a few bytes, and one whose keys are interleaved with others' costs
 * a byte or two per key rather than the eight of a number in an array. A checkpoint every few hundred entries makes
 * `at` and `rank` a binary search plus a short decode.
 */
const PAGE_BITS = 16;
const PAGE_BYTES = 1 << PAGE_BITS;
/** Entries between checkpoints: what `at` and `rank` decode at most, besides whole runs they step over. */
const CHECKPOINT_EVERY = 256;

export class RowSet {
  /** The first page grows from a few bytes, so that a folder of one key costs little; the rest are PAGE_BYTES each. */
  private readonly pages: Uint8Array[] = [];
  /** Bytes written. */
  private used = 0;
  /** Entries encoded in tokens; `pending` more follow as a run not yet written. */
  private encoded = 0;
  private pending = 0;
  /** The last row added (-1 before the first). */
  private last = -1;
  /** The last row covered by the tokens written so far. */
  private lastEncoded = -1;
  /** Checkpoints at token starts: the entry there, the row before it, the byte it starts at. */
  private checkEntry = f64(1);
  private checkRow = f64(1);
  private checkByte = f64(1);
  private checks = 0;

  get length(): number {
    return this.encoded + this.pending;
  }

  /** Bytes held, for memory figures. */
  get bytes(): number {
    return this.pages.reduce((sum, page) => sum + page.length, 0) + this.checkEntry.byteLength * 3;
  }

  /** The last row, or -1 when empty. */
  get lastRow(): number {
    return this.last;
  }

  /** Adds a row after every row already in the set. */
  push(row: number): void {
    if (row <= this.last) throw new RangeError(`rows are added in increasing order: ${row} after ${this.last}`);
    if (row === this.last + 1 && this.length > 0) {
      this.pending++;
    } else {
      this.flush();
      this.token(2 * (row - this.lastEncoded - 1), 1);
    }
    this.last = row;
  }

  /** The row at position `index` (0 ≤ index < length). */
  at(index: number): number {
    if (index < 0 || index >= this.length) throw new RangeError(`no entry ${index} in a set of ${this.length}`);
    if (index >= this.encoded) return this.lastEncoded + 1 + (index - this.encoded);
    const c = this.checkpointBefore((i) => this.checkEntry[i]! <= index);
    let entry = this.checkEntry[c]!;
    let row = this.checkRow[c]!;
    let pos = this.checkByte[c]!;
    for (;;) {
      const [value, next] = this.read(pos);
      pos = next;
      if (value % 2 === 0) {
        row += 1 + value / 2;
        if (entry === index) return row;
        entry++;
      } else {
        const run = (value - 1) / 2 + 2;
        if (index < entry + run) return row + 1 + (index - entry);
        row += run;
        entry += run;
      }
    }
  }

  /** The position of `row` in the set, or -1 when it is not in it. */
  rank(row: number): number {
    if (row > this.last || this.length === 0) return -1;
    if (row > this.lastEncoded) return row - this.lastEncoded - 1 + this.encoded;
    const c = this.checkpointBefore((i) => this.checkRow[i]! < row);
    let entry = this.checkEntry[c]!;
    let at = this.checkRow[c]!;
    let pos = this.checkByte[c]!;
    while (entry < this.encoded) {
      const [value, next] = this.read(pos);
      pos = next;
      if (value % 2 === 0) {
        at += 1 + value / 2;
        if (at === row) return entry;
        if (at > row) return -1;
        entry++;
      } else {
        const run = (value - 1) / 2 + 2;
        if (row <= at + run) return entry + (row - at - 1);
        at += run;
        entry += run;
      }
    }
    return -1;
  }

  /** Calls `visit` with each row from position `from` on, in order, until it returns false. */
  forEachFrom(from: number, visit: (row: number) => boolean): void {
    if (from < 0 || from >= this.length) return;
    let entry = 0;
    let row = -1;
    let pos = 0;
    if (from < this.encoded) {
      const c = this.checkpointBefore((i) => this.checkEntry[i]! <= from);
      entry = this.checkEntry[c]!;
      row = this.checkRow[c]!;
      pos = this.checkByte[c]!;
      while (entry < this.encoded) {
        const [value, next] = this.read(pos);
        pos = next;
        const run = value % 2 === 0 ? 1 : (value - 1) / 2 + 2;
        const first = value % 2 === 0 ? row + 1 + value / 2 : row + 1;
        for (let k = Math.max(0, from - entry); k < run; k++) if (!visit(first + k)) return;
        row = first + run - 1;
        entry += run;
      }
    }
    for (let i = Math.max(from, this.encoded); i < this.length; i++) if (!visit(this.lastEncoded + 1 + (i - this.encoded))) return;
  }

  /** Writes the run of consecutive rows that is still pending. */
  private flush(): void {
    if (this.pending === 0) return;
    const run = this.pending;
    this.pending = 0;
    if (run === 1) this.token(0, 1);
    else this.token(2 * (run - 2) + 1, run);
  }

  private token(value: number, entries: number): void {
    if (this.encoded - (this.checks ? this.checkEntry[this.checks - 1]! : -Infinity) >= CHECKPOINT_EVERY || this.checks === 0) this.checkpoint();
    this.write(value);
    this.encoded += entries;
    this.lastEncoded += value % 2 === 0 ? 1 + value / 2 : entries;
  }

  private checkpoint(): void {
    if (this.checks === this.checkEntry.length) {
      this.checkEntry = grown(this.checkEntry, f64);
      this.checkRow = grown(this.checkRow, f64);
      this.checkByte = grown(this.checkByte, f64);
    }
    this.checkEntry[this.checks] = this.encoded;
    this.checkRow[this.checks] = this.lastEncoded;
    this.checkByte[this.checks] = this.used;
    this.checks++;
  }

  /** The last checkpoint for which `before` holds (checkpoint 0 always does). */
  private checkpointBefore(before: (i: number) => boolean): number {
    let low = 0;
    let high = this.checks - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (before(mid)) low = mid;
      else high = mid - 1;
    }
    return low;
  }

  /** Unsigned LEB128, with arithmetic rather than bit operations so that rows past 2^31 stay exact. */
  private write(value: number): void {
    let rest = value;
    do {
      const low = rest % 128;
      rest = Math.floor(rest / 128);
      this.byte(rest > 0 ? low + 128 : low);
    } while (rest > 0);
  }

  private byte(value: number): void {
    const page = this.used >>> PAGE_BITS;
    if (page === this.pages.length) this.pages.push(new Uint8Array(page === 0 ? 8 : PAGE_BYTES));
    else if (page === 0 && this.used === this.pages[0]!.length) {
      const grown = new Uint8Array(Math.min(PAGE_BYTES, this.used * 2));
      grown.set(this.pages[0]!);
      this.pages[0] = grown;
    }
    this.pages[page]![this.used & (PAGE_BYTES - 1)] = value;
    this.used++;
  }

  private read(pos: number): [value: number, next: number] {
    let value = 0;
    let scale = 1;
    for (;;) {
      const b = this.pages[pos >>> PAGE_BITS]![pos & (PAGE_BYTES - 1)]!;
      pos++;
      value += (b & 127) * scale;
      if (b < 128) return [value, pos];
      scale *= 128;
    }
  }
}
