import type { Options } from 'amqplib';
import { DriverError } from '../errors';
import { Channels } from './channels';
import { BindingSpec, ExchangeSpec, QueueSpec } from './shapes';

const PREDEFINED = /^amq\./;

function queueOptions(spec: QueueSpec): Options.AssertQueue {
  const args: Record<string, unknown> = { ...(spec.arguments ?? {}) };
  if (spec.quorum) args['x-queue-type'] = 'quorum';
  if (spec.messageTtl !== undefined) args['x-message-ttl'] = spec.messageTtl;
  if (spec.maxLength !== undefined) args['x-max-length'] = spec.maxLength;
  if (spec.deadLetterExchange !== undefined) args['x-dead-letter-exchange'] = spec.deadLetterExchange;
  if (spec.deadLetterRoutingKey !== undefined) args['x-dead-letter-routing-key'] = spec.deadLetterRoutingKey;
  return { durable: spec.durable || !!spec.quorum, exclusive: spec.exclusive, autoDelete: spec.autoDelete, arguments: args };
}

/** Declares, deletes, binds and unbinds exchanges and queues. */
export class Topology {
  constructor(private readonly channels: Channels) {}

  async declareExchange(vhost: string, spec: ExchangeSpec): Promise<void> {
    if (!spec.name) throw new DriverError('config', 'An exchange needs a name.', 'The default exchange ("") already exists.');
    if (PREDEFINED.test(spec.name)) throw new DriverError('config', `"${spec.name}": names starting with "amq." are reserved by the broker.`, 'Pick another name.');
    await this.channels.with(vhost, `Declaring exchange "${spec.name}"`, (ch) =>
      ch.assertExchange(spec.name, spec.type, { durable: spec.durable, autoDelete: spec.autoDelete, internal: spec.internal, arguments: spec.arguments ?? {} }));
  }

  /** Declares a queue; an empty name lets the broker pick one. Returns the name and its counts. */
  async declareQueue(vhost: string, spec: QueueSpec): Promise<{ queue: string; messageCount: number; consumerCount: number }> {
    if (spec.quorum && (spec.exclusive || spec.autoDelete)) throw new DriverError('config', 'Quorum queues cannot be exclusive or auto-delete.', 'Clear those options or use a classic queue.');
    return this.channels.with(vhost, `Declaring queue "${spec.name}"`, (ch) => ch.assertQueue(spec.name, queueOptions(spec)));
  }

  async deleteExchange(vhost: string, name: string): Promise<void> {
    if (name === '' || PREDEFINED.test(name)) throw new DriverError('config', `"${name || '(default)'}" is predefined by the broker and cannot be deleted.`);
    await this.channels.with(vhost, `Deleting exchange "${name}"`, (ch) => ch.deleteExchange(name));
  }

  /** Deletes a queue and returns how many messages went with it. */
  async deleteQueue(vhost: string, name: string): Promise<number> {
    return (await this.channels.with(vhost, `Deleting queue "${name}"`, (ch) => ch.deleteQueue(name))).messageCount;
  }

  async bind(vhost: string, spec: BindingSpec): Promise<void> {
    const action = `Binding ${spec.destinationType} "${spec.destination}" to exchange "${spec.source}"`;
    if (spec.source === '') throw new DriverError('config', `${action}: the default exchange routes by queue name and takes no bindings.`);
    await this.channels.with(vhost, action, (ch) => spec.destinationType === 'queue'
      ? ch.bindQueue(spec.destination, spec.source, spec.routingKey, spec.arguments ?? {})
      : ch.bindExchange(spec.destination, spec.source, spec.routingKey, spec.arguments ?? {}));
  }

  async unbind(vhost: string, spec: BindingSpec): Promise<void> {
    const action = `Unbinding ${spec.destinationType} "${spec.destination}" from exchange "${spec.source}"`;
    await this.channels.with(vhost, action, (ch) => spec.destinationType === 'queue'
      ? ch.unbindQueue(spec.destination, spec.source, spec.routingKey, spec.arguments ?? {})
      : ch.unbindExchange(spec.destination, spec.source, spec.routingKey, spec.arguments ?? {}));
  }

  /**
   * Ready messages and consumers of many queues at once, on one channel. A queue deleted meanwhile makes the broker
   * close that channel: the rest are then read one channel each, and the missing ones left out.
   */
  async queueCountsMany(vhost: string, names: readonly string[]): Promise<Map<string, { messageCount: number; consumerCount: number }>> {
    const counts = new Map<string, { messageCount: number; consumerCount: number }>();
    const action = `Reading ${names.length} queues`;
    try {
      const replies = await this.channels.with(vhost, action, (ch) => Promise.all(names.map((name) => ch.checkQueue(name))));
      names.forEach((name, i) => counts.set(name, replies[i]!));
    } catch {
      for (const name of names) {
        const reply = await this.queueCounts(vhost, name).catch(() => undefined);
        if (reply) counts.set(name, reply);
      }
    }
    return counts;
  }

  /** Messages ready and consumers of a queue, straight from the broker (the management API lags by seconds). */
  async queueCounts(vhost: string, name: string): Promise<{ messageCount: number; consumerCount: number }> {
    return this.channels.with(vhost, `Reading queue "${name}"`, (ch) => ch.checkQueue(name));
  }
}
