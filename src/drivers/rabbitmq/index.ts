import { ChannelModel, connect, ServerProperties } from 'amqplib';
import { BrowseNode, ConnectOptions, DEFAULT_SHOWN_BYTES, Driver, RabbitMqProfile, Session } from '../types';
import { DriverError, isDriverError, messageOf, networkError, redact, timeoutError, tlsError, withTimeout } from '../errors';
import { StateEmitter } from '../stateEmitter';
import { hostPort } from '../form';
import { trustedCa } from '../trustedCa';
import { ManagementApi } from './managementApi';
import { amqpError } from './amqpErrors';
import { Channels, Connection } from './channels';
import { AckMode, ConsumeOptions, ConsumerEvents, LiveConsumer } from './consumer';
import { Messages, MoveResult, Progress } from './messages';
import { rpcCall, RpcOptions } from './rpc';
import { BindingSpec, ExchangeSpec, FieldValue, GetMode, MessageView, PublishRequest, PublishResult, QueueSpec, RpcResult } from './shapes';
import { Topology } from './topology';
import { topologyChildren } from './tree';

export type { AckMode, LiveConsumer, ConsumerEvents };

/** What the broker said about itself on the latest (re)connect. */
interface BrokerFacts {
  server?: ServerProperties;
}

interface Address {
  readonly host: string;
  readonly port: number;
}

function openConnection(profile: RabbitMqProfile, address: Address, vhost: string, options: ConnectOptions, facts: BrokerFacts): Promise<Connection> {
  const ca = trustedCa(profile.tls, profile.caFile);
  return connect(
    {
      protocol: profile.tls ? 'amqps' : 'amqp',
      hostname: address.host,
      port: address.port,
      username: profile.username,
      password: options.secrets.password ?? '',
      vhost,
      heartbeat: 30,
    },
    {
      timeout: options.timeoutMs,
      clientProperties: { connection_name: `Switchboard: ${profile.name}` },
      ...(profile.tls ? { servername: profile.host, ...ca } : {}),
      // Fail fast on the first connect; once connected, reconnect with backoff for as long as the session lives.
      recovery: {
        initialMaxRetries: 0, maxRetries: Infinity, initialDelay: 200, maxDelay: 5000,
        setup: async (model: ChannelModel) => {
          facts.server = model.connection.serverProperties;
        },
      },
    },
  );
}

/** The nodes to try, in order: the profile's host, then the other cluster nodes (a tunnel has exactly one). */
function addresses(profile: RabbitMqProfile, options: ConnectOptions): Address[] {
  if (options.endpoint) return [options.endpoint];
  const others = (profile.otherHosts ?? []).map((entry) => hostPort(entry, profile.port));
  return [{ host: profile.host, port: profile.port }, ...others];
}

async function connectFirst(profile: RabbitMqProfile, vhost: string, options: ConnectOptions, facts: BrokerFacts): Promise<{ connection: Connection; endpoint: string }> {
  const failures: Error[] = [];
  for (const address of addresses(profile, options)) {
    const endpoint = `${address.host}:${address.port}`;
    try {
      const connection = await withTimeout(openConnection(profile, address, vhost, options, facts), options.timeoutMs + 1000, () => timeoutError('RabbitMQ', endpoint, options.timeoutMs, 'AMQP handshake'));
      return { connection, endpoint: options.endpoint ? `${profile.host}:${profile.port}` : endpoint };
    } catch (error) {
      const explained = connectError(error, options.endpoint ? `${profile.host}:${profile.port}` : endpoint, options);
      // A refused login fails the same way on every node of a cluster.
      if (isDriverError(explained) && explained.code === 'auth') throw explained;
      failures.push(explained);
    }
  }
  const [only] = failures;
  if (failures.length === 1 && only) throw only;
  throw new DriverError('unreachable', `None of the ${failures.length} RabbitMQ nodes answered: ${failures.map((f) => f.message.split('. ')[0]).join('; ')}.`, 'Check that at least one node is running and reachable.');
}

