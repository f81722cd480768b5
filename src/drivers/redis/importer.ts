import { randomBytes } from 'node:crypto';
import calculateSlot from 'cluster-key-slot';
import { isCluster, RedisClient } from './client';
import { DriverError, isDriverError, messageOf } from '../errors';
import { displayBytes } from './keys';
import { count, FORMAT, fromBytes, scoreText, streamId } from './exportFormat';

export interface ImportResult {
  readonly written: number;
  /** Keys that existed and were kept (import without replace). */
  readonly kept: number;
  /** Keys whose expiry time had passed by the time they were read back: not written. */
  readonly expired: number;
  /** Keys the export marked incomplete (deleted or replaced while read): not written. */
  readonly incomplete: number;
  /** Pending entries of stream messages that no longer exist: a consumer group cannot hold them again. */
  readonly lostPending: number;
  readonly cancelled: boolean;
}

export interface ImportOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (done: number) => void;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/**
 * A name for writing a key before it replaces the real one: unused, and in a cluster in the real key's slot, so the
 * final RENAME stays on one node.
 */
function tempKeyFor(client: RedisClient, key: Buffer): Buffer {
  const base = `switchboard:import:${randomBytes(12).toString('hex')}`;
  if (!isCluster(client)) return Buffer.from(base);
  const slot = calculateSlot(key);
  for (let n = 0; ; n++) {
    const candidate = Buffer.from(`${base}:${n}`);
    if (calculateSlot(candidate) === slot) return candidate;
  }
}

/**
 * One key being imported: written into a temporary key, then renamed over the real one in one step, so the real key
 * is never half replaced. Any error the server replies is the key's failure, with its name.
 */
class KeyWriter {
  private readonly temp: Buffer;
  private dump: string[] = [];
  private streamMade = false;
  /** Whether anything was written yet: an empty string still has to be made. */
  private started = false;

  constructor(private readonly client: RedisClient, readonly key: Buffer, readonly type: string, private readonly expireAt: number | undefined) {
    this.temp = tempKeyFor(client, key);
  }

  get name(): string {
    return displayBytes(this.key).text;
  }

  private send(command: string, ...args: (string | number | Buffer)[]): Promise<unknown> {
    this.started = true;
    return this.client.callBuffer(command, this.temp, ...args);
  }

  async start(): Promise<void> {
    await this.client.del(this.temp);
  }

  /** An empty stream exists in Redis (a group's MKSTREAM makes one without an entry, so its last id stays 0-0). */
  private async makeStream(): Promise<void> {
    if (this.streamMade) return;
    this.streamMade = true;
    await this.client.callBuffer('XGROUP', 'CREATE', this.temp, 'switchboard-import', '0', 'MKSTREAM');
    await this.client.callBuffer('XGROUP', 'DESTROY', this.temp, 'switchboard-import');
  }

