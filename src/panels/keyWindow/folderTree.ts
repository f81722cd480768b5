import { PackedNames } from './packedNames';
import { RowSet } from './rowSet';

/** The tree's root: keys without a delimiter sit directly in it. It has no line of its own. */
export const ROOT = 0;
/**
 * Folders kept at most. Keys whose names put a unique part before the delimiter (session:<id>:data) would make a
 * folder per key; past this many, a key is filed in the deepest folder that exists, with the rest as its name.
 */
export const MAX_FOLDERS = 200_000;
/** How deep folders go; the rest of a deeper name stays in the key's name. */
export const MAX_DEPTH = 32;

const EMPTY = Buffer.alloc(0);

export type TreeLine =
  | { readonly kind: 'folder'; readonly folder: number; readonly depth: number }
  | { readonly kind: 'key'; readonly row: number; readonly folder: number; readonly depth: number };

/**
 * Keys as folders split at a delimiter (user:session:42 sits in user → session), with the number of keys below
 * each folder, kept as keys arrive. The tree is drawn as lines: each folder's subfolders in byte order, each
 * followed by its own lines when expanded, then the folder's keys in the order they arrived. Every folder keeps how
 * many lines its content takes when expanded, so the line at any position is found by walking down from the root
 * through the few expanded folders, never by listing the lines before it.
 */
export class FolderTree {
  private readonly parents: number[] = [-1];
  /** Folder names by folder number. */
  private readonly names = new PackedNames();
  private readonly depths: number[] = [-1];
  private readonly counts: number[] = [0];
  /** Lines the folder's content takes when it is expanded (subfolder lines, their expanded content, its keys). */
  private readonly shown: number[] = [0];
  private readonly expanded: boolean[] = [true];
  /** Subfolders in byte order, and those added since they were last put in order. */
  private readonly sortedKids: number[][] = [[]];
  private readonly newKids: (number[] | undefined)[] = [undefined];
  private readonly expandedKids: (Set<number> | undefined)[] = [undefined];
  /** The keys directly in each folder: the row of the first alone, a RowSet once there is a second. */
  private readonly firstRows: number[] = [-1];
  private readonly direct: (RowSet | undefined)[] = [undefined];
  /** The folder below the root each folder is in (itself for those); the root's own is the root. */
  private readonly tops: number[] = [ROOT];
  /** Subfolders by name, for folders with more than a few: the rest are searched one by one. */
  private readonly lookups: (Map<string, number> | undefined)[] = [undefined];
  /**
   * The folders keys were placed in lately, with their paths and the delimiter, the latest first: most keys share a
   * folder with one of the few before them, and are placed by comparing bytes, without a lookup.
   */
  private readonly recent: { folder: number; prefix: Buffer }[] = [{ folder: ROOT, prefix: EMPTY }];
  /** Set once MAX_FOLDERS is reached: names are no longer split into new folders. */
  capped = false;

  constructor(readonly delimiter: Buffer) {}

  get folderCount(): number {
    return this.parents.length - 1;
  }

  /** How many lines the whole tree takes as drawn now. */
  get lineCount(): number {
    return this.shown[ROOT]!;
  }

  /** The folder a key belongs in (made if new), and where its name below that folder starts. */
  place(key: Buffer): { folder: number; leafStart: number } {
    let from = ROOT;
    let pos = 0;
    let deepest = -1;
    for (let i = 0; i < this.recent.length; i++) {
      const { folder, prefix } = this.recent[i]!;
      if (prefix.length <= deepest || !startsWith(key, prefix)) continue;
      if (this.find(key, prefix.length) < 0) {
        this.touch(i);
        return { folder, leafStart: prefix.length };
      }
      // The key is in a folder below this one: walk on from the deepest folder seen.
      from = folder;
      pos = deepest = prefix.length;
    }
    return this.walk(key, from, pos);
  }

