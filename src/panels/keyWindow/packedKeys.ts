import { f64, grown, lastAtMost, u32 } from '../../drivers/typedArrays';
import { LeafForm, leafForm, leafLength, maxLeafBytes, readLeaf, readVarint, writeLeaf, writeVarint } from './leafCodec';

const ARENA_BYTES = 1 << 20;
/** Rows per block: a row is found by its block, then decoded from the block's start. */
const BLOCK_ROWS = 64;
/** Bit 7 of an entry's first byte: the folder's number follows (it differs from the row before, or a block starts). */
const NEW_FOLDER = 0x80;

/**
 * The keys of a scan, one after another as they arrived, each as its folder's number and its last part (see
 * leafCodec), packed into 1 MiB buffers outside the JavaScript heap. Ten million keys are a few dozen buffers and one
 * small index instead of ten million strings, so the garbage collector has almost nothing to walk and the extension
 * host stays small. A row is read back by its block (every 64 rows) and a short decode from there.
 */
export class PackedKeys {
  private readonly arenas: Buffer[] = [];
  private readonly used: number[] = [];
  private firstRows = f64(1024);
  private blockArena = u32(1024);
  private blockOffset = u32(1024);
  private blocks = 0;
  private count = 0;
  private rowsInBlock = BLOCK_ROWS;
  private lastFolder = -1;

  get length(): number {
    return this.count;
  }

  /** Bytes held: the buffers and the block index. */
  get bytes(): number {
    return this.arenas.reduce((sum, arena) => sum + arena.length, 0) + this.firstRows.byteLength + this.blockArena.byteLength + this.blockOffset.byteLength;
  }

  /** Appends a key as its folder's number and its bytes [leafStart, end); returns its row. */
  append(folder: number, key: Buffer, leafStart: number): number {
    const end = key.length;
    const need = 1 + 8 + maxLeafBytes(end - leafStart);
    let arena = this.arenas.length - 1;
    if (arena < 0 || this.used[arena]! + need > this.arenas[arena]!.length) {
      this.arenas.push(Buffer.allocUnsafeSlow(Math.max(ARENA_BYTES, need)));
      this.used.push(0);
      arena++;
      this.rowsInBlock = BLOCK_ROWS;
    }
    const out = this.arenas[arena]!;
    let pos = this.used[arena]!;
    if (this.rowsInBlock === BLOCK_ROWS) {
      this.startBlock(arena, pos);
      this.lastFolder = -1;
    }
    const form = leafForm(key, leafStart, end);
    const newFolder = folder !== this.lastFolder;
    out[pos++] = (newFolder ? NEW_FOLDER : 0) | (form << 4) | (form === LeafForm.Short ? end - leafStart : 0);
    if (newFolder) pos = writeVarint(out, pos, folder);
    pos = writeLeaf(form, key, leafStart, end, out, pos);
    this.used[arena] = pos;
    this.lastFolder = folder;
    this.rowsInBlock++;
    return this.count++;
  }

  /** A reader positioned at `row`, to read it and the rows after it in order. */
  cursor(row: number): KeyCursor {
    return new KeyCursor(this, row);
  }

  /** @internal The block holding `row`: where it starts, and its first row. */
  blockOf(row: number): { arena: number; offset: number; firstRow: number } {
    const low = lastAtMost(this.firstRows, this.blocks, row);
    return { arena: this.blockArena[low]!, offset: this.blockOffset[low]!, firstRow: this.firstRows[low]! };
  }

  /** @internal */
  arena(index: number): { data: Buffer; used: number } | undefined {
    const data = this.arenas[index];
    return data && { data, used: this.used[index]! };
  }

  private startBlock(arena: number, offset: number): void {
    if (this.blocks === this.firstRows.length) {
      this.firstRows = grown(this.firstRows, f64);
      this.blockArena = grown(this.blockArena, u32);
      this.blockOffset = grown(this.blockOffset, u32);
    }
    this.firstRows[this.blocks] = this.count;
    this.blockArena[this.blocks] = arena;
    this.blockOffset[this.blocks] = offset;
    this.blocks++;
    this.rowsInBlock = 0;
  }
}

/** Reads rows in order from a starting row: each `next` gives one row's folder and its leaf bytes. */
export class KeyCursor {
  private arena: number;
  private pos: number;
  private folderNow = -1;
  private row: number;
  private data: Buffer | undefined;
  private end = 0;

  constructor(private readonly keys: PackedKeys, row: number) {
    this.row = row;
    if (row >= keys.length || row < 0) {
      this.arena = 0;
      this.pos = 0;
      this.row = keys.length;
      return;
    }
    const block = keys.blockOf(row);
    this.arena = block.arena;
    this.pos = block.offset;
    this.load();
    for (let skip = row - block.firstRow; skip > 0; skip--) this.step(undefined);
  }

  get done(): boolean {
    return this.row >= this.keys.length;
  }

  /** The row `next` reads. */
  get currentRow(): number {
    return this.row;
  }

  /**
   * Reads the current row and moves to the next: its folder, and its leaf written into `into` from 0 (growing it
   * when the leaf is longer; the buffer in use comes back as `buffer`).
   */
  next(into: Buffer): { folder: number; leaf: Buffer; buffer: Buffer } {
    const box = { buffer: into, length: 0 };
    const folder = this.step(box);
    return { folder, leaf: box.buffer.subarray(0, box.length), buffer: box.buffer };
  }

  /** Moves past the current row, returning only its folder. */
  skip(): number {
    return this.step(undefined);
  }

  private load(): void {
    const arena = this.keys.arena(this.arena);
    this.data = arena?.data;
    this.end = arena?.used ?? 0;
  }

  private step(box: { buffer: Buffer; length: number } | undefined): number {
    if (this.pos >= this.end) {
      this.arena++;
      this.pos = 0;
      this.load();
    }
    const data = this.data!;
    const first = data[this.pos++]!;
    const form = (first >> 4) & 7;
    const short = first & 15;
    // A block (and every buffer) starts with a folder number, so a cursor started anywhere knows its folder.
    if (first & NEW_FOLDER) [this.folderNow, this.pos] = readVarint(data, this.pos);
    if (box) {
      const [length] = leafLength(form, short, data, this.pos);
      if (box.buffer.length < length) box.buffer = Buffer.allocUnsafe(Math.max(length, box.buffer.length * 2));
      const [written, next] = readLeaf(form, short, data, this.pos, box.buffer, 0);
      box.length = written;
      this.pos = next;
    } else {
      this.pos = leafLength(form, short, data, this.pos)[1];
    }
    this.row++;
    return this.folderNow;
  }
}
