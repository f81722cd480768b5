import type { ConfirmChannel, GetMessage, Message, Options } from 'amqplib';
import { once } from 'node:events';
import { DriverError } from '../errors';
import { Channels } from './channels';
import { encodeBody, messageView, publishOptions, republishOptions } from './messageView';
import { GetMode, MessageView, PublishRequest, PublishResult } from './shapes';

export interface Progress {
  readonly signal?: AbortSignal;
  readonly onProgress?: (done: number, total: number) => void;
}

export interface MoveResult {
  readonly moved: number;
  /** Left in the source queue: dead-lettered messages without an x-death record, when replaying. */
  readonly skipped: number;
}

/** Publishes with backpressure: waits for the channel to drain when its buffer is full. */
async function send(channel: ConfirmChannel, exchange: string, routingKey: string, body: Buffer, options: Options.Publish, onConfirm: (error: unknown) => void): Promise<void> {
  if (!channel.publish(exchange, routingKey, body, options, onConfirm)) await once(channel, 'drain');
}

/** Publish, get (peek), purge, move and replay. */
export class Messages {
  constructor(private readonly channels: Channels, private readonly maxBodyBytes: number) {}

  async publish(vhost: string, request: PublishRequest, progress: Progress = {}): Promise<PublishResult> {
    const body = encodeBody(request.body, request.encoding);
    const repeat = Math.max(1, Math.floor(request.repeat ?? 1));
    const options = publishOptions(request.properties, request.encoding, request.mandatory ?? false);
    const target = `exchange "${request.exchange || '(default)'}" with routing key "${request.routingKey}"`;
    const started = performance.now();
    return this.channels.withConfirms(vhost, `Publishing to ${target}`, async (channel) => {
      let returned = 0;
      let returnReason: string | undefined;
      channel.on('return', (message: Message & { fields: { replyText?: string } }) => {
        returned++;
        returnReason ??= message.fields.replyText;
      });
      let confirmed = 0;
      let published = 0;
      for (; published < repeat && !progress.signal?.aborted; published++) {
        await send(channel, request.exchange, request.routingKey, body, options, (error) => { if (!error) confirmed++; });
        if (published % 1000 === 999) progress.onProgress?.(published + 1, repeat);
      }
      await channel.waitForConfirms();
      return { published, confirmed, returned, ...(returnReason ? { returnReason } : {}), ms: performance.now() - started };
    });
  }

  /**
   * Fetches up to `count` messages with basic.get. `requeue` holds them all, then hands them back (they come back
   * marked redelivered); `ack` removes them; `reject` removes them too, dead-lettering them where the queue says so.
   */
  async get(vhost: string, queue: string, count: number, mode: GetMode): Promise<MessageView[]> {
    return this.channels.with(vhost, `Getting messages from "${queue}"`, async (channel) => {
      const views: MessageView[] = [];
      let last: GetMessage | undefined;
      for (let i = 0; i < count; i++) {
        const message = await channel.get(queue, { noAck: false });
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

  /** Moves the messages ready now from one queue to another: each is confirmed at the target before it is acked. */
  async move(vhost: string, from: string, to: string, progress: Progress = {}): Promise<MoveResult> {
    if (from === to) throw new DriverError('config', 'Moving messages needs two different queues.');
    await this.channels.with(vhost, `Checking queue "${to}"`, (ch) => ch.checkQueue(to));
    return this.transfer(vhost, from, `Moving messages from "${from}" to "${to}"`, () => ({ exchange: '', routingKey: to }), progress);
  }

  /** Publishes dead-lettered messages again to the exchange and routing key their latest x-death entry records. */
  async replay(vhost: string, queue: string, progress: Progress = {}): Promise<MoveResult> {
    return this.transfer(vhost, queue, `Replaying dead-lettered messages from "${queue}"`, (message) => {
      const death = (message.properties.headers?.['x-death'] as Record<string, unknown>[] | undefined)?.[0];
      const keys = death?.['routing-keys'];
      if (!death || typeof death['exchange'] !== 'string' || !Array.isArray(keys) || keys.length === 0) return undefined;
      return { exchange: death['exchange'], routingKey: String(keys[0]) };
    }, progress);
  }

  /**
   * Takes each message ready at the start (newer arrivals are left alone), republishes it where `route` says, and acks
   * it only once the broker confirmed the copy. Messages without a route are held and handed back at the end.
   */
  private async transfer(vhost: string, queue: string, action: string, route: (m: Message) => { exchange: string; routingKey: string } | undefined, progress: Progress): Promise<MoveResult> {
    const source = await this.channels.channel(vhost, action);
    try {
      return await this.channels.withConfirms(vhost, action, async (target) => {
        const total = (await source.checkQueue(queue)).messageCount;
        let moved = 0;
        let skipped = 0;
        for (let i = 0; i < total && !progress.signal?.aborted; i++) {
          const message = await source.get(queue, { noAck: false });
          if (!message) break;
          const to = route(message);
          if (!to) {
            skipped++;
            continue;
          }
          await new Promise<void>((resolve, reject) => {
            void send(target, to.exchange, to.routingKey, message.content, republishOptions(message), (error) => (error ? reject(new DriverError('server', `${action}: the broker did not confirm a copy; the original stays in "${queue}".`)) : resolve())).catch(reject);
          });
          source.ack(message);
          moved++;
          if (moved % 100 === 0) progress.onProgress?.(moved, total);
        }
        return { moved, skipped };
      });
    } finally {
      // Closing the channel hands every message still held (the skipped ones) back to the queue.
      await source.close().catch(() => undefined);
    }
  }
}
