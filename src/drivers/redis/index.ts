import Redis, { ChainableCommander } from 'ioredis';
import { isCluster, keyServers, ownerOf, RedisClient } from './client';
import { BrowseNode, DEFAULT_SHOWN_BYTES, Driver, RedisProfile, Session } from '../types';
import { DriverError, isDriverError, messageOf, timeoutError, withTimeout } from '../errors';
import { StateEmitter } from '../stateEmitter';
import { keyMetadata, KeyRow, scanKeys, ScanOptions } from './scan';
import { collectionSize, readValuePage, ValuePage } from './values';
import { displayBytes, keyBytes } from './keys';
import { KeyRef } from './shapes';
import { RedisConsole } from './console';
import { ReadOnlyGate } from './readOnlyGate';
import { applyEdit, createKey, deleteMatching, EditResult, MemberEdit } from './edits';
import { browseChildren } from './browseTree';
import { exportKeys, ExportReport } from './exporter';
import { importLines, ImportResult } from './importer';
import { withOwnConnections } from './ownConnections';
import { PubSubMessage, Subscription } from './pubsub';
import { connectError, createClient, quiet, sessionError } from './connection';
import { analyzeMemory, MemoryScanOptions } from './memoryScan';
import type { MemoryReport } from './memoryShapes';
import { memoryReportFile } from './memoryExport';
import { Monitor, MonitorOptions } from './monitor';
import { ServerAdmin } from './serverAdmin';
import { StreamGroups } from './streamGroups';
import { decodeValue, encodeEdited, MAX_STORED_BYTES } from '../codecs/decode';
import type { CodecChoice, Decoded } from '../codecs/shapes';

export class RedisSession implements Session {
  readonly kind = 'redis';
  private readonly states = new StateEmitter();
  /** Connections to databases other than the profile's, opened when first browsed. */
  private readonly dbClients = new Map<number, Redis>();
  /** On a read-only connection, what every command of the session passes: see ReadOnlyGate. */
  readonly gate: ReadOnlyGate | undefined;

  constructor(private readonly client: RedisClient, readonly profile: RedisProfile, private readonly maxShownBytes = DEFAULT_SHOWN_BYTES, private readonly commandTimeoutMs?: number) {
    this.gate = profile.readOnly ? new ReadOnlyGate(client, profile.name) : undefined;
    this.gate?.guard(client);
    client.on('reconnecting', () => this.states.emit({ state: 'reconnecting' }));
    client.on('ready', () => this.states.emit({ state: 'connected' }));
    client.on('end', () => this.states.emit({ state: 'closed' }));
  }

  async describe(): Promise<string> {
    const info = await this.client.info('server');
    const version = /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown version';
    const mode = /redis_mode:(\S+)/.exec(info)?.[1];
    const via = this.profile.sentinels?.length ? ` via Sentinel (master ${this.profile.sentinelMaster ?? ''})` : '';
    return `Redis ${version}${mode && mode !== 'standalone' ? ` (${mode})` : ''}${via}`;
  }

  children(node?: BrowseNode): Promise<BrowseNode[]> {
    return browseChildren(this.client, this.profile, node);
  }

  private writable(action: string): void {
    this.gate?.write(action);
  }

  /** A connection of the session's own, guarded like the session's first one. */
  private own<C extends RedisClient>(client: C): C {
    return this.gate ? this.gate.guard(client) : client;
  }

  /** A client on the given database (the session's own one for the profile's database). */
  private async on(db: number): Promise<RedisClient> {
    if (isCluster(this.client)) {
      if (db !== 0) throw new DriverError('config', `A Redis Cluster has only database 0, not ${db}.`);
      return this.client;
    }
    if (db === this.profile.db) return this.client;
    const other = this.dbClients.get(db) ?? this.own(quiet(this.client.duplicate({ db, lazyConnect: false })));
    this.dbClients.set(db, other);
    return other;
  }

