/** Messages between the Redis key browser webview and the extension. Imported by both sides. */
import type { KeyRef, KeyRow, MemberEdit, ValuePage } from '../../drivers/redis/shapes';

export type { KeyRef, KeyRow, ValuePage, MemberEdit };

export type BrowserRequest =
  | { readonly type: 'scan'; readonly match: string; readonly keyType: string }
  | { readonly type: 'metadata'; readonly keys: readonly KeyRef[] }
  | { readonly type: 'pause' }
  | { readonly type: 'resume' }
  | { readonly type: 'cancel' }
  | { readonly type: 'value'; readonly key: KeyRef; readonly cursor?: string; readonly offset?: number }
  | { readonly type: 'saveString'; readonly key: KeyRef; readonly text: string; readonly expected: string }
  | { readonly type: 'delete'; readonly keys: readonly KeyRef[] }
  | { readonly type: 'rename'; readonly key: KeyRef; readonly to: string }
  | { readonly type: 'expire'; readonly key: KeyRef; readonly seconds: number }
  | { readonly type: 'openInEditor'; readonly key: KeyRef; readonly field?: string }
  | { readonly type: 'edit'; readonly key: KeyRef; readonly edit: MemberEdit }
  | { readonly type: 'create'; readonly key: string; readonly first: MemberEdit }
  | { readonly type: 'deleteMatching'; readonly pattern: string };

export interface BrowserResponses {
  scan: { readonly started: boolean };
  metadata: { readonly rows?: readonly KeyRow[]; readonly error?: string };
  pause: { readonly paused: boolean };
  resume: { readonly paused: boolean };
  cancel: { readonly cancelled: boolean };
  value: { readonly page?: ValuePage; readonly error?: string };
  saveString: { readonly result?: 'saved' | 'conflict'; readonly error?: string };
  delete: { readonly deleted?: number; readonly cancelled?: boolean; readonly error?: string };
  rename: { readonly renamed?: boolean; readonly cancelled?: boolean; readonly error?: string };
  expire: { readonly done?: boolean; readonly error?: string };
  openInEditor: { readonly opened?: boolean; readonly error?: string };
  edit: { readonly changed?: number; readonly error?: string };
  create: { readonly created?: boolean; readonly error?: string };
  deleteMatching: { readonly deleted?: number; readonly cancelled?: boolean; readonly error?: string };
}

export type ToHost =
  | { readonly type: 'ready' }
  | { readonly type: 'request'; readonly id: number; readonly request: BrowserRequest };

export type ToBrowser =
  | { readonly type: 'init'; readonly name: string; readonly db: number; readonly readOnly: boolean; readonly pageSize: number; readonly delimiter: string }
  | { readonly type: 'keys'; readonly rows: readonly KeyRow[] }
  | { readonly type: 'progress'; readonly scanned: number; readonly total: number; readonly paused: boolean }
  | { readonly type: 'scanDone'; readonly found: number; readonly elapsedMs: number; readonly cancelled?: boolean; readonly error?: string }
  | { readonly type: 'response'; readonly id: number; readonly response: BrowserResponses[BrowserRequest['type']] };