  /** Moves a recent folder to the front, without allocating. */
  private touch(index: number): void {
    const entry = this.recent[index]!;
    for (let i = index; i > 0; i--) this.recent[i] = this.recent[i - 1]!;
    this.recent[0] = entry;
  }

  /** Counts a key at `row` (rows come in increasing order) in the folder `place` gave. */
  addKey(folder: number, row: number): void {
    for (let at = folder; at >= 0; at = this.parents[at]!) this.counts[at]!++;
    const first = this.firstRows[folder]!;
    if (first < 0) {
      this.firstRows[folder] = row;
    } else {
      let rows = this.direct[folder];
      if (!rows) {
        rows = this.direct[folder] = new RowSet();
        rows.push(first);
      }
      rows.push(row);
    }
    this.grow(folder, 1);
  }

  /** A key that was deleted: it is no longer counted (its line stays, so that the view does not shift). */
  uncount(folder: number): void {
    for (let at = folder; at >= 0; at = this.parents[at]!) this.counts[at]!--;
  }

  name(folder: number): Buffer {
    return this.names.name(folder);
  }

  count(folder: number): number {
    return this.counts[folder]!;
  }

  depth(folder: number): number {
    return this.depths[folder]!;
  }

  isExpanded(folder: number): boolean {
    return this.expanded[folder]!;
  }

  top(folder: number): number {
    return this.tops[folder]!;
  }

  exists(folder: number): boolean {
    return Number.isInteger(folder) && folder > ROOT && folder < this.parents.length;
  }

  /** The folder's full name (without the trailing delimiter). */
  path(folder: number): Buffer {
    const parts: Buffer[] = [];
    for (let at = folder; at > ROOT; at = this.parents[at]!) parts.push(this.name(at), this.delimiter);
    parts.pop();
    return Buffer.concat(parts.reverse());
  }

  /** A key's full name from its folder and its name below it. */
  keyName(folder: number, leaf: Buffer): Buffer {
    return folder === ROOT ? Buffer.from(leaf) : Buffer.concat([this.path(folder), this.delimiter, leaf]);
  }

  /** Folders right below the root, the biggest first. */
  topFolders(limit: number): number[] {
    return this.kidsOf(ROOT).slice().sort((a, b) => this.counts[b]! - this.counts[a]! || a - b).slice(0, limit);
  }

  /** Keys that sit directly in `folder`. */
  directCount(folder: number): number {
    return this.direct[folder]?.length ?? (this.firstRows[folder]! < 0 ? 0 : 1);
  }

  /** Expands or collapses a folder; resolves the tree's new line count. */
  setExpanded(folder: number, expand: boolean): number {
    if (!this.exists(folder) || this.expanded[folder] === expand) return this.lineCount;
    const parent = this.parents[folder]!;
    const lines = this.shown[folder]!;
    if (!expand) this.grow(parent, -lines);
    this.expanded[folder] = expand;
    const kids = (this.expandedKids[parent] ??= new Set());
    if (expand) kids.add(folder);
    else kids.delete(folder);
    if (expand) this.grow(parent, lines);
    return this.lineCount;
  }

  /** The folders expanded now, parents before children. */
  expandedFolders(): number[] {
    const out: number[] = [];
    const walk = (folder: number): void => {
      for (const kid of this.expandedKids[folder] ?? []) {
        out.push(kid);
        walk(kid);
      }
    };
    walk(ROOT);
    return out;
  }

  /** Lines [start, start + count) of the tree as drawn now. */
  window(start: number, count: number): TreeLine[] {
    const out: TreeLine[] = [];
    if (count > 0 && start >= 0 && start < this.lineCount) this.emit(ROOT, start, out, count);
    return out;
  }

  /** The line a folder is drawn on now, or -1 when a folder above it is collapsed. */
  lineOfFolder(folder: number): number {
    if (!this.exists(folder)) return -1;
    const parent = this.parents[folder]!;
    const base = this.contentStart(parent);
    if (base < 0) return -1;
    const position = this.position(parent, folder);
    let extra = 0;
    for (const kid of this.expandedKids[parent] ?? []) if (this.position(parent, kid) < position) extra += this.shown[kid]!;
    return base + position + extra;
  }

