import { DriverError, messageOf, withTimeout } from '../errors';

export interface ExchangeInfo {
  readonly name: string;
  readonly type: string;
  readonly durable: boolean;
  readonly internal: boolean;
  readonly autoDelete: boolean;
}

export interface QueueInfo {
  readonly name: string;
  readonly ready: number;
  readonly unacked: number;
  readonly consumers: number;
  readonly durable: boolean;
  readonly type: string;
  readonly exclusive: boolean;
  readonly autoDelete: boolean;
  readonly arguments: Record<string, unknown>;
}

export interface BindingInfo {
  readonly source: string;
  readonly destination: string;
  readonly destinationType: 'queue' | 'exchange';
  readonly routingKey: string;
  readonly arguments: Record<string, unknown>;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const str = (value: unknown, fallback = ''): string => (typeof value === 'string' ? value : fallback);
const num = (value: unknown): number => (typeof value === 'number' ? value : 0);

function binding(b: Json): BindingInfo {
  return {
    source: str(b['source']),
    destination: str(b['destination']),
    destinationType: b['destination_type'] === 'exchange' ? 'exchange' : 'queue',
    routingKey: str(b['routing_key']),
    arguments: isObject(b['arguments']) ? b['arguments'] : {},
  };
}

/** The RabbitMQ management HTTP API, read with the connection's own credentials. */
export class ManagementApi {
  private readonly authorization: string;

  constructor(private readonly baseUrl: string, username: string, password: string, private readonly timeoutMs: number) {
    this.authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  }

  async vhosts(): Promise<string[]> {
    return (await this.list('/api/vhosts')).map((v) => str(v['name']));
  }

  async exchanges(vhost: string): Promise<ExchangeInfo[]> {
    return (await this.list(`/api/exchanges/${encodeURIComponent(vhost)}`)).map((e) => ({
      name: str(e['name']),
      type: str(e['type']),
      durable: e['durable'] === true,
      internal: e['internal'] === true,
      autoDelete: e['auto_delete'] === true,
    }));
  }

  async queues(vhost: string): Promise<QueueInfo[]> {
    return (await this.list(`/api/queues/${encodeURIComponent(vhost)}`)).map((q) => ({
      name: str(q['name']),
      ready: num(q['messages_ready']),
      unacked: num(q['messages_unacknowledged']),
      consumers: num(q['consumers']),
      durable: q['durable'] === true,
      type: str(q['type'], 'classic'),
      exclusive: q['exclusive'] === true,
      autoDelete: q['auto_delete'] === true,
      arguments: isObject(q['arguments']) ? q['arguments'] : {},
    }));
  }

  /** Bindings of an exchange: where its messages go (`source`) or where it gets them from (`destination`). */
  async exchangeBindings(vhost: string, exchange: string, side: 'source' | 'destination'): Promise<BindingInfo[]> {
    return (await this.list(`/api/exchanges/${encodeURIComponent(vhost)}/${encodeURIComponent(exchange || 'amq.default')}/bindings/${side}`)).map(binding);
  }

  /** Bindings that route into a queue (the default exchange's implicit one included). */
  async queueBindings(vhost: string, queue: string): Promise<BindingInfo[]> {
    return (await this.list(`/api/queues/${encodeURIComponent(vhost)}/${encodeURIComponent(queue)}/bindings`)).map(binding);
  }

  private async list(path: string): Promise<Json[]> {
    const body = await this.get(path);
    if (!Array.isArray(body)) throw new DriverError('protocol', `The management API at ${this.baseUrl} answered ${path} with something other than a list.`, 'Check the management URL.');
    return body.filter(isObject);
  }

  private async get(path: string): Promise<unknown> {
    const url = new URL(path, this.baseUrl.endsWith('/') ? this.baseUrl : `${this.baseUrl}/`);
    const controller = new AbortController();
    let response: Response;
    try {
      response = await withTimeout(fetch(url, { headers: { authorization: this.authorization }, signal: controller.signal }), this.timeoutMs, () => {
        controller.abort();
        return new DriverError('timeout', `The management API at ${this.baseUrl} did not answer within ${this.timeoutMs / 1000} s.`, 'Check the management URL and that the rabbitmq_management plugin is enabled.');
      });
    } catch (error) {
      if (error instanceof DriverError) throw error;
      const cause = error instanceof Error && error.cause ? messageOf(error.cause) : messageOf(error);
      throw new DriverError('unreachable', `The management API at ${this.baseUrl} could not be reached (${cause}).`, 'Check the management URL and that the rabbitmq_management plugin is enabled.');
    }
    if (response.status === 401) throw new DriverError('auth', `The management API at ${this.baseUrl} rejected the user name or password.`, 'The API uses the connection\'s credentials; the user needs the "management" tag.');
    if (!response.ok) throw new DriverError('server', `The management API at ${this.baseUrl} answered ${path} with HTTP ${response.status}.`, 'Check the management URL.');
    try {
      return await response.json();
    } catch {
      throw new DriverError('protocol', `The management API at ${this.baseUrl} did not answer with JSON.`, 'Check the management URL.');
    }
  }
}
