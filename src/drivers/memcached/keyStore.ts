import { KeyInfo } from './listing';

const ARENA_BYTES = 1 << 20;
const COLON = 0x3a;
/** Distinct prefix groups counted; past it, keys of new groups are counted as "other groups". */
const MAX_GROUPS = 10_000;

/** Key bytes copied one after another into one buffer; `starts[i]` is where key `first + i` begins. */
interface Arena {
  readonly bytes: Buffer;
  readonly first: number;
  starts: Uint32Array;
  count: number;
  used: number;
  /** Every byte below 0x80: text offsets are byte offsets, so a filter can search the arena's text as a whole. */
  ascii: boolean;
}

/** One listed key as a panel shows it. */
export interface ListedKey {
  readonly index: number;
  readonly key: string;
  /** Index into the store's servers. */
  readonly server: number;
  readonly size: number;
  /** Unix seconds; -1 never expires. */
  readonly expiry: number;
  readonly lastAccess?: number;
  readonly slabClass?: number;
}

/** Which keys a view shows: a case-insensitive substring of the key, and a prefix group (`null`: keys without one). */
export interface KeyFilter {
  readonly text: string;
  readonly group?: string | null;
}

/** A prefix group and how many listed keys it holds. */
export interface KeyGroup {
  readonly name: string;
  readonly count: number;
}

/** A growable list of key indices. */
class Indices {
  private items: Uint32Array = new Uint32Array(1024);
  length = 0;

  push(index: number): void {
    if (this.length === this.items.length) {
      const grown = new Uint32Array(this.items.length * 2);
      grown.set(this.items);
      this.items = grown;
    }
    this.items[this.length++] = index;
  }

  at(i: number): number {
    return this.items[i]!;
  }
}

/**
 * The keys of a listing, kept for a key browser the way RowStore keeps result rows: key bytes in 1 MiB buffers
 * outside the JavaScript heap and the numbers in typed arrays, so a million keys are a few dozen buffers rather than
 * a million objects and strings. A key becomes a string only when a view shows it. Filters and prefix groups are
 * worked out here, so the webview holds only the rows it draws.
 */
export class KeyStore {
  private readonly arenas: Arena[] = [];
  private count = 0;
  private held = 0;
  private server: Uint16Array = new Uint16Array(1024);
  private size: Uint32Array = new Uint32Array(1024);
  /** Unix seconds + 1, so that 0 is "never expires" (memcached says -1). */
  private expiry: Uint32Array = new Uint32Array(1024);
  /** Unix seconds; 0 when the listing did not say (cachedump). */
  private lastAccess: Uint32Array = new Uint32Array(1024);
  /** 0 when the listing did not say. */
  private slab: Uint8Array = new Uint8Array(1024);
  private removed: Uint8Array = new Uint8Array(1024);
  private removedCount = 0;
  private readonly serverIndex: Map<string, number>;
  private readonly groups = new Map<string, number>();
  private ungrouped = 0;
  private otherGroups = 0;

  constructor(readonly servers: readonly string[], private readonly delimiter = COLON) {
    this.serverIndex = new Map(servers.map((s, i) => [s, i]));
  }

  /** Keys listed, deleted ones included (indices stay stable). */
  get length(): number {
    return this.count;
  }

  /** Keys listed and not deleted since. */
  get live(): number {
    return this.count - this.removedCount;
  }

  /** Bytes held: key bytes, and the numbers kept per key. */
  get bytes(): number {
    return this.held + this.server.byteLength + this.size.byteLength + this.expiry.byteLength + this.lastAccess.byteLength + this.slab.byteLength + this.removed.byteLength + this.arenas.reduce((n, a) => n + a.starts.byteLength, 0);
  }

  /** Appends listed keys; returns the index of the first. */
  add(keys: readonly KeyInfo[]): number {
    const first = this.count;
    for (const info of keys) {
      const server = this.serverIndex.get(info.server);
      this.append(info.key, server ?? 0, info.size, info.expiry, info.lastAccess ?? 0, info.slabClass ?? 0);
    }
    return first;
  }

