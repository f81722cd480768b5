import Redis from 'ioredis';
import { BrowseNode, ConnectOptions, Driver, RedisProfile, Session } from '../types';
import { DriverError, isDriverError, messageOf, networkError, redact, timeoutError, withTimeout } from '../errors';
import { StateEmitter } from '../stateEmitter';
import { parseKeyspace } from './info';

/** Maps what ioredis reports during connect to a message naming the endpoint and the fix. */
function connectError(error: unknown, endpoint: string, options: ConnectOptions): Error {
  const net = networkError(error, 'Redis', endpoint);
  if (net) return net;
  const text = redact(messageOf(error), [options.secrets.password]);
  if (/WRONGPASS|invalid password|invalid username-password/i.test(text)) {
    return new DriverError('auth', `Redis at ${endpoint} rejected the user name or password.`, 'Edit the connection and enter the right credentials.');
  }
  if (/NOAUTH|Authentication required/i.test(text)) {
    return new DriverError('auth', `Redis at ${endpoint} requires a password.`, 'Edit the connection and enter its password.');
  }
  if (/Protocol error|Unknown RESP type|unknown.*reply|ParserError/i.test(text) || (error instanceof Error && error.name === 'ParserError')) {
    return new DriverError('protocol', `The server at ${endpoint} does not speak the Redis protocol (${text.slice(0, 80)}).`, 'Check the port: is this really Redis?');
  }
  if (/wrong version number|SSL|TLS|certificate/i.test(text)) {
    return new DriverError('tls', `TLS to Redis at ${endpoint} failed: ${text}.`, 'Check whether the server expects TLS (rediss://) or not.');
  }
  return new DriverError('server', `Redis at ${endpoint}: ${text}`, undefined, { cause: error });
}

class RedisSession implements Session {
  readonly kind = 'redis';
  private readonly states = new StateEmitter();

  constructor(private readonly client: Redis, private readonly profile: RedisProfile) {
    client.on('reconnecting', () => this.states.emit({ state: 'reconnecting' }));
    client.on('ready', () => this.states.emit({ state: 'connected' }));
    client.on('end', () => this.states.emit({ state: 'closed' }));
  }

  async describe(): Promise<string> {
    const info = await this.client.info('server');
    const version = /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown version';
    const mode = /redis_mode:(\S+)/.exec(info)?.[1];
    return `Redis ${version}${mode && mode !== 'standalone' ? ` (${mode})` : ''}`;
  }

  async children(node?: BrowseNode): Promise<BrowseNode[]> {
    if (node) return [];
    const keyspace = parseKeyspace(await this.client.info('keyspace'));
    const count = await this.databaseCount(keyspace);
    const dbs: BrowseNode[] = [];
    for (let db = 0; db < count; db++) {
      const entry = keyspace.get(db);
      if (!entry && db !== this.profile.db && db > 0) continue;
      dbs.push({
        path: ['db', String(db)],
        label: `db${db}`,
        type: 'db',
        description: `${entry?.keys ?? 0} key${entry?.keys === 1 ? '' : 's'}`,
        tooltip: `db${db}: ${entry?.keys ?? 0} keys, ${entry?.expires ?? 0} with a TTL`,
        icon: 'database',
        expandable: false,
      });
    }
    return dbs;
  }

  /** CONFIG may be disabled (managed services), so fall back to what INFO shows. */
  private async databaseCount(keyspace: Map<number, unknown>): Promise<number> {
    try {
      const reply = await this.client.config('GET', 'databases');
      const value = Array.isArray(reply) ? Number(reply[1]) : NaN;
      if (Number.isInteger(value) && value > 0) return value;
    } catch {
      // fall through
    }
    return Math.max(this.profile.db, ...keyspace.keys()) + 1;
  }

  onState(listener: Parameters<Session['onState']>[0]): () => void {
    return this.states.on(listener);
  }

  async close(): Promise<void> {
    this.states.clear();
    try {
      await this.client.quit();
    } catch {
      this.client.disconnect();
    }
  }
}

export const driver: Driver<RedisProfile> = {
  async connect(profile, options) {
    const host = options.endpoint?.host ?? profile.host;
    const port = options.endpoint?.port ?? profile.port;
    const endpoint = `${profile.host}:${profile.port}`;
    let established = false;
    const client = new Redis({
      host,
      port,
      db: profile.db,
      connectTimeout: options.timeoutMs,
      lazyConnect: true,
      enableAutoPipelining: false,
      maxRetriesPerRequest: 2,
      // No retries until the first connection succeeds, so a wrong endpoint fails at once; then back off up to 5 s.
      retryStrategy: (times) => (established ? Math.min(times * 200, 5000) : null),
      connectionName: 'switchboard',
      ...(profile.username ? { username: profile.username } : {}),
      ...(options.secrets.password ? { password: options.secrets.password } : {}),
      ...(profile.tls ? { tls: { servername: profile.host } } : {}),
    });
    let lastError: unknown;
    client.on('error', (error: unknown) => (lastError = error));
    try {
      await withTimeout(client.connect(), options.timeoutMs + 500, () => timeoutError('Redis', endpoint, options.timeoutMs, 'Redis reply'));
      await withTimeout(client.ping(), options.timeoutMs, () => timeoutError('Redis', endpoint, options.timeoutMs, 'reply to PING'));
    } catch (error) {
      client.disconnect();
      throw isDriverError(error) ? error : connectError(lastError ?? error, endpoint, options);
    }
    established = true;
    return new RedisSession(client, profile);
  },
};