  /** Subscribes on a connection of its own; close the subscription to end it. */
  subscribe(channels: readonly string[], patterns: readonly string[], onMessage: (message: PubSubMessage) => void): Promise<Subscription> {
    // In a cluster, SUBSCRIBE works on any node and PUBLISH reaches every node: the subscription is a connection to
    // one master, made like the session's own (ioredis' cluster subscriber would dial past a tunnel's connector).
    const [node] = keyServers(this.client);
    if (!node) return Promise.reject(new DriverError('closed', `${this.profile.name}: no master of the cluster is connected to subscribe on.`, 'Refresh the connection and try again.'));
    const client: RedisClient = this.own(node.duplicate());
    return Subscription.open(client, channels, patterns, onMessage);
  }

  /**
   * Publishes a message; resolves how many subscribers received it. A cluster passes the message to every node but
   * counts only the receiving node's subscribers, so it is sent to the master subscriptions are made on: the count
   * then includes this session's own.
   */
  async publish(channel: string, message: string): Promise<number> {
    return this.guard(async () => {
      this.writable(`Publishing to ${channel}`);
      const [node] = isCluster(this.client) ? keyServers(this.client) : [];
      return (node ?? this.client).publish(channel, message);
    });
  }

  /** MONITOR on connections of its own until it stops by itself or is stopped (see Monitor). */
  monitor(options: MonitorOptions): Promise<Monitor> {
    return this.guard(() => Monitor.open(this.client, options));
  }

  /** The slow log and the clients, and changes to them, which are refused on read-only connections like any write. */
  admin(): ServerAdmin {
    return new ServerAdmin(this.client, { writable: (action) => this.writable(action), guard: <T>(operation: () => Promise<T>) => this.guard(operation) });
  }

  /** A console on a connection of its own, for the Redis CLI terminal. */
  console(): RedisConsole {
    // The console sends raw commands with callBuffer, which ioredis' cluster auto-pipelining mangles (it drops the
    // command name): a console on a cluster runs without it.
    const client = this.own(quiet(isCluster(this.client) ? this.client.duplicate(undefined, { enableAutoPipelining: false }) : this.client.duplicate()));
    return new RedisConsole(client, this.gate, this.explain);
  }

  /** Streams the keys of a database (see scanKeys). */
  async scan(db: number, options: ScanOptions): Promise<{ scanned: number; found: number }> {
    return this.guard(async () => {
      const client = await this.on(db);
      return withOwnConnections(client, db, (server) => this.own(server), options.signal, (servers) => scanKeys(client, servers, options));
    });
  }

  /** A streamed memory analysis of a database, or of a cluster's masters (see analyzeMemory). */
  async analyzeMemory(db: number, options: MemoryScanOptions): Promise<MemoryReport> {
    return this.guard(async () => analyzeMemory(await this.on(db), options));
  }

  /** A memory report as the text of a JSON or CSV file. */
  memoryReportFile(...args: Parameters<typeof memoryReportFile>): string {
    return memoryReportFile(...args);
  }

  /** Type, TTL and memory of the given keys (the rows in view), in one pipeline. */
  async metadata(db: number, keys: readonly KeyRef[]): Promise<KeyRow[]> {
    return this.guard(async () => keyMetadata(await this.on(db), keys.map(keyBytes)));
  }

  /** A page of a value; a string is read up to the session's shown-bytes cut. */
  async value(db: number, key: KeyRef, page: { cursor?: string; offset?: number; limit: number }): Promise<ValuePage> {
    return this.guard(async () => readValuePage(await this.on(db), keyBytes(key), { ...page, maxBytes: this.maxShownBytes }));
  }

  /**
   * Writes a string only if it still holds what was read (WATCH on a connection of its own), keeping its TTL.
   * 'conflict' means someone changed it meanwhile and nothing was written.
   */
  async saveString(db: number, key: KeyRef, value: Buffer, expected: Buffer | undefined): Promise<'saved' | 'conflict'> {
    return this.guard(async () => {
      this.writable(`Saving ${key.text}`);
      return this.checkedWrite(db, key, expected, (c, k) => c.getBuffer(k), (tx, k) => tx.set(k, value, 'KEEPTTL'));
    });
  }