  private append(key: string, server: number, size: number, expiry: number, lastAccess: number, slab: number): number {
    const length = Buffer.byteLength(key, 'utf8');
    let arena = this.arenas.at(-1);
    if (!arena || arena.used + length > arena.bytes.length) {
      arena = { bytes: Buffer.allocUnsafe(Math.max(ARENA_BYTES, length)), first: this.count, starts: new Uint32Array(8192), count: 0, used: 0, ascii: true };
      this.arenas.push(arena);
    }
    if (arena.count === arena.starts.length) arena.starts = grow(arena.starts, u32);
    if (this.count === this.size.length) this.growColumns();
    const written = arena.bytes.write(key, arena.used, 'utf8');
    if (arena.ascii && written !== key.length) arena.ascii = false;
    arena.starts[arena.count++] = arena.used;
    const start = arena.used;
    arena.used += written;
    this.held += written;
    const index = this.count++;
    this.server[index] = server;
    this.size[index] = size;
    this.expiry[index] = expiry < 0 ? 0 : expiry + 1;
    this.lastAccess[index] = lastAccess;
    this.slab[index] = slab;
    this.countGroup(arena.bytes, start, arena.used, 1);
    return index;
  }

  private growColumns(): void {
    this.server = grow(this.server, u16);
    this.size = grow(this.size, u32);
    this.expiry = grow(this.expiry, u32);
    this.lastAccess = grow(this.lastAccess, u32);
    this.slab = grow(this.slab, u8);
    this.removed = grow(this.removed, u8);
  }

  /** Adds a key that was stored from the panel, or updates the one listed (an unknown expiry stays): returns its index. */
  upsert(key: string, server: number, size: number, expiry: number | undefined, now: number): number {
    const found = this.find(key, server);
    if (found >= 0) {
      this.update(found, { size, ...(expiry === undefined ? {} : { expiry }), lastAccess: now });
      return found;
    }
    return this.append(key, server, size, expiry ?? -1, now, 0);
  }

  update(index: number, change: { size?: number; expiry?: number; lastAccess?: number }): void {
    if (index < 0 || index >= this.count) return;
    if (change.size !== undefined) this.size[index] = change.size;
    if (change.expiry !== undefined) this.expiry[index] = change.expiry < 0 ? 0 : change.expiry + 1;
    if (change.lastAccess !== undefined) this.lastAccess[index] = change.lastAccess;
  }

  /** The key was deleted on the server: it leaves every view. */
  remove(index: number): void {
    if (index < 0 || index >= this.count || this.removed[index]) return;
    this.removed[index] = 1;
    this.removedCount++;
    const [arena, start, end] = this.slot(index);
    this.countGroup(arena.bytes, start, end, -1);
  }

  isLive(index: number): boolean {
    return index >= 0 && index < this.count && this.removed[index] === 0;
  }

  /** The index of a live key on a server, or -1. */
  find(key: string, server: number): number {
    const wanted = Buffer.from(key, 'utf8');
    for (const arena of this.arenas) {
      for (let at = arena.bytes.indexOf(wanted, 0); at >= 0 && at < arena.used; at = arena.bytes.indexOf(wanted, at + 1)) {
        const i = arena.first + startIndex(arena, at);
        if (i < arena.first + arena.count && this.slotStart(arena, i) === at && this.slotEnd(arena, i) === at + wanted.length && this.server[i] === server && !this.removed[i]) return i;
      }
    }
    return -1;
  }

  key(index: number): ListedKey {
    const [arena, start, end] = this.slot(index);
    const expiry = this.expiry[index]!;
    const lastAccess = this.lastAccess[index]!;
    const slab = this.slab[index]!;
    return {
      index, key: arena.bytes.toString('utf8', start, end), server: this.server[index]!, size: this.size[index]!, expiry: expiry === 0 ? -1 : expiry - 1,
      ...(lastAccess ? { lastAccess } : {}), ...(slab ? { slabClass: slab } : {}),
    };
  }

