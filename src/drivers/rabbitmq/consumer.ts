import type { Channel, ConsumeMessage } from 'amqplib';
import { DriverError } from '../errors';
import { amqpError } from './amqpErrors';
import { messageView } from './messageView';
import { MessageView } from './shapes';
import type { Channels } from './channels';

/**
 * - `manual`: each message waits for the user's ack, nack or requeue (at most `prefetch` at a time);
 * - `afterReceive`: acked by Switchboard as soon as it was received and handed on;
 * - `auto`: the broker forgets a message as it sends it (no acks, fastest, lost if the panel closes).
 */
export type AckMode = 'manual' | 'afterReceive' | 'auto';

export interface ConsumeOptions {
  readonly prefetch: number;
  readonly ackMode: AckMode;
}

export interface ConsumerEvents {
  /** Messages as they arrive, one call per delivery. */
  readonly onMessage: (message: MessageView) => void;
  /** The broker ended the consumer (queue deleted, connection lost). */
  readonly onEnd: (reason: string) => void;
}

/** What the connection allows a consumer. */
export interface ConsumerRights {
  /** False on read-only connections: held messages can only be requeued. */
  readonly mayRemove: boolean;
  /** Bodies longer than this are shown cut. */
  readonly maxBodyBytes: number;
  /** Bounds each round trip to the broker. */
  readonly channels: Pick<Channels, 'answer' | 'closeQuietly' | 'limits'>;
}

/** A live consumer on one channel: pause and resume without losing the messages it holds unacked. */
export class LiveConsumer {
  private tag: string | undefined;
  private readonly held = new Map<number, ConsumeMessage>();
  private ended = false;
  private readonly closedListeners: (() => void)[] = [];

  private constructor(private readonly channel: Channel, readonly queue: string, private readonly options: ConsumeOptions, private readonly events: ConsumerEvents, private readonly rights: ConsumerRights) {
    channel.on('close', () => this.end('the channel was closed (connection lost?)'));
  }

  static async start(channel: Channel, queue: string, options: ConsumeOptions, events: ConsumerEvents, rights: ConsumerRights): Promise<LiveConsumer> {
    const consumer = new LiveConsumer(channel, queue, options, events, rights);
    const action = `Consuming from "${queue}"`;
    try {
      if (options.ackMode !== 'auto') await rights.channels.answer(channel.prefetch(Math.max(1, options.prefetch)), action);
      await consumer.resume();
    } catch (error) {
      await rights.channels.closeQuietly(channel);
      throw amqpError(error, action, rights.channels.limits.endpoint);
    }
    return consumer;
  }

  get paused(): boolean {
    return this.tag === undefined;
  }

  /** Unacked messages this consumer holds (manual mode). */
  get unacked(): number {
    return this.held.size;
  }

  async resume(): Promise<void> {
    if (this.tag !== undefined || this.ended) return;
    const reply = await this.rights.channels.answer(this.channel.consume(this.queue, (message) => this.deliver(message), { noAck: this.options.ackMode === 'auto' }), `Consuming from "${this.queue}"`);
    this.tag = reply.consumerTag;
  }

  /** Stops deliveries; messages already held stay held until acked, nacked or the consumer is closed. */
  async pause(): Promise<void> {
    const tag = this.tag;
    this.tag = undefined;
    if (tag !== undefined) await this.rights.channels.answer(this.channel.cancel(tag), `Pausing the consumer on "${this.queue}"`).catch(() => undefined);
  }

  /** Acks held messages by id. Unknown ids (already settled) are ignored; returns how many were acked. */
  ack(ids: readonly number[]): number {
    this.removing('Acking');
    return this.settle(ids, (m) => this.channel.ack(m));
  }

  /** Negatively acknowledges held messages: requeued, or dropped / dead-lettered when `requeue` is false. */
  nack(ids: readonly number[], requeue: boolean): number {
    if (!requeue) this.removing('Rejecting');
    return this.settle(ids, (m) => this.channel.nack(m, false, requeue));
  }

  /** Cancels the consumer and closes its channel: the broker requeues every message still unacked. */
  async close(): Promise<void> {
    if (!this.ended) this.finish();
    await this.rights.channels.closeQuietly(this.channel);
  }

  onClosed(listener: () => void): void {
    this.closedListeners.push(listener);
  }

  private removing(action: string): void {
    if (!this.rights.mayRemove) throw new DriverError('readOnly', `${action} messages of "${this.queue}" refused: this is a read-only connection.`, 'Requeue them, or use a writable connection.');
  }

  private finish(): void {
    this.ended = true;
    this.tag = undefined;
    this.held.clear();
    for (const listener of this.closedListeners.splice(0)) listener();
  }

  private settle(ids: readonly number[], how: (m: ConsumeMessage) => void): number {
    if (!Array.isArray(ids) || !ids.every((id) => Number.isSafeInteger(id))) throw new DriverError('config', 'Messages to settle are named by their ids, a list of whole numbers.');
    if (this.ended) throw new DriverError('closed', 'The consumer has stopped; its unacked messages went back to the queue.');
    let done = 0;
    for (const id of ids) {
      const message = this.held.get(id);
      if (!message) continue;
      this.held.delete(id);
      how(message);
      done++;
    }
    return done;
  }

  private deliver(message: ConsumeMessage | null): void {
    // A null delivery means the broker cancelled the consumer (the queue was deleted, for instance).
    if (!message) return this.end(`the broker cancelled the consumer on "${this.queue}" (was the queue deleted?)`);
    const view = messageView(message, this.rights.maxBodyBytes);
    if (this.options.ackMode === 'manual') this.held.set(view.id, message);
    this.events.onMessage(view);
    if (this.options.ackMode === 'afterReceive') this.channel.ack(message);
  }

  private end(reason: string): void {
    if (this.ended) return;
    this.finish();
    this.events.onEnd(reason);
  }
}
