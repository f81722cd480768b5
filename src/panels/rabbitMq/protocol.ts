/** Messages between the RabbitMQ messages webview and the extension. Imported by both sides. */
import type { GetMode, MessageView, PublishRequest, PublishResult, RpcResult } from '../../drivers/rabbitmq/shapes';

export type Tab = 'publish' | 'get' | 'consume' | 'tail' | 'rpc';
export type AckMode = 'manual' | 'afterReceive' | 'auto';

export interface Focus {
  readonly tab: Tab;
  readonly queue?: string;
  readonly exchange?: string;
  readonly routingKey?: string;
}

export type RabbitRequest =
  | { readonly type: 'names' }
  | { readonly type: 'routingKeys'; readonly exchange: string }
  | { readonly type: 'publish'; readonly publish: PublishRequest }
  | { readonly type: 'get'; readonly queue: string; readonly count: number; readonly mode: GetMode }
  | { readonly type: 'consume'; readonly queue: string; readonly prefetch: number; readonly ackMode: AckMode }
  | { readonly type: 'tail'; readonly exchange: string; readonly pattern: string; readonly headers: string }
  | { readonly type: 'pause' }
  | { readonly type: 'resume' }
  | { readonly type: 'stop' }
  | { readonly type: 'settle'; readonly ids: readonly number[]; readonly how: 'ack' | 'requeue' | 'reject' }
  | { readonly type: 'rpc'; readonly publish: PublishRequest; readonly replyVia: 'direct' | 'queue'; readonly timeoutMs: number };

export interface LiveState {
  readonly running: boolean;
  readonly paused: boolean;
  readonly what?: string;
  readonly unacked: number;
}

export interface RabbitResponses {
  names: { readonly queues?: readonly string[]; readonly exchanges?: readonly { name: string; type: string }[]; readonly error?: string };
  routingKeys: { readonly keys?: readonly string[]; readonly error?: string };
  publish: PublishResult | { readonly error: string };
  get: { readonly messages?: readonly MessageView[]; readonly error?: string };
  consume: { readonly live?: LiveState; readonly error?: string };
  tail: { readonly live?: LiveState; readonly error?: string };
  pause: { readonly live?: LiveState; readonly error?: string };
  resume: { readonly live?: LiveState; readonly error?: string };
  stop: { readonly live?: LiveState; readonly error?: string };
  settle: { readonly settled?: number; readonly live?: LiveState; readonly error?: string };
  rpc: RpcResult | { readonly error: string };
}
export type RabbitResponse = RabbitResponses[RabbitRequest['type']];

export type ToHost = { readonly type: 'ready' } | { readonly type: 'request'; readonly id: number; readonly request: RabbitRequest };

export type ToRabbit =
  | { readonly type: 'init'; readonly title: string; readonly readOnly: boolean; readonly cap: number; readonly hasApi: boolean; readonly focus: Focus }
  | { readonly type: 'focus'; readonly focus: Focus }
  | { readonly type: 'messages'; readonly items: readonly MessageView[]; readonly dropped: number; readonly live: LiveState }
  | { readonly type: 'ended'; readonly reason: string; readonly live: LiveState }
  | { readonly type: 'response'; readonly id: number; readonly response: RabbitResponse };
