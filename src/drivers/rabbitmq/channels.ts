import type { Channel, ConfirmChannel, RecoveringChannelModel } from 'amqplib';
import { DriverError } from '../errors';
import { amqpError } from './amqpErrors';

export type Connection = RecoveringChannelModel;

/** Where the session's broker is and how long one round trip to it may take. */
export interface BrokerLimits {
  readonly endpoint: string;
  readonly timeoutMs: number;
}

/**
 * The session's AMQP connections, one per vhost (the profile's own opened at connect, others when first used), and
 * short-lived channels on them: a channel the broker closes on an error never takes later operations with it.
 *
 * Every round trip is bounded: a broker that stops answering without closing the socket leaves amqplib waiting for
 * its heartbeats (a minute), and a channel asked for while the connection is being dialled again waits for ever.
 */
export class Channels {
  private readonly others = new Map<string, Promise<Connection>>();

  constructor(readonly vhost: string, private readonly mainConnection: Connection, private readonly open: (vhost: string) => Promise<Connection>, readonly limits: BrokerLimits) {}

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

  /**
   * `promise`, or a timeout naming the broker when it takes longer than one round trip may. `late` cleans up what
   * the promise brings if it resolves after all (a channel nobody will close otherwise).
   */
  answer<T>(promise: Promise<T>, action: string, late?: (value: T) => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let done = false;
      const timer = setTimeout(() => {
        done = true;
        reject(new DriverError('timeout', `${action}: RabbitMQ at ${this.limits.endpoint} did not answer within ${Math.round(this.limits.timeoutMs / 100) / 10} s.`,
          'Check that the broker is running and not overloaded; a connection it drops is dialled again by itself.'));
      }, this.limits.timeoutMs);
      promise.then(
        (value) => (done ? late?.(value) : (clearTimeout(timer), resolve(value))),
        (error: unknown) => (done ? undefined : (clearTimeout(timer), reject(error))),
      );
    });
  }

  /**
   * A guard for work that may take long as long as the broker keeps answering (confirms of a big publish): `alive`
   * marks progress, and `guard` fails when none was made for one round trip's time.
   */
  watchdog(action: string): { alive(): void; guard<T>(promise: Promise<T>): Promise<T> } {
    let last = Date.now();
    return {
      alive: () => { last = Date.now(); },
      guard: <T>(promise: Promise<T>): Promise<T> => new Promise<T>((resolve, reject) => {
        const check = setInterval(() => {
          if (Date.now() - last < this.limits.timeoutMs) return;
          clearInterval(check);
          reject(new DriverError('timeout', `${action}: RabbitMQ at ${this.limits.endpoint} stopped answering (nothing for ${Math.round(this.limits.timeoutMs / 100) / 10} s).`,
            'Check that the broker is running and not overloaded; what it did not confirm may or may not have arrived.'));
        }, Math.min(250, this.limits.timeoutMs));
        promise.then((value) => (clearInterval(check), resolve(value)), (error: unknown) => (clearInterval(check), reject(error)));
      }),
    };
  }

  /** A channel for work that outlives one call (consumers); the caller closes it. */
  channel(vhost: string, action: string): Promise<Channel> {
    return this.openChannel(vhost, action, (c) => c.createChannel());
  }

  confirmChannel(vhost: string, action: string): Promise<ConfirmChannel> {
    return this.openChannel(vhost, action, (c) => c.createConfirmChannel());
  }

  /** Runs `work` of a round trip or two on a fresh channel, bounded as a whole, and closes the channel. */
  with<T>(vhost: string, action: string, work: (channel: Channel) => Promise<T>): Promise<T> {
    return this.use(this.channel(vhost, action), action, (channel) => this.answer(work(channel), action));
  }

  /** Like `with`, for work of many round trips that bounds each of them itself (with `answer` or a watchdog). */
  withSteps<T>(vhost: string, action: string, work: (channel: Channel) => Promise<T>): Promise<T> {
    return this.use(this.channel(vhost, action), action, work);
  }

  withConfirms<T>(vhost: string, action: string, work: (channel: ConfirmChannel) => Promise<T>): Promise<T> {
    return this.use(this.confirmChannel(vhost, action), action, work);
  }

  /** Closes a channel without waiting for ever for a broker that does not answer. */
  async closeQuietly(channel: Channel): Promise<void> {
    await this.answer(channel.close(), 'Closing a channel').catch(() => undefined);
  }

  private async openChannel<C extends Channel>(vhost: string, action: string, create: (connection: Connection) => Promise<C>): Promise<C> {
    try {
      const connection = await this.answer(this.connection(vhost), action);
      const channel = await this.answer(create(connection), action, (late) => void late.close().catch(() => undefined));
      channel.on('error', () => undefined);
      return channel;
    } catch (error) {
      throw amqpError(error, action, this.limits.endpoint);
    }
  }

  private async use<C extends Channel, T>(opening: Promise<C>, action: string, work: (channel: C) => Promise<T>): Promise<T> {
    const channel = await opening;
    try {
      return await work(channel);
    } catch (error) {
      throw amqpError(error, action, this.limits.endpoint);
    } finally {
      await this.closeQuietly(channel);
    }
  }

  async close(): Promise<void> {
    const others = [...this.others.values()];
    this.others.clear();
    const closing = async (connection: Promise<Connection>): Promise<void> => {
      const c = await connection.catch(() => undefined);
      if (c) await this.answer(c.close(), 'Closing the connection').catch(() => undefined);
    };
    await Promise.all([closing(Promise.resolve(this.mainConnection)), ...others.map(closing)]);
  }
}
