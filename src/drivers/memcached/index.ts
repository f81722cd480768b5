import { BrowseNode, ConnectOptions, DEFAULT_SHOWN_BYTES, Driver, MemcachedProfile, MemcachedServer, Session } from '../types';
import { placeOf } from '../places';
import { DriverError, isDriverError, messageOf, networkError, redact, timeoutError, withTimeout } from '../errors';
import { StateEmitter } from '../stateEmitter';
import { formatDuration } from '../format';
import { TextConnection } from './textConnection';
import { keyMapper, KeyToServer } from './hashing';
import { KeyInfo, listKeys, ListingResult } from './listing';
import { ServerOperations, StoredItem, StoreMode } from './operations';
import { checkKey, STAT_GROUPS, StatGroup, statsGroup } from './tokens';
import { ServerLink } from './serverLink';
import { decodeValue, DecodedValue } from './values';
import { decodeItem, encodeItem } from './decoding';
import type { CodecChoice, Decoded } from '../codecs/shapes';

const endpointOf = (server: MemcachedServer): string => `${server.host}:${server.port}`;

/** Memcached reads an expiry above 30 days as a Unix time. */
const RELATIVE_TTL_LIMIT = 30 * 24 * 3600;

/**
 * The expiry to write again for an item with `remaining` seconds left (-1: never; undefined: the server cannot say,
 * without meta commands, and the item is written without one as before). Past 30 days the expiry is a Unix time,
 * taken on the server's clock (`serverNow`, asked only then): memcached counts whole seconds from its own start, which
 * can be seconds off the local clock, and a Unix time from the local clock would move the expiry by that on every save.
 */
async function keptExpiry(remaining: number | undefined, serverNow: () => Promise<number>): Promise<number> {
  if (remaining === undefined || remaining < 0) return 0;
  // 0 left means "expiring now", never "no expiry".
  const seconds = Math.max(1, remaining);
  return seconds > RELATIVE_TTL_LIMIT ? (await serverNow()) + seconds : seconds;
}

interface OpenedServer {
  readonly connection: TextConnection;
  /** The profile has a user name, but the server did not ask for credentials, so none were sent. */
  readonly credentialsNotAsked: boolean;
}

/**
 * Opens a text connection and checks that memcached answers a harmless `version`. Only a server that answers it with
 * CLIENT_ERROR unauthenticated (started with an auth file, -Y) gets the credentials: memcached's ASCII auth is a
 * `set` of "user password", which a server without auth would store as an item any client can read.
 */
async function openServer(server: MemcachedServer, profile: MemcachedProfile, options: Pick<ConnectOptions, 'timeoutMs' | 'secrets' | 'tunnel'>): Promise<OpenedServer> {
  const endpoint = endpointOf(server);
  let connection: TextConnection;
  try {
    connection = options.tunnel
      ? TextConnection.over(await withTimeout(options.tunnel.open(), options.timeoutMs, () => timeoutError('Memcached', endpoint, options.timeoutMs, 'channel through SSH')))
      : await TextConnection.open(server.host, server.port, options.timeoutMs);
  } catch (error) {
    if (isDriverError(error)) throw error;
    throw networkError(error, 'Memcached', endpoint) ?? new DriverError('server', `Memcached at ${endpoint}: ${messageOf(error)}`);
  }
  const version = async (): Promise<string> => (await connection.request('version', options.timeoutMs, { multiLine: false })).lines[0] ?? '';
  try {
    let reply = await version();
    const asked = reply === 'CLIENT_ERROR unauthenticated';
    if (asked) {
      if (!profile.username) throw new DriverError('auth', `Memcached at ${endpoint} requires authentication.`, 'The connection needs a user name and password.');
      const secret = `${profile.username} ${options.secrets.password ?? ''}`;
      const { lines: [answer] } = await connection.request(`set auth 0 0 ${Buffer.byteLength(secret, 'utf8')}\r\n${Buffer.from(secret, 'utf8').toString('latin1')}`, options.timeoutMs, { multiLine: false });
      if (answer !== 'STORED') throw new DriverError('auth', `Memcached at ${endpoint} rejected the user name or password.`, 'The connection needs the right credentials.');
      reply = await version();
    }
    if (!reply.startsWith('VERSION ')) {
      throw new DriverError('protocol', `The server at ${endpoint} does not speak the memcached protocol (it answered "${redact(reply, [options.secrets.password]).slice(0, 60)}").`, 'Check the port: is this really memcached?');
    }
    return { connection, credentialsNotAsked: !asked && profile.username !== undefined };
  } catch (error) {
    connection.close();
    if (isDriverError(error)) throw error;
    const net = networkError(error, 'Memcached', endpoint);
    if (net?.code === 'timeout') throw timeoutError('Memcached', endpoint, options.timeoutMs, 'reply to "version"');
    throw net ?? new DriverError('protocol', `The server at ${endpoint} does not speak the memcached protocol (${messageOf(error)}).`, 'Check the port: is this really memcached?');
  }
}

