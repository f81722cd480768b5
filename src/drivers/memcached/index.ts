import { BrowseNode, ConnectOptions, Driver, MemcachedProfile, MemcachedServer, Session } from '../types';
import { DriverError, isDriverError, messageOf, networkError, timeoutError } from '../errors';
import { StateEmitter } from '../stateEmitter';
import { TextConnection } from './textConnection';
import { formatDuration } from '../format';

const endpointOf = (server: MemcachedServer): string => `${server.host}:${server.port}`;

/** Opens a text connection, checks that memcached answers and authenticates when a user is set (-Y auth file). */
async function openServer(server: MemcachedServer, profile: MemcachedProfile, options: ConnectOptions): Promise<TextConnection> {
  const endpoint = endpointOf(server);
  const host = options.endpoint?.host ?? server.host;
  const port = options.endpoint?.port ?? server.port;
  let connection: TextConnection;
  try {
    connection = await TextConnection.open(host, port, options.timeoutMs);
  } catch (error) {
    throw networkError(error, 'Memcached', endpoint) ?? new DriverError('server', `Memcached at ${endpoint}: ${messageOf(error)}`);
  }
  try {
    if (profile.username) {
      const secret = `${profile.username} ${options.secrets.password ?? ''}`;
      const [reply] = await connection.request(`set auth 0 0 ${Buffer.byteLength(secret, 'latin1')}\r\n${secret}`, options.timeoutMs, false);
      if (reply !== 'STORED') {
        throw new DriverError('auth', `Memcached at ${endpoint} rejected the user name or password.`, 'Edit the connection and enter the right credentials.');
      }
    }
    const [version] = await connection.request('version', options.timeoutMs, false);
    if (version?.startsWith('CLIENT_ERROR unauthenticated') || version === 'CLIENT_ERROR authentication failure') {
      throw new DriverError('auth', `Memcached at ${endpoint} requires authentication.`, 'Edit the connection and set its user name and password.');
    }
    if (!version?.startsWith('VERSION ')) {
      throw new DriverError('protocol', `The server at ${endpoint} does not speak the memcached protocol (it answered "${(version ?? '').slice(0, 60)}").`, 'Check the port: is this really memcached?');
    }
    return connection;
  } catch (error) {
    connection.close();
    if (isDriverError(error)) throw error;
    const net = networkError(error, 'Memcached', endpoint);
    if (net?.code === 'timeout') throw timeoutError('Memcached', endpoint, options.timeoutMs, 'reply to "version"');
    throw net ?? new DriverError('protocol', `The server at ${endpoint} does not speak the memcached protocol (${messageOf(error)}).`, 'Check the port: is this really memcached?');
  }
}

class MemcachedSession implements Session {
  readonly kind = 'memcached';
  private readonly states = new StateEmitter();

  constructor(private readonly connections: ReadonlyMap<string, TextConnection>, private readonly profile: MemcachedProfile, private readonly timeoutMs: number) {
    for (const connection of connections.values()) connection.onClose((error) => this.states.emit({ state: 'closed', ...(error ? { error } : {}) }));
  }

  async describe(): Promise<string> {
    const versions = await Promise.all([...this.connections.values()].map((c) => c.request('version', this.timeoutMs, false)));
    const distinct = [...new Set(versions.map((lines) => (lines[0] ?? '').replace(/^VERSION /, '')))];
    return `memcached ${distinct.join(', ')} (${this.connections.size} server${this.connections.size === 1 ? '' : 's'})`;
  }

  async children(node?: BrowseNode): Promise<BrowseNode[]> {
    if (node) return [];
    return Promise.all(this.profile.servers.map(async (server) => {
      const endpoint = endpointOf(server);
      const stats = await this.connections.get(endpoint)!.stats(undefined, this.timeoutMs);
      const items = stats.get('curr_items') ?? '?';
      const itemsText = `${items} item${items === '1' ? '' : 's'}`;
      const uptime = formatDuration(Number(stats.get('uptime') ?? 0));
      return {
        path: ['server', endpoint],
        label: endpoint,
        type: 'server',
        description: `${itemsText} · v${stats.get('version') ?? '?'} · up ${uptime}`,
        tooltip: `memcached ${stats.get('version') ?? '?'} at ${endpoint}\nweight ${server.weight}\nitems ${items}\nuptime ${uptime}\nmemory ${stats.get('bytes') ?? '?'} of ${stats.get('limit_maxbytes') ?? '?'} bytes`,
        icon: 'server',
        expandable: false,
      };
    }));
  }

  onState(listener: Parameters<Session['onState']>[0]): () => void {
    return this.states.on(listener);
  }

  async close(): Promise<void> {
    this.states.clear();
    for (const connection of this.connections.values()) connection.close();
  }
}

export const driver: Driver<MemcachedProfile> = {
  async connect(profile, options) {
    if (profile.servers.length === 0) throw new DriverError('config', 'This Memcached connection lists no servers.', 'Edit it and add host:port entries.');
    if (options.endpoint && profile.servers.length > 1) {
      throw new DriverError('config', 'A tunnel reaches one server, but this pool lists several.', 'Use one profile per server when going through SSH.');
    }
    const settled = await Promise.allSettled(profile.servers.map((server) => openServer(server, profile, options)));
    const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) {
      for (const r of settled) if (r.status === 'fulfilled') r.value.close();
      throw failed.reason;
    }
    const connections = new Map<string, TextConnection>();
    settled.forEach((r, i) => r.status === 'fulfilled' && connections.set(endpointOf(profile.servers[i]!), r.value));
    return new MemcachedSession(connections, profile, options.timeoutMs);
  },
};
