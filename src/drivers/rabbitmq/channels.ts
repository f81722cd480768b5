import type { Channel, ConfirmChannel, RecoveringChannelModel } from 'amqplib';
import { amqpError } from './amqpErrors';

export type Connection = RecoveringChannelModel;

/**
 * The session's AMQP connections, one per vhost (the profile's own opened at connect, others when first used), and
 * short-lived channels on them: a channel the broker closes on an error never takes later operations with it.
 */
export class Channels {
  private readonly others = new Map<string, Promise<Connection>>();

  constructor(readonly vhost: string, private readonly mainConnection: Connection, private readonly open: (vhost: string) => Promise<Connection>) {}

  main(): Connection {
    return this.mainConnection;
  }

  connection(vhost = this.vhost): Promise<Connection> {
    if (vhost === this.vhost) return Promise.resolve(this.mainConnection);
    let connection = this.others.get(vhost);
    if (!connection) {
      connection = this.open(vhost);
      connection.catch(() => this.others.delete(vhost));
      this.others.set(vhost, connection);
    }
    return connection;
  }

  /** A channel for work that outlives one call (consumers); the caller closes it. */
  async channel(vhost: string, action: string): Promise<Channel> {
    try {
      const channel = await (await this.connection(vhost)).createChannel();
      channel.on('error', () => undefined);
      return channel;
    } catch (error) {
      throw amqpError(error, action);
    }
  }

  async confirmChannel(vhost: string, action: string): Promise<ConfirmChannel> {
    try {
      const channel = await (await this.connection(vhost)).createConfirmChannel();
      channel.on('error', () => undefined);
      return channel;
    } catch (error) {
      throw amqpError(error, action);
    }
  }

  /** Runs `work` on a fresh channel and closes it; broker errors come back explained. */
  async with<T>(vhost: string, action: string, work: (channel: Channel) => Promise<T>): Promise<T> {
    const channel = await this.channel(vhost, action);
    try {
      return await work(channel);
    } catch (error) {
      throw amqpError(error, action);
    } finally {
      await channel.close().catch(() => undefined);
    }
  }

  async withConfirms<T>(vhost: string, action: string, work: (channel: ConfirmChannel) => Promise<T>): Promise<T> {
    const channel = await this.confirmChannel(vhost, action);
    try {
      return await work(channel);
    } catch (error) {
      throw amqpError(error, action);
    } finally {
      await channel.close().catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    const others = [...this.others.values()];
    this.others.clear();
    await Promise.all([this.mainConnection.close().catch(() => undefined), ...others.map(async (c) => (await c.catch(() => undefined))?.close().catch(() => undefined))]);
  }
}
