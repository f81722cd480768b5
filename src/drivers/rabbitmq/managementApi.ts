import { DriverError, messageOf, withTimeout } from '../errors';
import { checkManagementUrl } from './managementUrl';
import { FieldTable, jsonFieldTable } from './shapes';

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
  readonly arguments: FieldTable;
  /** What the API names the binding by (routing key and a hash of the arguments): it deletes exactly this one. */
  readonly propertiesKey: string;
}

/** A policy or operator policy as the management API lists it. */
export interface PolicyInfo {
  readonly name: string;
  readonly pattern: string;
  readonly applyTo: string;
  readonly priority: number;
  readonly definition: Record<string, unknown>;
}

/** One queue with what decides how the broker treats its messages: type, arguments and the policies in force. */
export interface QueueDetails {
  readonly name: string;
  readonly type: string;
  readonly arguments: Record<string, unknown>;
  /**
   * The policy and operator policy the broker applied, and their merged definition; undefined until the broker's
   * statistics cover the queue (a few seconds after it was declared).
   */
  readonly applied?: { readonly policy?: string; readonly operatorPolicy?: string; readonly definition: Record<string, unknown> };
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
    arguments: isObject(b['arguments']) ? jsonFieldTable(b['arguments']) : {},
    propertiesKey: str(b['properties_key']),
  };
}

/** The RabbitMQ management HTTP API, read with the connection's own credentials. */
export class ManagementApi {
  private readonly authorization: string;
  private readonly base: URL;
  /** The URL as errors name it (never with credentials: those are refused). */
  private readonly baseUrl: string;

  constructor(url: string, username: string, password: string, private readonly timeoutMs: number) {
    const checked = checkManagementUrl(url);
    if (!checked.ok) {
      throw checked.problem === 'credentials'
        ? new DriverError('config', `The management API URL ${checked.shown} holds a user name or password, which Switchboard does not keep in a profile.`, 'Remove them from the URL: the API signs in with the connection\'s own user and password.')
        : new DriverError('config', `${checked.shown === 'the management API URL' ? 'The management API URL' : checked.shown} is not an http:// or https:// URL.`, 'Use e.g. http://127.0.0.1:15672.');
    }
    this.base = checked.url;
    this.baseUrl = checked.shown;
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

  /** One queue's type, arguments and applied policies; undefined when the broker has no such queue. */
  async queue(vhost: string, name: string): Promise<QueueDetails | undefined> {
    const body = await this.get(`/api/queues/${encodeURIComponent(vhost)}/${encodeURIComponent(name)}`, true);
    if (body === undefined) return undefined;
    if (!isObject(body)) throw new DriverError('protocol', `The management API at ${this.baseUrl} answered for queue "${name}" with something other than an object.`, 'Check the management URL.');
    const definition = body['effective_policy_definition'];
    const named = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
    const policy = named(body['policy']);
    const operatorPolicy = named(body['operator_policy']);
    return {
      name: str(body['name'], name),
      type: str(body['type'], 'classic'),
      arguments: isObject(body['arguments']) ? body['arguments'] : {},
      // An empty definition comes as [] from some versions: no policy keys.
      ...('effective_policy_definition' in body ? { applied: { ...(policy ? { policy } : {}), ...(operatorPolicy ? { operatorPolicy } : {}), definition: isObject(definition) ? definition : {} } } : {}),
    };
  }

  /** The vhost's policies, or its operator policies. */
  async policies(vhost: string, kind: 'policies' | 'operator-policies'): Promise<PolicyInfo[]> {
    return (await this.list(`/api/${kind}/${encodeURIComponent(vhost)}`)).map((p) => ({
      name: str(p['name']),
      pattern: str(p['pattern']),
      applyTo: str(p['apply-to'], 'all'),
      priority: num(p['priority']),
      definition: isObject(p['definition']) ? p['definition'] : {},
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

  /**
   * Deletes one binding as the API listed it, by its properties key: the one way to remove a binding whose arguments
   * hold a value AMQP cannot send back (a void, listed as "undefined"). A binding already gone is no error.
   */
  async deleteBinding(vhost: string, b: BindingInfo): Promise<void> {
    const path = ['/api/bindings', vhost, 'e', b.source, b.destinationType === 'queue' ? 'q' : 'e', b.destination, b.propertiesKey].map((part, i) => (i === 0 ? part : encodeURIComponent(part))).join('/');
    await this.call(path, 'DELETE', true);
  }

  private async list(path: string): Promise<Json[]> {
    const body = await this.get(path);
    if (!Array.isArray(body)) throw new DriverError('protocol', `The management API at ${this.baseUrl} answered ${path} with something other than a list.`, 'Check the management URL.');
    return body.filter(isObject);
  }

  private get(path: string, missingIsUndefined = false): Promise<unknown> {
    return this.call(path, 'GET', missingIsUndefined);
  }

  private async call(path: string, method: 'GET' | 'DELETE', missingIsUndefined: boolean): Promise<unknown> {
    const url = new URL(path.replace(/^\//, ''), this.base.href.endsWith('/') ? this.base : `${this.base.href}/`);
    const controller = new AbortController();
    let response: Response;
    try {
      response = await withTimeout(fetch(url, { method, headers: { authorization: this.authorization }, signal: controller.signal }), this.timeoutMs, () => {
        controller.abort();
        return new DriverError('timeout', `The management API at ${this.baseUrl} did not answer within ${this.timeoutMs / 1000} s.`, 'Check the management URL and that the rabbitmq_management plugin is enabled.');
      });
    } catch (error) {
      if (error instanceof DriverError) throw error;
      const cause = error instanceof Error && error.cause ? messageOf(error.cause) : messageOf(error);
      throw new DriverError('unreachable', `The management API at ${this.baseUrl} could not be reached (${cause}).`, 'Check the management URL and that the rabbitmq_management plugin is enabled.');
    }
    if (response.status === 401) throw new DriverError('auth', `The management API at ${this.baseUrl} rejected the user name or password.`, 'The API uses the connection\'s credentials; the user needs the "management" tag.');
    if (response.status === 404 && missingIsUndefined) return undefined;
    if (!response.ok) throw new DriverError('server', `The management API at ${this.baseUrl} answered ${method === 'GET' ? '' : `${method} `}${path} with HTTP ${response.status}.`, 'Check the management URL.');
    if (response.status === 204) return null;
    try {
      return await response.json();
    } catch {
      throw new DriverError('protocol', `The management API at ${this.baseUrl} did not answer with JSON.`, 'Check the management URL.');
    }
  }
}
