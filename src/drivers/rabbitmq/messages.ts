import type { ConfirmChannel, GetMessage, Message, Options } from 'amqplib';
import { once } from 'node:events';
import { Channels } from './channels';
import { encodeBody, messageView, publishOptions } from './messageView';
import { GetMode, MessageView, PublishRequest, PublishResult } from './shapes';

export interface Progress {
  readonly signal?: AbortSignal;
  readonly onProgress?: (done: number, total: number) => void;
}

/** Publishes with backpressure: waits for the channel to drain when its buffer is full. */
export async function send(channel: ConfirmChannel, exchange: string, routingKey: string, body: Buffer, options: Options.Publish, onConfirm: (error: unknown) => void): Promise<void> {
  if (!channel.publish(exchange, routingKey, body, options, onConfirm)) await once(channel, 'drain');
}

/** Publish, get (peek) and purge. */
export class Messages {
  constructor(private readonly channels: Channels, private readonly maxBodyBytes: number) {}

  async publish(vhost: string, request: PublishRequest, progress: Progress = {}): Promise<PublishResult> {
    const body = encodeBody(request.body, request.encoding);
    const repeat = Math.max(1, Math.floor(request.repeat ?? 1));
    const options = publishOptions(request.properties, request.encoding, request.mandatory ?? false);
    const target = `exchange "${request.exchange || '(default)'}" with routing key "${request.routingKey}"`;
    const started = performance.now();
    const action = `Publishing to ${target}`;
    return this.channels.withConfirms(vhost, action, async (channel) => {
      // A big publish may take long; what may not is a broker that stops taking messages or confirming them.
      const watchdog = this.channels.watchdog(action);
      let returned = 0;
      let returnReason: string | undefined;
      channel.on('return', (message: Message & { fields: { replyText?: string } }) => {
        returned++;
        returnReason ??= message.fields.replyText;
      });
      let confirmed = 0;
      let published = 0;
      for (; published < repeat && !progress.signal?.aborted; published++) {
        await watchdog.guard(send(channel, request.exchange, request.routingKey, body, options, (error) => {
          watchdog.alive();
          if (!error) confirmed++;
        }));
        watchdog.alive();
        if (published % 1000 === 999) progress.onProgress?.(published + 1, repeat);
      }
      await watchdog.guard(channel.waitForConfirms());
      return { published, confirmed, returned, ...(returnReason ? { returnReason } : {}), ms: performance.now() - started };
    });
  }

  /**
   * Fetches up to `count` messages with basic.get. `requeue` holds them all, then hands them back (they come back
   * marked redelivered); `ack` removes them; `reject` removes them too, dead-lettering them where the queue says so.
   */
  async get(vhost: string, queue: string, count: number, mode: GetMode): Promise<MessageView[]> {
    const action = `Getting messages from "${queue}"`;
    return this.channels.withSteps(vhost, action, async (channel) => {
      const views: MessageView[] = [];
      let last: GetMessage | undefined;
      for (let i = 0; i < count; i++) {
        const message = await this.channels.answer(channel.get(queue, { noAck: false }), action);
        if (!message) break;
        last = message;
        views.push(messageView(message, this.maxBodyBytes, message.fields.messageCount));
        if (mode === 'reject') channel.reject(message, false);
      }
      if (last && mode === 'requeue') channel.nack(last, true, true);
      if (last && mode === 'ack') channel.ack(last, true);
      return views;
    });
  }

  /** Removes every ready message; returns how many went. */
  async purge(vhost: string, queue: string): Promise<number> {
    return (await this.channels.with(vhost, `Purging "${queue}"`, (ch) => ch.purgeQueue(queue))).messageCount;
  }
}