function connectError(error: unknown, endpoint: string, options: ConnectOptions): Error {
  if (isDriverError(error)) return error;
  const tls = tlsError(error, 'RabbitMQ', endpoint, 'Set the CA certificate file in the connection to the CA that signed it.', 'Clear TLS, or use the broker\'s TLS port (5671 by default).');
  if (tls) return tls;
  const net = networkError(error, 'RabbitMQ', endpoint);
  if (net) return net;
  const text = redact(messageOf(error), [options.secrets.password]);
  if (/ETIMEDOUT|timed? ?out/i.test(text)) return timeoutError('RabbitMQ', endpoint, options.timeoutMs, 'AMQP handshake');
  if (/ACCESS.REFUSED|403/i.test(text)) {
    return new DriverError('auth', `RabbitMQ at ${endpoint} refused the login (ACCESS_REFUSED).`, 'Check the user name, password and that the user may use this vhost.');
  }
  if (/NOT.ALLOWED|530|vhost/i.test(text)) {
    return new DriverError('auth', `RabbitMQ at ${endpoint} refused the vhost (${text.slice(0, 120)}).`, 'Check the vhost name and the user\'s permissions on it.');
  }
  if (/Expected ConnectionStart|Unexpected frame|frame|Invalid|protocol|Socket closed abruptly/i.test(text)) {
    return new DriverError('protocol', `The server at ${endpoint} does not speak AMQP 0-9-1 (${text.slice(0, 80)}).`, 'Check the port (5672 for AMQP, 5671 for AMQPS): is this really RabbitMQ, and does it expect TLS?');
  }
  return new DriverError('server', `RabbitMQ at ${endpoint}: ${text}`, undefined, { cause: error });
}

/** A RabbitMQ connection: topology, messages, live consumers, tails and RPC, all refused where read-only forbids. */
export class RabbitMqSession implements Session {
  readonly kind = 'rabbitmq';
  readonly topology: Topology;
  private readonly messages: Messages;
  private readonly states = new StateEmitter();
  private readonly consumers = new Set<LiveConsumer>();

  constructor(private readonly channels: Channels, private readonly facts: BrokerFacts, private readonly api: ManagementApi | undefined, private readonly profile: RabbitMqProfile, readonly endpoint: string, private readonly maxBodyBytes = DEFAULT_SHOWN_BYTES) {
    const connection = channels.main();
    connection.on('disconnect', (error?: Error) => this.states.emit({ state: 'reconnecting', ...(error ? { error } : {}) }));
    connection.on('connect', () => this.states.emit({ state: 'connected' }));
    connection.on('error', () => undefined);
    this.topology = new Topology(channels);
    this.messages = new Messages(channels, maxBodyBytes);
  }

  get vhost(): string {
    return this.profile.vhost;
  }

  get hasManagementApi(): boolean {
    return this.api !== undefined;
  }

  async describe(): Promise<string> {
    const props = this.facts.server;
    return `${props?.product ?? 'RabbitMQ'} ${props?.version ?? ''}`.trim();
  }

  children(node?: BrowseNode): Promise<BrowseNode[]> {
    return topologyChildren(this.api, this.profile.vhost, node);
  }

  /** Routing keys worth suggesting for an exchange: those of its bindings (needs the management API). */
  async routingKeys(vhost: string, exchange: string): Promise<string[]> {
    if (!this.api || exchange === '') return this.api && exchange === '' ? (await this.api.queues(vhost)).map((q) => q.name) : [];
    const bindings = await this.api.exchangeBindings(vhost, exchange, 'source').catch(() => []);
    return [...new Set(bindings.map((b) => b.routingKey))];
  }

  /** Queue and exchange names for pickers (needs the management API; empty without it). */
  async names(vhost: string): Promise<{ queues: string[]; exchanges: { name: string; type: string }[] }> {
    if (!this.api) return { queues: [], exchanges: [] };
    const [queues, exchanges] = await Promise.all([this.api.queues(vhost), this.api.exchanges(vhost)]);
    return { queues: queues.map((q) => q.name), exchanges: exchanges.map((e) => ({ name: e.name, type: e.type })) };
  }

  async declareExchange(vhost: string, spec: ExchangeSpec): Promise<void> {
    this.writable(`Declaring exchange "${spec.name}"`);
    await this.topology.declareExchange(vhost, spec);
  }

  async declareQueue(vhost: string, spec: QueueSpec): Promise<string> {
    this.writable(`Declaring queue "${spec.name}"`);
    return (await this.topology.declareQueue(vhost, spec)).queue;
  }

  async deleteExchange(vhost: string, name: string): Promise<void> {
    this.writable(`Deleting exchange "${name}"`);
    await this.topology.deleteExchange(vhost, name);
  }

  async deleteQueue(vhost: string, name: string): Promise<number> {
    this.writable(`Deleting queue "${name}"`);
    return this.topology.deleteQueue(vhost, name);
  }

  async bind(vhost: string, spec: BindingSpec): Promise<void> {
    this.writable(`Binding to "${spec.source}"`);
    await this.topology.bind(vhost, spec);
  }

  async unbind(vhost: string, spec: BindingSpec): Promise<void> {
    this.writable(`Unbinding from "${spec.source}"`);
    await this.topology.unbind(vhost, spec);
  }

  async publish(vhost: string, request: PublishRequest, progress?: Progress): Promise<PublishResult> {
    this.writable('Publishing');
    return this.messages.publish(vhost, request, progress);
  }

