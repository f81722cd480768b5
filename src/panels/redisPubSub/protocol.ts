/** Messages between the Redis Pub/Sub webview and the extension. Imported by both sides. */
export interface PubSubItem {
  readonly channel: string;
  readonly pattern?: string;
  readonly message: string;
  readonly at: number;
}

export type PubSubRequest =
  | { readonly type: 'subscribe'; readonly channels: readonly string[]; readonly patterns: readonly string[] }
  | { readonly type: 'unsubscribe' }
  | { readonly type: 'publish'; readonly channel: string; readonly message: string };

export interface PubSubResponses {
  subscribe: { readonly subscribed?: boolean; readonly error?: string };
  unsubscribe: { readonly subscribed?: boolean; readonly error?: string };
  publish: { readonly receivers?: number; readonly error?: string };
}

export type ToHost = { readonly type: 'ready' } | { readonly type: 'request'; readonly id: number; readonly request: PubSubRequest };

export type ToPubSub =
  | { readonly type: 'init'; readonly name: string; readonly readOnly: boolean; readonly cap: number }
  | { readonly type: 'messages'; readonly items: readonly PubSubItem[]; readonly dropped: number }
  | { readonly type: 'response'; readonly id: number; readonly response: PubSubResponses[PubSubRequest['type']] };
