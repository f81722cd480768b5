/** The plain shapes of a memory analysis report, which cross into the webview (no Node types here). */
import type { KeyRef } from './shapes';

export interface KeyStat extends KeyRef {
  readonly type: string;
  readonly ttl: number;
  readonly memory: number;
  readonly length: number;
}

export interface Tally {
  readonly keys: number;
  readonly memory: number;
}

/** A prefix (up to and including a delimiter) and what the keys below it hold. */
export interface PrefixNode extends Tally {
  /** The whole prefix, e.g. "user:123:"; for the folded node "(other)", its parent's prefix. */
  readonly prefix: string;
  /** The last segment, e.g. "123". */
  readonly name: string;
  /** Prefixes folded into one node to keep the tree bounded: their keys are counted here, by name no more. */
  readonly other?: true;
  readonly children: readonly PrefixNode[];
}

export const TTL_BUCKETS = ['none', '< 1 h', '< 1 d', '< 1 w', 'longer'] as const;
export type TtlBucket = (typeof TTL_BUCKETS)[number];

export interface MemoryReport {
  /** Keys inspected (TYPE, PTTL, MEMORY USAGE, length). */
  readonly inspected: number;
  /** Keys SCAN returned, sampled or not. */
  readonly seen: number;
  /** DBSIZE when the pass began (summed over a cluster's masters). */
  readonly total: number;
  /** The share of seen keys inspected (1 = all): totals of a sample are that share of the keyspace's. */
  readonly sampleRate: number;
  readonly memory: number;
  readonly byType: readonly ({ readonly type: string } & Tally)[];
  readonly ttl: readonly ({ readonly bucket: TtlBucket } & Tally)[];
  /** The root: keys without a delimiter are counted here only. */
  readonly prefixes: PrefixNode;
  /** How many prefixes were folded into "(other)" nodes, and the most nodes the tree keeps. */
  readonly folded: number;
  readonly maxNodes: number;
  readonly topByMemory: readonly KeyStat[];
  readonly topByLength: readonly KeyStat[];
  readonly topWithoutTtl: readonly KeyStat[];
}
