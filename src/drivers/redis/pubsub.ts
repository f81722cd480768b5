import type { RedisClient } from './client';
import { displayBytes } from './keys';

export interface PubSubMessage {
  readonly channel: string;
  /** The pattern that matched, for PSUBSCRIBE deliveries. */
  readonly pattern?: string;
  readonly message: string;
  /** Milliseconds since the epoch, when it arrived here. */
  readonly at: number;
}

/** A subscriber connection of its own: SUBSCRIBE and PSUBSCRIBE, messages handed over as they arrive. */
export class Subscription {
  private constructor(private readonly client: RedisClient) {}

  /** Subscribes on `client`, a connection given over to this subscription. */
  static async open(client: RedisClient, channels: readonly string[], patterns: readonly string[], onMessage: (message: PubSubMessage) => void): Promise<Subscription> {
    client.on('messageBuffer', (channel: Buffer, message: Buffer) => onMessage({ channel: displayBytes(channel).text, message: displayBytes(message).text, at: Date.now() }));
    client.on('pmessageBuffer', (pattern: Buffer, channel: Buffer, message: Buffer) => onMessage({ pattern: displayBytes(pattern).text, channel: displayBytes(channel).text, message: displayBytes(message).text, at: Date.now() }));
    if (channels.length) await client.subscribe(...channels);
    if (patterns.length) await client.psubscribe(...patterns);
    return new Subscription(client);
  }

  close(): void {
    this.client.disconnect();
  }
}
