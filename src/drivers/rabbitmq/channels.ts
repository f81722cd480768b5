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
  channel(vhost: string, action: string): Promise<Channel> {
    return this.openChannel(vhost, action, (c) => c.createChannel());
  }

  confirmChannel(vhost: string, action: string): Promise<ConfirmChannel> {
    return this.openChannel(vhost, action, (c) => c.createConfirmChannel());
  }

  /** Runs `work` on a fresh channel and closes it; broker errors come back explained. */
  with<T>(vhost: string, action: string, work: (channel: Channel) => Promise<T>): Promise<T> {
    return this.use(this.channel(vhost, action), action, work);
  }

  withConfirms<T>(vhost: string, action: string, work: (channel: ConfirmChannel) => Promise<T>): Promise<T> {
    return this.use(this.confirmChannel(vhost, action), action, work);
  }

  private async openChannel<C extends Channel>(vhost: string, action: string, create: (connection: Connection) => Promise<C>): Promise<C> {
    try {
      const channel = await create(await this.connection(vhost));
      channel.on('error', () => undefined);
      return channel;
    } catch (error) {
      throw amqpError(error, action);
    }
  }

  private async use<C extends Channel, T>(opening: Promise<C>, action: string, work: (channel: C) => Promise<T>): Promise<T> {
    const channel = await opening;
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
