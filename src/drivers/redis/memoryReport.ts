import { keyRef } from './keys';
import { KeyStat, MemoryReport, PrefixNode, TTL_BUCKETS, TtlBucket } from './memoryShapes';

/* What a memory analysis builds from the keys it inspects: every structure here is bounded, whatever the keyspace. */

export interface ReportLimits {
  readonly delimiter: string;
  /** Most prefix nodes kept; past it the smallest are folded into their parent's "(other)". */
  readonly maxNodes: number;
  /** Deepest prefix level kept: "a:b:c:" is level 3. */
  readonly maxDepth: number;
  /** Keys kept in each top list. */
  readonly top: number;
}

export const DEFAULT_LIMITS: Omit<ReportLimits, 'delimiter'> = { maxNodes: 2000, maxDepth: 6, top: 50 };

const HOUR = 3_600_000;

export function ttlBucket(ttl: number): TtlBucket {
  if (ttl < 0) return 'none';
  if (ttl < HOUR) return '< 1 h';
  if (ttl < 24 * HOUR) return '< 1 d';
  if (ttl < 7 * 24 * HOUR) return '< 1 w';
  return 'longer';
}

/** The `size` largest items by a score, in a min-heap: adding is O(log size), memory stays at `size`. */
export class TopList<T> {
  private readonly heap: { score: number; item: T }[] = [];

  constructor(private readonly size: number) {}

  /** Whether an item of this score would get in: ask first, so most keys cost no allocation. */
  admits(score: number): boolean {
    return this.heap.length < this.size || (this.size > 0 && score > this.heap[0]!.score);
  }

  offer(score: number, item: T): void {
    if (!this.admits(score)) return;
    const heap = this.heap;
    if (heap.length >= this.size) {
      heap[0] = { score, item };
      this.down(0);
      return;
    }
    heap.push({ score, item });
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heap[parent]!.score <= heap[i]!.score) break;
      [heap[parent], heap[i]] = [heap[i]!, heap[parent]!];
      i = parent;
    }
  }

  private down(i: number): void {
    const heap = this.heap;
    for (;;) {
      const [l, r] = [2 * i + 1, 2 * i + 2];
      let least = i;
      if (l < heap.length && heap[l]!.score < heap[least]!.score) least = l;
      if (r < heap.length && heap[r]!.score < heap[least]!.score) least = r;
      if (least === i) return;
      [heap[least], heap[i]] = [heap[i]!, heap[least]!];
      i = least;
    }
  }

  /** Largest first. */
  sorted(): T[] {
    return [...this.heap].sort((a, b) => b.score - a.score).map((entry) => entry.item);
  }
}

interface Node {
  readonly prefix: string;
  readonly name: string;
  readonly parent: Node | undefined;
  readonly other: boolean;
  keys: number;
  memory: number;
  children: Map<string, Node> | undefined;
}

const OTHER = '\u0000other';

/**
 * The memory and key count per prefix, as a tree split at the delimiter. Unique segments (ids) would grow it without
 * end, so it keeps at most `maxNodes`: when full, the smallest leaves (by memory) are folded into their parent's
 * "(other)" node, which keeps their keys and memory but not their names. A prefix seen again after being folded starts
 * again from zero, its earlier keys staying in "(other)".
 */
export class PrefixTree {
  private readonly root: Node = { prefix: '', name: '', parent: undefined, other: false, keys: 0, memory: 0, children: undefined };
  private nodes = 0;
  private foldedCount = 0;

  constructor(private readonly delimiter: string, private readonly maxNodes: number, private readonly maxDepth: number) {}

  add(key: string, memory: number): void {
    let node = this.root;
    node.keys++;
    node.memory += memory;
    let from = 0;
    for (let depth = 0; depth < this.maxDepth; depth++) {
      const at = key.indexOf(this.delimiter, from);
      if (at < 0) return;
      const name = key.slice(from, at);
      from = at + this.delimiter.length;
      node = this.child(node, name, key.slice(0, from));
      node.keys++;
      node.memory += memory;
      // Nothing is kept below a fold: its keys are counted there.
      if (node.other) return;
    }
  }

  private child(parent: Node, name: string, prefix: string): Node {
    parent.children ??= new Map();
    const existing = parent.children.get(name);
    if (existing) return existing;
    if (this.nodes >= this.maxNodes) this.fold(parent);
    if (this.nodes >= this.maxNodes) return this.otherOf(parent);
    const created: Node = { prefix, name, parent, other: false, keys: 0, memory: 0, children: undefined };
    parent.children.set(name, created);
    this.nodes++;
    return created;
  }

