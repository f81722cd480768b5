import { ChannelModel, connect, ServerProperties } from 'amqplib';
import { BrowseNode, ConnectOptions, Driver, RabbitMqProfile, Session } from '../types';
import { DriverError, isDriverError, messageOf, networkError, redact, timeoutError, withTimeout } from '../errors';
import { StateEmitter } from '../stateEmitter';
import { ManagementApi } from './managementApi';

type Connection = Awaited<ReturnType<typeof openConnection>>;

/** What the broker said about itself on the latest (re)connect. */
interface BrokerFacts {
  server?: ServerProperties;
}

function openConnection(profile: RabbitMqProfile, options: ConnectOptions, facts: BrokerFacts) {
  return connect(
    {
      protocol: profile.tls ? 'amqps' : 'amqp',
      hostname: options.endpoint?.host ?? profile.host,
      port: options.endpoint?.port ?? profile.port,
      username: profile.username,
      password: options.secrets.password ?? '',
      vhost: profile.vhost,
      heartbeat: 30,
    },
    {
      timeout: options.timeoutMs,
      clientProperties: { connection_name: `Switchboard: ${profile.name}` },
      ...(profile.tls ? { servername: profile.host } : {}),
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

function connectError(error: unknown, endpoint: string, options: ConnectOptions): Error {
  if (isDriverError(error)) return error;
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
    return new DriverError('protocol', `The server at ${endpoint} does not speak AMQP 0-9-1 (${text.slice(0, 80)}).`, 'Check the port (5672 for AMQP, 5671 for AMQPS): is this really RabbitMQ?');
  }
  return new DriverError('server', `RabbitMQ at ${endpoint}: ${text}`, undefined, { cause: error });
}

class RabbitMqSession implements Session {
  readonly kind = 'rabbitmq';
  private readonly states = new StateEmitter();

  constructor(private readonly connection: Connection, private readonly facts: BrokerFacts, private readonly api: ManagementApi | undefined, private readonly profile: RabbitMqProfile) {
    connection.on('disconnect', (error?: Error) => this.states.emit({ state: 'reconnecting', ...(error ? { error } : {}) }));
    connection.on('connect', () => this.states.emit({ state: 'connected' }));
    connection.on('error', () => undefined);
  }

  async describe(): Promise<string> {
    const props = this.facts.server;
    return `${props?.product ?? 'RabbitMQ'} ${props?.version ?? ''}`.trim();
  }

  async children(node?: BrowseNode): Promise<BrowseNode[]> {
    if (!this.api) {
      if (node) return [];
      return [{
        path: ['notice'], label: 'Topology needs the management API', type: 'notice', icon: 'info', expandable: false,
        tooltip: 'Set the management API URL (e.g. http://host:15672) in this connection to list vhosts, exchanges and queues. Named queues and exchanges work without it.',
      }];
    }
    const [what, vhost, group] = node?.path ?? [];
    if (!node) {
      const vhosts = await this.api.vhosts();
      return vhosts.map((name) => ({ path: ['vhost', name], label: name, type: 'vhost', icon: 'folder-library', expandable: true, description: name === this.profile.vhost ? 'connection vhost' : '' }));
    }
    if (what === 'vhost' && vhost !== undefined && group === undefined) {
      const [exchanges, queues] = await Promise.all([this.api.exchanges(vhost), this.api.queues(vhost)]);
      return [
        { path: ['vhost', vhost, 'exchanges'], label: 'Exchanges', type: 'exchanges', icon: 'arrow-swap', expandable: true, description: String(exchanges.length) },
        { path: ['vhost', vhost, 'queues'], label: 'Queues', type: 'queues', icon: 'inbox', expandable: true, description: String(queues.length) },
      ];
    }
    if (what === 'vhost' && vhost !== undefined && group === 'exchanges') {
      return (await this.api.exchanges(vhost)).map((e) => ({
        path: ['vhost', vhost, 'exchange', e.name],
        label: e.name === '' ? '(default)' : e.name,
        type: 'exchange',
        icon: 'arrow-swap',
        expandable: false,
        description: `${e.type}${e.durable ? ' · durable' : ''}${e.internal ? ' · internal' : ''}`,
      }));
    }
    if (what === 'vhost' && vhost !== undefined && group === 'queues') {
      return (await this.api.queues(vhost)).map((q) => ({
        path: ['vhost', vhost, 'queue', q.name],
        label: q.name,
        type: 'queue',
        icon: 'inbox',
        expandable: false,
        description: `${q.ready} ready · ${q.unacked} unacked · ${q.consumers} consumers`,
        tooltip: `${q.name} (${q.type}${q.durable ? ', durable' : ''})\n${q.ready} ready, ${q.unacked} unacked, ${q.consumers} consumers`,
      }));
    }
    return [];
  }

  onState(listener: Parameters<Session['onState']>[0]): () => void {
    return this.states.on(listener);
  }

  async close(): Promise<void> {
    this.states.clear();
    await this.connection.close().catch(() => undefined);
  }
}

export const driver: Driver<RabbitMqProfile> = {
  async connect(profile, options) {
    const endpoint = `${profile.host}:${profile.port}`;
    const facts: BrokerFacts = {};
    let connection: Connection;
    try {
      connection = await withTimeout(openConnection(profile, options, facts), options.timeoutMs + 1000, () => timeoutError('RabbitMQ', endpoint, options.timeoutMs, 'AMQP handshake'));
    } catch (error) {
      throw connectError(error, endpoint, options);
    }
    const api = profile.managementUrl ? new ManagementApi(profile.managementUrl, profile.username, options.secrets.password ?? '', options.timeoutMs) : undefined;
    return new RabbitMqSession(connection, facts, api, profile);
  },
};