  /** Writes one hash field (named by its bytes) only if it still holds what was read, like saveString. */
  async saveHashField(db: number, key: KeyRef, field: Buffer, value: Buffer, expected: Buffer | undefined): Promise<'saved' | 'conflict'> {
    return this.guard(async () => {
      this.writable(`Saving ${key.text} ${displayBytes(field).text}`);
      return this.checkedWrite(db, key, expected, (c, k) => c.hgetBuffer(k, field), (tx, k) => tx.hset(k, field, value));
    });
  }

  /** WATCH the key, compare what is there with `expected`, then write in MULTI; EXEC fails if it changed meanwhile. */
  private async checkedWrite(
    db: number,
    key: KeyRef,
    expected: Buffer | undefined,
    read: (client: Redis, key: Buffer) => Promise<Buffer | null>,
    write: (tx: ChainableCommander, key: Buffer) => ChainableCommander,
  ): Promise<'saved' | 'conflict'> {
    const bytes = keyBytes(key);
    const watcher = this.watcher(db, bytes);
    try {
      await watcher.watch(bytes);
      const current = await read(watcher, bytes);
      if (expected !== undefined && (current === null || !current.equals(expected))) {
        await watcher.unwatch();
        return 'conflict';
      }
      return (await write(watcher.multi(), bytes).exec()) === null ? 'conflict' : 'saved';
    } finally {
      watcher.disconnect();
    }
  }

  /** A connection of its own for WATCH … EXEC: to the database, or in a cluster to the master owning the key's slot. */
  private watcher(db: number, key: Buffer): Redis {
    if (!isCluster(this.client)) return this.own(quiet(this.client.duplicate({ db, lazyConnect: false })));
    const owner = ownerOf(this.client, key);
    if (!owner) throw new DriverError('closed', 'The cluster\'s slot map is not known yet.', 'Try again in a moment.');
    return this.own(quiet(owner.duplicate()));
  }

  /** The whole bytes of a string, or of one hash field; undefined when absent. Refuses values above `maxBytes`. */
  async readWhole(db: number, key: KeyRef, field: Buffer | undefined, maxBytes: number): Promise<Buffer | undefined> {
    return this.guard(async () => {
      const client = await this.on(db);
      const bytes = keyBytes(key);
      const size = field === undefined ? await client.strlen(bytes) : await client.hstrlen(bytes, field);
      if (size > maxBytes) throw new DriverError('config', `${key.text} is ${size} bytes, above the ${maxBytes}-byte limit for opening values in the editor.`, 'Raise the editor size limit for values, or read the value another way.');
      const value = field === undefined ? await client.getBuffer(bytes) : await client.hgetBuffer(bytes, field);
      return value ?? undefined;
    });
  }

  /** A string decoded: compression taken off, a serialization format read as a structure (see decodeValue). */
  async decoded(db: number, key: KeyRef, choice: CodecChoice): Promise<Decoded> {
    const stored = await this.readWhole(db, key, undefined, MAX_STORED_BYTES);
    if (stored === undefined) throw new DriverError('config', `${key.text} no longer exists.`, 'Scan again to refresh the list.');
    return decodeValue(stored, choice);
  }

  /** Writes an edited decoded text back through its compression, only if the value still decodes to `expected`. */
  async saveDecoded(db: number, key: KeyRef, choice: CodecChoice, expected: string, text: string): Promise<'saved' | 'conflict'> {
    this.writable(`Saving ${key.text}`);
    const stored = await this.readWhole(db, key, undefined, MAX_STORED_BYTES);
    const bytes = stored === undefined ? 'conflict' : encodeEdited(stored, choice, expected, text);
    return bytes === 'conflict' ? 'conflict' : this.saveString(db, key, bytes, stored);
  }

