/** The plain shapes of keys and values that cross into the webview (no Node types here). */

/**
 * Redis keys and values are bytes. A key travels to the UI as readable text plus, when the bytes are not valid
 * UTF-8, their base64, so it can always be addressed exactly.
 */
export interface KeyRef {
  readonly text: string;
  readonly base64?: string;
}

export interface KeyRow extends KeyRef {
  readonly type: string;
  /** Milliseconds to live; -1 none. */
  readonly ttl: number;
  /** Bytes (MEMORY USAGE ... SAMPLES 0); undefined where the server does not say. */
  readonly memory?: number;
}

/** A byte string as the UI shows it: text where it is UTF-8, escapes where not. */
export interface Shown {
  readonly text: string;
  readonly exact: boolean;
}

/** Exact bytes across the webview boundary, as base64: how the UI names a member it was shown, never by its text. */
export interface Bytes {
  readonly base64: string;
}

/** A member (hash field, set or sorted-set member, list item) as shown, with the exact bytes that address it. */
export interface Member extends Shown, Bytes {}

export type ValuePage =
  | { readonly type: 'string'; readonly length: number; readonly value: Shown; readonly json: boolean; readonly truncated: boolean }
  | { readonly type: 'hash'; readonly entries: readonly [Member, Shown][]; readonly cursor: string; readonly total: number }
  | { readonly type: 'set'; readonly members: readonly Member[]; readonly cursor: string; readonly total: number }
  | { readonly type: 'zset'; readonly entries: readonly [Member, string][]; readonly offset: number; readonly total: number }
  | { readonly type: 'list'; readonly items: readonly Member[]; readonly offset: number; readonly total: number }
  | { readonly type: 'stream'; readonly entries: readonly { readonly id: string; readonly fields: readonly [Shown, Shown][] }[]; readonly next?: string; readonly total: number; readonly groups: readonly { readonly name: string; readonly consumers: number; readonly pending: number; readonly lastId: string }[] }
  | { readonly type: 'none' };

/**
 * One change to a collection member (or a whole new key), addressed in Redis' own terms. What a user typed travels
 * as text; an existing member is named by its exact bytes; a list item by its index and the bytes read there, which
 * the server checks before it changes anything.
 */
export type MemberEdit =
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'hash'; readonly op: 'set'; readonly field: string; readonly value: string }
  | { readonly type: 'hash'; readonly op: 'delete'; readonly field: Bytes }
  | { readonly type: 'list'; readonly op: 'push'; readonly value: string }
  | { readonly type: 'list'; readonly op: 'set'; readonly index: number; readonly expected: Bytes; readonly value: string }
  | { readonly type: 'list'; readonly op: 'delete'; readonly index: number; readonly expected: Bytes }
  | { readonly type: 'set'; readonly op: 'add'; readonly member: string }
  | { readonly type: 'set'; readonly op: 'delete'; readonly member: Bytes }
  | { readonly type: 'zset'; readonly op: 'add'; readonly member: string; readonly score: number }
  | { readonly type: 'zset'; readonly op: 'delete'; readonly member: Bytes }
  | { readonly type: 'stream'; readonly op: 'add'; readonly id?: string; readonly fields: readonly [string, string][] }
  | { readonly type: 'stream'; readonly op: 'delete'; readonly id: string };

/** What a member edit did: how many members it changed, or that the list item is no longer the one that was read. */
export type EditResult = { readonly changed: number } | { readonly moved: true };
