/** Messages between the Memcached key browser webview and the extension. Imported by both sides. */

/** One listed key: compact, since a listing can hold a million of them. */
export interface KeyRow {
  readonly key: string;
  /** Index into the panel's server list. */
  readonly server: number;
  readonly size: number;
  /** Unix seconds; -1 never expires. */
  readonly expiry: number;
  readonly lastAccess?: number;
  readonly slabClass?: number;
}

export interface ItemDetails {
  readonly key: string;
  readonly server: string;
  readonly mappedServer: string;
  readonly flags: number;
  readonly cas: string;
  readonly size: number;
  readonly format: 'text' | 'json' | 'integer' | 'pickle' | 'binary';
  readonly display: string;
  readonly note: string;
  readonly editable: boolean;
}

export type BrowserRequest =
  | { readonly type: 'list' }
  | { readonly type: 'cancelList' }
  | { readonly type: 'get'; readonly key: string; readonly server: string }
  | { readonly type: 'save'; readonly key: string; readonly server: string; readonly cas: string; readonly flags: number; readonly text: string }
  | { readonly type: 'delete'; readonly items: readonly { readonly key: string; readonly server: string }[] }
  | { readonly type: 'create'; readonly key: string; readonly text: string; readonly flags: number; readonly ttl: number; readonly mode: 'set' | 'add' }
  | { readonly type: 'counter'; readonly key: string; readonly server: string; readonly op: 'incr' | 'decr'; readonly delta: string }
  | { readonly type: 'touch'; readonly key: string; readonly server: string; readonly ttl: number };

export interface BrowserResponses {
  list: { readonly started: boolean };
  cancelList: { readonly cancelled: boolean };
  get: { readonly item?: ItemDetails; readonly error?: string };
  save: { readonly result?: 'saved' | 'conflict' | 'gone'; readonly error?: string };
  delete: { readonly deleted?: number; readonly cancelled?: boolean; readonly error?: string };
  create: { readonly stored?: boolean; readonly server?: string; readonly error?: string };
  counter: { readonly value?: string; readonly error?: string };
  touch: { readonly touched?: boolean; readonly error?: string };
}

export interface ServerListing {
  readonly server: string;
  readonly method: 'metadump' | 'cachedump';
  readonly listed: number;
  readonly capped: boolean;
}

export type ToHost =
  | { readonly type: 'ready' }
  | { readonly type: 'request'; readonly id: number; readonly request: BrowserRequest };

export type ToBrowser =
  | { readonly type: 'init'; readonly name: string; readonly readOnly: boolean; readonly servers: readonly string[]; readonly cap: number }
  | { readonly type: 'keys'; readonly rows: readonly KeyRow[] }
  | { readonly type: 'listDone'; readonly servers: readonly ServerListing[]; readonly error?: string; readonly cancelled?: boolean; readonly elapsedMs: number }
  | { readonly type: 'response'; readonly id: number; readonly response: BrowserResponses[BrowserRequest['type']] };