export interface ItemView extends StoredItem {
  readonly decoded: DecodedValue;
  /** The server the profile's key mapping points at; differs from `server` when another mapping wrote the key. */
  readonly mappedServer: string;
  /** Seconds until it expires, -1 never; undefined where the server cannot say (before memcached 1.6). */
  readonly ttl?: number;
  /** Bytes the item takes on the server, as a listing counts them; undefined where the server cannot say. */
  readonly itemSize?: number;
}

export class MemcachedSession implements Session {
  readonly kind = 'memcached';
  private readonly states = new StateEmitter();
  private readonly operations: ServerOperations[];
  private readonly mapper: KeyToServer;

  /** Servers that did not ask for the profile's credentials at connect, which were therefore not sent. */
  private readonly notAsked: readonly string[];

  constructor(
    opened: readonly OpenedServer[],
    readonly profile: MemcachedProfile,
    private readonly options: Pick<ConnectOptions, 'timeoutMs' | 'secrets' | 'tunnel' | 'maxShownBytes'>,
  ) {
    this.notAsked = opened.flatMap((o, i) => (o.credentialsNotAsked ? [endpointOf(profile.servers[i]!)] : []));
    const links = opened.map(({ connection }, i) => {
      const server = profile.servers[i]!;
      return new ServerLink(endpointOf(server), connection, async () => (await openServer(server, profile, options)).connection, {
        lost: (error) => this.states.emit({ state: 'reconnecting', ...(error ? { error } : {}) }),
        back: () => {
          if (links.every((link) => link.up)) this.states.emit({ state: 'connected' });
        },
      });
    });
    this.operations = links.map((link) => new ServerOperations(link, options.timeoutMs));
    this.mapper = keyMapper(profile.servers, profile.mapping ?? 'memjs');
  }

  get servers(): string[] {
    return this.operations.map((o) => o.server);
  }

  /** The server the profile's mapping assigns to a key, given which servers answer now. */
  serverOf(key: string): string {
    return this.mapped(key).server;
  }

  private mapped(key: string): ServerOperations {
    const index = this.mapper(key, (i) => this.operations[i]?.up === true);
    const ops = index === undefined ? undefined : this.operations[index];
    if (!ops) throw new DriverError('unreachable', `No server of "${this.profile.name}" that the ${this.profile.mapping ?? 'memjs'} mapping picks for ${key} is answering.`, 'Check that the servers are running; the connections are dialled again by themselves.');
    return ops;
  }

  private ops(server?: string): ServerOperations {
    const found = server === undefined ? undefined : this.operations.find((o) => o.server === server);
    if (server !== undefined && !found) throw new DriverError('config', `${server} is not a server of this pool.`);
    return found ?? this.operations[0]!;
  }

  private forKey(key: string): ServerOperations {
    checkKey(key);
    return this.mapped(key);
  }

  private writable(action: string): void {
    if (this.profile.readOnly) throw new DriverError('readOnly', `${action} refused: "${this.profile.name}" is a read-only connection.`, 'Only a writable connection changes data.');
  }

  async describe(): Promise<string> {
    const versions = await Promise.all(this.operations.map(async (o) => (await o.stats(undefined)).get('version') ?? '?'));
    const notAsked = this.notAsked.length ? `; ${this.notAsked.join(', ')} did not ask for credentials: not sent` : '';
    return `memcached ${[...new Set(versions)].join(', ')} (${this.operations.length} server${this.operations.length === 1 ? '' : 's'})${notAsked}`;
  }

  /** Reads a key (from `server`, or the one the mapping names), decoded by its flags, with its cas token. */
  async get(key: string, server?: string): Promise<ItemView | undefined> {
    const ops = server ? this.ops(server) : this.forKey(key);
    const [item] = await ops.gets([key]);
    if (!item) return undefined;
    const [ttl, itemSize] = await Promise.all([ops.ttl(key), ops.itemSize(key)]);
    return {
      ...item, decoded: decodeValue(item.data, item.flags, this.options.maxShownBytes ?? DEFAULT_SHOWN_BYTES), mappedServer: this.serverOf(key),
      ...(ttl === undefined ? {} : { ttl }), ...(itemSize === undefined ? {} : { itemSize }),
    };
  }