  /** The line a key is drawn on now, or -1 when its folder (or one above) is collapsed. */
  lineOfKey(folder: number, row: number): number {
    const base = this.contentStart(folder);
    const rank = this.direct[folder]?.rank(row) ?? (this.firstRows[folder] === row ? 0 : -1);
    if (base < 0 || rank < 0) return -1;
    let extra = 0;
    for (const kid of this.expandedKids[folder] ?? []) extra += this.shown[kid]!;
    return base + this.kidsOf(folder).length + extra + rank;
  }

  /** The first line of a folder's content, or -1 when it is not drawn. */
  private contentStart(folder: number): number {
    if (folder === ROOT) return 0;
    if (!this.expanded[folder]) return -1;
    const line = this.lineOfFolder(folder);
    return line < 0 ? -1 : line + 1;
  }

  /** Emits the lines of `folder`'s content from its line `skip` until `out` holds `limit` lines. */
  private emit(folder: number, skip: number, out: TreeLine[], limit: number): void {
    const kids = this.kidsOf(folder);
    // The subfolder whose part of the content holds line `skip`, and the line within that part (0: its own line).
    const open = [...(this.expandedKids[folder] ?? [])].map((kid) => ({ kid, at: this.position(folder, kid) })).sort((a, b) => a.at - b.at);
    let before = 0;
    let index = -1;
    let offset = 0;
    for (const { kid, at } of open) {
      const starts = at + before;
      if (skip < starts) break;
      if (skip <= starts + this.shown[kid]!) {
        index = at;
        offset = skip - starts;
        break;
      }
      before += this.shown[kid]!;
    }
    if (index < 0) index = skip - before;
    const firstKey = Math.max(0, index - kids.length);
    const depth = this.depths[folder]! + 1;
    for (; index < kids.length; index++) {
      if (out.length >= limit) return;
      const kid = kids[index]!;
      if (offset === 0) out.push({ kind: 'folder', folder: kid, depth });
      if (this.expanded[kid] && out.length < limit) this.emit(kid, Math.max(0, offset - 1), out, limit);
      offset = 0;
    }
    if (out.length >= limit) return;
    const rows = this.direct[folder];
    if (rows) {
      rows.forEachFrom(firstKey, (row) => {
        out.push({ kind: 'key', row, folder, depth });
        return out.length < limit;
      });
    } else if (firstKey === 0 && this.firstRows[folder]! >= 0) {
      out.push({ kind: 'key', row: this.firstRows[folder]!, folder, depth });
    }
  }

  /** Subfolders in byte order: those added since the last call are sorted and merged in. */
  private kidsOf(folder: number): number[] {
    const added = this.newKids[folder];
    if (!added) return this.sortedKids[folder]!;
    this.newKids[folder] = undefined;
    const byName = (a: number, b: number): number => this.names.compare(a, b);
    added.sort(byName);
    const old = this.sortedKids[folder]!;
    const merged: number[] = [];
    let i = 0;
    let j = 0;
    while (i < old.length || j < added.length) {
      if (j >= added.length || (i < old.length && byName(old[i]!, added[j]!) < 0)) merged.push(old[i++]!);
      else merged.push(added[j++]!);
    }
    this.sortedKids[folder] = merged;
    return merged;
  }