  /**
   * Appends to `view` the live keys from `from` on that `filter` lets through. An ASCII arena's text is searched as
   * a whole (one lower-casing and native substring searches per MiB), others key by key.
   */
  collect(view: KeyView, filter: KeyFilter, from = 0): void {
    const text = filter.text.toLowerCase();
    const group = filter.group === undefined ? undefined : filter.group === null ? null : Buffer.from(filter.group, 'utf8');
    const accept = (i: number): void => {
      if (this.removed[i] || (group !== undefined && !this.inGroup(i, group))) return;
      view.push(i);
    };
    for (let a = this.arenaOf(from); a < this.arenas.length; a++) {
      const arena = this.arenas[a]!;
      const first = Math.max(from, arena.first);
      const last = arena.first + arena.count;
      if (!text) {
        for (let i = first; i < last; i++) accept(i);
      } else if (arena.ascii && text === text.replace(/[^\x20-\x7e]/g, '')) {
        const haystack = arena.bytes.toString('latin1', this.slotStart(arena, first), arena.used).toLowerCase();
        const base = this.slotStart(arena, first);
        let i = first;
        for (let at = haystack.indexOf(text); at >= 0; at = haystack.indexOf(text, at + 1)) {
          while (i < last && this.slotEnd(arena, i) - base <= at) i++;
          if (i >= last) break;
          if (at + text.length <= this.slotEnd(arena, i) - base) {
            accept(i);
            at = this.slotEnd(arena, i) - base - 1;
            i++;
          }
        }
      } else {
        for (let i = first; i < last; i++) if (arena.bytes.toString('utf8', this.slotStart(arena, i), this.slotEnd(arena, i)).toLowerCase().includes(text)) accept(i);
      }
    }
  }

  /** The biggest prefix groups, largest first, with keys without a prefix and those of groups past the count. */
  topGroups(limit: number): { groups: KeyGroup[]; ungrouped: number; other: number } {
    const groups = [...this.groups].filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]).slice(0, limit).map(([name, count]) => ({ name, count }));
    return { groups, ungrouped: this.ungrouped, other: this.otherGroups };
  }

  private inGroup(i: number, group: Buffer | null): boolean {
    const [arena, start, end] = this.slot(i);
    const at = indexIn(arena.bytes, this.delimiter, start, end);
    const cut = at >= 0 ? at - start : -1;
    if (group === null) return cut <= 0;
    return cut === group.length && arena.bytes.compare(group, 0, group.length, start, at) === 0;
  }

  private countGroup(bytes: Buffer, start: number, end: number, step: 1 | -1): void {
    const at = indexIn(bytes, this.delimiter, start, end);
    if (at <= start) {
      this.ungrouped += step;
      return;
    }
    const name = bytes.toString('utf8', start, at);
    const known = this.groups.get(name);
    if (known !== undefined) this.groups.set(name, known + step);
    else if (step > 0 && this.groups.size < MAX_GROUPS) this.groups.set(name, 1);
    else this.otherGroups += step;
  }

  private slot(index: number): [Arena, number, number] {
    const arena = this.arenas[this.arenaOf(index)]!;
    return [arena, this.slotStart(arena, index), this.slotEnd(arena, index)];
  }

  private slotStart(arena: Arena, index: number): number {
    return arena.starts[index - arena.first]!;
  }

  private slotEnd(arena: Arena, index: number): number {
    const i = index - arena.first;
    return i + 1 < arena.count ? arena.starts[i + 1]! : arena.used;
  }

  /** The arena holding key `index`, by binary search. */
  private arenaOf(index: number): number {
    let low = 0;
    let high = this.arenas.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      const arena = this.arenas[mid]!;
      if (index >= arena.first + arena.count) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}

/** Which key in an arena starts at or before byte `at`, by binary search over its starts. */
function startIndex(arena: Arena, at: number): number {
  let low = 0;
  let high = arena.count - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (arena.starts[mid]! <= at) low = mid;
    else high = mid - 1;
  }
  return low;
}

/** A typed array twice as long, holding the same items first. */
function grow<T extends Uint8Array | Uint16Array | Uint32Array>(array: T, make: (length: number) => T): T {
  const grown = make(array.length * 2);
  grown.set(array);
  return grown;
}
const u8 = (n: number): Uint8Array => new Uint8Array(n);
const u16 = (n: number): Uint16Array => new Uint16Array(n);
const u32 = (n: number): Uint32Array => new Uint32Array(n);

/** Where the first `byte` is in bytes [start, end), or -1 (keys are short: a loop beats a search past the key). */
function indexIn(bytes: Buffer, byte: number, start: number, end: number): number {
  for (let p = start; p < end; p++) if (bytes[p] === byte) return p;
  return -1;
}

/** The keys a browser shows, in listing order: indices into a KeyStore, grown as the listing goes on. */
export class KeyView {
  private readonly indices = new Indices();

  constructor(readonly id: number, readonly filter: KeyFilter) {}

  get length(): number {
    return this.indices.length;
  }

  push(index: number): void {
    this.indices.push(index);
  }

  at(i: number): number {
    return this.indices.at(i);
  }
}