  /**
   * An item decoded by the shared codecs (see decodeItem): its flags first for 'auto', else the codec chosen. `decoded`
   * is absent where its flags read it; the answer is undefined when the item is gone.
   */
  async decoded(key: string, server: string, choice: CodecChoice): Promise<{ decoded?: Decoded } | undefined> {
    const [item] = await this.ops(server).gets([key]);
    if (!item) return undefined;
    const decoded = decodeItem(key, item.data, item.flags, choice);
    return decoded ? { decoded } : {};
  }

  /**
   * Writes an edited decoded text back through the same compression, with the item's flags, through the cas-checked
   * save: only if the item is still the one read at `cas` (and still decodes to `expected`).
   */
  async saveDecoded(item: Pick<StoredItem, 'key' | 'server' | 'cas'>, choice: CodecChoice, expected: string, text: string): Promise<'saved' | 'conflict' | 'gone'> {
    this.writable(`Saving ${item.key}`);
    const [current] = await this.ops(item.server).gets([item.key]);
    if (!current) return 'gone';
    if (current.cas !== item.cas) return 'conflict';
    const bytes = encodeItem(item.key, current.data, current.flags, choice, expected, text);
    return bytes === 'conflict' ? 'conflict' : this.compareAndSet(current, bytes);
  }

  /** Reads many keys, each from its mapped server, in one request per server. */
  async getMulti(keys: readonly string[]): Promise<StoredItem[]> {
    const byServer = new Map<ServerOperations, string[]>();
    for (const key of keys) {
      const ops = this.forKey(key);
      byServer.set(ops, [...(byServer.get(ops) ?? []), key]);
    }
    return (await Promise.all([...byServer].map(([ops, group]) => ops.gets(group)))).flat();
  }

  async store(mode: StoreMode, key: string, data: Buffer, options: { flags?: number; ttl?: number; server?: string } = {}): Promise<boolean> {
    this.writable(`${mode} ${key}`);
    const ops = options.server ? this.ops(options.server) : this.forKey(key);
    const reply = await ops.store(mode, key, data, options.flags ?? 0, options.ttl ?? 0);
    return reply === 'STORED';
  }

  /**
   * Saves over an item only while it is still at `cas` (gets + cas), keeping its expiry: a set names one, and without
   * it an item due to expire would silently become permanent. Resolves 'conflict' when it changed, 'gone' when it was
   * deleted meanwhile.
   */
  async compareAndSet(item: Pick<StoredItem, 'key' | 'server' | 'cas' | 'flags'>, data: Buffer): Promise<'saved' | 'conflict' | 'gone'> {
    this.writable(`Saving ${item.key}`);
    const ops = this.ops(item.server);
    const reply = await ops.store('set', item.key, data, item.flags, await keptExpiry(await ops.ttl(item.key), () => ops.clock()), item.cas);
    return reply === 'STORED' ? 'saved' : reply === 'EXISTS' ? 'conflict' : 'gone';
  }

  async setMulti(entries: readonly { key: string; data: Buffer; flags?: number; ttl?: number }[]): Promise<number> {
    this.writable(`Setting ${entries.length} keys`);
    const results = await Promise.all(entries.map((e) => this.forKey(e.key).store('set', e.key, e.data, e.flags ?? 0, e.ttl ?? 0)));
    return results.filter((r) => r === 'STORED').length;
  }

  async counter(op: 'incr' | 'decr', key: string, delta: bigint, server?: string): Promise<bigint | undefined> {
    this.writable(`${op} ${key}`);
    return (server ? this.ops(server) : this.forKey(key)).counter(op, key, delta);
  }

  async touch(key: string, ttl: number, server?: string): Promise<boolean> {
    this.writable(`Touching ${key}`);
    return (server ? this.ops(server) : this.forKey(key)).touch(key, ttl);
  }

  async delete(key: string, server?: string): Promise<boolean> {
    this.writable(`Deleting ${key}`);
    return (server ? this.ops(server) : this.forKey(key)).delete(key);
  }