  async edit(db: number, key: KeyRef, edit: MemberEdit): Promise<EditResult> {
    return this.guard(async () => {
      this.writable(`Changing ${key.text}`);
      return applyEdit(await this.on(db), keyBytes(key), edit);
    });
  }

  async create(db: number, key: KeyRef, first: MemberEdit): Promise<void> {
    return this.guard(async () => {
      this.writable(`Creating ${key.text}`);
      await createKey(await this.on(db), keyBytes(key), first);
    });
  }

  /** Counts (dryRun) or deletes every key matching a pattern, in cancellable UNLINK batches. */
  async deleteMatching(db: number, pattern: string, options: { dryRun: boolean; signal?: AbortSignal; onProgress?: (done: number) => void }): Promise<number> {
    return this.guard(async () => {
      if (!options.dryRun) this.writable(`Deleting keys matching ${pattern}`);
      if (!pattern) throw new DriverError('config', 'Give a pattern: deleting every key is what FLUSHDB is for.');
      return deleteMatching(await this.on(db), pattern, options);
    });
  }

  /**
   * Every key matching a pattern as JSON lines (exportFormat.ts), each value read a page at a time; the report says
   * what was written as DUMP payloads and what could not be exported.
   */
  async exportKeys(db: number, pattern: string, write: (line: string) => Promise<void>, options: { signal?: AbortSignal; onProgress?: (done: number) => void } = {}): Promise<ExportReport> {
    return this.guard(async () => withOwnConnections(await this.on(db), db, (server) => this.own(server), options.signal, (servers) => exportKeys(servers, pattern, write, options)));
  }

  /**
   * Restores exported lines; keys that exist are kept unless `replace`. Each key is written beside the real one and
   * renamed over it when whole; a server error stops the import naming the key, which is left as it was.
   */
  async importLines(db: number, lines: AsyncIterable<string>, replace: boolean, options: { signal?: AbortSignal; onProgress?: (done: number) => void } = {}): Promise<ImportResult> {
    return this.guard(async () => {
      this.writable('Importing keys');
      const connection = this.dedicated(db);
      try {
        return await importLines(connection, lines, replace, options);
      } finally {
        connection.disconnect();
      }
    });
  }

  /**
   * A connection of the operation's own, closed when it ends. A cluster's runs without auto-pipelining, which
   * mangles commands sent by name.
   */
  private dedicated(db: number): RedisClient {
    if (isCluster(this.client)) return this.own(this.client.duplicate(undefined, { enableAutoPipelining: false }));
    return this.own(quiet(this.client.duplicate({ db, lazyConnect: false })));
  }

  async deleteKeys(db: number, keys: readonly KeyRef[]): Promise<number> {
    return this.guard(async () => {
      this.writable(`Deleting ${keys.length} key${keys.length === 1 ? '' : 's'}`);
      const client = await this.on(db);
      // A cluster refuses multi-key commands across slots: one UNLINK per key there.
      if (isCluster(client)) return (await Promise.all(keys.map((k) => client.unlink(keyBytes(k))))).reduce((a, b) => a + b, 0);
      return client.unlink(...keys.map(keyBytes));
    });
  }

  /** RENAMENX unless `overwrite`; resolves false when the target exists and was kept. */
  async rename(db: number, key: KeyRef, to: KeyRef, overwrite: boolean): Promise<boolean> {
    return this.guard(async () => {
      this.writable(`Renaming ${key.text}`);
      const client = await this.on(db);
      try {
        if (overwrite) return (await client.rename(keyBytes(key), keyBytes(to))) === 'OK';
        return (await client.renamenx(keyBytes(key), keyBytes(to))) === 1;
      } catch (error) {
        if (/CROSSSLOT|same slot/.test(messageOf(error))) throw new DriverError('config', `${key.text} and ${to.text} hash to different cluster slots, and a rename cannot move a key between them.`, 'Give both names the same {hash tag}, or copy the value with export and import.');
        throw error;
      }
    });
  }