  private otherOf(parent: Node): Node {
    parent.children ??= new Map();
    let other = parent.children.get(OTHER);
    if (!other) {
      other = { prefix: parent.prefix, name: '(other)', parent, other: true, keys: 0, memory: 0, children: undefined };
      parent.children.set(OTHER, other);
    }
    return other;
  }

  /** Folds the smaller half of the leaves into their parents' "(other)" nodes; `keep` (the node being added to) stays. */
  private fold(keep: Node): void {
    const leaves: Node[] = [];
    const visit = (node: Node): void => {
      if (!node.children?.size) {
        if (node !== this.root && node !== keep && !node.other) leaves.push(node);
        return;
      }
      for (const child of node.children.values()) visit(child);
    };
    visit(this.root);
    leaves.sort((a, b) => a.memory - b.memory || a.keys - b.keys);
    for (const leaf of leaves.slice(0, Math.max(1, Math.floor(leaves.length / 2)))) {
      const parent = leaf.parent!;
      parent.children!.delete(leaf.name);
      const other = this.otherOf(parent);
      other.keys += leaf.keys;
      other.memory += leaf.memory;
      this.nodes--;
      this.foldedCount++;
    }
  }

  get folded(): number {
    return this.foldedCount;
  }

  /** The tree as plain data, children largest first. */
  snapshot(): PrefixNode {
    const shape = (node: Node): PrefixNode => ({
      prefix: node.prefix,
      name: node.name,
      keys: node.keys,
      memory: node.memory,
      ...(node.other ? { other: true as const } : {}),
      children: node.children ? [...node.children.values()].sort((a, b) => b.memory - a.memory || b.keys - a.keys).map(shape) : [],
    });
    return shape(this.root);
  }
}

/** Everything a memory analysis adds up as the keys stream in. */
export class MemoryTally {
  private inspected = 0;
  private seen = 0;
  private memory = 0;
  private readonly types = new Map<string, { keys: number; memory: number }>();
  private readonly ttls = new Map<TtlBucket, { keys: number; memory: number }>(TTL_BUCKETS.map((b) => [b, { keys: 0, memory: 0 }]));
  private readonly tree: PrefixTree;
  private readonly byMemory: TopList<KeyStat>;
  private readonly byLength: TopList<KeyStat>;
  private readonly withoutTtl: TopList<KeyStat>;

  constructor(private readonly limits: ReportLimits, private readonly sampleRate: number) {
    this.tree = new PrefixTree(limits.delimiter, limits.maxNodes, limits.maxDepth);
    this.byMemory = new TopList(limits.top);
    this.byLength = new TopList(limits.top);
    this.withoutTtl = new TopList(limits.top);
  }

  /** Keys SCAN returned, whether or not they were sampled. */
  saw(count: number): void {
    this.seen += count;
  }

  /**
   * One inspected key: its type, milliseconds to live (-1 none), MEMORY USAGE in bytes (0 where the server gave none)
   * and elements (STRLEN, HLEN, LLEN, SCARD, ZCARD or XLEN by type).
   */
  add(key: Buffer, type: string, ttl: number, memory: number, length: number): void {
    this.inspected++;
    this.memory += memory;
    let byType = this.types.get(type);
    if (!byType) this.types.set(type, (byType = { keys: 0, memory: 0 }));
    byType.keys++;
    byType.memory += memory;
    const byTtl = this.ttls.get(ttlBucket(ttl))!;
    byTtl.keys++;
    byTtl.memory += memory;
    this.tree.add(key.toString('utf8'), memory);
    const big = this.byMemory.admits(memory);
    const long = this.byLength.admits(length);
    const lasting = ttl < 0 && this.withoutTtl.admits(memory);
    if (!big && !long && !lasting) return;
    const stat: KeyStat = { ...keyRef(key), type, ttl, memory, length };
    if (big) this.byMemory.offer(memory, stat);
    if (long) this.byLength.offer(length, stat);
    if (lasting) this.withoutTtl.offer(memory, stat);
  }

  report(total: number): MemoryReport {
    return {
      inspected: this.inspected,
      seen: this.seen,
      total,
      sampleRate: this.sampleRate,
      memory: this.memory,
      byType: [...this.types].map(([type, t]) => ({ type, ...t })).sort((a, b) => b.memory - a.memory),
      ttl: TTL_BUCKETS.map((bucket) => ({ bucket, ...this.ttls.get(bucket)! })),
      prefixes: this.tree.snapshot(),
      folded: this.tree.folded,
      maxNodes: this.limits.maxNodes,
      topByMemory: this.byMemory.sorted(),
      topByLength: this.byLength.sorted(),
      topWithoutTtl: this.withoutTtl.sorted(),
    };
  }
}
