import { grown, lastAtMost, u32 } from './typedArrays';

const ARENA_BYTES = 1 << 20;

/** Where one record's bytes are: [start, end) of `bytes`. */
export interface RecordSlot {
  readonly bytes: Buffer;
  readonly start: number;
  readonly end: number;
}

/** One buffer of records written one after another; record `first + i` begins at `start(first + i)`. */
export class RecordArena {
  private starts = u32(4096);
  private held = 0;
  private written = 0;
  private onlyAscii = true;

  constructor(readonly bytes: Buffer, readonly first: number) {}

  /** Records in this buffer. */
  get count(): number {
    return this.held;
  }

  /** One past the last record's index. */
  get last(): number {
    return this.first + this.held;
  }

  /** Bytes written. */
  get used(): number {
    return this.written;
  }

  /** Bytes of the starts index. */
  get indexBytes(): number {
    return this.starts.byteLength;
  }

  /** Every record was appended as text with no character above 0x7f: text offsets are byte offsets. */
  get ascii(): boolean {
    return this.onlyAscii;
  }

  start(index: number): number {
    return this.starts[index - this.first]!;
  }

  end(index: number): number {
    const i = index - this.first;
    return i + 1 < this.held ? this.starts[i + 1]! : this.written;
  }

  /** The record that holds byte `at` (the last to begin at or before it: empty records before it share its start), by binary search. */
  recordAt(at: number): number {
    return this.first + lastAtMost(this.starts, this.held, at);
  }

  fits(length: number): boolean {
    return this.written + length <= this.bytes.length;
  }

  /** @internal Records `length` bytes just written at `used` as the next record. */
  commit(length: number, ascii: boolean): void {
    if (this.held === this.starts.length) this.starts = grown(this.starts, u32);
    this.starts[this.held++] = this.written;
    this.written += length;
    if (!ascii) this.onlyAscii = false;
  }
}

/**
 * Byte records (a result row, a key) one after another in 1 MiB buffers outside the JavaScript heap, each found by
 * its number: a million records are a few dozen buffers and their starts rather than a million strings, so the
 * garbage collector has almost nothing to walk and the extension host stays responsive. The row store of SQL results
 * and the Memcached key store are built on it.
 */
export class PackedRecords {
  private readonly list: RecordArena[] = [];
  private count = 0;
  private held = 0;

  get length(): number {
    return this.count;
  }

  /** Bytes of records held. */
  get bytes(): number {
    return this.held;
  }

  /** Bytes of the starts indices. */
  get indexBytes(): number {
    return this.list.reduce((n, arena) => n + arena.indexBytes, 0);
  }

  /** The buffers in order, for searching a buffer's bytes as a whole. */
  get arenas(): readonly RecordArena[] {
    return this.list;
  }

  /** Appends bytes [start, end) of `source`, copied; returns the record's index. */
  appendBytes(source: Buffer, start: number, end: number): number {
    const arena = this.room(end - start);
    source.copy(arena.bytes, arena.used, start, end);
    arena.commit(end - start, false);
    return this.counted(end - start);
  }

  /** Appends text as UTF-8; returns the record's index. */
  appendText(text: string): number {
    // UTF-8 takes at most 3 bytes per UTF-16 unit: the exact length is worked out only when that might not fit.
    const last = this.list.at(-1);
    const arena = last?.fits(text.length * 3) ? last : this.room(Buffer.byteLength(text, 'utf8'));
    const length = arena.bytes.write(text, arena.used, 'utf8');
    arena.commit(length, length === text.length);
    return this.counted(length);
  }

  /** Where record `index` is. */
  slot(index: number): RecordSlot {
    const arena = this.list[this.arenaOf(index)]!;
    return { bytes: arena.bytes, start: arena.start(index), end: arena.end(index) };
  }

  /** The position in `arenas` of the buffer holding record `index` (`arenas.length` past the last), by binary search. */
  arenaOf(index: number): number {
    let low = 0;
    let high = this.list.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (index >= this.list[mid]!.last) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  private room(length: number): RecordArena {
    const last = this.list.at(-1);
    if (last?.fits(length)) return last;
    const arena = new RecordArena(Buffer.allocUnsafeSlow(Math.max(ARENA_BYTES, length)), this.count);
    this.list.push(arena);
    return arena;
  }

  private counted(length: number): number {
    this.held += length;
    return this.count++;
  }
}
