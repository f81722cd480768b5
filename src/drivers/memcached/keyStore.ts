import { KeyInfo } from './listing';
import { PackedRecords } from '../packedRecords';
import { grown, IndexList, u16, u32, u8 } from '../typedArrays';

const COLON = 0x3a;
const SURROGATES = /[\ud800-\udfff]/;
/** Distinct prefix groups counted; past it, keys of new groups are counted as "other groups". */
const MAX_GROUPS = 10_000;

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

/**
 * The keys of a listing, kept for a key browser the way RowStore keeps result rows: key bytes as packed records
 * (1 MiB buffers outside the JavaScript heap) and the numbers in typed arrays, so a million keys are a few dozen buffers rather than
 * a million objects and strings. A key becomes a string only when a view shows it. Filters and prefix groups are
 * worked out here, so the webview holds only the rows it draws.
 */
export class KeyStore {
  private readonly keys = new PackedRecords();
  private server = u16(1024);
  private size = u32(1024);
  /** Unix seconds + 1, so that 0 is "never expires" (memcached says -1). */
  private expiry = u32(1024);
  /** Unix seconds; 0 when the listing did not say (cachedump). */
  private lastAccess = u32(1024);
  /** 0 when the listing did not say. */
  private slab = u8(1024);
  private removed = u8(1024);
  private removedCount = 0;
  private readonly serverIndex: Map<string, number>;
  private readonly groups = new Map<string, number>();
  private ungrouped = 0;
  private otherGroups = 0;

  private readonly delimiterText: string;

  /** `delimiter`: the ASCII byte a prefix group ends at (a byte below 0x80 is the same character in UTF-8). */
  constructor(readonly servers: readonly string[], private readonly delimiter = COLON) {
    this.delimiterText = String.fromCharCode(delimiter);
    this.serverIndex = new Map(servers.map((s, i) => [s, i]));
  }

  /** Keys listed, deleted ones included (indices stay stable). */
  get length(): number {
    return this.keys.length;
  }

  /** Keys listed and not deleted since. */
  get live(): number {
    return this.keys.length - this.removedCount;
  }

  /** Bytes held: key bytes, and the numbers kept per key. */
  get bytes(): number {
    return this.keys.bytes + this.keys.indexBytes + this.server.byteLength + this.size.byteLength + this.expiry.byteLength + this.lastAccess.byteLength + this.slab.byteLength + this.removed.byteLength;
  }

  /** Appends listed keys; returns the index of the first. */
  add(keys: readonly KeyInfo[]): number {
    const first = this.keys.length;
    for (const info of keys) {
      const server = this.serverIndex.get(info.server);
      this.append(info.key, server ?? 0, info.size, info.expiry, info.lastAccess ?? 0, info.slabClass ?? 0);
    }
    return first;
  }

  private append(key: string, server: number, size: number, expiry: number, lastAccess: number, slab: number): number {
    if (this.keys.length === this.size.length) this.growColumns();
    const index = this.keys.appendText(key);
    this.server[index] = server;
    this.size[index] = size;
    this.expiry[index] = expiry < 0 ? 0 : expiry + 1;
    this.lastAccess[index] = lastAccess;
    this.slab[index] = slab;
    this.countGroup(this.groupOfText(key, index), 1);
    return index;
  }

  private growColumns(): void {
    this.server = grown(this.server, u16);
    this.size = grown(this.size, u32);
    this.expiry = grown(this.expiry, u32);
    this.lastAccess = grown(this.lastAccess, u32);
    this.slab = grown(this.slab, u8);
    this.removed = grown(this.removed, u8);
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
    if (index < 0 || index >= this.keys.length) return;
    if (change.size !== undefined) this.size[index] = change.size;
    if (change.expiry !== undefined) this.expiry[index] = change.expiry < 0 ? 0 : change.expiry + 1;
    if (change.lastAccess !== undefined) this.lastAccess[index] = change.lastAccess;
  }

  /** The key was deleted on the server: it leaves every view. */
  remove(index: number): void {
    if (index < 0 || index >= this.keys.length || this.removed[index]) return;
    this.removed[index] = 1;
    this.removedCount++;
    const { bytes, start, end } = this.keys.slot(index);
    this.countGroup(this.groupOfBytes(bytes, start, end), -1);
  }

  isLive(index: number): boolean {
    return index >= 0 && index < this.keys.length && this.removed[index] === 0;
  }