  /** basic.get; only `requeue` is allowed on a read-only connection (the others remove messages). */
  async get(vhost: string, queue: string, count: number, mode: GetMode): Promise<MessageView[]> {
    if (mode !== 'requeue') this.writable(mode === 'ack' ? `Getting and acking messages from "${queue}"` : `Rejecting messages from "${queue}"`);
    return this.messages.get(vhost, queue, count, mode);
  }

  async purge(vhost: string, queue: string): Promise<number> {
    this.writable(`Purging "${queue}"`);
    return this.messages.purge(vhost, queue);
  }

  async move(vhost: string, from: string, to: string, progress?: Progress): Promise<MoveResult> {
    this.writable(`Moving messages from "${from}"`);
    return this.messages.move(vhost, from, to, progress);
  }

  async replay(vhost: string, queue: string, progress?: Progress): Promise<MoveResult> {
    this.writable(`Replaying messages from "${queue}"`);
    return this.messages.replay(vhost, queue, progress);
  }

  /** A live consumer. Read-only connections may only consume in manual mode (and requeue). */
  async consume(vhost: string, queue: string, options: ConsumeOptions, events: ConsumerEvents): Promise<LiveConsumer> {
    if (options.ackMode !== 'manual') this.writable(`Consuming from "${queue}" with ${options.ackMode === 'auto' ? 'auto-ack' : 'acks'}`);
    const consumer = await LiveConsumer.start(await this.channels.channel(vhost, `Consuming from "${queue}"`), queue, options, events, { mayRemove: !this.profile.readOnly, maxBodyBytes: this.maxBodyBytes });
    return this.track(consumer);
  }

  /**
   * Watches an exchange without touching its queues: a server-named, exclusive, auto-delete queue bound with `pattern`
   * (or header arguments) receives a copy of what the broker routes, and disappears with the tail.
   */
  async tail(vhost: string, exchange: string, pattern: string, args: Record<string, FieldValue> | undefined, events: ConsumerEvents): Promise<LiveConsumer> {
    const action = `Tailing exchange "${exchange}"`;
    if (exchange === '') throw new DriverError('config', `${action}: the default exchange cannot be bound to.`, 'Tail an exchange your publishers use, or consume the queue itself.');
    const channel = await this.channels.channel(vhost, action);
    try {
      const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true, durable: false, arguments: { 'x-max-length': 100_000 } });
      await channel.bindQueue(queue, exchange, pattern, args ?? {});
      return this.track(await LiveConsumer.start(channel, queue, { prefetch: 0, ackMode: 'auto' }, events, { mayRemove: true, maxBodyBytes: this.maxBodyBytes }));
    } catch (error) {
      await channel.close().catch(() => undefined);
      throw amqpError(error, action);
    }
  }

  async rpc(vhost: string, request: PublishRequest, options: RpcOptions): Promise<RpcResult> {
    this.writable('Sending an RPC request');
    return rpcCall({ channels: this.channels, vhost, maxBodyBytes: this.maxBodyBytes }, request, options);
  }

  onState(listener: Parameters<Session['onState']>[0]): () => void {
    return this.states.on(listener);
  }

  async close(): Promise<void> {
    this.states.clear();
    await Promise.all([...this.consumers].map((c) => c.close()));
    await this.channels.close();
  }

  private track(consumer: LiveConsumer): LiveConsumer {
    this.consumers.add(consumer);
    consumer.onClosed(() => this.consumers.delete(consumer));
    return consumer;
  }

  private writable(action: string): void {
    if (this.profile.readOnly) throw new DriverError('readOnly', `${action} refused: "${this.profile.name}" is a read-only connection.`, 'Edit the connection and clear Read-only to change queues, exchanges or messages.');
  }
}

export const driver: Driver<RabbitMqProfile> = {
  async connect(profile, options) {
    const facts: BrokerFacts = {};
    const { connection, endpoint } = await connectFirst(profile, profile.vhost, options, facts);
    // Other vhosts get their own connection, to the node that answered, when first used.
    const [host = profile.host, port = String(profile.port)] = options.endpoint ? [options.endpoint.host, String(options.endpoint.port)] : endpoint.split(/:(?=\d+$)/);
    const channels = new Channels(profile.vhost, connection, async (vhost) => {
      try {
        return await openConnection(profile, { host, port: Number(port) }, vhost, options, {});
      } catch (error) {
        throw connectError(error, `${endpoint} vhost "${vhost}"`, options);
      }
    });
    const api = profile.managementUrl ? new ManagementApi(profile.managementUrl, profile.username, options.secrets.password ?? '', options.timeoutMs) : undefined;
    return new RabbitMqSession(channels, facts, api, profile, endpoint, options.maxShownBytes);
  },
};