  /** Where a subfolder sits among its parent's, by binary search on the names. */
  private position(parent: number, kid: number): number {
    const kids = this.kidsOf(parent);
    let low = 0;
    let high = kids.length - 1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      const order = this.names.compare(kids[mid]!, kid);
      if (order === 0) return mid;
      if (order < 0) low = mid + 1;
      else high = mid - 1;
    }
    return -1;
  }

  /** Adds `lines` to a folder's content and to each expanded folder above that shows it. */
  private grow(folder: number, lines: number): void {
    let at = folder;
    this.shown[at]! += lines;
    while (at !== ROOT && this.expanded[at]) {
      at = this.parents[at]!;
      this.shown[at]! += lines;
    }
  }

  /** Where the delimiter next occurs in `key` from `pos`, or -1. */
  private find(key: Buffer, pos: number): number {
    const delimiter = this.delimiter;
    if (delimiter.length !== 1) return key.indexOf(delimiter, pos);
    // One byte, the usual case: a loop is quicker than a call into the runtime for names this short.
    const d = delimiter[0]!;
    for (let i = pos; i < key.length; i++) if (key[i] === d) return i;
    return -1;
  }

  /** The subfolder of `folder` named by `key[start, end)`, or -1. */
  private kid(folder: number, key: Buffer, start: number, end: number): number {
    const lookup = this.lookups[folder];
    if (lookup) return lookup.get(key.toString('latin1', start, end)) ?? -1;
    const kids = this.newKids[folder] ? this.sortedKids[folder]!.concat(this.newKids[folder]!) : this.sortedKids[folder]!;
    for (const kid of kids) if (this.names.equals(kid, key, start, end)) return kid;
    return -1;
  }

  /** Walks down from `folder` at byte `pos` of the key, making the folders it names. */
  private walk(key: Buffer, folder: number, pos: number): { folder: number; leafStart: number } {
    const step = this.delimiter.length;
    while (this.depths[folder]! + 1 < MAX_DEPTH) {
      const end = this.find(key, pos);
      if (end < 0) break;
      let kid = this.kid(folder, key, pos, end);
      if (kid < 0) {
        if (this.parents.length > MAX_FOLDERS) {
          this.capped = true;
          break;
        }
        kid = this.make(folder, key, pos, end);
      }
      folder = kid;
      pos = end + step;
    }
    const known = this.recent.findIndex((entry) => entry.folder === folder);
    if (known >= 0) {
      this.touch(known);
    } else {
      this.recent.unshift({ folder, prefix: folder === ROOT ? EMPTY : Buffer.concat([this.path(folder), this.delimiter]) });
      if (this.recent.length > RECENT) this.recent.pop();
    }
    return { folder, leafStart: pos };
  }

  private make(parent: number, key: Buffer, start: number, end: number): number {
    const id = this.parents.length;
    this.names.add(key, start, end);
    this.parents.push(parent);
    this.depths.push(this.depths[parent]! + 1);
    this.counts.push(0);
    this.shown.push(0);
    this.expanded.push(false);
    this.sortedKids.push([]);
    this.newKids.push(undefined);
    this.expandedKids.push(undefined);
    this.firstRows.push(-1);
    this.direct.push(undefined);
    this.lookups.push(undefined);
    this.tops.push(parent === ROOT ? id : this.tops[parent]!);
    (this.newKids[parent] ??= []).push(id);
    const lookup = this.lookups[parent];
    if (lookup) lookup.set(key.toString('latin1', start, end), id);
    else if (this.sortedKids[parent]!.length + this.newKids[parent]!.length > FEW_KIDS) this.index(parent);
    this.grow(parent, 1);
    return id;
  }

  /** Starts looking a folder's subfolders up by name, once it has more than a few. */
  private index(folder: number): void {
    const lookup = new Map<string, number>();
    for (const kid of [...this.sortedKids[folder]!, ...(this.newKids[folder] ?? [])]) lookup.set(this.name(kid).toString('latin1'), kid);
    this.lookups[folder] = lookup;
  }
}

/** Subfolders searched one by one before a folder gets a lookup by name. */
const FEW_KIDS = 16;
/** Recent folders tried before a walk from the root. */
const RECENT = 8;

function startsWith(key: Buffer, prefix: Buffer): boolean {
  if (key.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (key[i] !== prefix[i]) return false;
  return true;
}
