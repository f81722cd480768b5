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

export type ValuePage =
  | { readonly type: 'string'; readonly length: number; readonly value: Shown; readonly json: boolean; readonly truncated: boolean }
  | { readonly type: 'hash'; readonly entries: readonly [Shown, Shown][]; readonly cursor: string; readonly total: number }
  | { readonly type: 'set'; readonly members: readonly Shown[]; readonly cursor: string; readonly total: number }
  | { readonly type: 'zset'; readonly entries: readonly [Shown, string][]; readonly offset: number; readonly total: number }
  | { readonly type: 'list'; readonly items: readonly Shown[]; readonly offset: number; readonly total: number }
  | { readonly type: 'stream'; readonly entries: readonly { readonly id: string; readonly fields: readonly [Shown, Shown][] }[]; readonly next?: string; readonly total: number; readonly groups: readonly { readonly name: string; readonly consumers: number; readonly pending: number; readonly lastId: string }[] }
  | { readonly type: 'none' };

/** One change to a collection member (or a whole new key), addressed in Redis' own terms. */
export type MemberEdit =
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'hash'; readonly op: 'set' | 'delete'; readonly field: string; readonly value?: string }
  | { readonly type: 'list'; readonly op: 'push' | 'set' | 'delete'; readonly index?: number; readonly value?: string }
  | { readonly type: 'set'; readonly op: 'add' | 'delete'; readonly member: string }
  | { readonly type: 'zset'; readonly op: 'add' | 'delete'; readonly member: string; readonly score?: number }
  | { readonly type: 'stream'; readonly op: 'add' | 'delete'; readonly id?: string; readonly fields?: readonly [string, string][] };
