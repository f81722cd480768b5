import { isDeepStrictEqual } from 'node:util';
import { ChannelModel, connect, ServerProperties } from 'amqplib';
import { BrowseNode, ConnectOptions, DEFAULT_SHOWN_BYTES, Driver, RabbitMqProfile, Session } from '../types';
import { DriverError, isDriverError, messageOf, networkError, redact, timeoutError, tlsError, withTimeout } from '../errors';
import { StateEmitter } from '../stateEmitter';
import { hostPort } from '../form';
import { trustedCa } from '../trustedCa';
import { BindingInfo, ManagementApi } from './managementApi';
import { amqpError } from './amqpErrors';
import { Channels, Connection } from './channels';
import { AckMode, ConsumeOptions, ConsumerEvents, LiveConsumer } from './consumer';
import { Messages, Progress } from './messages';
import { moveMessages, MoveResult, replayMessages } from './messageMoves';
import { rpcCall, RpcOptions } from './rpc';
import { BindingSpec, ExchangeSpec, FieldValue, GetMode, MessageView, PublishRequest, PublishResult, QueueSpec, RpcResult } from './shapes';
import { Topology } from './topology';
import { checkAccess, Operation } from './access';
import { checkBindingSpec, checkChoice, checkExchangeSpec, checkFieldTable, checkInteger, checkPublish, checkQueueSpec, checkShortString } from './inputs';

/** More messages than this are not fetched with basic.get in one go. */
const MAX_GET = 10_000;
const MAX_RPC_TIMEOUT_MS = 3_600_000;
/** Up to this many queues of a vhost, the tree shows their counts as the broker has them now. */
const MAX_EXACT_COUNTS = 500;
import { DeliveryLimit, requeueCounting, RequeueCounting } from './requeueLimit';
import { topologyChildren } from './tree';

export type { AckMode, LiveConsumer, ConsumerEvents, MoveResult, RequeueCounting, DeliveryLimit };

export interface RequeueOptions {
  /** The delivery limit the user was shown and accepted, for a queue that counts requeues. */
  readonly acceptDeliveryLimit?: number;
}

function deliveryLimitSource(limit: DeliveryLimit): string {
  if (limit.source === 'argument') return 'its x-delivery-limit argument';
  if (limit.source === 'default') return 'the default of RabbitMQ 4';
  return `${limit.source} "${limit.policy ?? '?'}"`;
}

/** What the broker said about itself on the latest (re)connect. */
interface BrokerFacts {
  server?: ServerProperties;
}