  /** Writes one record of content. */
  async content(record: Json, where: string): Promise<number> {
    const pairsOf = (value: unknown): Buffer[] => list(value).flatMap((pair) => list(pair).slice(0, 2).map((b) => fromBytes(b, where)));
    if ('chunk' in record && this.type === 'string') await this.send('APPEND', fromBytes(record['chunk'], where));
    else if ('fields' in record && this.type === 'hash') await this.send('HSET', ...pairsOf(record['fields']));
    else if ('items' in record && this.type === 'list') await this.send('RPUSH', ...list(record['items']).map((b) => fromBytes(b, where)));
    else if ('members' in record && this.type === 'set') await this.send('SADD', ...list(record['members']).map((b) => fromBytes(b, where)));
    else if ('scored' in record && this.type === 'zset') await this.send('ZADD', ...list(record['scored']).flatMap((pair) => [scoreText(list(pair)[1], where), fromBytes(list(pair)[0], where)]));
    else if ('entries' in record && this.type === 'stream') {
      this.streamMade = true;
      for (const entry of list(record['entries'])) await this.send('XADD', streamId(list(entry)[0], where), ...pairsOf(list(entry)[1]));
    } else if ('stream' in record && this.type === 'stream' && isObject(record['stream'])) {
      await this.makeStream();
      const meta = record['stream'];
      const added = count(meta['entriesAdded']);
      const deleted = meta['maxDeletedId'];
      await this.send('XSETID', streamId(meta['lastId'], where), ...(added !== undefined ? ['ENTRIESADDED', added] : []), ...(deleted !== undefined ? ['MAXDELETEDID', streamId(deleted, where)] : []));
    } else if ('group' in record && this.type === 'stream' && isObject(record['group'])) {
      await this.makeStream();
      const group = record['group'];
      const read = count(group['entriesRead']);
      await this.client.callBuffer('XGROUP', 'CREATE', this.temp, fromBytes(group['name'], where), streamId(group['lastId'], where), ...(read !== undefined ? ['ENTRIESREAD', read] : []));
    } else if ('consumers' in record && this.type === 'stream' && isObject(record['consumers'])) {
      const group = fromBytes(record['consumers']['group'], where);
      for (const name of list(record['consumers']['names'])) await this.client.callBuffer('XGROUP', 'CREATECONSUMER', this.temp, group, fromBytes(name, where));
    } else if ('pending' in record && this.type === 'stream' && isObject(record['pending'])) {
      return this.pending(fromBytes(record['pending']['group'], where), list(record['pending']['entries']), where);
    } else if ('dump' in record && this.type === 'dump' && typeof record['dump'] === 'string') this.dump.push(record['dump']);
    else throw new DriverError('config', `${where}: a record that does not belong to a ${this.type}.`, 'The file may be damaged or not a Switchboard export.');
    return 0;
  }

  /**
   * Puts pending entries back into a group's PEL with their consumer, delivery count and idle time (XCLAIM FORCE).
   * Resolves how many could not be: entries whose message was deleted from the stream.
   */
  private async pending(group: Buffer, entries: unknown[], where: string): Promise<number> {
    let lost = 0;
    for (const entry of entries) {
      const [id, consumer, idle, deliveries] = list(entry);
      const claimed: unknown = await this.send('XCLAIM', group, fromBytes(consumer, where), 0, streamId(id, where), 'IDLE', count(idle) ?? 0, 'RETRYCOUNT', count(deliveries) ?? 1, 'FORCE', 'JUSTID');
      if (list(claimed).length === 0) lost++;
    }
    return lost;
  }

  /** Sets the expiry and renames the temporary key over the real one; resolves false when an existing key was kept. */
  async finish(replace: boolean): Promise<boolean> {
    if (this.type === 'dump') await this.send('RESTORE', 0, Buffer.from(this.dump.join(''), 'base64'));
    if (this.type === 'string' && !this.started) await this.send('SET', '');
    if (this.type === 'stream') await this.makeStream();
    if (this.expireAt !== undefined) await this.send('PEXPIREAT', this.expireAt);
    if (replace) {
      await this.send('RENAME', this.key);
      return true;
    }
    if (Number(await this.send('RENAMENX', this.key)) === 1) return true;
    await this.abandon();
    return false;
  }

  async abandon(): Promise<void> {
    await this.client.del(this.temp).catch(() => undefined);
  }
}

/** A line of an export from before version 2 (one whole key a line), as the records of version 2. */
function versionOneRecords(line: Json, where: string): Json[] {
  const type = line['type'];
  const ttl = typeof line['ttl'] === 'number' ? line['ttl'] : -1;
  const header: Json = { key: line['key'], type, ...(ttl > 0 ? { expireAt: Date.now() + ttl } : {}) };
  const value = line['value'];
  const content: Json =
    type === 'string' ? { chunk: value }
    : type === 'hash' ? { fields: value }
    : type === 'list' ? { items: value }
    : type === 'set' ? { members: value }
    : type === 'zset' ? { scored: list(value).map((pair) => [list(pair)[0], scoreText(list(pair)[1], where)]) }
    : type === 'stream' ? { entries: value }
    : {};
  const empty = Object.values(content).every((v) => Array.isArray(v) && v.length === 0);
  return [header, ...(empty ? [] : [content]), { end: true }];
}