  /** The index of a live key on a server, or -1. */
  find(key: string, server: number): number {
    const wanted = Buffer.from(key, 'utf8');
    for (const arena of this.keys.arenas) {
      for (let at = arena.bytes.indexOf(wanted, 0); at >= 0 && at < arena.used; at = arena.bytes.indexOf(wanted, at + 1)) {
        const i = arena.recordAt(at);
        if (arena.start(i) === at && arena.end(i) === at + wanted.length && this.server[i] === server && !this.removed[i]) return i;
      }
    }
    return -1;
  }

  key(index: number): ListedKey {
    const { bytes, start, end } = this.keys.slot(index);
    const expiry = this.expiry[index]!;
    const lastAccess = this.lastAccess[index]!;
    const slab = this.slab[index]!;
    return {
      index, key: bytes.toString('utf8', start, end), server: this.server[index]!, size: this.size[index]!, expiry: expiry === 0 ? -1 : expiry - 1,
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
    const arenas = this.keys.arenas;
    for (let a = this.keys.arenaOf(from); a < arenas.length; a++) {
      const arena = arenas[a]!;
      const first = Math.max(from, arena.first);
      const last = arena.last;
      if (!text) {
        for (let i = first; i < last; i++) accept(i);
      } else if (arena.ascii && text === text.replace(/[^\x20-\x7e]/g, '')) {
        const haystack = arena.bytes.toString('latin1', arena.start(first), arena.used).toLowerCase();
        const base = arena.start(first);
        let i = first;
        for (let at = haystack.indexOf(text); at >= 0; at = haystack.indexOf(text, at + 1)) {
          while (i < last && arena.end(i) - base <= at) i++;
          if (i >= last) break;
          if (at + text.length <= arena.end(i) - base) {
            accept(i);
            at = arena.end(i) - base - 1;
            i++;
          }
        }
      } else {
        for (let i = first; i < last; i++) if (arena.bytes.toString('utf8', arena.start(i), arena.end(i)).toLowerCase().includes(text)) accept(i);
      }
    }
  }

  /** The biggest prefix groups, largest first, with keys without a prefix and those of groups past the count. */
  topGroups(limit: number): { groups: KeyGroup[]; ungrouped: number; other: number } {
    const groups = [...this.groups].filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]).slice(0, limit).map(([name, count]) => ({ name, count }));
    return { groups, ungrouped: this.ungrouped, other: this.otherGroups };
  }

  private inGroup(i: number, group: Buffer | null): boolean {
    const { bytes, start, end } = this.keys.slot(i);
    const at = indexIn(bytes, this.delimiter, start, end);
    const cut = at >= 0 ? at - start : -1;
    if (group === null) return cut <= 0;
    return cut === group.length && bytes.compare(group, 0, group.length, start, at) === 0;
  }

  /**
   * The key's prefix group (null: none). Read from its text, which is what a listing hands in, unless the prefix
   * holds surrogates (a lone one is written as U+FFFD, so only the bytes say what the store keeps).
   */
  private groupOfText(key: string, index: number): string | null {
    const cut = key.indexOf(this.delimiterText);
    if (cut <= 0) return null;
    const name = key.slice(0, cut);
    if (!SURROGATES.test(name)) return name;
    const { bytes, start, end } = this.keys.slot(index);
    return this.groupOfBytes(bytes, start, end);
  }

  private groupOfBytes(bytes: Buffer, start: number, end: number): string | null {
    const at = indexIn(bytes, this.delimiter, start, end);
    return at <= start ? null : bytes.toString('utf8', start, at);
  }

  private countGroup(name: string | null, step: 1 | -1): void {
    if (name === null) {
      this.ungrouped += step;
      return;
    }
    const known = this.groups.get(name);
    if (known !== undefined) this.groups.set(name, known + step);
    else if (step > 0 && this.groups.size < MAX_GROUPS) this.groups.set(name, 1);
    else this.otherGroups += step;
  }
}

/** Where the first `byte` is in bytes [start, end), or -1 (keys are short: a loop beats a search past the key). */
function indexIn(bytes: Buffer, byte: number, start: number, end: number): number {
  for (let p = start; p < end; p++) if (bytes[p] === byte) return p;
  return -1;
}

/** The keys a browser shows, in listing order: indices into a KeyStore, grown as the listing goes on. */
export class KeyView {
  private readonly indices = new IndexList();

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