interface Address {
  readonly host: string;
  readonly port: number;
  /** Through SSH: the tunnel's private Unix socket, dialled instead of host:port (amqplib takes no stream). */
  readonly path?: string;
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
      ...(address.path ? { path: address.path } : {}),
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
async function addresses(profile: RabbitMqProfile, options: ConnectOptions): Promise<Address[]> {
  if (options.tunnel) return [{ host: profile.host, port: profile.port, path: await options.tunnel.socketPath() }];
  const others = (profile.otherHosts ?? []).map((entry) => hostPort(entry, profile.port));
  return [{ host: profile.host, port: profile.port }, ...others];
}

async function connectFirst(profile: RabbitMqProfile, vhost: string, options: ConnectOptions, facts: BrokerFacts): Promise<{ connection: Connection; address: Address; endpoint: string }> {
  const failures: Error[] = [];
  for (const address of await addresses(profile, options)) {
    const endpoint = `${address.host}:${address.port}`;
    try {
      const connection = await withTimeout(openConnection(profile, address, vhost, options, facts), options.timeoutMs + 1000, () => timeoutError('RabbitMQ', endpoint, options.timeoutMs, 'AMQP handshake'));
      return { connection, address, endpoint };
    } catch (error) {
      const explained = connectError(error, endpoint, options);
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
  const tls = tlsError(error, 'RabbitMQ', endpoint, 'The connection needs the CA certificate file of the CA that signed it.', 'Clear TLS, or use the broker\'s TLS port (5671 by default).');
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

/** The parts that talk to the broker; a session reaches them only through its access gate. */
interface Parts {
  readonly channels: Channels;
  readonly topology: Topology;
  readonly messages: Messages;
  readonly api: ManagementApi | undefined;
}

/**
 * A RabbitMQ connection: topology, messages, live consumers, tails and RPC. Every operation goes through `#use`,
 * the only way to the broker, which applies the read-only allow-list (access.ts).
 */
export class RabbitMqSession implements Session {
  readonly kind = 'rabbitmq';
  readonly #parts: Parts;
  readonly #states = new StateEmitter();
  readonly #consumers = new Set<LiveConsumer>();

  constructor(channels: Channels, private readonly facts: BrokerFacts, api: ManagementApi | undefined, private readonly profile: RabbitMqProfile, readonly endpoint: string, private readonly maxBodyBytes = DEFAULT_SHOWN_BYTES) {
    const connection = channels.main();
    connection.on('disconnect', (error?: Error) => this.#states.emit({ state: 'reconnecting', ...(error ? { error } : {}) }));
    connection.on('connect', () => this.#states.emit({ state: 'connected' }));
    connection.on('error', () => undefined);
    this.#parts = { channels, topology: new Topology(channels), messages: new Messages(channels, maxBodyBytes), api };
  }

  get vhost(): string {
    return this.profile.vhost;
  }

  get hasManagementApi(): boolean {
    return this.#parts.api !== undefined;
  }

  async describe(): Promise<string> {
    this.#use('describe', 'Describing the broker');
    const props = this.facts.server;
    return `${props?.product ?? 'RabbitMQ'} ${props?.version ?? ''}`.trim();
  }

  async children(node?: BrowseNode): Promise<BrowseNode[]> {
    const { api, topology } = this.#use('browse', 'Listing the topology');
    // Exact counts cost a round trip per queue: read them for a vhost of a size people browse, not for thousands.
    const exact = (vhost: string, queues: readonly string[]) => (queues.length <= MAX_EXACT_COUNTS ? topology.queueCountsMany(vhost, queues) : Promise.resolve(new Map()));
    return topologyChildren(api, this.profile.vhost, node, exact);
  }

  /** Routing keys worth suggesting for an exchange: those of its bindings (needs the management API). */
  async routingKeys(vhost: string, exchange: string): Promise<string[]> {
    const { api } = this.#use('routingKeys', `Reading the bindings of "${exchange}"`);
    checkShortString(vhost, 'The vhost');
    checkShortString(exchange, 'The exchange name');
    if (!api || exchange === '') return api && exchange === '' ? (await api.queues(vhost)).map((q) => q.name) : [];
    const bindings = await api.exchangeBindings(vhost, exchange, 'source').catch(() => []);
    return [...new Set(bindings.map((b) => b.routingKey))];
  }

  /** Queue and exchange names for pickers (needs the management API; empty without it). */
  async names(vhost: string): Promise<{ queues: string[]; exchanges: { name: string; type: string }[] }> {
    const { api } = this.#use('names', 'Listing queues and exchanges');
    checkShortString(vhost, 'The vhost');
    if (!api) return { queues: [], exchanges: [] };
    const [queues, exchanges] = await Promise.all([api.queues(vhost), api.exchanges(vhost)]);
    return { queues: queues.map((q) => q.name), exchanges: exchanges.map((e) => ({ name: e.name, type: e.type })) };
  }

  /** Messages ready and consumers of a queue, straight from the broker (the management API lags by seconds). */
  async queueCounts(vhost: string, queue: string): Promise<{ messageCount: number; consumerCount: number }> {
    const { topology } = this.#use('queueCounts', `Reading queue "${queue}"`);
    return topology.queueCounts(checkShortString(vhost, 'The vhost'), checkShortString(queue, 'The queue name'));
  }

  /** Whether handing messages of a queue back counts as a delivery (quorum queues with a delivery limit). */
  async requeueCounting(vhost: string, queue: string): Promise<RequeueCounting> {
    const { api } = this.#use('requeueCounting', `Reading the delivery limit of "${queue}"`);
    return requeueCounting(api, checkShortString(vhost, 'The vhost'), checkShortString(queue, 'The queue name'), this.facts.server?.version);
  }

  async declareExchange(vhost: string, spec: ExchangeSpec): Promise<void> {
    const { topology } = this.#use('declareExchange', `Declaring exchange "${spec.name}"`);
    await topology.declareExchange(checkShortString(vhost, 'The vhost'), checkExchangeSpec(spec));
  }

  async declareQueue(vhost: string, spec: QueueSpec): Promise<string> {
    const { topology } = this.#use('declareQueue', `Declaring queue "${spec.name}"`);
    return (await topology.declareQueue(checkShortString(vhost, 'The vhost'), checkQueueSpec(spec))).queue;
  }

  async deleteExchange(vhost: string, name: string): Promise<void> {
    const { topology } = this.#use('deleteExchange', `Deleting exchange "${name}"`);
    await topology.deleteExchange(checkShortString(vhost, 'The vhost'), checkShortString(name, 'The exchange name'));
  }

  async deleteQueue(vhost: string, name: string): Promise<number> {
    const { topology } = this.#use('deleteQueue', `Deleting queue "${name}"`);
    return topology.deleteQueue(checkShortString(vhost, 'The vhost'), checkShortString(name, 'The queue name'));
  }

  async bind(vhost: string, spec: BindingSpec): Promise<void> {
    const { topology } = this.#use('bind', `Binding to "${spec.source}"`);
    await topology.bind(checkShortString(vhost, 'The vhost'), checkBindingSpec(spec));
  }

  /**
   * Removes a binding, and checks with the management API (when there is one) that it is gone: the broker ignores an
   * unbind that matches nothing, and a binding whose arguments hold an AMQP void is listed with "undefined" in its
   * place, so unbinding it as listed matches nothing. Such a binding, listed just as it was asked for, is then
   * deleted through the API by the key the API names it by.
   */
  async unbind(vhost: string, spec: BindingSpec): Promise<void> {
    const { topology, api } = this.#use('unbind', `Unbinding from "${spec.source}"`);
    const binding = checkBindingSpec(spec);
    await topology.unbind(checkShortString(vhost, 'The vhost'), binding);
    if (!api || binding.source === '') return;
    // An auto-delete exchange goes with its last binding, and the API may not answer: then nothing is known to be left.
    const left = async (): Promise<BindingInfo | undefined> => (await api.exchangeBindings(vhost, binding.source, 'source').catch(() => [])).find((b) =>
      b.destination === binding.destination && b.destinationType === binding.destinationType && b.routingKey === binding.routingKey && isDeepStrictEqual(b.arguments, binding.arguments ?? {}));
    const listed = await left();
    if (!listed) return;
    await api.deleteBinding(vhost, listed);
    if (await left()) {
      throw new DriverError('server', `The broker still holds the binding from "${binding.source}" to ${binding.destinationType} "${binding.destination}": neither unbinding it with the arguments listed nor deleting it through the management API removed it.`, 'Remove it with the client that made it, or in the management UI.');
    }
  }

  async publish(vhost: string, request: PublishRequest, progress?: Progress): Promise<PublishResult> {
    const { messages } = this.#use('publish', 'Publishing');
    return messages.publish(checkShortString(vhost, 'The vhost'), checkPublish(request), progress);
  }

  /**
   * basic.get. `requeue` (a peek) is the only mode a read-only connection allows (the others remove messages). Where
   * the queue counts requeues as deliveries, a peek brings each message one step closer to being dropped: it runs
   * only with `acceptDeliveryLimit` equal to the limit in force (what the user was shown), and never on a read-only
   * connection.
   */
  async get(vhost: string, queue: string, count: number, mode: GetMode, options: RequeueOptions = {}): Promise<MessageView[]> {
    const operation = mode === 'requeue' ? 'peek' : mode === 'ack' ? 'getAndAck' : 'getAndReject';
    const action = mode === 'requeue' ? `Peeking at "${queue}"` : mode === 'ack' ? `Getting and acking messages from "${queue}"` : `Rejecting messages from "${queue}"`;
    const { messages } = this.#use(operation, action);
    checkShortString(vhost, 'The vhost');
    checkShortString(queue, 'The queue name');
    checkInteger(count, 'The number of messages', 1, MAX_GET);
    checkChoice(mode, 'The get mode', ['requeue', 'ack', 'reject'] as const);
    if (mode === 'requeue') await this.#requeueAllowed(vhost, queue, action, options);
    return messages.get(vhost, queue, count, mode);
  }

  async purge(vhost: string, queue: string): Promise<number> {
    const { messages } = this.#use('purge', `Purging "${queue}"`);
    return messages.purge(checkShortString(vhost, 'The vhost'), checkShortString(queue, 'The queue name'));
  }

  async move(vhost: string, from: string, to: string, progress?: Progress): Promise<MoveResult> {
    const { channels } = this.#use('move', `Moving messages from "${from}"`);
    return moveMessages(channels, checkShortString(vhost, 'The vhost'), checkShortString(from, 'The source queue'), checkShortString(to, 'The target queue'), progress);
  }

  async replay(vhost: string, queue: string, progress?: Progress): Promise<MoveResult> {
    const { channels } = this.#use('replay', `Replaying messages from "${queue}"`);
    return replayMessages(channels, checkShortString(vhost, 'The vhost'), checkShortString(queue, 'The queue name'), progress);
  }

  /** A live consumer. Read-only connections may only consume in manual mode (and requeue). */
  async consume(vhost: string, queue: string, options: ConsumeOptions & RequeueOptions, events: ConsumerEvents): Promise<LiveConsumer> {
    const ackMode = checkChoice(options.ackMode, 'The acknowledgement mode', ['manual', 'afterReceive', 'auto'] as const);
    const action = `Consuming from "${queue}" with ${ackMode === 'manual' ? 'manual acks' : ackMode === 'auto' ? 'auto-ack' : 'acks as received'}`;
    const { channels } = this.#use(ackMode === 'manual' ? 'consumeManually' : ackMode === 'auto' ? 'consumeAutoAck' : 'consumeAcking', action);
    checkShortString(vhost, 'The vhost');
    checkShortString(queue, 'The queue name');
    checkInteger(options.prefetch, 'The prefetch', 1, 65_535);
    if (options.acceptDeliveryLimit !== undefined) checkInteger(options.acceptDeliveryLimit, 'The accepted delivery limit', 0, Number.MAX_SAFE_INTEGER);
    if (options.ackMode === 'manual') await this.#requeueAllowed(vhost, queue, action, options);
    const consumer = await LiveConsumer.start(await channels.channel(vhost, action), queue, options, events, { mayRemove: !this.profile.readOnly, maxBodyBytes: this.maxBodyBytes, channels });
    return this.#track(consumer);
  }

  /**
   * Watches an exchange without touching its queues: a server-named, exclusive, auto-delete queue bound with `pattern`
   * (or header arguments) receives a copy of what the broker routes, and disappears with the tail. The binding
   * changes routing (a message it matches no longer goes to the exchange's alternate exchange), so read-only refuses.
   */
  async tail(vhost: string, exchange: string, pattern: string, args: Record<string, FieldValue> | undefined, events: ConsumerEvents): Promise<LiveConsumer> {
    const action = `Tailing exchange "${exchange}"`;
    const { channels } = this.#use('tail', action);
    checkShortString(vhost, 'The vhost');
    checkShortString(exchange, 'The exchange name');
    checkShortString(pattern, 'The routing pattern');
    if (args !== undefined) checkFieldTable(args, 'The header arguments');
    if (exchange === '') throw new DriverError('config', `${action}: the default exchange cannot be bound to.`, 'Tail an exchange your publishers use, or consume the queue itself.');
    const channel = await channels.channel(vhost, action);
    try {
      const { queue } = await channels.answer(channel.assertQueue('', { exclusive: true, autoDelete: true, durable: false, arguments: { 'x-max-length': 100_000 } }), action);
      await channels.answer(channel.bindQueue(queue, exchange, pattern, args ?? {}), action);
      return this.#track(await LiveConsumer.start(channel, queue, { prefetch: 0, ackMode: 'auto' }, events, { mayRemove: true, maxBodyBytes: this.maxBodyBytes, channels }));
    } catch (error) {
      await channels.closeQuietly(channel);
      throw amqpError(error, action, channels.limits.endpoint);
    }
  }

  async rpc(vhost: string, request: PublishRequest, options: RpcOptions): Promise<RpcResult> {
    const { channels } = this.#use('rpc', 'Sending an RPC request');
    const checked = { replyVia: checkChoice(options.replyVia, 'Reply via', ['direct', 'queue'] as const), timeoutMs: checkInteger(options.timeoutMs, 'The RPC timeout (ms)', 1, MAX_RPC_TIMEOUT_MS), ...(options.signal ? { signal: options.signal } : {}) };
    return rpcCall({ channels, vhost: checkShortString(vhost, 'The vhost'), maxBodyBytes: this.maxBodyBytes }, checkPublish(request), checked);
  }

  onState(listener: Parameters<Session['onState']>[0]): () => void {
    return this.#states.on(listener);
  }

  async close(): Promise<void> {
    this.#states.clear();
    await Promise.all([...this.#consumers].map((c) => c.close()));
    await this.#parts.channels.close();
  }

  /** The access gate: the parts that reach the broker, for an operation the connection allows. */
  #use(operation: Operation, action: string): Parts {
    checkAccess(this.profile, operation, action);
    return this.#parts;
  }

  async #requeueAllowed(vhost: string, queue: string, action: string, options: RequeueOptions): Promise<void> {
    const counting = await requeueCounting(this.#parts.api, vhost, queue, this.facts.server?.version);
    const limit = counting.known ? counting.limit : undefined;
    if (!limit) return;
    const why = `${action}: "${queue}" is a quorum queue with a delivery limit of ${limit.deliveries} (${deliveryLimitSource(limit)}), and each requeue counts as a delivery; a message delivered more than ${limit.deliveries} times is ${limit.deadLetterExchange !== undefined ? `dead-lettered to "${limit.deadLetterExchange || '(default)'}"` : 'dropped'} by the broker.`;
    if (this.profile.readOnly) throw new DriverError('readOnly', `${why} Refused: "${this.profile.name}" is a read-only connection.`, 'Read such a queue from a connection that may change it, knowing the limit.');
    if (options.acceptDeliveryLimit !== limit.deliveries) throw new DriverError('config', `${why} Not done without accepting that limit.`, 'Peek knowing the limit, or get and ack the messages you want to remove.');
  }

  #track(consumer: LiveConsumer): LiveConsumer {
    this.#consumers.add(consumer);
    consumer.onClosed(() => this.#consumers.delete(consumer));
    return consumer;
  }
}

export const driver: Driver<RabbitMqProfile, RabbitMqSession> = {
  async connect(profile, options) {
    // Checked before anything is dialled: a URL with credentials in it is refused.
    const api = profile.managementUrl ? new ManagementApi(profile.managementUrl, profile.username, options.secrets.password ?? '', options.timeoutMs) : undefined;
    const facts: BrokerFacts = {};
    const { connection, address, endpoint } = await connectFirst(profile, profile.vhost, options, facts);
    // Other vhosts get their own connection, to the node that answered, when first used.
    const channels = new Channels(profile.vhost, connection, async (vhost) => {
      const where = `${endpoint} vhost "${vhost}"`;
      try {
        return await withTimeout(openConnection(profile, address, vhost, options, {}), options.timeoutMs + 1000, () => timeoutError('RabbitMQ', where, options.timeoutMs, 'AMQP handshake'));
      } catch (error) {
        throw connectError(error, where, options);
      }
    }, { endpoint, timeoutMs: options.timeoutMs });
    return new RabbitMqSession(channels, facts, api, profile, endpoint, options.maxShownBytes);
  },
};
