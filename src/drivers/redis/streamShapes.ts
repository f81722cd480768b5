/** The plain shapes of a stream's consumer groups that cross into the webview (no Node types here). */
import type { Member } from './shapes';

export interface StreamGroup {
  readonly name: Member;
  readonly consumers: number;
  readonly pending: number;
  readonly lastDeliveredId: string;
  /** How many entries the group has read (Redis 7); absent when the server cannot tell. */
  readonly entriesRead?: number;
  /** How many entries the group still has to read (Redis 7); absent when the server cannot tell. */
  readonly lag?: number;
}

export interface StreamOverview {
  /** False when the key does not exist (a group can still be created with MKSTREAM). */
  readonly exists: boolean;
  readonly length: number;
  readonly groups: readonly StreamGroup[];
}

export interface StreamConsumer {
  readonly name: Member;
  readonly pending: number;
  /** Milliseconds since the consumer last asked for entries. */
  readonly idleMs: number;
  /** Milliseconds since it last got some (Redis 7.2; -1 for never). */
  readonly inactiveMs?: number;
}

export interface PendingEntry {
  readonly id: string;
  readonly consumer: Member;
  /** Milliseconds since it was last delivered. */
  readonly idleMs: number;
  readonly deliveries: number;
}

export interface PendingPage {
  readonly entries: readonly PendingEntry[];
  /** The last ID of this page, when there may be more after it. */
  readonly next?: string;
}

export interface ClaimResult {
  readonly claimed: readonly string[];
  /** Asked for but not claimed: read again, claimed or acknowledged meanwhile, or no longer pending. */
  readonly left: readonly string[];
}

export interface AutoClaimResult {
  readonly claimed: readonly string[];
  /** Pending entries whose data was deleted from the stream: the server dropped them from the pending list. */
  readonly deleted: readonly string[];
  /** Where the next XAUTOCLAIM would go on; 0-0 when the pending list was gone through. */
  readonly next: string;
}

/** How to trim: to the newest `count` entries, or to the entries from ID `id` on. */
export type TrimRule = { readonly kind: 'maxlen'; readonly count: number } | { readonly kind: 'minid'; readonly id: string };

/** What a trim would remove, counted on the server: entries `oldest` … `newest`, `remove` of them, below `minId`. */
export interface TrimPlan {
  readonly remove: number;
  readonly keep: number;
  /** XTRIM MINID with this removes exactly the entries counted and nothing added after. */
  readonly minId: string;
  readonly oldest?: string;
  readonly newest?: string;
}