/**
 * Restores the lines of an export. Each key is written beside the real one and renamed over it when complete: a
 * failure leaves the real key as it was, and stops the import with an error naming the key and what the server said.
 */
export async function importLines(client: RedisClient, lines: AsyncIterable<string>, replace: boolean, options: ImportOptions = {}): Promise<ImportResult> {
  let written = 0;
  let kept = 0;
  let expired = 0;
  let incomplete = 0;
  let lostPending = 0;
  let lineNumber = 0;
  let current: KeyWriter | undefined;
  /** The key whose records are passed over (kept or expired). */
  let skipping = false;
  const progress = (): void => options.onProgress?.(written + kept + expired + incomplete);

  const header = async (record: Json, where: string): Promise<void> => {
    const key = fromBytes(record['key'], where);
    const type = record['type'];
    if (typeof type !== 'string' || !['string', 'hash', 'list', 'set', 'zset', 'stream', 'dump'].includes(type)) {
      throw new DriverError('config', `${where}: key "${displayBytes(key).text}" has type "${String(type)}", which this export format does not have.`);
    }
    const expireAt = count(record['expireAt']);
    skipping = false;
    if (expireAt !== undefined && expireAt <= Date.now()) {
      expired++;
      skipping = true;
    } else if (!replace && (await client.exists(key))) {
      kept++;
      skipping = true;
    } else {
      current = new KeyWriter(client, key, type, expireAt);
      await current.start();
    }
  };

  const handle = async (record: Json, where: string): Promise<void> => {
    if ('key' in record) {
      if (current) throw new DriverError('config', `${where}: a key starts before "${current.name}" ended.`, 'The file may be cut short or damaged.');
      return header(record, where);
    }
    if ('end' in record) {
      if (skipping || !current) {
        skipping = false;
        return progress();
      }
      if (typeof record['incomplete'] === 'string') {
        await current.abandon();
        incomplete++;
      } else if (await current.finish(replace)) written++;
      else kept++;
      current = undefined;
      return progress();
    }
    if (skipping) return;
    if (!current) throw new DriverError('config', `${where}: content outside a key.`, 'The file may be damaged or not a Switchboard export.');
    lostPending += await current.content(record, where);
  };

  try {
    for await (const line of lines) {
      lineNumber++;
      if (options.signal?.aborted) break;
      if (!line.trim()) continue;
      const where = `Line ${lineNumber} of the import file`;
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch (error) {
        throw new DriverError('config', `${where} is not JSON (${messageOf(error)}).`, 'The file may be damaged or not a Switchboard export.');
      }
      if (!isObject(parsed)) throw new DriverError('config', `${where} is not a record of a Switchboard export.`);
      if ('format' in parsed) {
        if (parsed['format'] !== FORMAT.format || typeof parsed['version'] !== 'number' || parsed['version'] > FORMAT.version) {
          throw new DriverError('config', `${where}: this is ${String(parsed['format'])} version ${String(parsed['version'])}, which this Switchboard cannot read.`, 'Update Switchboard, or export again with this one.');
        }
        continue;
      }
      for (const record of 'value' in parsed ? versionOneRecords(parsed, where) : [parsed]) await handle(record, where);
    }
    if (current && !options.signal?.aborted) throw new DriverError('config', `The import file ends inside key "${current.name}".`, 'The file is cut short: that key was not written.');
  } catch (error) {
    const failed = current;
    current = undefined;
    await failed?.abandon();
    if (!failed || (isDriverError(error) && error.code === 'config')) throw error;
    throw new DriverError('server', `Importing "${failed.name}" failed: ${messageOf(error)}. "${failed.name}" was left as it was; ${written} key${written === 1 ? '' : 's'} before it were imported.`, undefined, { cause: error });
  }
  await current?.abandon();
  return { written, kept, expired, incomplete, lostPending, cancelled: options.signal?.aborted ?? false };
}