  /**
   * Sets a TTL in whole seconds from 1. A TTL of 0 or less would delete the key at once, which is a delete and is
   * asked for as one (deleteKeys); removing a TTL is `persist`. Resolves false when the key is gone.
   */
  async expire(db: number, key: KeyRef, seconds: number): Promise<boolean> {
    return this.guard(async () => {
      this.writable(`Changing the TTL of ${key.text}`);
      if (!Number.isSafeInteger(seconds) || seconds < 1) {
        throw new DriverError('config', `A TTL is a whole number of seconds from 1, not ${seconds}: a TTL of 0 or less deletes the key at once.`, 'Delete the key instead, or remove its TTL.');
      }
      return (await (await this.on(db)).expire(keyBytes(key), seconds)) === 1;
    });
  }

  /** Removes a key's TTL; resolves false when it had none or is gone. */
  async persist(db: number, key: KeyRef): Promise<boolean> {
    return this.guard(async () => {
      this.writable(`Removing the TTL of ${key.text}`);
      return (await (await this.on(db)).persist(keyBytes(key))) === 1;
    });
  }

  /** The consumer groups, pending entries and trimming of one stream key, under this session's read-only rule. */
  async stream(db: number, key: KeyRef): Promise<StreamGroups> {
    return this.guard(async () => new StreamGroups(await this.on(db), keyBytes(key), { writable: (action) => this.writable(action), explain: this.explain }));
  }

  /** How many members a collection holds (fields, items, members, entries); 0 for a string or a missing key. */
  async size(db: number, key: KeyRef): Promise<number> {
    return this.guard(async () => collectionSize(await this.on(db), keyBytes(key)));
  }

  /** A lost or stalled server, or a WRONGTYPE reply, as an error that says what happened and names the server. */
  private readonly explain = (error: unknown): unknown => sessionError(error, `${this.profile.host}:${this.profile.port}`, this.commandTimeoutMs) ?? error;

  /** Runs an operation; a lost server or a WRONGTYPE reply becomes an error that says what happened, by name. */
  private async guard<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      throw this.explain(error);
    }
  }

  onState(listener: Parameters<Session['onState']>[0]): () => void {
    return this.states.on(listener);
  }

  async close(): Promise<void> {
    this.states.clear();
    for (const other of this.dbClients.values()) other.disconnect();
    try {
      await this.client.quit();
    } catch {
      this.client.disconnect();
    }
  }
}

export const driver: Driver<RedisProfile, RedisSession> = {
  async connect(profile, options) {
    const endpoint = profile.sentinels?.length ? `Sentinel ${profile.sentinels.join(', ')} (master ${profile.sentinelMaster ?? ''})` : `${profile.host}:${profile.port}`;
    let established = false;
    const client = await createClient(profile, options, () => established);
    let lastError: unknown;
    client.on('error', (error: unknown) => (lastError = error));
    try {
      await withTimeout(client.connect(), options.timeoutMs + 500, () => timeoutError('Redis', endpoint, options.timeoutMs, 'Redis reply'));
      await withTimeout(client.ping(), options.timeoutMs, () => timeoutError('Redis', endpoint, options.timeoutMs, 'reply to PING'));
    } catch (error) {
      client.disconnect();
      throw isDriverError(error) ? error : connectError(lastError ?? error, endpoint, options, profile);
    }
    established = true;
    const session = new RedisSession(client, profile, options.maxShownBytes, options.replyTimeoutMs);
    try {
      await withTimeout(session.gate?.start() ?? Promise.resolve(), options.timeoutMs, () => timeoutError('Redis', endpoint, options.timeoutMs, 'reply to COMMAND INFO'));
    } catch (error) {
      client.disconnect();
      throw error;
    }
    return session;
  },
};