  /** Deletes keys, each on the server given (as listed) or its mapped server. Returns how many existed. */
  async deleteMulti(items: readonly { key: string; server?: string }[]): Promise<number> {
    this.writable(`Deleting ${items.length} keys`);
    const results = await Promise.all(items.map((i) => this.delete(i.key, i.server)));
    return results.filter(Boolean).length;
  }

  async flushAll(server: string): Promise<void> {
    this.writable(`flush_all on ${server}`);
    await this.ops(server).flushAll();
  }

  async stats(server: string, group: StatGroup): Promise<Map<string, string>> {
    return this.ops(server).stats(group);
  }

  /**
   * Lists every key of every server, one dedicated connection per server so other work is not queued behind it,
   * handing batches over as they are parsed.
   */
  async listKeys(onBatch: (keys: KeyInfo[]) => void, options: { cap: number; signal?: AbortSignal; onServerDone?: (server: string, result: ListingResult) => void }): Promise<ListingResult[]> {
    let remaining = options.cap;
    return Promise.all(this.profile.servers.map(async (server) => {
      const { connection } = await openServer(server, this.profile, this.options);
      try {
        const result = await listKeys(connection, endpointOf(server), {
          cap: remaining,
          timeoutMs: Math.max(this.options.timeoutMs, 30_000),
          ...(options.signal ? { signal: options.signal } : {}),
          onBatch: (keys) => {
            remaining -= keys.length;
            onBatch(keys);
          },
        });
        options.onServerDone?.(endpointOf(server), result);
        return result;
      } catch (error) {
        if (isDriverError(error) || options.signal?.aborted) throw error;
        throw new DriverError('closed', `Listing the keys of Memcached at ${endpointOf(server)} stopped: ${messageOf(error)}.`, 'Check that the server is running, then list again.', { cause: error });
      } finally {
        connection.close();
      }
    }));
  }

  async children(node?: BrowseNode): Promise<BrowseNode[]> {
    if (!node) {
      return Promise.all(this.profile.servers.map(async (s): Promise<BrowseNode> => {
        const endpoint = endpointOf(s);
        const stats = await this.ops(endpoint).stats(undefined);
        const items = stats.get('curr_items') ?? '?';
        const uptime = formatDuration(Number(stats.get('uptime') ?? 0));
        return {
          place: { kind: 'memcached', of: 'server', server: endpoint },
          label: endpoint,
          type: 'server',
          description: `${items} item${items === '1' ? '' : 's'} · v${stats.get('version') ?? '?'} · up ${uptime}`,
          tooltip: `memcached ${stats.get('version') ?? '?'} at ${endpoint}\nweight ${s.weight}\nitems ${items}\nuptime ${uptime}\nmemory ${stats.get('bytes') ?? '?'} of ${stats.get('limit_maxbytes') ?? '?'} bytes`,
          icon: 'server',
          expandable: true,
        };
      }));
    }
    const place = placeOf('memcached', node.place);
    if (place?.of === 'server') {
      return STAT_GROUPS.map((g): BrowseNode => ({ place: { kind: 'memcached', of: 'statGroup', server: place.server, group: g }, label: g, type: 'statGroup', icon: 'graph', expandable: true }));
    }
    if (place?.of === 'statGroup') {
      const { server, group } = place;
      const stats = await this.stats(server, statsGroup(group));
      return [...stats].map(([name, value]): BrowseNode => ({ place: { kind: 'memcached', of: 'stat', server, group, name }, label: name, type: 'stat', icon: 'symbol-field', expandable: false, description: value, tooltip: `${name} = ${value}` }));
    }
    return [];
  }

  onState(listener: Parameters<Session['onState']>[0]): () => void {
    return this.states.on(listener);
  }

  async close(): Promise<void> {
    this.states.clear();
    for (const ops of this.operations) ops.close();
  }
}

export const driver: Driver<MemcachedProfile, MemcachedSession> = {
  async connect(profile, options) {
    if (profile.servers.length === 0) throw new DriverError('config', 'This Memcached connection lists no servers.', 'Edit it and add host:port entries.');
    if (options.tunnel && profile.servers.length > 1) {
      throw new DriverError('config', 'A tunnel reaches one server, but this pool lists several.', 'Use one profile per server when going through SSH.');
    }
    const settled = await Promise.allSettled(profile.servers.map((server) => openServer(server, profile, options)));
    const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) {
      for (const r of settled) if (r.status === 'fulfilled') r.value.connection.close();
      throw failed.reason;
    }
    return new MemcachedSession(settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : [])), profile, options);
  },
};
