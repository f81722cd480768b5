import { randomUUID } from 'node:crypto';
import { DriverError } from '../errors';
import { Channels } from './channels';
import { encodeBody, messageView, publishOptions } from './messageView';
import { PublishRequest, RpcResult } from './shapes';

const DIRECT_REPLY_TO = 'amq.rabbitmq.reply-to';

export interface RpcOptions {
  /** `direct` uses RabbitMQ's direct reply-to; `queue` an exclusive, auto-delete callback queue. */
  readonly replyVia: 'direct' | 'queue';
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

export interface RpcCall {
  readonly channels: Channels;
  readonly vhost: string;
  /** Reply bodies longer than this are shown cut. */
  readonly maxBodyBytes: number;
}

/**
 * Sends a request with reply-to and a correlation id and waits for the reply that carries the same id: the
 * convention every AMQP RPC server follows, whatever client it is written with.
 */
export async function rpcCall({ channels, vhost, maxBodyBytes }: RpcCall, request: PublishRequest, options: RpcOptions): Promise<RpcResult> {
  const correlationId = request.properties.correlationId || randomUUID();
  const body = encodeBody(request.body, request.encoding);
  const action = `RPC to exchange "${request.exchange || '(default)'}" with routing key "${request.routingKey}"`;
  return channels.withConfirms(vhost, action, async (channel) => {
    const replyTo = options.replyVia === 'direct' ? DIRECT_REPLY_TO : (await channels.answer(channel.assertQueue('', { exclusive: true, autoDelete: true }), action)).queue;
    let returned: string | undefined;
    channel.on('return', (m: { fields: { replyText?: string } }) => { returned = m.fields.replyText ?? 'unroutable'; });
    let started = 0;
    let settle: { resolve: (r: RpcResult) => void; reject: (e: Error) => void } | undefined;
    const reply = new Promise<RpcResult>((resolve, reject) => { settle = { resolve, reject }; });
    reply.catch(() => undefined);
    const timer = setTimeout(() => settle?.reject(new DriverError('timeout', `${action}: no reply with correlation id ${correlationId} within ${options.timeoutMs / 1000} s.`, 'Check that an RPC server consumes from that queue and answers to reply-to.')), options.timeoutMs);
    try {
      options.signal?.addEventListener('abort', () => settle?.reject(new DriverError('closed', `${action}: cancelled.`)), { once: true });
      channel.on('close', () => settle?.reject(new DriverError('closed', `${action}: the channel closed before a reply came.`)));
      // Direct reply-to needs the consumer in place before the request goes out.
      await channels.answer(channel.consume(replyTo, (message) => {
        if (message?.properties.correlationId === correlationId) settle?.resolve({ reply: messageView(message, maxBodyBytes), correlationId, ms: performance.now() - started });
      }, { noAck: true }), action);
      started = performance.now();
      channel.publish(request.exchange, request.routingKey, body, { ...publishOptions(request.properties, request.encoding, true), replyTo, correlationId });
      await channels.answer(channel.waitForConfirms(), action);
      if (returned) throw new DriverError('config', `${action}: the broker returned the request as unroutable (${returned}).`, 'No queue is bound for that routing key: is the RPC server running?');
      return await reply;
    } finally {
      clearTimeout(timer);
    }
  });
}
